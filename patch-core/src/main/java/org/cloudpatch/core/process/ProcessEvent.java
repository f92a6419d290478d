package org.cloudpatch.core.process;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.ChangeId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.asset.LifecycleEvent;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.finding.Finding;
import org.cloudpatch.core.rollout.ChangeRequest;
import org.cloudpatch.core.rollout.PackageUpdate;
import org.cloudpatch.core.rollout.PatchOutcome;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.rollout.Wave;
import org.cloudpatch.core.severity.Assessment;
import org.cloudpatch.core.severity.Priority;

/**
 * Everything that happens in the process, as it is written to the journal: the {@link #type()} is
 * the entry's {@code type}, the record's components are its {@code data}. State is rebuilt from
 * these alone, so each carries what its effect on the state needs.
 */
sealed interface ProcessEvent {
  /** The journal entry type: the {@link Journaled} name of the event's record. */
  default String type() {
    return Journaled.TYPES.get(getClass())[0];
  }

  /** The tracking record the event concerns, if one. */
  default Optional<TrackingId> record() {
    return Optional.empty();
  }

  /** The asset the event concerns, if one (its tenant becomes the entry's tenant). */
  default Optional<AssetId> asset() {
    return Optional.empty();
  }

  /** The tenant the event concerns directly, if it names one. */
  default Optional<TenantId> tenant() {
    return Optional.empty();
  }

  /** Step 1: a vendor's advisory, as published. */
  @Journaled("advisory.published")
  record AdvisoryPublished(String feed, Advisory advisory) implements ProcessEvent {}

  /** Step 2: the subscription to a feed delivered a page and moved its cursor. */
  @Journaled("subscription.advanced")
  record SubscriptionAdvanced(
      String feed,
      Optional<String> cursor,
      List<AdvisoryId> delivered,
      List<AdvisoryId> duplicates,
      List<Quarantined> quarantined)
      implements ProcessEvent {}

  /** Step 3: the enterprise's priority and due date for an advisory. */
  @Journaled("severity.assessed")
  record SeverityAssessed(Assessment assessment) implements ProcessEvent {}

  /** Step 4: the advisory matched against the whole fleet. */
  @Journaled("applicability.matched")
  record ApplicabilityMatched(
      AdvisoryId advisory, int assetsAssessed, int affected, int unknown, List<String> packages)
      implements ProcessEvent {}

  /** Step 5: a tracking record opened and assigned to its resolver group. */
  @Journaled("tracking.opened")
  record TrackingOpened(
      TrackingId id,
      AdvisoryId advisory,
      TenantId owner,
      String resolverGroup,
      Priority priority,
      Instant due,
      TimingMode timingMode,
      List<Finding> findings)
      implements ProcessEvent {
    @Override
    public Optional<TrackingId> record() {
      return Optional.of(id);
    }

    @Override
    public Optional<TenantId> tenant() {
      return Optional.of(owner);
    }
  }

  /** Step 5, after an update: assets the updated advisory newly affects join an open record. */
  @Journaled("tracking.extended")
  record TrackingExtended(TrackingId id, List<Finding> findings) implements ProcessEvent {
    @Override
    public Optional<TrackingId> record() {
      return Optional.of(id);
    }
  }

  /** Step 6: a tenant was told which of its assets an advisory affects. */
  @Journaled("notification.sent")
  record NotificationSent(String key, TenantId to, AdvisoryId advisory, List<AssetId> assets)
      implements ProcessEvent {
    @Override
    public Optional<TenantId> tenant() {
      return Optional.of(to);
    }
  }

  /** Step 6, to come: a tenant is to be told which of its assets an advisory affects. */
  @Journaled("notification.queued")
  record NotificationQueued(String key, TenantId to, AdvisoryId advisory, List<AssetId> assets)
      implements ProcessEvent {
    @Override
    public Optional<TenantId> tenant() {
      return Optional.of(to);
    }
  }

  /** Step 6, failed: the notification stays queued and will be tried again. */
  @Journaled("notification.failed")
  record NotificationFailed(String key, TenantId to, String reason) implements ProcessEvent {
    @Override
    public Optional<TenantId> tenant() {
      return Optional.of(to);
    }
  }

  /** An item of a record put into a wave of a rollout plan. */
  record ItemRef(TrackingId record, AssetId asset) {}

  /** Step 7: a wave planned, with the change that covers its window. */
  @Journaled("rollout.planned")
  record RolloutPlanned(String waveId, Wave wave, String changeKey, List<ItemRef> items)
      implements ProcessEvent {}

