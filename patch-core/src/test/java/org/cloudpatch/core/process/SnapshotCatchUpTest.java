package org.cloudpatch.core.process;

import static org.cloudpatch.core.process.EngineFixture.START;
import static org.cloudpatch.core.process.EngineFixture.advisory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.memory.GroundTruthChecks;
import org.cloudpatch.core.memory.InMemoryJournal;
import org.cloudpatch.core.memory.TruthEvent;
import org.cloudpatch.core.spi.JournalEntry;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: a snapshot records the patch level it holds, and a VM reverted to it is held, caught up
 * from what that level lacks, and released only when compliant, per the simulated cloud's own
 * truth.
 */
class SnapshotCatchUpTest {
  private static final AssetId VM1 = AssetId.of("vm-01");
  private static final AssetId VM2 = AssetId.of("vm-02");

  @Test
  void vmRevertedToASnapshotTakenBeforeItsPatches_isHeld_caughtUpFromWhatTheSnapshotLacks_released()
      throws Exception {
    EngineFixture f =
        new EngineFixture(
            0.0,
            2,
            InMemoryJournal.create(),
            Duration.ofMinutes(4),
            i -> List.of(InstalledPackage.of("openssl", "1"), InstalledPackage.of("libxml2", "1")));
    String before = f.cloud.snapshot(VM1, "before-any-patch");
    f.feed.publish(advisory("DSA-1", "openssl", "2", START.plus(Duration.ofHours(1))));
    PatchEngine engine = f.engine();
    f.run(engine, Duration.ofDays(2));
    // vm-02's snapshot is taken between the two patches: it holds DSA-1's fix, not DSA-2's.
    String between = f.cloud.snapshot(VM2, "after-the-first-patch");
    f.feed.publish(advisory("DSA-2", "libxml2", "2", f.clock.instant().plus(Duration.ofHours(1))));
    f.run(engine, Duration.ofDays(2));
    assertEquals(
        List.of(InstalledPackage.of("openssl", "2"), InstalledPackage.of("libxml2", "2")),
        f.cloud.installed(VM1),
        "both patched before the reverts");

    Instant revertedAt = f.clock.instant();
    f.cloud.revertToSnapshot(VM1, before);
    f.cloud.revertToSnapshot(VM2, between);
    f.run(engine, Duration.ofMinutes(5));
    assertTrue(f.cloud.isHeld(VM1) && f.cloud.isHeld(VM2), "both held at once");
    f.run(engine, Duration.ofHours(2));

    // What the journal says each snapshot lacked, computed from its recorded inventory.
    Map<String, JsonNode> behind = new java.util.TreeMap<>();
    for (JournalEntry e : f.journal.readAll()) {
      if (e.type().equals("catchup.snapshot-behind")) {
        behind.put(e.data().path("vm").asText(), e.data());
      }
    }
    assertEquals("[\"DSA-1\",\"DSA-2\"]", behind.get("vm-01").path("missing").toString());
    assertEquals("[\"DSA-2\"]", behind.get("vm-02").path("missing").toString());
    List<TruthEvent> truth = f.cloud.truth();
    Instant betweenTaken =
        truth.stream()
            .filter(
                t ->
                    t.event() == TruthEvent.Kind.SNAPSHOT_TAKEN
                        && t.snapshot().orElseThrow().equals(between))
            .findFirst()
            .orElseThrow()
            .at();
    assertEquals(betweenTaken.toString(), behind.get("vm-02").path("takenAt").asText());

    // Per the cloud's truth: held after the revert, released only once compliant again.
    assertFalse(f.cloud.isHeld(VM1) || f.cloud.isHeld(VM2), "both released");
    assertEquals(
        List.of(),
        GroundTruthChecks.releasedWhileNotCompliant(
            truth,
            (vm, at, installed) ->
                "2".equals(installed.get("openssl")) && "2".equals(installed.get("libxml2"))));
    for (AssetId vm : List.of(VM1, VM2)) {
      List<TruthEvent> after =
          truth.stream()
              .filter(t -> t.vm().equals(java.util.Optional.of(vm)) && !t.at().isBefore(revertedAt))
              .toList();
      List<TruthEvent.Kind> kinds = after.stream().map(TruthEvent::event).toList();
      assertEquals(TruthEvent.Kind.REVERTED, kinds.get(0), vm + ": " + kinds);
      assertTrue(kinds.indexOf(TruthEvent.Kind.HELD) > 0, vm + ": " + kinds);
      assertTrue(
          kinds.indexOf(TruthEvent.Kind.JOB_FINISHED) > kinds.indexOf(TruthEvent.Kind.HELD),
          vm + " caught up while held: " + kinds);
      assertEquals(
          TruthEvent.Kind.RELEASED, kinds.get(kinds.size() - 1), vm + " released last: " + kinds);
    }
    // vm-02 lacked only libxml2's fix: its catch-up job installs that and nothing else.
    List<String> vm2CatchUp =
        f.cloud.jobs().stream()
            .filter(j -> j.job().asset().equals(VM2) && !j.started().isBefore(revertedAt))
            .flatMap(j -> j.job().updates().stream())
            .map(u -> u.name() + " " + u.targetVersion())
            .toList();
    assertEquals(List.of("libxml2 2"), vm2CatchUp);
  }
}
