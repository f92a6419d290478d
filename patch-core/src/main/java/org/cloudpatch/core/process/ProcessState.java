package org.cloudpatch.core.process;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.process.CatchUpEvents.CatchUpHeld;
import org.cloudpatch.core.process.CatchUpEvents.CatchUpReleased;
import org.cloudpatch.core.process.CatchUpEvents.VmLifecycle;
import org.cloudpatch.core.process.InFlight.CatchUp;
import org.cloudpatch.core.process.InFlight.ChangeState;
import org.cloudpatch.core.process.InFlight.Job;
import org.cloudpatch.core.process.InFlight.PendingEffect;
import org.cloudpatch.core.process.InFlight.PlannedWave;
import org.cloudpatch.core.process.ProcessEvent.AdvisoryPublished;
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
import org.cloudpatch.core.rollout.Wave;
import org.cloudpatch.core.severity.Assessment;
import org.jspecify.annotations.Nullable;

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

  /** The advisories as the baseline has them: the latest publications, unless pinned. */
  final Map<AdvisoryId, Advisory> advisories = new TreeMap<>();

  /** The instant the baseline is pinned at, if pinned. */
  Optional<Instant> baselineAsOf = Optional.empty();

  /** Publications modified after the pinned instant, the latest per advisory: they wait. */
  final Map<AdvisoryId, Advisory> awaitingBaseline = new TreeMap<>();

  final Map<AdvisoryId, Assessment> assessments = new TreeMap<>();
  final Map<String, Optional<String>> feedCursors = new TreeMap<>();
  Optional<String> lifecycleCursor = Optional.empty();
  final RecordBook records = new RecordBook();
  final Map<String, PlannedWave> waves = new TreeMap<>();
  final Map<String, ChangeState> changes = new TreeMap<>();
  final Map<String, Job> jobs = new TreeMap<>();
  final Map<String, PendingEffect> effects = new TreeMap<>();
  final Map<String, Instant> parkedUntil = new TreeMap<>();
  final Map<String, Integer> parkings = new TreeMap<>();
  final Set<String> overdueNotified = new TreeSet<>();
  final Set<String> expiredRisks = new TreeSet<>();
  int risksOpened;
  int tornDecisions;
  final Map<AssetId, CatchUp> catchUps = new TreeMap<>();
  final Map<String, RiskItem> risks = new TreeMap<>();

  /** The ids of unexpired risk items by expiry, so a tick looks only at those due. */
  final NavigableMap<Instant, Set<String>> risksByExpiry = new TreeMap<>();

  final Map<String, ProcessEvent.NotificationQueued> pendingNotifications = new TreeMap<>();
  final Map<String, Integer> notificationFailures = new TreeMap<>();
  final Map<String, Instant> notificationRetryAt = new TreeMap<>();
  final Set<AdvisoryId> unprocessed = new TreeSet<>();

  /**
   * Per advisory whose last assessment pass was incomplete: the assets whose inventory it could not
   * read, the only ones its next pass reads. A new publication of the advisory clears it (the next
   * pass reads the whole fleet again).
   */
  final Map<AdvisoryId, Set<AssetId>> unreadInventory = new TreeMap<>();

  final Set<TrackingId> evidencePending = new TreeSet<>();
  final Map<TrackingId, List<Long>> seqsByRecord = new HashMap<>();
  final Map<String, Integer> entriesByType = new TreeMap<>();
  final Set<TrackingId> touched = new TreeSet<>();
  long nextSeq;

  /** The seq the latest journaled state snapshot covers (every entry below it); -1 if none. */
  long snapshotCovers = -1;

  /** Host remediation (issue 13): its own part of the state, changed only by host events. */
  final HostWork hosts = new HostWork();

  /** A publication the baseline takes: it is work (applicability runs again for it). */
  private void adopt(Advisory a) {
    advisories.put(a.id(), a);
    unprocessed.add(a.id());
    unreadInventory.remove(a.id());
  }

  /**
   * A live tracking record with an item for the VM, if any: its tenant and resolver group, as
   * journaled, stand in for a VM the inventory's list has not given since a restart.
   */
  Optional<TrackingRecord> anyRecordOf(AssetId vm) {
    return records.live().stream().filter(r -> r.items().containsKey(vm)).findFirst();
  }

  /** The latest publication of an advisory the engine has, waiting or not; null if none. */
  @Nullable Advisory latest(AdvisoryId id) {
    Advisory waiting = awaitingBaseline.get(id);
    return waiting != null ? waiting : advisories.get(id);
  }

  void apply(ProcessEvent event, Instant at, long seq) {
    nextSeq = seq + 1;
    entriesByType.merge(event.type(), 1, Integer::sum);
    event.record().ifPresent(r -> seqsByRecord.computeIfAbsent(r, k -> new ArrayList<>()).add(seq));
    // Java 17 has no pattern switch; the events that touch only records fall through to them.
    if (event instanceof AdvisoryPublished e) {
      // The subscription only publishes a version it has not seen, so every publication (new,
      // updated or withdrawn) is work: applicability runs again for what it names. Under a
      // pinned baseline, one modified after the pin waits for the baseline to move.
      Advisory a = e.advisory();
      if (baselineAsOf.isPresent() && a.modified().isAfter(baselineAsOf.get())) {
        awaitingBaseline.put(a.id(), a);
      } else {
        adopt(a);
      }
    } else if (event instanceof ProcessEvent.BaselinePinned e) {
      baselineAsOf = Optional.of(e.asOf());
      for (Advisory a : List.copyOf(awaitingBaseline.values())) {
        if (!a.modified().isAfter(e.asOf())) {
          awaitingBaseline.remove(a.id());
          adopt(a);
        }
      }
    } else if (event instanceof ProcessEvent.BaselineUnpinned) {
      baselineAsOf = Optional.empty();
      List.copyOf(awaitingBaseline.values()).forEach(this::adopt);
      awaitingBaseline.clear();
    } else if (event instanceof ProcessEvent.ApplicabilityMatched e) {
      unprocessed.remove(e.advisory());
      unreadInventory.remove(e.advisory());
    } else if (event instanceof EffectEvents.AssessmentIncomplete e) {
      unprocessed.add(e.advisory());
      unreadInventory.put(e.advisory(), new TreeSet<>(e.unread()));
    } else if (event instanceof ProcessEvent.AdvisoryWithdrawn e) {
      unprocessed.remove(e.advisory());
      unreadInventory.remove(e.advisory());
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
      confirm(EffectEvents.EffectKind.CLOSE_CHANGE, Optional.empty(), e.key());
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
    } else if (event instanceof EffectEvents.NotificationDeadLettered e) {
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
    } else if (event instanceof ProcessEvent.ItemsRequeued e) {
      // A requeued item leaves the wave it was planned into; it is planned anew.
      for (PlannedWave w : waves.values()) {
        for (ItemRef ref : e.items()) {
          List<ItemRef> refs = w.itemsByAsset.get(ref.asset());
          if (refs != null && refs.remove(ref) && refs.isEmpty()) {
            w.pending.remove(ref.asset());
          }
        }
      }
    } else if (event instanceof EffectEvents.PatchRequested e) {
      jobs.put(e.job(), new Job(e, at));
      e.waveId().map(waves::get).ifPresent(w -> w.pending.remove(e.vm()));
    } else if (event instanceof PatchStarted e) {
      Job job = jobs.get(e.job());
      if (job == null) { // a journal from before patch.requested
        job =
            new Job(
                new EffectEvents.PatchRequested(
                    e.job(),
                    e.vm(),
                    e.waveId(),
                    e.items(),
                    e.advisories(),
                    e.attempt(),
                    e.updates(),
                    Optional.of(e.snapshot())),
                at);
        jobs.put(e.job(), job);
      }
      job.started = e;
      job.failures = 0;
      job.retryAt = at;
      e.waveId().map(waves::get).ifPresent(w -> w.pending.remove(e.vm()));
      if (e.catchUp()) {
        CatchUp c = catchUps.get(e.vm());
        if (c != null) {
          c.attempts = e.attempt();
          c.snapshot = Optional.of(e.snapshot());
        }
      }
    } else if (event instanceof EffectEvents.PatchSubmitted e) {
      Job job = known(jobs, e.job());
      job.handle = Optional.of(e.handle());
      job.failures = 0;
      job.retryAt = at;
    } else if (event instanceof EffectEvents.JobCallFailed e) {
      Job job = known(jobs, e.job());
      job.failures++;
      job.retryAt = InFlight.backoff(at, job.failures);
    } else if (event instanceof EffectEvents.PatchUnknown e) {
      Job job = known(jobs, e.job());
      job.unknown = true;
      job.failures = 0;
      job.retryAt = at;
    } else if (event instanceof PatchApplied e) {
      // The job stays in flight until re-inventory has verified it: a crash before then resumes
      // the verification, and the VM takes no other job meanwhile.
      Job job = jobs.get(e.job());
      if (job != null) {
        job.outcome = Optional.of(e.outcome());
        job.failures = 0;
        job.retryAt = at;
      }
    } else if (event instanceof ProcessEvent.PatchVerified e) {
      jobs.values().removeIf(j -> j.request.vm().equals(e.vm()) && j.verifying());
    } else if (event instanceof PatchFailed e) {
      jobs.remove(e.job());
      e.waveId().map(waves::get).ifPresent(w -> w.pending.remove(e.vm()));
    } else if (event instanceof ProcessEvent.PatchDeferred e) {
      e.waveId().map(waves::get).ifPresent(w -> w.pending.remove(e.vm()));
    } else if (event instanceof RiskOpened e) {
      risks.put(e.risk().id(), e.risk());
      risksByExpiry.computeIfAbsent(e.risk().expires(), t -> new TreeSet<>()).add(e.risk().id());
      risksOpened++;
      CatchUp c = catchUps.get(e.risk().asset());
      if (c != null && e.risk().record().isEmpty() && e.risk().reason().startsWith("catch-up: ")) {
        c.givenUp = true;
      }
    } else if (event instanceof VmLifecycle e) {
      lifecycleCursor = e.cursor();
    } else if (event instanceof CatchUpHeld e) {
      catchUps.computeIfAbsent(e.vm(), vm -> new CatchUp(vm, e.reason())).held = true;
      confirm(EffectEvents.EffectKind.HOLD, Optional.of(e.vm()), "");
    } else if (event instanceof CatchUpReleased e) {
      catchUps.remove(e.vm());
      confirm(EffectEvents.EffectKind.RELEASE, Optional.of(e.vm()), "");
    } else if (event instanceof ProcessEvent.PatchRolledBack e) {
      confirm(EffectEvents.EffectKind.REVERT, Optional.of(e.vm()), e.snapshot());
    } else if (event instanceof EffectEvents.EffectRequested e) {
      effects.put(e.key(), new PendingEffect(e, at));
      if (e.effect() == EffectEvents.EffectKind.HOLD) {
        catchUps.putIfAbsent(e.vm().orElseThrow(), new CatchUp(e.vm().orElseThrow(), e.detail()));
      } else if (e.effect() == EffectEvents.EffectKind.CLOSE_CHANGE) {
        known(changes, e.subject()).closeRequested = true;
      }
    } else if (event instanceof EffectEvents.EffectFailed e) {
      PendingEffect p = known(effects, e.key());
      p.failures++;
      p.retryAt = InFlight.backoff(at, p.failures);
    } else if (event instanceof EffectEvents.EffectOverdue e) {
      known(effects, e.key()).overdue = true;
    } else if (event instanceof EffectEvents.WorkParked e) {
      int n = parkings.merge(e.subject(), 1, Integer::sum);
      // Parked advisory work is still to do (AssessmentStep.subject): assessed again when due.
      if (e.subject().startsWith("advisory ")) {
        AdvisoryId parked = AdvisoryId.of(e.subject().substring("advisory ".length()));
        if (advisories.containsKey(parked)) {
          unprocessed.add(parked);
        }
      }
      long minutes = Math.min(5L << Math.min(n - 1, 16), 6 * 60);
      parkedUntil.put(e.subject(), at.plus(java.time.Duration.ofMinutes(minutes)));
    } else if (event instanceof EffectEvents.ItemsOverdue e) {
      overdueNotified.add(e.id().value());
    } else if (event instanceof HostEvents e) {
      hosts.apply(e, at);
    } else if (event instanceof SnapshotEvents.StateSnapshotted e) {
      snapshotCovers = e.covers();
    } else if (event instanceof EffectEvents.RiskExpired e) {
      expiredRisks.add(e.riskId());
      RiskItem expired = risks.get(e.riskId());
      if (expired != null) {
        Set<String> due = risksByExpiry.get(expired.expires());
        if (due != null && due.remove(e.riskId()) && due.isEmpty()) {
          risksByExpiry.remove(expired.expires());
        }
      }
      CatchUp c = catchUps.get(e.vm());
      if (c != null && e.trackingId().isEmpty()) {
        c.givenUp = false; // the catch-up is tried again
        c.attempts = 0;
      }
    }
    applyToRecords(event, at);
  }

  private void applyToRecords(ProcessEvent event, Instant at) {
    if (event instanceof ProcessEvent.TrackingOpened e) {
      records.add(TrackingRecords.open(e, at));
      touched.add(e.id());
      return;
    }
    for (TrackingId id : TrackingRecords.affectedRecords(event)) {
      RecordBook.Page page = records.page(id);
      if (page == null) {
        throw new IllegalStateException(
            "event " + event.type() + " for tracking record " + id + " that was never opened");
      }
      if (TrackingRecords.apply(page, event, at)) {
        touched.add(id);
      }
    }
  }

  /** Removes the pending effect of this kind that a confirmation entry confirms. */
  private void confirm(EffectEvents.EffectKind kind, Optional<AssetId> vm, String subject) {
    effects
        .values()
        .removeIf(
            p ->
                p.request.effect() == kind
                    && p.request.vm().equals(vm)
                    && (subject.isEmpty() || p.request.subject().equals(subject)));
  }

  /** The patch jobs in flight now, from request to verification. */
  int inFlight() {
    return jobs.size();
  }

  /** Whether a job may still run on the VM: then no other may start. */
  boolean busy(AssetId vm) {
    return jobs.values().stream().anyMatch(j -> j.request.vm().equals(vm));
  }

  /** Whether a subject of host code is parked at {@code now}. */
  boolean parked(String subject, Instant now) {
    Instant until = parkedUntil.get(subject);
    return until != null && now.isBefore(until);
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
