package org.cloudpatch.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.LifecycleEvent;
import org.junit.jupiter.api.Test;

/**
 * The simulated cloud as an adversary: effects land on their own time, faults come from the seed.
 */
class SimulatedCloudFaultsTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final AssetId VM1 = AssetId.of("vm-1");
  static final AssetId VM2 = AssetId.of("vm-2");
  final VirtualClock clock = VirtualClock.at(T0);

  SimulatedCloud cloud(FaultPlan faults) {
    return cloud(clock, faults);
  }

  static SimulatedCloud cloud(Clock clock, FaultPlan faults) {
    SimulatedCloud c =
        SimulatedCloud.builder()
            .clock(clock)
            .seed(3)
            .failureRate(0.0)
            .jobDuration(Duration.ofMinutes(10), Duration.ofMinutes(10))
            .faults(faults)
            .build();
    c.addHost(HostId.of("h1"), 8).addHost(HostId.of("h2"), 8);
    c.addVm(
        SimulatedCloudTest.vm("vm-1", "h1"), 2, List.of(InstalledPackage.of("openssl", "1.0-1")));
    c.addVm(
        SimulatedCloudTest.vm("vm-2", "h1"), 2, List.of(InstalledPackage.of("openssl", "1.0-1")));
    return c;
  }

  static List<TruthEvent> events(SimulatedCloud c, TruthEvent.Kind kind) {
    return c.truth().stream().filter(e -> e.event() == kind).toList();
  }

  @Test
  void jobEffect_landsWhenTheJobEnds_withoutAnyPoll() {
    SimulatedCloud c = cloud(FaultPlan.none());
    c.submit(SimulatedCloudTest.job("j1", "vm-1"));
    clock.advance(Duration.ofMinutes(9));
    assertEquals("1.0-1", c.installed(VM1).get(0).version(), "not before the job ends");
    clock.advance(Duration.ofHours(3));
    assertEquals("1.0-2", c.installed(VM1).get(0).version(), "never polled, still patched");
    assertEquals(
        "1.0-2",
        c.inventory(VM1).orElseThrow().packages().get(0).version(),
        "re-inventory sees it");
    List<TruthEvent> finished = events(c, TruthEvent.Kind.JOB_FINISHED);
    assertEquals(1, finished.size());
    assertEquals(T0.plus(Duration.ofMinutes(10)), finished.get(0).at(), "at the job's end");
  }

  @Test
  void exception_failsTheCall_andTheEffectDoesNotHappen() {
    SimulatedCloud c = cloud(FaultPlan.builder().exception(1.0).build());
    PatchException e = assertThrows(PatchException.class, () -> c.holdForCatchUp(VM1, "hold-1"));
    assertTrue(e.getMessage().startsWith("simulated fault: holdForCatchUp"), e.getMessage());
    assertFalse(c.isHeld(VM1));
    assertThrows(PatchException.class, () -> c.submit(SimulatedCloudTest.job("j1", "vm-1")));
    assertThrows(PatchException.class, () -> c.inventory(VM1));
    assertThrows(PatchException.class, c::hosts);
    assertEquals(List.of(), events(c, TruthEvent.Kind.HELD));
    assertEquals(List.of(), events(c, TruthEvent.Kind.JOB_STARTED));
  }

  @Test
  void lostReply_effectIsDone_andARetryWithTheSameKeyConfirmsWithoutRepeatingIt() {
    SimulatedCloud c = cloud(FaultPlan.builder().lostReply(0.5).build());
    String key = null;
    String confirmed = null;
    for (int i = 0; key == null; i++) {
      try {
        c.snapshot(VM1, "snap-key-" + i);
      } catch (PatchException lost) {
        key = "snap-key-" + i;
        assertTrue(lost.getMessage().contains("was lost"), lost.getMessage());
      }
    }
    int before = events(c, TruthEvent.Kind.SNAPSHOT_TAKEN).size();
    for (int attempt = 0; confirmed == null; attempt++) {
      assertTrue(attempt < 30, "the retries never got a reply");
      try {
        confirmed = c.snapshot(VM1, key);
      } catch (PatchException lostAgain) {
        // the reply is lost again; retry
      }
    }
    List<TruthEvent> taken = events(c, TruthEvent.Kind.SNAPSHOT_TAKEN);
    assertEquals(before, taken.size(), "the retries took no other snapshot");
    String id = confirmed;
    assertEquals(
        1, taken.stream().filter(t -> t.snapshot().equals(Optional.of(id))).count(), "taken once");
  }

  @Test
  void lostReply_onSubmit_runsTheJobOnce() {
    SimulatedCloud c = cloud(FaultPlan.builder().lostReply(0.5).build());
    String lostKey = null;
    for (int i = 0; lostKey == null; i++) {
      try {
        c.submit(SimulatedCloudTest.job("job-" + i, i % 2 == 0 ? "vm-1" : "vm-2"));
      } catch (PatchException lost) {
        lostKey = "job-" + i;
      }
    }
    String key = lostKey;
    String vm = Integer.parseInt(key.substring(4)) % 2 == 0 ? "vm-1" : "vm-2";
    String handle = null;
    for (int attempt = 0; handle == null; attempt++) {
      assertTrue(attempt < 30, "the retries never got a reply");
      try {
        handle = c.submit(SimulatedCloudTest.job(key, vm));
      } catch (PatchException lostAgain) {
        // retry
      }
    }
    assertEquals(key, handle);
    assertEquals(
        1,
        events(c, TruthEvent.Kind.JOB_STARTED).stream()
            .filter(e -> e.job().equals(Optional.of(key)))
            .count(),
        "one job under the key");
  }

  @Test
  void slowCall_movesTheVirtualClockPastTheDeadline_beforeReturning() {
    SimulatedCloud c =
        cloud(FaultPlan.builder().slowCall(1.0).slowBy(Duration.ofMinutes(30)).build());
    Instant before = clock.instant();
    c.hosts();
    assertEquals(before.plus(Duration.ofMinutes(30)), clock.instant());
    c.holdForCatchUp(VM1, "hold-1");
    assertTrue(c.isHeld(VM1), "a slow call still has its effect");
    assertEquals(before.plus(Duration.ofMinutes(60)), clock.instant());
  }

  @Test
  void slowCall_underACallTimeout_givesUpAtTheBound_withItsEffectDone() {
    SimulatedCloud c =
        cloud(
            FaultPlan.builder()
                .slowCall(1.0)
                .slowBy(Duration.ofMinutes(30))
                .callTimeout(Duration.ofSeconds(30))
                .build());
    Instant before = clock.instant();
    PatchException e = assertThrows(PatchException.class, () -> c.holdForCatchUp(VM1, "hold-1"));
    assertTrue(e.getMessage().contains("timed out after PT30S"), e.getMessage());
    assertEquals(before.plus(Duration.ofSeconds(30)), clock.instant());
    assertTrue(c.isHeld(VM1), "the hold happened although its reply timed out");
  }

  @Test
  void slowCall_withinItsCallTimeout_answersLate() {
    SimulatedCloud c =
        cloud(
            FaultPlan.builder()
                .slowCall(1.0)
                .slowBy(Duration.ofSeconds(20))
                .callTimeout(Duration.ofSeconds(30))
                .build());
    Instant before = clock.instant();
    assertEquals(2, c.hosts().size());
    assertEquals(before.plus(Duration.ofSeconds(20)), clock.instant());
  }

  @Test
  void slowCall_onAClockThatIsNotVirtual_doesNothing() {
    Clock fixed = Clock.fixed(T0, ZoneOffset.UTC);
    SimulatedCloud c = cloud(fixed, FaultPlan.builder().slowCall(1.0).build());
    assertEquals(2, c.hosts().size());
    assertEquals(T0, fixed.instant());
  }

  @Test
  void jobThatNeverReports_pollsEmptyForever_butItsEffectLands() {
    SimulatedCloud c = cloud(FaultPlan.builder().neverReports(1.0).build());
    String handle = c.submit(SimulatedCloudTest.job("j1", "vm-1"));
    clock.advance(Duration.ofDays(3));
    assertEquals(Optional.empty(), c.poll(handle));
    assertEquals("1.0-2", c.installed(VM1).get(0).version());
    assertEquals(1, events(c, TruthEvent.Kind.JOB_FINISHED).size());
    assertTrue(c.reliable().poll(handle).isPresent(), "the reliable view knows the outcome");
  }

  @Test
  void duplicateLifecycleEvent_isReportedTwice_butHappenedOnce() {
    SimulatedCloud c = cloud(FaultPlan.builder().duplicateEvent(1.0).build());
    c.suspend(VM1);
    List<LifecycleEvent> events = c.lifecycleEvents(Optional.empty()).events();
    assertEquals(2, events.size());
    assertEquals(events.get(0), events.get(1));
    assertEquals(1, events(c, TruthEvent.Kind.SUSPENDED).size());
  }

  @Test
  void failingMigration_failsUnderItsKeyEveryTime_andLeavesTheVm() {
    SimulatedCloud c = cloud(FaultPlan.builder().migrationFailure(1.0).build());
    for (int i = 0; i < 3; i++) {
      PatchException e =
          assertThrows(PatchException.class, () -> c.migrate(VM1, HostId.of("h2"), "move-1"));
      assertTrue(e.getMessage().contains("aborted"), e.getMessage());
    }
    assertEquals(Optional.of(HostId.of("h1")), c.placement(VM1));
    assertEquals(List.of(4, 0), c.hosts().stream().map(h -> h.vcpuUsed()).toList());
    assertEquals(List.of(), events(c, TruthEvent.Kind.MIGRATED));
  }

  @Test
  void capacityShortTarget_refusesTheVmForLackOfMemory_underItsKeyEveryTime() {
    SimulatedCloud c = cloud(FaultPlan.builder().capacityShort(1.0).build());
    for (int i = 0; i < 3; i++) {
      PatchException e =
          assertThrows(PatchException.class, () -> c.migrate(VM1, HostId.of("h2"), "move-1"));
      assertTrue(e.getMessage().contains("not enough memory"), e.getMessage());
    }
    assertEquals(Optional.of(HostId.of("h1")), c.placement(VM1));
    assertEquals(List.of(4, 0), c.hosts().stream().map(h -> h.vcpuUsed()).toList());
    assertEquals(List.of(), events(c, TruthEvent.Kind.MIGRATED));
  }

  @Test
  void patchHost_onlyAnEmptyHostInMaintenance_recordedOncePerKey() {
    SimulatedCloud c = cloud(FaultPlan.none());
    assertThrows(PatchException.class, () -> c.patchHost(HostId.of("h2"), "patch-1"));
    c.enterMaintenance(HostId.of("h1"), "enter-1");
    assertThrows(PatchException.class, () -> c.patchHost(HostId.of("h1"), "patch-2"));
    c.migrate(VM1, HostId.of("h2"), "move-1");
    c.migrate(AssetId.of("vm-2"), HostId.of("h2"), "move-2");
    c.patchHost(HostId.of("h1"), "patch-3");
    c.patchHost(HostId.of("h1"), "patch-3");
    assertEquals(1, events(c, TruthEvent.Kind.HOST_PATCHED).size());
    assertEquals(
        Optional.of(org.cloudpatch.core.spi.HypervisorAdapter.Demand.of(2, 8)), c.demand(VM1));
  }

  @Test
  void hostStuckEnteringMaintenance_staysOutOfMaintenance() {
    SimulatedCloud c = cloud(FaultPlan.builder().stuckMaintenance(1.0).build());
    assertThrows(PatchException.class, () -> c.enterMaintenance(HostId.of("h2"), "enter-1"));
    assertThrows(PatchException.class, () -> c.enterMaintenance(HostId.of("h2"), "enter-1"));
    assertFalse(c.hosts().get(1).inMaintenance());
    assertEquals(List.of(), events(c, TruthEvent.Kind.MAINTENANCE_ENTERED));
  }

  @Test
  void offlineAgent_failsInventoryAndSubmission_forItsHour() {
    SimulatedCloud c = cloud(FaultPlan.builder().agentOffline(1.0).build());
    PatchException e = assertThrows(PatchException.class, () -> c.inventory(VM1));
    assertTrue(e.getMessage().contains("offline"), e.getMessage());
    assertThrows(PatchException.class, () -> c.submit(SimulatedCloudTest.job("j1", "vm-1")));
    assertEquals(List.of(), events(c, TruthEvent.Kind.JOB_STARTED));
    assertTrue(c.reliable().inventory(VM1).isPresent(), "the reliable view reads it");
  }

  @Test
  void offlineAgent_atAPartialRate_isOfflineForWholeHours() {
    SimulatedCloud c = cloud(FaultPlan.builder().agentOffline(0.5).build());
    int offlineHours = 0;
    for (int hour = 0; hour < 40; hour++) {
      boolean first = offline(c);
      clock.advance(Duration.ofMinutes(30));
      assertEquals(first, offline(c), "the same answer within hour " + hour);
      clock.advance(Duration.ofMinutes(30));
      offlineHours += first ? 1 : 0;
    }
    assertTrue(offlineHours > 5 && offlineHours < 35, "offline hours: " + offlineHours);
  }

  private static boolean offline(SimulatedCloud c) {
    try {
      c.inventory(VM1);
      return false;
    } catch (PatchException e) {
      return true;
    }
  }

  @Test
  void suspendedVm_resumedEarlyByItsUser_isAResumeInTheMiddleOfARollout() {
    SimulatedCloud c = cloud(FaultPlan.builder().resumedEarly(1.0).build());
    c.suspend(VM1);
    clock.advance(Duration.ofHours(13));
    assertEquals(Optional.of(Asset.PowerState.RUNNING), c.powerState(VM1));
    List<LifecycleEvent> events = c.lifecycleEvents(Optional.empty()).events();
    assertEquals(LifecycleEvent.Kind.RESUMED, events.get(1).kind());
    assertEquals(Optional.of(T0), events.get(1).suspendedSince());
    Instant resumedAt = events(c, TruthEvent.Kind.RESUMED).get(0).at();
    assertTrue(
        !resumedAt.isBefore(T0.plus(Duration.ofHours(1)))
            && !resumedAt.isAfter(T0.plus(Duration.ofHours(12))),
        "resumed at " + resumedAt);
  }

  @Test
  void faultSchedule_isTheSameForTheSameSeed_andDoesNotShiftWhenUnrelatedCallsAreAdded() {
    FaultPlan plan = FaultPlan.builder().exception(0.3).lostReply(0.3).build();
    List<String> alone = faultsOnVm1(cloud(plan), c -> {});
    List<String> again = faultsOnVm1(cloud(plan), c -> {});
    List<String> interleaved =
        faultsOnVm1(
            cloud(plan),
            c -> {
              for (int k = 0; k < 3; k++) {
                try {
                  c.snapshot(VM2, "unrelated-" + k + "-" + clock.instant());
                  c.inventory(VM2);
                } catch (PatchException ignored) {
                  // faults on the unrelated VM are not what this test looks at
                }
              }
            });
    assertEquals(alone, again, "same seed, same calls, same faults");
    assertEquals(alone, interleaved, "unrelated calls shifted the schedule");
    assertTrue(alone.contains("fault") && alone.contains("ok"), "both outcomes occur: " + alone);
    SimulatedCloud other =
        SimulatedCloud.builder()
            .clock(clock)
            .seed(4)
            .faults(plan)
            .build()
            .addHost(HostId.of("h1"), 8);
    other.addVm(SimulatedCloudTest.vm("vm-1", "h1"), 2, List.of());
    assertNotEquals(alone, faultsOnVm1(other, c -> {}), "another seed, other faults");
  }

  private static List<String> faultsOnVm1(SimulatedCloud c, Consumer<SimulatedCloud> unrelated) {
    List<String> outcomes = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      unrelated.accept(c);
      String key = "snap-" + (i / 2);
      try {
        c.snapshot(VM1, key);
        outcomes.add("ok");
      } catch (PatchException e) {
        outcomes.add("fault");
      }
      try {
        c.inventory(VM1);
        outcomes.add("ok");
      } catch (PatchException e) {
        outcomes.add("fault");
      }
    }
    return outcomes;
  }
}
