package org.cloudpatch.scheduling.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.rollout.Wave;
import org.cloudpatch.core.severity.Priority;
import org.cloudpatch.scheduling.change.ChangePolicy;
import org.cloudpatch.scheduling.window.RecurringWindow;
import org.cloudpatch.scheduling.window.WindowSchedule;
import org.junit.jupiter.api.Test;

/**
 * Model-based checks over random fleets, window schedules, groups, budgets and policies: each plan
 * is checked against the schedules themselves (asked afresh), never against the planner's own
 * bookkeeping. A failure prints the scenario's seed. {@code -Dcloudpatch.rollout.examples=N} runs
 * more than the default.
 */
class FleetPlannerModelTest {
  private static final long SEED = 0x5A3E_1257L;
  private static final int EXAMPLES = Integer.getInteger("cloudpatch.rollout.examples", 120);

  private static final List<ZoneId> ZONES =
      List.of(
              "Europe/Berlin",
              "Europe/London",
              "America/New_York",
              "America/Los_Angeles",
              "Asia/Tokyo",
              "Asia/Kolkata",
              "Asia/Kathmandu",
              "Australia/Sydney",
              "Pacific/Chatham",
              "UTC")
          .stream()
          .map(ZoneId::of)
          .toList();

  private static final List<String> SCHEDULES =
      List.of(
          "0 2 * * *",
          "30 22 * * *",
          "0 1 * * 6",
          "0 0 * * 0",
          "DTSTART:20250101T030000 RRULE:FREQ=WEEKLY;BYDAY=TU,TH",
          "cron(0 4 ? * SAT *)",
          "0 */8 * * *");

  private static final Instant START = Instant.parse("2025-03-24T00:00:00Z");

  record Scenario(long seed, FleetRequest request) {
    @Override
    public String toString() {
      return "seed " + seed + ": " + request;
    }
  }

