package org.cloudpatch.core.process;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.ChangeId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.process.HostEvents.HostEffectRequested;
import org.cloudpatch.core.process.HostEvents.Migration;
import org.cloudpatch.core.process.InFlight.CatchUp;
import org.cloudpatch.core.process.InFlight.ChangeState;
import org.cloudpatch.core.process.InFlight.Job;
import org.cloudpatch.core.process.InFlight.PendingEffect;
import org.cloudpatch.core.process.InFlight.PlannedWave;
import org.cloudpatch.core.process.ProcessEvent.ItemRef;
import org.cloudpatch.core.process.ProcessEvent.NotificationQueued;
import org.cloudpatch.core.process.ProcessEvent.PatchStarted;
import org.cloudpatch.core.rollout.ChangeRequest;
import org.cloudpatch.core.rollout.PatchOutcome;
import org.cloudpatch.core.rollout.Wave;
import org.cloudpatch.core.severity.Assessment;

/**
 * Every field of a {@link ProcessState} as plain values, the form {@link StateCodec} writes: what
 * replay rebuilds, counters and work lists included, nothing derived from outside the journal. The
 * engine's mutable parts (waves, jobs, effects, catch-ups, host rounds) become records of their
 * fields; events and domain values are kept as the journal writes them. Lists and maps are in the
 * state's own (sorted, or for a record's items, insertion) order, so one state gives one image.
 */
