package org.cloudpatch.scheduling.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.rollout.Wave;
import org.cloudpatch.scheduling.rollout.RolloutRun.JobState;
import org.cloudpatch.scheduling.window.RecurringWindow;
import org.junit.jupiter.api.Test;

/** Test ring, bake and gate, widening stages, rate control and disruption budgets. */
class FleetPlannerRolloutTest {
  static final ZoneId UTC = ZoneId.of("UTC");
  static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  static final Instant MONDAY = Instant.parse("2025-01-13T00:00:00Z");
  static final RecurringWindow NIGHTLY =
      RecurringWindow.parse("0 2 * * *").withDuration(Duration.ofHours(4));

  /** {@code n} assets alternating images {@code img-a}/{@code img-b} and zones UTC/Tokyo. */
  static List<Target> fleet(int n) {
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      targets.add(
          Target.of(String.format("vm-%03d", i), i % 2 == 0 ? UTC : TOKYO)
              .with(i % 4 < 2 ? "img-a" : "img-b", Map.of("service", "svc-" + (i % 5))));
    }
    return targets;
  }

  static FleetPlan plan(List<Target> targets, RolloutPolicy policy) {
    return FleetPlanner.create().plan(FleetRequest.of(targets, NIGHTLY, policy, MONDAY));
  }

  static Map<AssetId, Wave> waveOf(FleetPlan plan) {
    Map<AssetId, Wave> byAsset = new HashMap<>();
    plan.waves().forEach(w -> w.assets().forEach(a -> byAsset.put(a, w)));
    return byAsset;
  }

  @Test
  void testRing_holdsNamedAssetsAndOneSamplePerImageAndZone_andGoesFirst() {
    RolloutPolicy policy =
        RolloutPolicy.simple(TimingMode.LOCAL_TIME, Limit.count(50))
            .withTestRing(new TestRing(List.of(AssetId.of("vm-039")), 1, 7), Duration.ofHours(24));
    FleetPlan plan = plan(fleet(40), policy);

    FleetPlan.Stage ring = plan.stages().get(0);
    Set<AssetId> ringAssets = new TreeSet<>();
    ring.waves().forEach(i -> ringAssets.addAll(plan.waves().get(i).assets()));
    // Four strata (2 images x 2 zones), one each, plus vm-039 unless it was drawn for its own.
    assertTrue(ringAssets.contains(AssetId.of("vm-039")), ringAssets.toString());
    assertEquals(4, ringAssets.size(), ringAssets.toString());
    Set<String> strata = new TreeSet<>();
    Map<AssetId, Target> byId = new HashMap<>();
    fleet(40).forEach(t -> byId.put(t.id(), t));
    ringAssets.forEach(a -> strata.add(byId.get(a).image() + "/" + byId.get(a).zone()));
    assertEquals(4, strata.size(), strata.toString());
    assertEquals(4, ring.assets());
  }

  @Test
  void nextStage_startsNoEarlierThanTheRingsLastEndPlusTheBake() {
    Duration bake = Duration.ofHours(30);
    RolloutPolicy policy =
        RolloutPolicy.simple(TimingMode.LOCAL_TIME, Limit.count(50))
            .withTestRing(new TestRing(List.of(), 1, 1), bake);
    FleetPlan plan = plan(fleet(40), policy);

    Instant ringEnd =
        plan.stages().get(0).waves().stream()
            .map(i -> plan.waves().get(i).end())
            .max(Instant::compareTo)
            .orElseThrow();
    FleetPlan.Stage next = plan.stages().get(1);
    assertEquals(ringEnd.plus(bake), next.gate().orElseThrow());
    for (int i : next.waves()) {
      assertFalse(plan.waves().get(i).start().isBefore(ringEnd.plus(bake)));
    }
    assertEquals(36, next.assets());
    assertTrue(plan.unplaced().isEmpty(), plan.unplaced().toString());
  }

  @Test
  void stages_widenByCumulativePercentages() {
    RolloutPolicy policy =
        RolloutPolicy.simple(TimingMode.LOCAL_TIME, Limit.count(50))
            .withStages(List.of(10, 50, 100));
    FleetPlan plan = plan(fleet(40), policy);
    assertEquals(
        List.of(0, 4, 16, 20), plan.stages().stream().map(FleetPlan.Stage::assets).toList());
    Instant firstEnd =
        plan.stages().get(1).waves().stream()
            .map(i -> plan.waves().get(i).end())
            .max(Instant::compareTo)
            .orElseThrow();
    for (int i : plan.stages().get(2).waves()) {
      assertFalse(plan.waves().get(i).start().isBefore(firstEnd));
    }
  }

  @Test
  void maxConcurrency_asPercent_isCeilingOfTheFleet_andHoldsAtEveryInstant() {
    FleetPlan plan =
        plan(fleet(41), RolloutPolicy.simple(TimingMode.LOCAL_TIME, Limit.percent(10)));
    assertEquals(5, plan.maxConcurrency());
    assertTrue(maxOverlap(plan.waves(), w -> w.assets().size()) <= 5);
    assertTrue(plan.unplaced().isEmpty());
  }

  @Test
  void disruptionBudget_neverPatchesTwoOfOneServiceAtOnce() {
    RolloutPolicy policy =
        RolloutPolicy.simple(TimingMode.LOCAL_TIME, Limit.count(50))
            .withBudgets(List.of(new DisruptionBudget("service", 1)));
    List<Target> targets = fleet(40);
    FleetPlan plan = plan(targets, policy);
    Map<AssetId, String> service = new HashMap<>();
    targets.forEach(t -> service.put(t.id(), t.labels().get("service")));
    for (int s = 0; s < 5; s++) {
      String svc = "svc-" + s;
      long overlap =
          maxOverlap(
              plan.waves(),
              w -> (int) w.assets().stream().filter(a -> svc.equals(service.get(a))).count());
      assertEquals(1, overlap, svc);
    }
    assertTrue(plan.unplaced().isEmpty());
  }

  @Test
  void noWaveStartsAfterItsWindowsCutoff() {
    RecurringWindow withCutoff = NIGHTLY.withCutoffBeforeEnd(Duration.ofHours(3));
    FleetPlan plan =
        FleetPlanner.create()
            .plan(
                FleetRequest.of(
                    fleet(12),
                    withCutoff,
                    RolloutPolicy.simple(TimingMode.LOCAL_TIME, Limit.count(1)),
                    MONDAY));
    // 02:00 to 03:00 allows starts at 02:00, 02:30 and 03:00 only: three per night and zone.
    for (Wave w : plan.waves()) {
      assertFalse(w.start().isAfter(w.window().cutoff()), w.toString());
    }
    long firstNightUtc =
        plan.waves().stream()
            .filter(w -> w.window().zone().equals(UTC))
            .filter(w -> w.start().isBefore(Instant.parse("2025-01-13T12:00:00Z")))
            .count();
    assertEquals(3, firstNightUtc);
  }

  @Test
  void testRing_namingAnUnknownAsset_isRejectedWithItsPosition() {
    RolloutPolicy policy =
        RolloutPolicy.simple(TimingMode.LOCAL_TIME, Limit.count(5))
            .withTestRing(new TestRing(List.of(AssetId.of("nope")), 0, 0), Duration.ZERO);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> plan(fleet(3), policy));
    assertTrue(e.getMessage().contains("testRing.assets[0]: nope"), e.getMessage());
  }

  // ---- the run ----

  @Test
  void run_haltsAtTheErrorThreshold_butLetsJobsInFlightFinishAndCountsThem() {
    RolloutPolicy policy =
        RolloutPolicy.simple(TimingMode.LOCAL_TIME, Limit.count(4))
            .withErrorThreshold(Limit.count(2));
    FleetPlan plan = plan(utcFleet(12), policy);
    RolloutRun run = new RolloutRun(plan, HealthCheck.alwaysHealthy());
    Instant first = plan.waves().get(0).start();
    Map<AssetId, JobState> jobs = new HashMap<>();

    RolloutRun.Step s1 = run.next(first, jobs);
    assertEquals(4, s1.start().size());
    s1.start().forEach(a -> jobs.put(a, JobState.RUNNING));
    jobs.put(s1.start().get(0), JobState.FAILED);
    RolloutRun.Step s2 = run.next(first.plus(Duration.ofMinutes(1)), jobs);
    assertEquals(List.of(), s2.start(), "all four slots are still taken");
    assertTrue(s2.halted().isEmpty());

    jobs.put(s1.start().get(1), JobState.FAILED);
    RolloutRun.Step s3 = run.next(first.plus(Duration.ofMinutes(30)), jobs);
    assertEquals(List.of(), s3.start());
    assertTrue(s3.halted().orElseThrow().contains("2 failed jobs reached the error threshold 2"));
    // The two still in flight finish and fail too: counted, the run stays halted.
    jobs.put(s1.start().get(2), JobState.FAILED);
    jobs.put(s1.start().get(3), JobState.FAILED);
    assertTrue(run.next(first.plus(Duration.ofMinutes(60)), jobs).halted().isPresent());
  }

  @Test
  void run_neverStartsAWaveAfterItsCutoff_itReportsItMissed() {
    FleetPlan plan = plan(utcFleet(2), RolloutPolicy.simple(TimingMode.LOCAL_TIME, Limit.count(4)));
    Wave w = plan.waves().get(0);
    RolloutRun run = new RolloutRun(plan, HealthCheck.alwaysHealthy());
    // 05:45: the window closes at 06:00, a 30-minute job would run past it.
    RolloutRun.Step late = run.next(Instant.parse("2025-01-13T05:45:00Z"), Map.of());
    assertEquals(List.of(), late.start());
    assertEquals(w.assets(), late.missed());
  }

  @Test
  void run_opensTheNextStageOnlyAfterBakeAndAPassingHealthCheck() {
    RolloutPolicy policy =
        RolloutPolicy.simple(TimingMode.LOCAL_TIME, Limit.count(50))
            .withTestRing(new TestRing(List.of(AssetId.of("vm-000")), 0, 0), Duration.ofHours(20));
    FleetPlan plan = plan(utcFleet(3), policy);
    FleetPlan.Stage stage1 = plan.stages().get(1);
    Instant gate = stage1.gate().orElseThrow();
    Wave next = plan.waves().get(stage1.waves().get(0));
    List<String> asked = new ArrayList<>();
    RolloutRun run =
        new RolloutRun(
            plan,
            (stage, patched) -> {
              asked.add(stage + ":" + patched);
              return Optional.of("error rate 7% on vm-000");
            });
    Map<AssetId, JobState> jobs = new HashMap<>(Map.of(AssetId.of("vm-000"), JobState.SUCCEEDED));

    assertEquals(List.of(), run.next(gate.minusSeconds(1), jobs).start());
    assertEquals(List.of(), asked, "not asked before the gate");
    RolloutRun.Step atGate = run.next(next.start(), jobs);
    assertEquals(List.of(), atGate.start());
    assertEquals(List.of("1:[vm-000]"), asked);
    assertTrue(atGate.halted().orElseThrow().contains("error rate 7%"));

    RolloutRun healthy = new RolloutRun(plan, HealthCheck.alwaysHealthy());
    assertEquals(next.assets(), healthy.next(next.start(), jobs).start());
  }

  static List<Target> utcFleet(int n) {
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      targets.add(Target.of(String.format("vm-%03d", i), UTC));
    }
    return targets;
  }

  /** The highest total of {@code weight} over waves running at one instant. */
  static long maxOverlap(List<Wave> waves, java.util.function.ToIntFunction<Wave> weight) {
    java.util.TreeMap<Instant, Long> delta = new java.util.TreeMap<>();
    for (Wave w : waves) {
      delta.merge(w.start(), (long) weight.applyAsInt(w), Long::sum);
      delta.merge(w.end(), (long) -weight.applyAsInt(w), Long::sum);
    }
    long load = 0;
    long max = 0;
    for (long d : delta.values()) {
      load += d;
      max = Math.max(max, load);
    }
    return max;
  }
}