  static Scenario scenario(long seed) {
    Random r = new Random(seed);
    Map<String, WindowSchedule> schedules = new TreeMap<>();
    int nSchedules = 1 + r.nextInt(3);
    for (int i = 0; i < nSchedules; i++) {
      RecurringWindow w =
          RecurringWindow.parse(SCHEDULES.get(r.nextInt(SCHEDULES.size())))
              .withDuration(Duration.ofMinutes(60 + 30L * r.nextInt(9)));
      if (r.nextBoolean()) {
        w = w.withCutoffBeforeEnd(Duration.ofMinutes(30L * r.nextInt(2)));
      }
      schedules.put(i == 0 ? Target.DEFAULT_WINDOW : "w" + i, w);
    }
    List<String> names = List.copyOf(schedules.keySet());
    int n = 1 + r.nextInt(60);
    int groups = r.nextInt(6);
    int zonesUsed = 1 + r.nextInt(ZONES.size());
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Target t =
          Target.of("vm-" + i, ZONES.get(r.nextInt(zonesUsed)))
              .with(
                  "img-" + r.nextInt(3),
                  Map.of("service", "s" + r.nextInt(4), "az", "az" + r.nextInt(3)))
              .inWindow(names.get(r.nextInt(names.size())))
              .urgency(
                  Priority.values()[r.nextInt(4)],
                  r.nextBoolean()
                      ? Optional.of(START.plus(Duration.ofHours(6 + r.nextInt(24 * 20))))
                      : Optional.empty(),
                  r.nextInt(10) == 0);
      if (groups > 0 && r.nextInt(3) == 0) {
        t = t.inGroup("g" + r.nextInt(groups));
      }
      targets.add(t);
    }
    List<DisruptionBudget> budgets = new ArrayList<>();
    if (r.nextBoolean()) {
      budgets.add(new DisruptionBudget("service", 1 + r.nextInt(4)));
    }
    if (r.nextBoolean()) {
      budgets.add(new DisruptionBudget("az", 1 + r.nextInt(6)));
    }
    List<List<Integer>> stageChoices =
        List.of(List.of(100), List.of(25, 100), List.of(10, 50, 100));
    RolloutPolicy policy =
        new RolloutPolicy(
            r.nextInt(4) == 0 ? TimingMode.LOCAL_TIME : TimingMode.SAME_INSTANT,
            Duration.ofMinutes(r.nextBoolean() ? 30 : 45),
            Duration.ofDays(7 + r.nextInt(50)),
            r.nextBoolean() ? Limit.count(1 + r.nextInt(8)) : Limit.percent(1 + r.nextInt(60)),
            Limit.percent(5),
            Duration.ofHours(r.nextInt(3) * 12L),
            r.nextBoolean() ? new TestRing(List.of(), r.nextInt(2), seed) : TestRing.none(),
            stageChoices.get(r.nextInt(stageChoices.size())),
            budgets,
            r.nextBoolean()
                ? ChangePolicy.defaults()
                : new ChangePolicy(
                    Set.of(Priority.P3, Priority.P4),
                    Duration.ofDays(r.nextInt(4)),
                    Set.of(Priority.P1),
                    true,
                    Duration.ofHours(1),
                    r.nextBoolean(),
                    Duration.ofHours(2)));
    FleetRequest request = new FleetRequest(targets, schedules, policy, START, Map.of());
    if (groups > 0 && r.nextBoolean()) {
      Instant open = START.plus(Duration.ofHours(r.nextInt(24 * 7)));
      request =
          request.approve(
              "g0", MaintenanceWindow.of(open, open.plus(Duration.ofHours(4)), ZONES.get(0)));
    }
    return new Scenario(seed, request);
  }

  @Test
  void everyPlan_holdsConcurrencyBudgetsWindowsCutoffsGroupsAndGates() {
    qt().withFixedSeed(SEED)
        .withExamples(EXAMPLES)
        .forAll(longs().all())
        .checkAssert(seed -> check(scenario(seed)));
  }

  static void check(Scenario s) {
    FleetRequest request = s.request();
    FleetPlan plan = FleetPlanner.create().plan(request);
    RolloutPolicy policy = request.policy();
    Map<AssetId, Target> byId = new HashMap<>();
    request.targets().forEach(t -> byId.put(t.id(), t));
    String where = s.toString();

    // Completeness: each target exactly once.
    Map<AssetId, Wave> waveOf = new HashMap<>();
    for (Wave w : plan.waves()) {
      for (AssetId a : w.assets()) {
        assertTrue(waveOf.put(a, w) == null, a + " in two waves; " + where);
        assertFalse(plan.unplaced().containsKey(a), a + " placed and unplaced; " + where);
      }
    }
    assertEquals(request.targets().size(), waveOf.size() + plan.unplaced().size(), where);

    // Concurrency at every instant, whichever zones.
    long limit = policy.maxConcurrency().resolve(request.targets().size());
    assertTrue(
        FleetPlannerRolloutTest.maxOverlap(plan.waves(), w -> w.assets().size()) <= limit,
        "concurrency; " + where);

    // Every disruption budget, per value, at every instant.
    for (DisruptionBudget b : policy.budgets()) {
      Set<String> values = new HashSet<>();
      request.targets().forEach(t -> values.add(t.labels().get(b.key())));
      for (String v : values) {
        long peak =
            FleetPlannerRolloutTest.maxOverlap(
                plan.waves(),
                w ->
                    (int)
                        w.assets().stream()
                            .filter(a -> v.equals(byId.get(a).labels().get(b.key())))
                            .count());
        assertTrue(peak <= b.max(), b + " value " + v + " peaks at " + peak + "; " + where);
      }
    }

    Duration slot = policy.slot();
    for (Wave w : plan.waves()) {
      // Nothing before the plan's start; nothing after a cutoff; the slot fits its window.
      assertFalse(w.start().isBefore(request.notBefore()), where);
      assertFalse(w.start().isAfter(w.window().cutoff()), "after cutoff " + w + "; " + where);
      assertFalse(w.end().isAfter(w.window().end()), where);
      assertEquals(w.start().plus(slot), w.end());
      Optional<String> group = w.patchGroup();
      if (group.isPresent()) {
        // Never split: the wave holds every member of its group.
        long members = request.targets().stream().filter(t -> t.group().equals(group)).count();
        assertEquals(members, w.assets().size(), "group " + group.get() + " split; " + where);
        MaintenanceWindow approved = request.approvedGroupWindows().get(group.get());
        for (AssetId a : w.assets()) {
          if (approved != null) {
            assertTrue(
                !w.start().isBefore(approved.start())
                    && !w.start().isAfter(approved.cutoff())
                    && !w.end().isAfter(approved.end()),
                "outside the approved window; " + where);
          } else if (!emergency(w, plan, request)) {
            assertTrue(insideOwnWindow(request, byId.get(a), w), a + " outside; " + where);
          }
        }
      } else if (!emergency(w, plan, request)) {
        for (AssetId a : w.assets()) {
          assertTrue(insideOwnWindow(request, byId.get(a), w), a + " outside; " + where);
          assertEquals(byId.get(a).zone(), w.window().zone());
        }
      }
    }
    if (policy.timingMode() == TimingMode.SAME_INSTANT) {
      // A group is either in one wave or wholly unplaced.
      Map<String, Set<Boolean>> placedness = new HashMap<>();
      request.targets().stream()
          .filter(t -> t.group().isPresent())
          .forEach(
              t ->
                  placedness
                      .computeIfAbsent(t.group().get(), g -> new HashSet<>())
                      .add(waveOf.containsKey(t.id())));
      placedness.forEach((g, p) -> assertEquals(1, p.size(), "group " + g + " split; " + where));
    }

    // Gates: no wave of a stage starts before its gate.
    for (FleetPlan.Stage stage : plan.stages()) {
      for (int i : stage.waves()) {
        Wave w = plan.waves().get(i);
        stage.gate().ifPresent(g -> assertFalse(w.start().isBefore(g), "gate; " + where));
      }
    }
  }

  /**
   * Whether the wave may lie outside its assets' own windows as an emergency: the policy allows
   * out-of-cycle windows, every asset is P1 or known exploited under it, the window is as long as
   * the policy's emergency window, and an emergency change covers it.
   */
  private static boolean emergency(Wave w, FleetPlan plan, FleetRequest request) {
    org.cloudpatch.scheduling.change.ChangePolicy change = request.policy().change();
    Map<AssetId, Target> byId = new HashMap<>();
    request.targets().forEach(t -> byId.put(t.id(), t));
    boolean eligible =
        change.emergencyWindows()
            && Duration.between(w.window().start(), w.window().end())
                .equals(change.emergencyWindowDuration())
            && w.assets().stream()
                .map(byId::get)
                .anyMatch(t -> change.isEmergency(t.priority(), t.knownExploited()));
    return eligible
        && plan.changes().stream()
            .anyMatch(
                c ->
                    c.type() == org.cloudpatch.core.rollout.ChangeRequest.ChangeType.EMERGENCY
                        && c.summary().contains("out-of-cycle")
                        && c.assets().containsAll(w.assets()));
  }

  /** Whether the wave lies in an occurrence of the target's schedule, asked afresh. */
  private static boolean insideOwnWindow(FleetRequest request, Target t, Wave w) {
    WindowSchedule schedule = request.schedules().get(t.window());
    for (MaintenanceWindow occ : schedule.occurrences(t.zone(), w.start(), 4)) {
      if (!w.start().isBefore(occ.start())
          && !w.start().isAfter(occ.cutoff())
          && !w.end().isAfter(occ.end())) {
        return true;
      }
    }
    return false;
  }
}
