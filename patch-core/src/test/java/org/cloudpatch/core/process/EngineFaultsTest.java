package org.cloudpatch.core.process;

import static org.cloudpatch.core.process.EngineFixture.START;
import static org.cloudpatch.core.process.EngineFixture.advisory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.memory.SimulatedCloud;
import org.cloudpatch.core.process.TrackingItem.ItemState;
import org.cloudpatch.core.spi.JournalEntry;
import org.junit.jupiter.api.Test;

/**
 * Findings 1, 2, 5 and 6 of issue 9: adapter faults. Each is checked against the simulated cloud's
 * own records (holds, jobs, installed packages), not only against the journal.
 */
class EngineFaultsTest {
  private static final AssetId SLEEPER = AssetId.of("vm-03");
  private static final List<InstalledPackage> FIXED = List.of(InstalledPackage.of("openssl", "2"));

  /** A VM resumed after two days asleep, with an advisory published while it slept. */
  private static PatchEngine sleeperResumes(EngineFixture f) {
    f.cloud.suspend(SLEEPER);
    f.feed.publish(advisory("DSA-7", "openssl", "2", START.plus(Duration.ofHours(1))));
    PatchEngine engine = f.engine();
    f.run(engine, Duration.ofDays(2));
    f.cloud.resume(SLEEPER);
    return engine;
  }

  @Test
  void transientHoldFailure_isRetriedAndNeverJournaledAsHeld() {
    EngineFixture f = new EngineFixture(0.0, 3);
    Faulty faulty = Faulty.around(f).fail("hold", 2);
    PatchEngine engine = sleeperResumes(f);

    f.run(engine, Duration.ofMinutes(5));
    assertFalse(f.cloud.isHeld(SLEEPER), "the hypervisor said 503 twice");
    assertFalse(f.types().contains("catchup.held"), "never journaled as held before it was");
    assertTrue(engine.holdsNotConfirmed().contains(SLEEPER), "reported as not confirmed");
    assertFalse(engine.heldForCatchUp().contains(SLEEPER));

    f.run(engine, Duration.ofHours(3));
    List<SimulatedCloud.HoldChange> truth = f.cloud.holdChanges();
    assertEquals(2, truth.size(), "held once, released once: " + truth);
    assertTrue(truth.get(0).held());
    assertFalse(truth.get(1).held());
    assertEquals(FIXED, truth.get(1).installed(), "released only once compliant");
    assertEquals(3, faulty.count("hold"), "retried under its key until confirmed");
    Instant heldAt = entryAt(f, "catchup.held");
    assertFalse(heldAt.isBefore(truth.get(0).at()), "journaled held only after the real hold");
    assertTrue(entryAt(f, "catchup.released").compareTo(truth.get(1).at()) >= 0);
  }

  @Test
  void lostReleaseReply_isConfirmedByItsKey_releasedExactlyOnce() {
    EngineFixture f = new EngineFixture(0.0, 3);
    Faulty faulty = Faulty.around(f).loseReply("release", 1);
    PatchEngine engine = sleeperResumes(f);

    f.run(engine, Duration.ofHours(3));
    assertTrue(f.types().contains("release.failed"), "the lost reply is journaled as failed");
    assertEquals(2, faulty.count("release"), "repeated under the same key");
    assertEquals(2, f.cloud.holdChanges().size(), "the repeat did nothing more");
    assertFalse(f.cloud.isHeld(SLEEPER));
    assertTrue(engine.pendingEffects().isEmpty(), engine.pendingEffects().toString());
  }

  @Test
  void holdNeverConfirmed_escalatesAtItsDeadline_andTheVmIsNeverReleased() {
    EngineFixture f = new EngineFixture(0.0, 3);
    Faulty.around(f).fail("hold", 1_000);
    PatchEngine engine = sleeperResumes(f);

    f.run(engine, Duration.ofHours(6));
    assertTrue(f.types().contains("hold.overdue"));
    assertTrue(
        engine.riskItems().stream()
            .anyMatch(
                r -> r.asset().equals(SLEEPER) && r.reason().contains("hold is not confirmed")),
        engine.riskItems().toString());
    assertTrue(engine.holdsNotConfirmed().contains(SLEEPER));
    assertFalse(f.types().contains("catchup.held"));
    assertFalse(f.types().contains("catchup.released"), "never a silent success");
    assertTrue(f.cloud.holdChanges().isEmpty());
  }

