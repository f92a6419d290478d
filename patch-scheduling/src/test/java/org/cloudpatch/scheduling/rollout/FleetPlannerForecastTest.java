package org.cloudpatch.scheduling.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.rollout.ChangeRequest.ChangeType;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.severity.Priority;
import org.cloudpatch.scheduling.change.ChangePolicy;
import org.cloudpatch.scheduling.change.PlannedChange;
import org.cloudpatch.scheduling.rollout.FleetPlan.DueMiss;
import org.cloudpatch.scheduling.rollout.FleetPlan.FixKind;
import org.cloudpatch.scheduling.window.RecurringWindow;
import org.junit.jupiter.api.Test;

/** The capacity and SLA forecast: who misses the due date under windows and limits, and the fix. */
class FleetPlannerForecastTest {
  static final ZoneId UTC = ZoneId.of("UTC");
  static final Instant MONDAY = Instant.parse("2025-01-13T00:00:00Z");
  static final RecurringWindow NIGHTLY =
      RecurringWindow.parse("0 2 * * *").withDuration(Duration.ofHours(4));
  static final RecurringWindow SATURDAYS =
      RecurringWindow.parse("0 2 * * 6").withDuration(Duration.ofHours(4));

  static Target vm(String id, Priority p, Instant due) {
    return Target.of(id, UTC).urgency(p, Optional.of(due), false);
  }

  @Test
  void p1_thatItsWindowsWouldBringInLate_getsAnOutOfCycleEmergencyWindow() {
    Instant due = MONDAY.plus(Duration.ofDays(1));
    FleetPlan plan =
        FleetPlanner.create()
            .plan(
                FleetRequest.of(
                    List.of(vm("db-1", Priority.P1, due)),
                    SATURDAYS,
                    RolloutPolicy.simple(TimingMode.LOCAL_TIME, Limit.count(5)),
                    MONDAY));

    // Emergency lead time two hours, window four hours (ChangePolicy.defaults()).
    assertEquals(MONDAY.plus(Duration.ofHours(2)), plan.waves().get(0).start());
    assertEquals(
        Duration.ofHours(4),
        Duration.between(plan.waves().get(0).window().start(), plan.waves().get(0).window().end()));
    PlannedChange change = plan.changes().get(0);
    assertEquals(ChangeType.EMERGENCY, change.type());
    assertTrue(change.summary().contains("out-of-cycle"), change.summary());
    assertTrue(plan.forecast().get(Priority.P1).late().isEmpty());
    assertEquals(1, plan.forecast().get(Priority.P1).withDueDate());
  }

  @Test
  void p1_whenPolicyForbidsEmergencyWindows_isLate_andTheForecastNamesAnotherOrEmergencyWindow() {
    Instant due = MONDAY.plus(Duration.ofDays(1));
    ChangePolicy strict =
        new ChangePolicy(
            Set.of(Priority.P2, Priority.P3, Priority.P4),
            Duration.ofDays(5),
            Set.of(Priority.P1),
            true,
            Duration.ofHours(2),
            false,
            Duration.ofHours(4));
    FleetPlan plan =
        FleetPlanner.create()
            .plan(
                FleetRequest.of(
                    List.of(vm("db-1", Priority.P1, due)),
                    SATURDAYS,
                    RolloutPolicy.simple(TimingMode.LOCAL_TIME, Limit.count(5)).withChange(strict),
                    MONDAY));

    DueMiss miss = plan.forecast().get(Priority.P1).late().get(0);
    assertEquals(AssetId.of("db-1"), miss.asset());
    assertEquals(Instant.parse("2025-01-18T02:30:00Z"), miss.finish().orElseThrow());
    assertEquals(
        List.of(FixKind.ANOTHER_WINDOW, FixKind.EMERGENCY_WINDOW),
        miss.fixes().stream().map(FleetPlan.Fix::kind).toList());
    assertTrue(miss.fixes().get(1).detail().contains("does not allow"));
  }

  @Test
  void p3_beyondTheFirstNightsCapacity_isLate_andMoreConcurrencyWouldFixIt() {
    // Eight 30-minute slots a night, one job at a time: eight of twenty finish the first night.
    Instant due = Instant.parse("2025-01-13T12:00:00Z");
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      targets.add(vm(String.format("vm-%02d", i), Priority.P3, due));
    }
    FleetPlan plan =
        FleetPlanner.create()
            .plan(
                FleetRequest.of(
                    targets,
                    NIGHTLY,
                    RolloutPolicy.simple(TimingMode.LOCAL_TIME, Limit.count(1)),
                    MONDAY));

    FleetPlan.PriorityForecast p3 = plan.forecast().get(Priority.P3);
    assertEquals(20, p3.assets());
    assertEquals(12, p3.late().size());
    for (DueMiss miss : p3.late()) {
      assertEquals(FixKind.MORE_CONCURRENCY, miss.fixes().get(0).kind(), miss.toString());
    }
  }

  @Test
  void work_whoseStageOpensAfterItsDueDate_isToldToMoveToAnEarlierStage() {
    Instant due = Instant.parse("2025-01-14T12:00:00Z");
    List<Target> targets = List.of(vm("ring", Priority.P3, due), vm("late", Priority.P3, due));
    RolloutPolicy policy =
        RolloutPolicy.simple(TimingMode.LOCAL_TIME, Limit.count(5))
            .withTestRing(new TestRing(List.of(AssetId.of("ring")), 0, 0), Duration.ofDays(3));
    FleetPlan plan = FleetPlanner.create().plan(FleetRequest.of(targets, NIGHTLY, policy, MONDAY));

    DueMiss miss = plan.forecast().get(Priority.P3).late().get(0);
    assertEquals(AssetId.of("late"), miss.asset());
    assertEquals(FixKind.EARLIER_STAGE, miss.fixes().get(0).kind());
  }
}
