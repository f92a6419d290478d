package org.cloudpatch.core.process;

import static org.cloudpatch.core.process.EngineFixture.START;
import static org.cloudpatch.core.process.EngineFixture.advisory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.memory.InMemoryJournal;
import org.junit.jupiter.api.Test;

/**
 * A baseline pinned "as approved at T": a vendor revision that arrives in the middle of a rollout
 * waits, so every wave and every VM caught up after a revert installs the content approved; the
 * revision is worked on once the baseline moves. Checked against the simulated cloud's own record
 * of what each job installed.
 */
class BaselinePinTest {
  private static final int VMS = 8;
  private static final AssetId VM1 = AssetId.of("vm-01");
  private static final AdvisoryId DSA_61 = AdvisoryId.of("DSA-61");

  /** Eight VMs with openssl 1, two jobs at a time of 30 minutes each: a rollout of hours. */
  private static EngineFixture fleet() {
    return new EngineFixture(
        0.0,
        VMS,
        InMemoryJournal.create(),
        Duration.ofMinutes(30),
        i -> List.of(InstalledPackage.of("openssl", "1")));
  }

  @Test
  void pinnedBaseline_revisionMidRollout_waits_andEveryWaveAndCatchUpGetTheApprovedFix() {
    EngineFixture f = fleet();
    String userSnapshot = f.cloud.snapshot(VM1, "user-snapshot"); // openssl 1
    PatchEngine engine = f.engine();
    engine.pinBaseline(START, "CAB-1 approved DSA-61 as published");
    f.feed.publish(advisory("DSA-61", "openssl", "2", START));
    f.run(engine, Duration.ofHours(1));
    assertTrue(atVersion(f, "2") < VMS, "the revision must land mid-rollout: " + atVersion(f, "2"));

    // The vendor revises the fix while the rollout runs.
    Instant revised = f.clock.instant();
    f.feed.publish(advisory("DSA-61", "openssl", "3", revised));
    f.run(engine, Duration.ofDays(2));

    assertEquals(Map.of(DSA_61, revised), engine.awaitingBaseline());
    assertEquals(VMS, atVersion(f, "2"), "every wave got the approved fix, per the cloud");
    assertFalse(targeted(f, "3"), "no job installed the unapproved revision");

    // A VM reverted to its user's snapshot is caught up to the approved content too.
    f.cloud.revertToSnapshot(VM1, userSnapshot);
    f.run(engine, Duration.ofDays(1));
    assertEquals(List.of(InstalledPackage.of("openssl", "2")), f.cloud.installed(VM1));
    assertFalse(f.cloud.isHeld(VM1), "released once caught up");
    assertFalse(targeted(f, "3"));

    engine.unpinBaseline("CAB-2 approved the DSA-61 revision");
    f.run(engine, Duration.ofDays(3));

    assertEquals(Map.of(), engine.awaitingBaseline());
    assertEquals(VMS, atVersion(f, "3"), "the revision is worked on once the baseline moves");
    assertEquals(f.engine().stateFingerprint(), engine.stateFingerprint(), "replay = live");
    assertTrue(f.types().contains("baseline.pinned"));
    assertTrue(f.types().contains("baseline.unpinned"));
  }

  @Test
  void unpinnedBaseline_revisionMidRollout_raisesTheTargetOfLaterWaves() {
    // The same run without a pin: what the pin is for. Later waves install the revision while the
    // first ones run the approved fix, which a change approval did not cover.
    EngineFixture f = fleet();
    PatchEngine engine = f.engine();
    f.feed.publish(advisory("DSA-61", "openssl", "2", START));
    f.run(engine, Duration.ofHours(1));
    f.feed.publish(advisory("DSA-61", "openssl", "3", f.clock.instant()));
    f.run(engine, Duration.ofDays(2));

    assertTrue(targeted(f, "3"));
    assertEquals(Optional.empty(), engine.baselineAsOf());
  }

  @Test
  void publicationAfterThePin_waits_untilTheBaselineMovesPastIt_andThePinNeverMovesBack() {
    EngineFixture f = fleet();
    PatchEngine engine = f.engine();
    engine.pinBaseline(START, "CAB-1");
    Instant published = START.plus(Duration.ofHours(1));
    f.clock.advance(Duration.ofHours(1));
    f.feed.publish(advisory("DSA-62", "openssl", "2", published));
    f.run(engine, Duration.ofDays(1));

    assertEquals(Map.of(AdvisoryId.of("DSA-62"), published), engine.awaitingBaseline());
    assertTrue(engine.trackingRecords().isEmpty(), "nothing is worked on before approval");
    assertEquals(0, atVersion(f, "2"));
    assertThrows(
        IllegalArgumentException.class,
        () -> engine.pinBaseline(START.minus(Duration.ofHours(1)), "back in time"));

    engine.pinBaseline(published, "CAB-2 approved DSA-62");
    f.run(engine, Duration.ofDays(2));

    assertEquals(Optional.of(published), engine.baselineAsOf());
    assertEquals(Map.of(), engine.awaitingBaseline());
    assertEquals(VMS, atVersion(f, "2"));
    PatchEngine replayed = f.engine();
    assertEquals(engine.stateFingerprint(), replayed.stateFingerprint(), "replay = live");
    assertEquals(Optional.of(published), replayed.baselineAsOf());
  }

  private static long atVersion(EngineFixture f, String version) {
    long n = 0;
    for (int i = 1; i <= VMS; i++) {
      if (f.cloud.installed(vm(i)).contains(InstalledPackage.of("openssl", version))) {
        n++;
      }
    }
    return n;
  }

  private static boolean targeted(EngineFixture f, String version) {
    return f.cloud.jobs().stream()
        .flatMap(j -> j.job().updates().stream())
        .anyMatch(u -> u.targetVersion().equals(version));
  }

  private static AssetId vm(int i) {
    return AssetId.of(String.format("vm-%02d", i));
  }
}