  /** An item the planner could not place; it is covered by a risk item. */
  @Journaled("rollout.unplaced")
  record RolloutUnplaced(TrackingId id, AssetId vm, String reason) implements ProcessEvent {
    @Override
    public Optional<TrackingId> record() {
      return Optional.of(id);
    }

    @Override
    public Optional<AssetId> asset() {
      return Optional.of(vm);
    }
  }

  /** Step 7: a change request for one maintenance window. */
  @Journaled("change.requested")
  record ChangeRequested(ChangeRequest request) implements ProcessEvent {}

  /** A wave whose window passed before it could run (its change not approved in time). */
  @Journaled("rollout.missed")
  record RolloutMissed(String waveId, List<ItemRef> items, String reason) implements ProcessEvent {}

  /** The change system accepted the request under this id. */
  @Journaled("change.opened")
  record ChangeOpened(String key, ChangeId change) implements ProcessEvent {}

  /** Step 7: the change was approved or rejected. */
  @Journaled({"change.approved", "change.rejected"})
  record ChangeDecided(String key, ChangeId change, ChangeRequest.Approval approval)
      implements ProcessEvent {
    @Override
    public String type() {
      return approval == ChangeRequest.Approval.APPROVED ? "change.approved" : "change.rejected";
    }
  }

  /** The change's work is over; it was recorded and closed in the change system. */
  @Journaled("change.closed")
  record ChangeClosed(String key, ChangeId change, boolean successful, String summary)
      implements ProcessEvent {}

  /**
   * Items go back to be planned again (a missed window, a failure to retry, a short suspension).
   */
  @Journaled("rollout.requeued")
  record ItemsRequeued(List<ItemRef> items, String reason) implements ProcessEvent {}

  /** An item's wave came while the VM could not be patched. */
  @Journaled("patch.deferred")
  record PatchDeferred(Optional<String> waveId, AssetId vm, List<ItemRef> items, String reason)
      implements ProcessEvent {
    @Override
    public Optional<AssetId> asset() {
      return Optional.of(vm);
    }
  }

  /**
   * Step 8: a patch job submitted. A wave job serves one VM's items of a wave; a catch-up job
   * ({@code waveId} empty) brings a held VM up to every advisory at once.
   */
  @Journaled("patch.started")
  record PatchStarted(
      String job,
      AssetId vm,
      Optional<String> waveId,
      List<ItemRef> items,
      List<AdvisoryId> advisories,
      int attempt,
      String snapshot,
      List<PackageUpdate> updates)
      implements ProcessEvent {
    /** Whether this job catches up a held VM rather than serving a wave. */
    boolean catchUp() {
      return waveId.isEmpty();
    }

    @Override
    public Optional<TrackingId> record() {
      return items.size() == 1 ? Optional.of(items.get(0).record()) : Optional.empty();
    }

    @Override
    public Optional<AssetId> asset() {
      return Optional.of(vm);
    }
  }

  /** Step 8: the executor reported the job's outcome. */
  @Journaled("patch.applied")
  record PatchApplied(String job, AssetId vm, PatchOutcome outcome) implements ProcessEvent {
    @Override
    public Optional<AssetId> asset() {
      return Optional.of(vm);
    }
  }

  /** Step 8: re-inventory proves the fixed version for an advisory on a VM. */
  @Journaled("patch.verified")
  record PatchVerified(
      Optional<TrackingId> trackingId,
      AssetId vm,
      AdvisoryId advisory,
      String installed,
      String evidence)
      implements ProcessEvent {
    @Override
    public Optional<TrackingId> record() {
      return trackingId;
    }

    @Override
    public Optional<AssetId> asset() {
      return Optional.of(vm);
    }
  }

  /** Step 9: a patch job failed or did not verify. */
  @Journaled("patch.failed")
  record PatchFailed(
      String job,
      AssetId vm,
      Optional<String> waveId,
      List<ItemRef> items,
      int attempt,
      String reason)
      implements ProcessEvent {
    @Override
    public Optional<AssetId> asset() {
      return Optional.of(vm);
    }
  }

  /** Step 9: the VM was returned to its pre-patch snapshot. */
  @Journaled("patch.rolledback")
  record PatchRolledBack(String job, AssetId vm, String snapshot) implements ProcessEvent {
    @Override
    public Optional<AssetId> asset() {
      return Optional.of(vm);
    }
  }

  /** Step 9: a risk accepted, with an owner and an expiry. */
  @Journaled("risk.opened")
  record RiskOpened(RiskItem risk) implements ProcessEvent {
    @Override
    public Optional<TrackingId> record() {
      return risk.record();
    }

