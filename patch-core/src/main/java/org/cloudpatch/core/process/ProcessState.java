package org.cloudpatch.core.process;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.ChangeId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.process.ProcessEvent.AdvisoryPublished;
import org.cloudpatch.core.process.ProcessEvent.CatchUpHeld;
import org.cloudpatch.core.process.ProcessEvent.CatchUpReleased;
import org.cloudpatch.core.process.ProcessEvent.ChangeClosed;
import org.cloudpatch.core.process.ProcessEvent.ChangeDecided;
import org.cloudpatch.core.process.ProcessEvent.ChangeOpened;
import org.cloudpatch.core.process.ProcessEvent.ChangeRequested;
import org.cloudpatch.core.process.ProcessEvent.ItemRef;
import org.cloudpatch.core.process.ProcessEvent.NotificationSent;
import org.cloudpatch.core.process.ProcessEvent.PatchApplied;
import org.cloudpatch.core.process.ProcessEvent.PatchFailed;
import org.cloudpatch.core.process.ProcessEvent.PatchStarted;
import org.cloudpatch.core.process.ProcessEvent.RiskOpened;
import org.cloudpatch.core.process.ProcessEvent.RolloutPlanned;
import org.cloudpatch.core.process.ProcessEvent.SeverityAssessed;
import org.cloudpatch.core.process.ProcessEvent.SubscriptionAdvanced;
import org.cloudpatch.core.process.ProcessEvent.VmLifecycle;
import org.cloudpatch.core.rollout.ChangeRequest;
import org.cloudpatch.core.rollout.Wave;
import org.cloudpatch.core.severity.Assessment;

/**
 * The engine's whole state, changed only by {@link #apply}: replaying the journal's events through
 * it rebuilds exactly what the engine had. Sorted maps throughout, so that every walk over the
 * state (and so every decision and journal entry) is in a deterministic order. Not thread-safe;
 * owned by one engine.
 */
final class ProcessState {
  /**
   * The value for a key that the engine's own bookkeeping put there (a record, a wave, a change); a
   * miss is a bug in the engine, so it fails loudly instead of carrying a null along.
   */
  static <K, V> V known(Map<K, V> map, K key) {
    V value = map.get(key);
    if (value == null) {
      throw new IllegalStateException("engine state has no entry for " + key);
    }
    return value;
  }

  final Map<AdvisoryId, Advisory> advisories = new TreeMap<>();
  final Map<AdvisoryId, Assessment> assessments = new TreeMap<>();
  final Map<String, Optional<String>> feedCursors = new TreeMap<>();
  Optional<String> lifecycleCursor = Optional.empty();
  final Map<TrackingId, TrackingRecord> records = new TreeMap<>();
  final Map<String, PlannedWave> waves = new TreeMap<>();
  final Map<String, ChangeState> changes = new TreeMap<>();
  final Map<String, PatchStarted> jobsInFlight = new TreeMap<>();
  final Map<AssetId, CatchUp> catchUps = new TreeMap<>();
  final Map<String, RiskItem> risks = new TreeMap<>();
  final Map<String, ProcessEvent.NotificationQueued> pendingNotifications = new TreeMap<>();
  final Map<String, Integer> notificationFailures = new TreeMap<>();
  final Map<String, Instant> notificationRetryAt = new TreeMap<>();
  final Set<AdvisoryId> unprocessed = new TreeSet<>();
  final Set<TrackingId> evidencePending = new TreeSet<>();
  final Map<TrackingId, List<Long>> seqsByRecord = new HashMap<>();
  final Map<String, Integer> entriesByType = new TreeMap<>();
  final Set<TrackingId> touched = new TreeSet<>();
  long nextSeq;

  /** A planned wave, its change, and which of its VMs have been dealt with. */
  static final class PlannedWave {
    final String id;
    final Wave wave;
    final String changeKey;
    final Map<AssetId, List<ItemRef>> itemsByAsset = new TreeMap<>();
    final Set<AssetId> pending = new TreeSet<>();
    boolean missed;

    PlannedWave(String id, Wave wave, String changeKey, List<ItemRef> items) {
      this.id = id;
      this.wave = wave;
      this.changeKey = changeKey;
      for (ItemRef ref : items) {
        itemsByAsset.computeIfAbsent(ref.asset(), a -> new ArrayList<>()).add(ref);
        pending.add(ref.asset());
      }
    }

    boolean done() {
      return missed || pending.isEmpty();
    }
  }

  /** A change request and where it stands. */
  static final class ChangeState {
    final ChangeRequest request;
    Optional<ChangeId> id = Optional.empty();
    ChangeRequest.Approval approval = ChangeRequest.Approval.PENDING;
    boolean closed;

    ChangeState(ChangeRequest request) {
      this.request = request;
    }
  }

  /** A VM held from its users until it is caught up. */
  static final class CatchUp {
    final AssetId asset;
    final String reason;
    int attempts;
    Optional<String> snapshot = Optional.empty();
    boolean givenUp;

    CatchUp(AssetId asset, String reason) {
      this.asset = asset;
      this.reason = reason;
    }
  }

