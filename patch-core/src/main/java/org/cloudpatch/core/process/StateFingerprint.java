package org.cloudpatch.core.process;

import java.util.Map;
import java.util.TreeMap;

/**
 * A deterministic text of everything the engine's state holds, so that a test can show the state
 * rebuilt from the journal alone, or from a snapshot image and the journal's tail, equals the live
 * one; a snapshot's entry carries its hash, so an image that decodes to another state is refused.
 *
 * <p>One field is left out on purpose: {@link ProcessState#touched}, the records changed since the
 * last settling. It is a work list, not a fact: a full replay rebuilds every record ever touched,
 * the live engine only those since its last tick, and settling reads both alike (a record that is
 * not open, or not settled, is passed over).
 */
final class StateFingerprint {
  private StateFingerprint() {}

  static String of(ProcessState s) {
    Map<String, Object> out = new TreeMap<>();
    out.put("advisories", s.advisories);
    out.put("baselineAsOf", s.baselineAsOf);
    out.put("awaitingBaseline", s.awaitingBaseline);
    out.put("assessments", s.assessments);
    out.put("feedCursors", s.feedCursors);
    out.put("lifecycleCursor", s.lifecycleCursor);
    out.put("records", s.records);
    out.put("risks", s.risks);
    out.put("risksOpened", s.risksOpened);
    out.put("expiredRisks", s.expiredRisks);
    out.put("unprocessed", s.unprocessed);
    out.put("evidencePending", s.evidencePending);
    out.put("pendingNotifications", s.pendingNotifications);
    out.put("notificationFailures", s.notificationFailures);
    out.put("parkings", s.parkings);
    out.put("tornDecisions", s.tornDecisions);
    out.put("unreadInventory", s.unreadInventory);
    out.put("seqsByRecord", new TreeMap<>(s.seqsByRecord));
    out.put("risksByExpiry", s.risksByExpiry);
    out.put("notificationRetryAt", s.notificationRetryAt);
    out.put("parkedUntil", s.parkedUntil);
    out.put("overdueNotified", s.overdueNotified);
    out.put("entriesByType", s.entriesByType);
    out.put("nextSeq", s.nextSeq);
    out.put("snapshotCovers", s.snapshotCovers);
    Map<String, String> waves = new TreeMap<>();
    s.waves.forEach(
        (id, w) ->
            waves.put(
                id,
                w.wave
                    + " "
                    + w.changeKey
                    + " "
                    + w.itemsByAsset
                    + " "
                    + w.pending
                    + " "
                    + w.missed));
    out.put("waves", waves);
    Map<String, String> changes = new TreeMap<>();
    s.changes.forEach(
        (k, c) ->
            changes.put(
                k,
                c.request
                    + " "
                    + c.id
                    + " "
                    + c.approval
                    + " "
                    + c.closeRequested
                    + " "
                    + c.closed));
    out.put("changes", changes);
    Map<String, String> jobs = new TreeMap<>();
    s.jobs.forEach(
        (k, j) ->
            jobs.put(
                k,
                j.request
                    + " at="
                    + j.requestedAt
                    + " started="
                    + j.started
                    + " handle="
                    + j.handle
                    + " outcome="
                    + j.outcome
                    + " unknown="
                    + j.unknown
                    + " failures="
                    + j.failures
                    + " retryAt="
                    + j.retryAt));
    out.put("jobs", jobs);
    Map<String, String> effects = new TreeMap<>();
    s.effects.forEach(
        (k, p) -> effects.put(k, p.request + " " + p.failures + " " + p.retryAt + " " + p.overdue));
    out.put("effects", effects);
    Map<String, String> catchUps = new TreeMap<>();
    s.catchUps.forEach(
        (vm, c) ->
            catchUps.put(
                vm.value(),
                c.asset
                    + " "
                    + c.reason
                    + " held="
                    + c.held
                    + " "
                    + c.attempts
                    + " "
                    + c.snapshot
                    + " "
                    + c.givenUp));
    out.put("catchUps", catchUps);
    out.put("hosts", s.hosts.fingerprint());
    Map<String, String> roundReasons = new TreeMap<>();
    s.hosts.roundHosts.forEach((h, r) -> roundReasons.put(h.value(), r.host + " " + r.reason));
    out.put("hostRoundReasons", roundReasons);
    return out.toString();
  }
}
