package org.cloudpatch.core.process;

import java.util.Map;
import java.util.TreeMap;

/**
 * A deterministic text of everything the engine's state holds, so that a test can show the state
 * rebuilt from the journal alone equals the live one.
 */
final class StateFingerprint {
  private StateFingerprint() {}

  static String of(ProcessState s) {
    Map<String, Object> out = new TreeMap<>();
    out.put("advisories", s.advisories.keySet());
    out.put("baselineAsOf", s.baselineAsOf);
    out.put("awaitingBaseline", s.awaitingBaseline.keySet());
    out.put("assessments", s.assessments);
    out.put("feedCursors", s.feedCursors);
    out.put("lifecycleCursor", s.lifecycleCursor);
    out.put("records", s.records);
    out.put("risks", s.risks);
    out.put("risksOpened", s.risksOpened);
    out.put("expiredRisks", s.expiredRisks);
    out.put("unprocessed", s.unprocessed);
    out.put("evidencePending", s.evidencePending);
    out.put("pendingNotifications", s.pendingNotifications.keySet());
    out.put("notificationRetryAt", s.notificationRetryAt);
    out.put("parkedUntil", s.parkedUntil);
    out.put("overdueNotified", s.overdueNotified);
    out.put("entriesByType", s.entriesByType);
    out.put("nextSeq", s.nextSeq);
    Map<String, String> waves = new TreeMap<>();
    s.waves.forEach((id, w) -> waves.put(id, w.changeKey + " " + w.pending + " " + w.missed));
    out.put("waves", waves);
    Map<String, String> changes = new TreeMap<>();
    s.changes.forEach(
        (k, c) ->
            changes.put(k, c.id + " " + c.approval + " " + c.closeRequested + " " + c.closed));
    out.put("changes", changes);
    Map<String, String> jobs = new TreeMap<>();
    s.jobs.forEach(
        (k, j) ->
            jobs.put(
                k,
                j.request.vm()
                    + " started="
                    + (j.started != null)
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
                c.reason
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
    return out.toString();
  }
}