    @Override
    public Optional<AssetId> asset() {
      return Optional.of(risk.asset());
    }
  }

  /** Step 10: the record closed; its evidence bundle follows. */
  @Journaled({"tracking.closed", "tracking.closed-with-exceptions", "tracking.risk-accepted"})
  record TrackingClosed(
      TrackingId id,
      TrackingRecord.Status outcome,
      int verified,
      int riskAccepted,
      List<String> exceptions)
      implements ProcessEvent {
    @Override
    public String type() {
      return switch (outcome) {
        case CLOSED -> "tracking.closed";
        case CLOSED_WITH_EXCEPTIONS -> "tracking.closed-with-exceptions";
        default -> "tracking.risk-accepted";
      };
    }

    @Override
    public Optional<TrackingId> record() {
      return Optional.of(id);
    }
  }

  /** Step 10: the evidence bundle of a settled record is stored. */
  @Journaled("evidence.stored")
  record EvidenceStored(TrackingId id) implements ProcessEvent {
    @Override
    public Optional<TrackingId> record() {
      return Optional.of(id);
    }
  }

  /** The advisory was withdrawn: its open records end with it. */
  @Journaled("tracking.withdrawn")
  record TrackingWithdrawn(TrackingId id, String reason) implements ProcessEvent {
    @Override
    public Optional<TrackingId> record() {
      return Optional.of(id);
    }
  }

  /** The vendor withdrew an advisory. */
  @Journaled("advisory.withdrawn")
  record AdvisoryWithdrawn(AdvisoryId advisory, Instant withdrawn) implements ProcessEvent {}

  /** The hypervisor reported a VM lifecycle event. */
  @Journaled({"vm.suspended", "vm.resumed", "vm.reverted", "vm.created"})
  record VmLifecycle(LifecycleEvent event, Optional<String> cursor) implements ProcessEvent {
    @Override
    public String type() {
      return switch (event.kind()) {
        case SUSPENDED -> "vm.suspended";
        case RESUMED -> "vm.resumed";
        case REVERTED -> "vm.reverted";
        case CREATED_FROM_IMAGE -> "vm.created";
      };
    }

    @Override
    public Optional<AssetId> asset() {
      return Optional.of(event.asset());
    }
  }

  /** A VM is held from its users until it is caught up to the current baseline. */
  @Journaled("catchup.held")
  record CatchUpHeld(AssetId vm, String reason) implements ProcessEvent {
    @Override
    public Optional<AssetId> asset() {
      return Optional.of(vm);
    }
  }

  /** A held VM is compliant again and given back to its users. */
  @Journaled("catchup.released")
  record CatchUpReleased(AssetId vm, List<AdvisoryId> verified) implements ProcessEvent {
    @Override
    public Optional<AssetId> asset() {
      return Optional.of(vm);
    }
  }

  /** An adapter call failed; the work it served is failed or retried, never lost. */
  @Journaled("adapter.failed")
  record AdapterFailed(String adapter, String operation, Optional<AssetId> vm, String reason)
      implements ProcessEvent {
    @Override
    public Optional<AssetId> asset() {
      return vm;
    }
  }

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
      implements ProcessEvent {
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
  record PatchSubmitted(String job, AssetId vm, String handle) implements ProcessEvent {
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
      implements ProcessEvent {
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
  record PatchUnknown(String job, AssetId vm, String reason) implements ProcessEvent {
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
  @Journaled({
    "hold.requested",
    "release.requested",
    "revert.requested",
    "change.close.requested"
  })
  record EffectRequested(
      EffectKind effect,
      String key,
      Optional<AssetId> vm,
      String subject,
      String detail,
      List<AdvisoryId> advisories,
      boolean successful,
      Instant deadline)
      implements ProcessEvent {
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
      implements ProcessEvent {
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
      implements ProcessEvent {
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
  record WorkParked(String subject, String reason) implements ProcessEvent {}

  /** An item passed its due date unremediated: escalated to the tenant. */
  @Journaled("tracking.overdue")
  record ItemsOverdue(TrackingId id, List<AssetId> vms, java.time.Instant due)
      implements ProcessEvent {
    @Override
    public Optional<TrackingId> record() {
      return Optional.of(id);
    }
  }

  /** An accepted risk expired: its item is open again and planned anew. */
  @Journaled("risk.expired")
  record RiskExpired(String riskId, Optional<TrackingId> trackingId, AssetId vm)
      implements ProcessEvent {
    @Override
    public Optional<TrackingId> record() {
      return trackingId;
    }

    @Override
    public Optional<AssetId> asset() {
      return Optional.of(vm);
    }
  }
}