  @Test
  void riskOpenedAfterARestart_whoseFleetCannotBeRead_isOwnedByTheVmsResolverGroup_notOps() {
    EngineFixture f = new EngineFixture(0.0, 3);
    Faulty faulty = Faulty.around(f).fail("hold", 1_000);
    sleeperResumes(f);
    PatchEngine restarted = f.engine();
    faulty.fail("assets", 100_000);

    f.run(restarted, Duration.ofHours(6));

    RiskItem risk =
        restarted.riskItems().stream()
            .filter(r -> r.asset().equals(SLEEPER) && r.reason().contains("hold is not confirmed"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(restarted.riskItems().toString()));
    assertEquals("db", risk.owner(), "vm-03's team:db tag, as its tracking items journaled it");
  }

  @Test
  void failedPoll_keepsJobInFlight_noSecondJob() {
    EngineFixture f = new EngineFixture(0.0, 4);
    Faulty.around(f).fail("poll", 3);
    f.feed.publish(advisory("DSA-30", "openssl", "2", START.plus(Duration.ofHours(1))));
    PatchEngine engine = f.engine();
    f.run(engine, Duration.ofDays(2));

    assertEquals(3, f.types().stream().filter("patch.poll.failed"::equals).count());
    assertFalse(f.types().contains("patch.failed"), "a failed poll is not a failed patch");
    assertOneJobPerVmAndAllFixed(f, 4);
    engine.trackingRecords().forEach(r -> assertEquals(TrackingRecord.Status.CLOSED, r.status()));
  }

  @Test
  void advisoryAfterARestart_whoseFleetCannotBeRead_waits_neverMatchedAgainstNoAssets() {
    // Found by demo --faults 0.05 --restarts 20: an engine rebuilt from its journal knows no
    // asset until the inventory answers; its first assets() read failed and the advisory was
    // matched against the empty list: "0 assessed, 0 affected", 208 affected VMs never tracked.
    EngineFixture f = new EngineFixture(0.0, 4);
    Faulty faulty = Faulty.around(f);
    f.run(f.engine(), Duration.ofHours(1));
    PatchEngine restarted = f.engine();
    faulty.fail("assets", 2);
    f.feed.publish(advisory("DSA-32", "openssl", "2", f.clock.instant()));
    f.run(restarted, Duration.ofDays(2));

    List<JournalEntry> matched = entries(f, "applicability.matched");
    assertEquals(1, matched.size(), matched.toString());
    assertEquals(4, matched.get(0).data().get("assetsAssessed").asInt(), matched.toString());
    assertEquals(4, matched.get(0).data().get("affected").asInt(), matched.toString());
    assertOneJobPerVmAndAllFixed(f, 4);
  }

  @Test
  void lifecycleEventAfterARestart_whoseFleetCannotBeRead_isJournaledWithItsTenant() {
    // The VM is held at once all the same: catch-up does not wait for the inventory's list.
    EngineFixture f = new EngineFixture(0.0, 4);
    Faulty faulty = Faulty.around(f);
    f.feed.publish(advisory("DSA-33", "openssl", "2", f.clock.instant()));
    f.run(f.engine(), Duration.ofDays(2));
    PatchEngine restarted = f.engine();
    faulty.fail("assets", 100_000);
    f.cloud.suspend(AssetId.of("vm-01"));
    f.run(restarted, Duration.ofHours(1));

    List<JournalEntry> suspended = entries(f, "vm.suspended");
    assertEquals(1, suspended.size(), suspended.toString());
    assertEquals(
        f.cloud.reliable().assets().stream()
            .filter(a -> a.id().equals(AssetId.of("vm-01")))
            .map(a -> a.tenant())
            .findFirst(),
        suspended.get(0).tenant(),
        suspended.toString());
  }

  @Test
  void failedReinventory_isRetried_notAFailedAttempt() {
    EngineFixture f = new EngineFixture(0.0, 2);
    Faulty faulty = Faulty.around(f);
    f.feed.publish(advisory("DSA-31", "openssl", "2", START.plus(Duration.ofHours(1))));
    PatchEngine engine = f.engine();
    // Until the jobs are submitted, the inventory works; then vm-01's agent is down for two hours.
    f.run(engine, Duration.ofHours(2).plusMinutes(5));
    faulty.inventoryDown.add(AssetId.of("vm-01"));
    f.run(engine, Duration.ofHours(2));
    assertTrue(f.types().contains("patch.verify.failed"));
    assertEquals(1, engine.trackingRecords().stream().filter(r -> !r.allItemsSettled()).count());
    faulty.inventoryDown.clear();
    f.run(engine, Duration.ofDays(1));

    assertFalse(f.types().contains("patch.failed"), "a failed re-inventory is not a failed patch");
    assertFalse(f.types().contains("patch.rolledback"));
    assertOneJobPerVmAndAllFixed(f, 2);
    engine.trackingRecords().forEach(r -> assertEquals(TrackingRecord.Status.CLOSED, r.status()));
  }

  @Test
  void flakyInventory_readsTheFleetOncePerPass_thenOnlyTheUnreadAssets_andEveryVmIsPatched() {
    EngineFixture f = new EngineFixture(0.0, 40);
    Faulty faulty = Faulty.around(f);
    Set<AssetId> down = Set.of(AssetId.of("vm-05"), AssetId.of("vm-17"));
    faulty.inventoryDown.addAll(down);
    f.feed.publish(advisory("DSA-40", "openssl", "2", START));
    f.feed.publish(advisory("DSA-41", "openssl", "2", START));
    PatchEngine engine = f.engine();

    engine.tick();
    assertEquals(40, faulty.count("inventory"), "one read per asset, shared by both advisories");
    List<JournalEntry> incomplete = entries(f, "assessment.incomplete");
    assertEquals(2, incomplete.size(), "each advisory says which assets it could not read");
    for (JournalEntry e : incomplete) {
      assertEquals("[\"vm-05\",\"vm-17\"]", e.data().get("unread").toString());
    }
    assertTrue(
        engine.parkedWork().keySet().containsAll(List.of("advisory DSA-40", "advisory DSA-41")));

    faulty.inventoryDown.clear();
    f.run(engine, Duration.ofDays(4));

    List<Integer> assessed =
        entries(f, "applicability.matched").stream()
            .map(e -> e.data().get("assetsAssessed").asInt())
            .toList();
    assertEquals(List.of(38, 38, 2, 2), assessed, "the second pass reads only the two unread");
    for (int i = 1; i <= 40; i++) {
      AssetId vm = AssetId.of(String.format("vm-%02d", i));
      assertEquals(FIXED, f.cloud.installed(vm), vm + " per the cloud's own record");
    }
    assertEquals(8, engine.trackingRecords().size(), "2 advisories x 2 tenants x 2 groups");
    engine.trackingRecords().forEach(r -> assertEquals(TrackingRecord.Status.CLOSED, r.status()));
    for (AssetId vm : down) {
      assertTrue(
          engine.trackingRecords().stream().anyMatch(r -> r.items().containsKey(vm)),
          vm + " is tracked once its inventory is read");
    }
  }

  @Test
  void jobThatNeverReports_becomesUnknownAtDeadline_resolvedByReinventory() {
    EngineFixture f = new EngineFixture(0.0, 2);
    Faulty faulty = Faulty.around(f);
    faulty.neverReports.add(AssetId.of("vm-01"));
    f.feed.publish(advisory("DSA-32", "openssl", "2", START.plus(Duration.ofHours(1))));
    PatchEngine engine = f.engine();
    f.run(engine, Duration.ofDays(1));

    assertTrue(f.types().contains("patch.unknown"));
    assertOneJobPerVmAndAllFixed(f, 2);
    for (TrackingRecord r : engine.trackingRecords()) {
      assertEquals(TrackingRecord.Status.CLOSED, r.status(), r.toString());
      r.items().values().forEach(i -> assertEquals(ItemState.VERIFIED, i.state()));
    }
    assertTrue(f.types().contains("change.closed"), "the slot, wave and change are freed");
    assertTrue(engine.isIdle());
  }

  @Test
  void slowHold_pastItsTimeBound_isTreatedAsFailed_andConfirmedLaterByItsKey() {
    EngineFixture f = new EngineFixture(0.0, 3);
    f.policy =
        ProcessPolicy.builder()
            .maxConcurrency(2)
            .putAdapterTimeouts("HypervisorAdapter", Duration.ofSeconds(20))
            .build();
    Faulty faulty = Faulty.around(f).slow("hold", Duration.ofMinutes(2));
    PatchEngine engine = sleeperResumes(f);

    f.run(engine, Duration.ofHours(3));
    JournalEntry failed =
        f.journal.readAll().stream()
            .filter(e -> e.type().equals("hold.failed"))
            .findFirst()
            .orElseThrow();
    assertTrue(failed.data().path("reason").asText().contains("over its bound of PT20S"));
    assertTrue(faulty.count("hold") >= 2, "confirmed by repeating the key");
    assertEquals(2, f.cloud.holdChanges().size(), "held once, released once");
    assertFalse(f.cloud.isHeld(SLEEPER));
  }

  private static void assertOneJobPerVmAndAllFixed(EngineFixture f, int vms) {
    Map<AssetId, Integer> jobs = new TreeMap<>();
    for (SimulatedCloud.JobRecord j : f.cloud.jobs()) {
      jobs.merge(j.job().asset(), 1, Integer::sum);
    }
    for (int i = 1; i <= vms; i++) {
      AssetId vm = AssetId.of(String.format("vm-%02d", i));
      assertEquals(1, jobs.getOrDefault(vm, 0), "jobs on " + vm + ": " + f.cloud.jobs());
      assertEquals(FIXED, f.cloud.installed(vm));
    }
  }

  private static List<JournalEntry> entries(EngineFixture f, String type) {
    return f.journal.readAll().stream().filter(e -> e.type().equals(type)).toList();
  }

  private static Instant entryAt(EngineFixture f, String type) {
    return f.journal.readAll().stream()
        .filter(e -> e.type().equals(type))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " in " + f.types()))
        .at();
  }
}
