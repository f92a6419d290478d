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
sealed interface ProcessEvent
    permits ProcessEvent.AdvisoryPublished,
        ProcessEvent.SubscriptionAdvanced,
        ProcessEvent.SeverityAssessed,
        ProcessEvent.ApplicabilityMatched,
        ProcessEvent.TrackingOpened,
        ProcessEvent.TrackingExtended,
        ProcessEvent.NotificationSent,
        ProcessEvent.NotificationQueued,
        ProcessEvent.NotificationFailed,
        ProcessEvent.RolloutPlanned,
        ProcessEvent.RolloutUnplaced,
        ProcessEvent.ChangeRequested,
        ProcessEvent.RolloutMissed,
        ProcessEvent.ChangeOpened,
        ProcessEvent.ChangeDecided,
        ProcessEvent.ChangeClosed,
        ProcessEvent.ItemsRequeued,
        ProcessEvent.PatchDeferred,
        ProcessEvent.PatchStarted,
        ProcessEvent.PatchApplied,
        ProcessEvent.PatchVerified,
        ProcessEvent.PatchFailed,
        ProcessEvent.PatchRolledBack,
        ProcessEvent.RiskOpened,
        ProcessEvent.TrackingClosed,
        ProcessEvent.EvidenceStored,
        ProcessEvent.TrackingWithdrawn,
        ProcessEvent.AdvisoryWithdrawn,
        ProcessEvent.AdapterFailed,
        ProcessEvent.BaselinePinned,
        ProcessEvent.BaselineUnpinned,
        EffectEvents,
        CatchUpEvents,
        HostEvents,
        SnapshotEvents {
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

  /**
   * Step 4: the advisory matched against the assets read in this pass: the whole fleet, or, after
   * an {@link EffectEvents.AssessmentIncomplete incomplete} pass, the assets it could not read.
   */
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

  /**
   * The patch baseline is pinned as approved at {@code asOf}: a publication modified later waits
   * until the baseline moves, so every wave and every catch-up gets the content approved.
   */
  @Journaled("baseline.pinned")
  record BaselinePinned(Instant asOf, String reason) implements ProcessEvent {}

  /** The baseline follows the feeds again: every publication that waited is worked on. */
  @Journaled("baseline.unpinned")
  record BaselineUnpinned(String reason) implements ProcessEvent {}

  /** The vendor withdrew an advisory. */
  @Journaled("advisory.withdrawn")
  record AdvisoryWithdrawn(AdvisoryId advisory, Instant withdrawn) implements ProcessEvent {}

  /** An adapter call failed; the work it served is failed or retried, never lost. */
  @Journaled("adapter.failed")
  record AdapterFailed(String adapter, String operation, Optional<AssetId> vm, String reason)
      implements ProcessEvent {
    @Override
    public Optional<AssetId> asset() {
      return vm;
    }
  }
}
