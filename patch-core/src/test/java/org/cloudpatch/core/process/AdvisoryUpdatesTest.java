package org.cloudpatch.core.process;

import static org.cloudpatch.core.process.EngineFixture.START;
import static org.cloudpatch.core.process.EngineFixture.advisory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.memory.InMemoryJournal;
import org.cloudpatch.core.process.TrackingItem.ItemState;
import org.cloudpatch.core.rollout.PackageUpdate;
import org.cloudpatch.core.rollout.PatchJob;
import org.junit.jupiter.api.Test;

/**
 * What a patch job targets is what the advisory names now, on the VM as it is now: an update that
 * raises a fix (as a DSA-NNNN-2 does after a regression) is new work, and a catch-up patches
 * packages that no tracking item names. Checked against the simulated cloud's installed packages.
 */
class AdvisoryUpdatesTest {
  private static final AssetId VM1 = AssetId.of("vm-01");

  @Test
  void updateRaisingTheFix_patchesEveryVmToTheNewFix_inNewRecordsForVerifiedItems() {
    EngineFixture f = new EngineFixture(0.0, 4);
    f.feed.publish(advisory("DSA-61", "openssl", "2", START));
    PatchEngine engine = f.engine();
    f.run(engine, Duration.ofDays(2));
    for (int i = 1; i <= 4; i++) {
      assertEquals(List.of(InstalledPackage.of("openssl", "2")), f.cloud.installed(vm(i)));
    }
    List<TrackingRecord> before = engine.trackingRecords();

    // The fix of openssl 2 regressed; the vendor's update names 3.
    f.feed.publish(advisory("DSA-61", "openssl", "3", START.plus(Duration.ofDays(2))));
    f.run(engine, Duration.ofDays(3));

    for (int i = 1; i <= 4; i++) {
      assertEquals(
          List.of(InstalledPackage.of("openssl", "3")),
          f.cloud.installed(vm(i)),
          vm(i) + " per the cloud's own record");
    }
    assertFalse(f.types().contains("patch.failed"), "no job targeted the superseded fix");
    List<TrackingRecord> after = engine.trackingRecords();
    assertEquals(2 * before.size(), after.size(), "the verified records keep their evidence");
    for (TrackingRecord r : before) {
      TrackingRecord kept = after.stream().filter(a -> a.id().equals(r.id())).findFirst().get();
      kept.items().values().forEach(i -> assertEquals("openssl 2", i.verifiedVersion().get()));
    }
    for (TrackingRecord r : after) {
      assertEquals(TrackingRecord.Status.CLOSED, r.status(), r.id().value());
      r.items().values().forEach(i -> assertEquals(ItemState.VERIFIED, i.state()));
    }
  }

  @Test
  void revertedVm_isCaughtUpOnAPackageNoItemNames() {
    EngineFixture f =
        new EngineFixture(
            0.0,
            3,
            InMemoryJournal.create(),
            Duration.ofMinutes(4),
            i -> List.of(InstalledPackage.of("openssl", "1"), InstalledPackage.of("zlib", "1")));
    // vm-01's user snapshots it, then updates zlib by hand before the advisory comes out: the
    // assessment finds vm-01 not affected, so no tracking item names it.
    String userSnapshot = f.cloud.snapshot(VM1, "user-snapshot");
    f.cloud.submit(
        PatchJob.builder()
            .key("by-hand")
            .asset(VM1)
            .addUpdates(PackageUpdate.of("zlib", "2"))
            .build());
    PatchEngine engine = f.engine();
    f.run(engine, Duration.ofHours(1));
    f.feed.publish(advisory("DSA-60", "zlib", "2", START.plus(Duration.ofHours(1))));
    f.run(engine, Duration.ofDays(2));
    assertTrue(
        engine.trackingRecords().stream().noneMatch(r -> r.items().containsKey(VM1)),
        "vm-01 was not affected when assessed");

    f.cloud.revertToSnapshot(VM1, userSnapshot); // zlib 1 again
    f.run(engine, Duration.ofDays(1));

    assertTrue(
        f.cloud.installed(VM1).contains(InstalledPackage.of("zlib", "2")),
        "caught up per the cloud: " + f.cloud.installed(VM1));
    assertFalse(f.cloud.isHeld(VM1), "released once compliant");
    assertTrue(engine.riskItems().isEmpty(), engine.riskItems().toString());
    assertFalse(f.types().contains("patch.failed"));
  }

  private static AssetId vm(int i) {
    return AssetId.of(String.format("vm-%02d", i));
  }
}