  void apply(ProcessEvent event, Instant at, long seq) {
    nextSeq = seq + 1;
    entriesByType.merge(event.type(), 1, Integer::sum);
    event.record().ifPresent(r -> seqsByRecord.computeIfAbsent(r, k -> new ArrayList<>()).add(seq));
    // Java 17 has no pattern switch; the events that touch only records fall through to them.
    if (event instanceof AdvisoryPublished e) {
      // The subscription only publishes a version it has not seen, so every publication (new,
      // updated or withdrawn) is work: applicability runs again for what it names.
      advisories.put(e.advisory().id(), e.advisory());
      unprocessed.add(e.advisory().id());
    } else if (event instanceof ProcessEvent.ApplicabilityMatched e) {
      unprocessed.remove(e.advisory());
    } else if (event instanceof ProcessEvent.AdvisoryWithdrawn e) {
      unprocessed.remove(e.advisory());
    } else if (event instanceof SubscriptionAdvanced e) {
      feedCursors.put(e.feed(), e.cursor());
    } else if (event instanceof SeverityAssessed e) {
      assessments.put(e.assessment().advisory(), e.assessment());
    } else if (event instanceof ChangeRequested e) {
      changes.put(e.request().key(), new ChangeState(e.request()));
    } else if (event instanceof ChangeOpened e) {
      known(changes, e.key()).id = Optional.of(e.change());
    } else if (event instanceof ChangeDecided e) {
      known(changes, e.key()).approval = e.approval();
    } else if (event instanceof ChangeClosed e) {
      known(changes, e.key()).closed = true;
    } else if (event instanceof RolloutPlanned e) {
      waves.put(e.waveId(), new PlannedWave(e.waveId(), e.wave(), e.changeKey(), e.items()));
    } else if (event instanceof ProcessEvent.RolloutMissed e) {
      known(waves, e.waveId()).missed = true;
    } else if (event instanceof ProcessEvent.NotificationQueued e) {
      pendingNotifications.put(e.key(), e);
    } else if (event instanceof NotificationSent e) {
      pendingNotifications.remove(e.key());
      notificationFailures.remove(e.key());
      notificationRetryAt.remove(e.key());
    } else if (event instanceof ProcessEvent.NotificationFailed e) {
      // Back off exponentially from five minutes to six hours, so that a tenant whose mail relay
      // is down for a day is retried, journaled a few dozen times, and never given up on.
      int failures = notificationFailures.merge(e.key(), 1, Integer::sum);
      long minutes = Math.min(5L << Math.min(failures - 1, 16), 6 * 60);
      notificationRetryAt.put(e.key(), at.plus(java.time.Duration.ofMinutes(minutes)));
    } else if (event instanceof ProcessEvent.TrackingClosed e) {
      evidencePending.add(e.id());
    } else if (event instanceof ProcessEvent.EvidenceStored e) {
      evidencePending.remove(e.id());
    } else if (event instanceof PatchStarted e) {
      jobsInFlight.put(e.job(), e);
      e.waveId().map(waves::get).ifPresent(w -> w.pending.remove(e.vm()));
      if (e.catchUp()) {
        CatchUp c = catchUps.get(e.vm());
        if (c != null) {
          c.attempts = e.attempt();
          c.snapshot = Optional.of(e.snapshot());
        }
      }
    } else if (event instanceof PatchApplied e) {
      jobsInFlight.remove(e.job());
    } else if (event instanceof PatchFailed e) {
      jobsInFlight.remove(e.job());
      e.waveId().map(waves::get).ifPresent(w -> w.pending.remove(e.vm()));
    } else if (event instanceof ProcessEvent.PatchDeferred e) {
      e.waveId().map(waves::get).ifPresent(w -> w.pending.remove(e.vm()));
    } else if (event instanceof RiskOpened e) {
      risks.put(e.risk().id(), e.risk());
      CatchUp c = catchUps.get(e.risk().asset());
      if (c != null && e.risk().record().isEmpty()) {
        c.givenUp = true;
      }
    } else if (event instanceof VmLifecycle e) {
      lifecycleCursor = e.cursor();
    } else if (event instanceof CatchUpHeld e) {
      catchUps.put(e.vm(), new CatchUp(e.vm(), e.reason()));
    } else if (event instanceof CatchUpReleased e) {
      catchUps.remove(e.vm());
    }
    applyToRecords(event, at);
  }

  private void applyToRecords(ProcessEvent event, Instant at) {
    Map<TrackingId, TrackingRecord> changed = new LinkedHashMap<>();
    for (TrackingId id : TrackingRecords.affectedRecords(event)) {
      TrackingRecord before = records.get(id);
      TrackingRecord after = TrackingRecords.evolve(before, event, at);
      if (after != null && after != before) {
        changed.put(id, after);
      }
    }
    records.putAll(changed);
    touched.addAll(changed.keySet());
  }

  /** The patch jobs running now. */
  int inFlight() {
    return jobsInFlight.size();
  }

  boolean busy(AssetId vm) {
    return jobsInFlight.values().stream().anyMatch(j -> j.vm().equals(vm));
  }

  /** The planned waves still to run, as the planner must see them. */
  List<Wave> activeWaves() {
    List<Wave> out = new ArrayList<>();
    for (PlannedWave w : waves.values()) {
      if (!w.done()) {
        out.add(w.wave);
      }
    }
    return out;
  }
}
