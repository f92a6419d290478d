package org.cloudpatch.core.process;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.rollout.PackageUpdate;

/**
 * The events of the lifecycles that issue 9 added to the journal: a patch job's request,
 * submission, failed calls and unknown outcome; an effect's request, failure and escalation; host
 * code parked; records past due and risks expired. Written and read like every {@link
 * ProcessEvent}.
 */
sealed interface EffectEvents extends ProcessEvent {
  /**
   * Step 8, requested: a patch job for a VM, journaled before its pre-patch snapshot is taken, so
   * that after a crash the snapshot is taken again under the same key (the same snapshot), never
   * orphaned. From here until the job is verified or failed the VM is busy: one job per VM.
   */
  @Journaled("patch.requested")
  record PatchRequested(
      String job,
      AssetId vm,
      Optional<String> waveId,
      List<ItemRef> items,
      List<AdvisoryId> advisories,
      int attempt,
      List<PackageUpdate> updates,
      Optional<String> reuseSnapshot)
      implements EffectEvents {
    @Override
    public Optional<TrackingId> record() {
      return items.size() == 1 ? Optional.of(items.get(0).record()) : Optional.empty();
    }

    @Override
    public Optional<AssetId> asset() {
      return Optional.of(vm);
    }
  }

  /** Step 8, confirmed: the executor took the job under its key and gave this handle. */
  @Journaled("patch.submitted")
  record PatchSubmitted(String job, AssetId vm, String handle) implements EffectEvents {
    @Override
    public Optional<AssetId> asset() {
      return Optional.of(vm);
    }
  }

  /** The adapter calls a job makes, each retried with backoff when it fails. */
  enum JobCall {
    /** The pre-patch snapshot. */
    SNAPSHOT("snapshot.failed"),
    /** The submission to the executor. */
    SUBMIT("patch.submit.failed"),
    /** The poll for the outcome. */
    POLL("patch.poll.failed"),
    /** The re-inventory that verifies it. */
    VERIFY("patch.verify.failed");

    final String failedType;

    JobCall(String failedType) {
      this.failedType = failedType;
    }
  }

  /**
   * A call for a job failed; the job stays where it was (in flight, one per VM) and the call is
   * retried with backoff until the job's deadline. Never read as a failed patch.
   */
  @Journaled({"snapshot.failed", "patch.submit.failed", "patch.poll.failed", "patch.verify.failed"})
  record JobCallFailed(String job, AssetId vm, JobCall call, String reason)
      implements EffectEvents {
    @Override
    public String type() {
      return call.failedType;
    }

    @Override
    public Optional<AssetId> asset() {
      return Optional.of(vm);
    }
  }

  /**
   * A job passed its deadline without a reported outcome: what it did is unknown until re-inventory
   * says, and nothing else runs on the VM before.
   */
  @Journaled("patch.unknown")
  record PatchUnknown(String job, AssetId vm, String reason) implements EffectEvents {
    @Override
    public Optional<AssetId> asset() {
      return Optional.of(vm);
    }
  }

  /** The effects journaled as requested before their adapter call, and confirmed after. */
  enum EffectKind {
    /** Hold a VM from its users; confirmed by {@code catchup.held}. */
    HOLD("hold"),
    /** Give a held VM back; confirmed by {@code catchup.released}. */
    RELEASE("release"),
    /** Revert a VM to its pre-patch snapshot; confirmed by {@code patch.rolledback}. */
    REVERT("revert"),
    /** Record and close a change; confirmed by {@code change.closed}. */
    CLOSE_CHANGE("change.close");

    final String prefix;

    EffectKind(String prefix) {
      this.prefix = prefix;
    }
  }

  /**
   * An effect requested under an idempotency key, before the adapter is called; pending until
   * confirmed, retried with backoff under the same key, escalated at its deadline.
   *
   * @param subject what the effect is on besides the VM: the snapshot of a revert, the change key
   *     of a change close
   * @param detail the hold's reason, the reverted job, the change's summary
   */
  @Journaled({"hold.requested", "release.requested", "revert.requested", "change.close.requested"})
  record EffectRequested(
      EffectKind effect,
      String key,
      Optional<AssetId> vm,
      String subject,
      String detail,
      List<AdvisoryId> advisories,
      boolean successful,
      Instant deadline)
      implements EffectEvents {
    @Override
    public String type() {
      return effect.prefix + ".requested";
    }

    @Override
    public Optional<AssetId> asset() {
      return vm;
    }
  }

  /** A requested effect's adapter call failed; it stays pending and is retried with backoff. */
  @Journaled({"hold.failed", "release.failed", "revert.failed", "change.close.failed"})
  record EffectFailed(EffectKind effect, String key, Optional<AssetId> vm, String reason)
      implements EffectEvents {
    @Override
    public String type() {
      return effect.prefix + ".failed";
    }

    @Override
    public Optional<AssetId> asset() {
      return vm;
    }
  }

  /**
   * A requested effect passed its deadline unconfirmed: escalated with a risk item; still retried.
   */
  @Journaled({"hold.overdue", "release.overdue", "revert.overdue", "change.close.overdue"})
  record EffectOverdue(EffectKind effect, String key, Optional<AssetId> vm, String reason)
      implements EffectEvents {
    @Override
    public String type() {
      return effect.prefix + ".overdue";
    }

    @Override
    public Optional<AssetId> asset() {
      return vm;
    }
  }

  /**
   * Host code (severity policy, threat intel, grouping, change type) threw while deciding about
   * {@code subject}: that work is parked and tried again later; other work goes on.
   */
  @Journaled("work.parked")
  record WorkParked(String subject, String reason) implements EffectEvents {}

  /**
   * Step 4 incomplete: the inventory of these assets could not be read when the advisory was
   * assessed. The advisory stays work; its next pass reads only these assets (the findings of the
   * others are tracked already), so a fleet with a few flaky reads still converges.
   */
  @Journaled("assessment.incomplete")
  record AssessmentIncomplete(AdvisoryId advisory, List<AssetId> unread) implements EffectEvents {}

  /** An item passed its due date unremediated: escalated to the tenant. */
  @Journaled("tracking.overdue")
  record ItemsOverdue(TrackingId id, List<AssetId> vms, java.time.Instant due)
      implements EffectEvents {
    @Override
    public Optional<TrackingId> record() {
      return Optional.of(id);
    }
  }

  /** An accepted risk expired: its item is open again and planned anew. */
  @Journaled("risk.expired")
  record RiskExpired(String riskId, Optional<TrackingId> trackingId, AssetId vm)
      implements EffectEvents {
    @Override
    public Optional<TrackingId> record() {
      return trackingId;
    }

    @Override
    public Optional<AssetId> asset() {
      return Optional.of(vm);
    }
  }

  /**
   * Step 6, given up: the notifier said the delivery cannot succeed as it is (a permanent failure:
   * a refused recipient, an HTTP 4xx), so it is not retried; the dead letter stays in the journal
   * for an operator to act on.
   */
  @Journaled("notification.dead-lettered")
  record NotificationDeadLettered(String key, TenantId to, AdvisoryId advisory, String reason)
      implements EffectEvents {
    @Override
    public Optional<TenantId> tenant() {
      return Optional.of(to);
    }
  }
}
