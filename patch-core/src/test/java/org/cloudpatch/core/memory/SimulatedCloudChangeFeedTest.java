package org.cloudpatch.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.rollout.PackageUpdate;
import org.cloudpatch.core.rollout.PatchJob;
import org.cloudpatch.core.spi.InventoryChanges;
import org.junit.jupiter.api.Test;

/** The simulated cloud's inventory change feed and its seeded faults. */
class SimulatedCloudChangeFeedTest {
  private static final Instant T0 = Instant.parse("2026-02-01T00:00:00Z");
  private static final AssetId VM1 = AssetId.of("vm-1");
  private static final AssetId VM2 = AssetId.of("vm-2");

  private static SimulatedCloud cloud(VirtualClock clock, long seed, FaultPlan faults) {
    SimulatedCloud c =
        SimulatedCloud.builder()
            .clock(clock)
            .seed(seed)
            .failureRate(0)
            .jobDuration(Duration.ofMinutes(5), Duration.ofMinutes(5))
            .faults(faults)
            .build();
    c.addHost(HostId.of("h1"), 16);
    c.addVm(SimulatedCloudTest.vm("vm-1", "h1"), 1, List.of(InstalledPackage.of("openssl", "1")));
    return c;
  }

  @Test
  void changes_nameEveryInventoryChangeTheCloudMakes_byKind() {
    VirtualClock clock = VirtualClock.at(T0);
    SimulatedCloud c = cloud(clock, 1, FaultPlan.none());
    InventoryChanges start = c.changes(Optional.empty());
    assertEquals(Set.of(), start.touched());
    String snap = c.reliable().snapshot(VM1, "s");
    c.addVm(SimulatedCloudTest.vm("vm-2", "h1"), 1, List.of());
    InventoryChanges added = c.changes(start.next());
    assertEquals(Set.of(VM2), added.added(), "a VM added");
    assertEquals(Set.of(), added.changed(), "a snapshot changes nothing installed");

    c.reliable()
        .submit(
            PatchJob.builder()
                .key("j")
                .asset(VM1)
                .addUpdates(PackageUpdate.of("openssl", "2"))
                .build());
    InventoryChanges running = c.changes(added.next());
    assertEquals(Set.of(), running.touched(), "nothing changed while the job runs");
    clock.advance(Duration.ofMinutes(6));
    InventoryChanges landed = c.changes(running.next());
    assertEquals(Set.of(VM1), landed.changed(), "the patch landed when the job ended");

    c.revertToSnapshot(VM1, snap);
    InventoryChanges reverted = c.changes(landed.next());
    assertEquals(Set.of(VM1), reverted.changed(), "a revert");

    c.decommission(VM2);
    InventoryChanges removed = c.changes(reverted.next());
    assertEquals(Set.of(VM2), removed.removed(), "a VM decommissioned");
    assertEquals(Set.of(VM1, VM2), c.changes(start.next()).touched(), "again from the start");
  }

  @Test
  void forgottenLog_expiresEveryEarlierCursor_notLaterOnes() {
    SimulatedCloud c = cloud(VirtualClock.at(T0), 1, FaultPlan.none());
    InventoryChanges start = c.changes(Optional.empty());
    c.addVm(SimulatedCloudTest.vm("vm-2", "h1"), 1, List.of());
    c.forgetChanges();
    assertEquals(
        Optional.of(InventoryChanges.CannotVouch.CURSOR_EXPIRED),
        c.changes(start.next()).cannotVouch());
    InventoryChanges again = c.changes(Optional.empty());
    assertTrue(c.changes(again.next()).vouched(), "a cursor given after the forgetting");
    assertEquals(
        Optional.of(InventoryChanges.CannotVouch.CURSOR_EXPIRED),
        c.changes(Optional.of("not-a-cursor")).cannotVouch());
  }

  /** What 60 calls of the feed answered: ok, failed or expired. */
  private static List<String> outcomes(long seed, FaultPlan faults) {
    SimulatedCloud c = cloud(VirtualClock.at(T0), seed, faults);
    List<String> out = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    for (int i = 0; i < 60; i++) {
      try {
        InventoryChanges answer = c.changes(cursor);
        out.add(answer.vouched() ? "ok" : "expired");
        cursor = answer.vouched() ? answer.next() : Optional.empty();
      } catch (PatchException e) {
        out.add("failed");
      }
    }
    return out;
  }

  @Test
  void feedFaults_areDrawnFromTheSeed() {
    FaultPlan faults = FaultPlan.builder().changeFeedFailure(0.2).changeFeedExpired(0.2).build();
    List<String> first = outcomes(7, faults);
    assertEquals(first, outcomes(7, faults), "the same seed, the same answers");
    assertTrue(first.contains("failed") && first.contains("expired") && first.contains("ok"));
    assertNotEquals(first, outcomes(8, faults), "another seed, other answers");
    assertEquals(List.of("ok"), outcomes(7, FaultPlan.none()).stream().distinct().toList());
  }

  @Test
  void feedCalls_leaveTheFaultsOfOtherCallsAsTheyWere() {
    FaultPlan faults = FaultPlan.uniform(0.3);
    List<String> without = new ArrayList<>();
    List<String> with = new ArrayList<>();
    for (List<String> out : List.of(without, with)) {
      SimulatedCloud c = cloud(VirtualClock.at(T0), 3, faults);
      for (int i = 0; i < 40; i++) {
        if (out == with) {
          try {
            c.changes(Optional.empty());
          } catch (PatchException e) {
            // a feed fault: drawn from its own key
          }
        }
        try {
          out.add(c.inventory(VM1).isPresent() ? "read" : "empty");
        } catch (PatchException e) {
          out.add("failed");
        }
      }
    }
    assertTrue(without.contains("failed"), "faults were drawn: " + without);
    assertEquals(without, with);
  }
}