record StateImage(
    int format,
    long covers,
    List<Advisory> advisories,
    Optional<Instant> baselineAsOf,
    List<Advisory> awaitingBaseline,
    List<Assessment> assessments,
    Map<String, Optional<String>> feedCursors,
    Optional<String> lifecycleCursor,
    List<TrackingRecord> records,
    List<WaveImage> waves,
    List<ChangeImage> changes,
    List<JobImage> jobs,
    List<EffectImage> effects,
    Map<String, Instant> parkedUntil,
    Map<String, Integer> parkings,
    List<String> overdueNotified,
    List<String> expiredRisks,
    int risksOpened,
    int tornDecisions,
    List<CatchUpImage> catchUps,
    List<RiskItem> risks,
    List<ExpiryImage> risksByExpiry,
    List<NotificationQueued> pendingNotifications,
    Map<String, Integer> notificationFailures,
    Map<String, Instant> notificationRetryAt,
    List<AdvisoryId> unprocessed,
    Map<AdvisoryId, List<AssetId>> unreadInventory,
    List<TrackingId> evidencePending,
    Map<TrackingId, List<Long>> seqsByRecord,
    Map<String, Integer> entriesByType,
    List<TrackingId> touched,
    long nextSeq,
    long snapshotCovers,
    HostImage hosts) {

  /** The image format this code writes and reads; another is refused. */
  static final int FORMAT = 1;

  record WaveImage(
      String id,
      Wave wave,
      String changeKey,
      Map<AssetId, List<ItemRef>> itemsByAsset,
      List<AssetId> pending,
      boolean missed) {}

  record ChangeImage(
      String key,
      ChangeRequest request,
      Optional<ChangeId> id,
      ChangeRequest.Approval approval,
      boolean closeRequested,
      boolean closed) {}

  record JobImage(
      String key,
      EffectEvents.PatchRequested request,
      Instant requestedAt,
      Optional<PatchStarted> started,
      Optional<String> handle,
      Optional<PatchOutcome> outcome,
      boolean unknown,
      int failures,
      Instant retryAt) {}

  record EffectImage(
      String key,
      EffectEvents.EffectRequested request,
      int failures,
      Instant retryAt,
      boolean overdue) {}

  record CatchUpImage(
      AssetId asset,
      String reason,
      boolean held,
      int attempts,
      Optional<String> snapshot,
      boolean givenUp) {}

  record ExpiryImage(Instant at, List<String> risks) {}

  record HostImage(
      Map<HostId, HostWork.Pending> pending,
      String round,
      List<InRoundImage> roundHosts,
      List<Migration> migrations,
      int nextMigration,
      List<HostEffectImage> effects,
      List<HostId> maintenance,
      List<HostId> remediated,
      Map<HostId, String> skipped,
      Map<HostId, String> unverified,
      int rounds) {}

  record InRoundImage(
      HostId host,
      String reason,
      int abandoned,
      int drains,
      HostWork.Phase phase,
      boolean patched,
      boolean leaving,
      boolean levelRead,
      Optional<String> levelBefore,
      boolean verified) {}

  record HostEffectImage(String key, HostEffectRequested request, int failures, Instant retryAt) {}

  /** The image of a state: every entry below {@code s.nextSeq} applied. */
  static StateImage of(ProcessState s) {
    List<WaveImage> waves = new ArrayList<>();
    s.waves.forEach(
        (id, w) ->
            waves.add(
                new WaveImage(
                    id,
                    w.wave,
                    w.changeKey,
                    copy(w.itemsByAsset),
                    List.copyOf(w.pending),
                    w.missed)));
    List<ChangeImage> changes = new ArrayList<>();
    s.changes.forEach(
        (k, c) ->
            changes.add(
                new ChangeImage(k, c.request, c.id, c.approval, c.closeRequested, c.closed)));
    List<JobImage> jobs = new ArrayList<>();
    s.jobs.forEach(
        (k, j) ->
            jobs.add(
                new JobImage(
                    k,
                    j.request,
                    j.requestedAt,
                    Optional.ofNullable(j.started),
                    j.handle,
                    j.outcome,
                    j.unknown,
                    j.failures,
                    j.retryAt)));
    List<EffectImage> effects = new ArrayList<>();
    s.effects.forEach(
        (k, p) -> effects.add(new EffectImage(k, p.request, p.failures, p.retryAt, p.overdue)));
    List<CatchUpImage> catchUps = new ArrayList<>();
    s.catchUps.forEach(
        (vm, c) ->
            catchUps.add(
                new CatchUpImage(c.asset, c.reason, c.held, c.attempts, c.snapshot, c.givenUp)));
    List<ExpiryImage> expiries = new ArrayList<>();
    s.risksByExpiry.forEach((at, ids) -> expiries.add(new ExpiryImage(at, List.copyOf(ids))));
    Map<AdvisoryId, List<AssetId>> unread = new TreeMap<>();
    s.unreadInventory.forEach((a, vms) -> unread.put(a, List.copyOf(vms)));
    Map<TrackingId, List<Long>> seqs = new TreeMap<>();
    s.seqsByRecord.forEach((r, l) -> seqs.put(r, List.copyOf(l)));
    return new StateImage(
        FORMAT,
        s.nextSeq,
        List.copyOf(s.advisories.values()),
        s.baselineAsOf,
        List.copyOf(s.awaitingBaseline.values()),
        List.copyOf(s.assessments.values()),
        new TreeMap<>(s.feedCursors),
        s.lifecycleCursor,
        List.copyOf(s.records.values()),
        waves,
        changes,
        jobs,
        effects,
        new TreeMap<>(s.parkedUntil),
        new TreeMap<>(s.parkings),
        List.copyOf(s.overdueNotified),
        List.copyOf(s.expiredRisks),
        s.risksOpened,
        s.tornDecisions,
        catchUps,
        List.copyOf(s.risks.values()),
        expiries,
        List.copyOf(s.pendingNotifications.values()),
        new TreeMap<>(s.notificationFailures),
        new TreeMap<>(s.notificationRetryAt),
        List.copyOf(s.unprocessed),
        unread,
        List.copyOf(s.evidencePending),
        seqs,
        new TreeMap<>(s.entriesByType),
        List.copyOf(s.touched),
        s.nextSeq,
        s.snapshotCovers,
        HostImages.of(s.hosts));
  }

  private static Map<AssetId, List<ItemRef>> copy(Map<AssetId, List<ItemRef>> in) {
    Map<AssetId, List<ItemRef>> out = new TreeMap<>();
    in.forEach((k, v) -> out.put(k, List.copyOf(v)));
    return out;
  }

  /** A new state holding exactly this image. */
  ProcessState toState() {
    ProcessState s = new ProcessState();
    advisories.forEach(a -> s.advisories.put(a.id(), a));
    s.baselineAsOf = baselineAsOf;
    awaitingBaseline.forEach(a -> s.awaitingBaseline.put(a.id(), a));
    assessments.forEach(a -> s.assessments.put(a.advisory(), a));
    s.feedCursors.putAll(feedCursors);
    s.lifecycleCursor = lifecycleCursor;
    records.forEach(r -> s.records.add(new RecordBook.Page(r)));
    for (WaveImage w : waves) {
      PlannedWave p = new PlannedWave(w.id(), w.wave(), w.changeKey(), List.of());
      w.itemsByAsset().forEach((a, refs) -> p.itemsByAsset.put(a, new ArrayList<>(refs)));
      p.pending.addAll(w.pending());
      p.missed = w.missed();
      s.waves.put(w.id(), p);
    }
    for (ChangeImage c : changes) {
      ChangeState state = new ChangeState(c.request());
      state.id = c.id();
      state.approval = c.approval();
      state.closeRequested = c.closeRequested();
      state.closed = c.closed();
      s.changes.put(c.key(), state);
    }
    for (JobImage j : jobs) {
      Job job = new Job(j.request(), j.requestedAt());
      job.started = j.started().orElse(null);
      job.handle = j.handle();
      job.outcome = j.outcome();
      job.unknown = j.unknown();
      job.failures = j.failures();
      job.retryAt = j.retryAt();
      s.jobs.put(j.key(), job);
    }
    for (EffectImage e : effects) {
      PendingEffect p = new PendingEffect(e.request(), e.retryAt());
      p.failures = e.failures();
      p.overdue = e.overdue();
      s.effects.put(e.key(), p);
    }
    s.parkedUntil.putAll(parkedUntil);
    s.parkings.putAll(parkings);
    s.overdueNotified.addAll(overdueNotified);
    s.expiredRisks.addAll(expiredRisks);
    s.risksOpened = risksOpened;
    s.tornDecisions = tornDecisions;
    for (CatchUpImage c : catchUps) {
      CatchUp catchUp = new CatchUp(c.asset(), c.reason());
      catchUp.held = c.held();
      catchUp.attempts = c.attempts();
      catchUp.snapshot = c.snapshot();
      catchUp.givenUp = c.givenUp();
      s.catchUps.put(c.asset(), catchUp);
    }
    risks.forEach(r -> s.risks.put(r.id(), r));
    risksByExpiry.forEach(e -> s.risksByExpiry.put(e.at(), new TreeSet<>(e.risks())));
    pendingNotifications.forEach(n -> s.pendingNotifications.put(n.key(), n));
    s.notificationFailures.putAll(notificationFailures);
    s.notificationRetryAt.putAll(notificationRetryAt);
    s.unprocessed.addAll(unprocessed);
    unreadInventory.forEach((a, vms) -> s.unreadInventory.put(a, new TreeSet<>(vms)));
    s.evidencePending.addAll(evidencePending);
    seqsByRecord.forEach((r, l) -> s.seqsByRecord.put(r, new ArrayList<>(l)));
    s.entriesByType.putAll(entriesByType);
    s.touched.addAll(touched);
    s.nextSeq = nextSeq;
    s.snapshotCovers = snapshotCovers;
    HostImages.into(hosts, s.hosts);
    return s;
  }
}
