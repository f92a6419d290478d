package org.cloudpatch.cli.demo;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.rollout.Wave;
import org.cloudpatch.core.severity.Priority;
import org.cloudpatch.scheduling.change.ChangePolicy;
import org.cloudpatch.scheduling.rollout.FleetPlan;
import org.cloudpatch.scheduling.rollout.FleetPlan.DueMiss;
import org.cloudpatch.scheduling.rollout.FleetRolloutPlanner;
import org.cloudpatch.scheduling.rollout.Limit;
import org.cloudpatch.scheduling.rollout.RolloutPolicy;
import org.cloudpatch.scheduling.window.WeeklyWindow;

/**
 * The demo's rollout: {@link FleetRolloutPlanner} behind the engine's planner port, with defaults
 * that scale with the fleet, and the forecast of the work its plans bring in after its due date.
 *
 * <p>Every VM has the same weekly window (Sunday 02:00 for four hours in its own zone, no new job
 * in the last hour). The concurrency limit is 5% of the fleet and at least 50, so that a window
 * carries the same share of every zone's VMs at any fleet size. The change policy is the demo's: P3
 * and P4 are standard changes, P2 a normal change that waits a day for the change board (the
 * in-memory change system's delay), P1 an emergency change that may open an out-of-cycle window
 * when its Sunday would come after its due date.
 */
final class DemoRollout {
  static final WeeklyWindow WINDOW =
      WeeklyWindow.builder()
          .dayOfWeek(DayOfWeek.SUNDAY)
          .startTime(LocalTime.of(2, 0))
          .duration(Duration.ofHours(4))
          .cutoffBeforeEnd(Duration.ofHours(1))
          .build();

  static final ChangePolicy CHANGES =
      new ChangePolicy(
          EnumSet.of(Priority.P3, Priority.P4),
          Duration.ofDays(1),
          EnumSet.of(Priority.P1),
          true,
          Duration.ofHours(2),
          true,
          Duration.ofHours(4));

  private final int maxConcurrency;
  // The latest forecast per VM: a later plan that places the VM replaces what an earlier one said.
  private final Map<AssetId, Late> late = new TreeMap<>();

  private record Late(Priority priority, DueMiss miss) {}

  private DemoRollout(int maxConcurrency) {
    this.maxConcurrency = maxConcurrency;
  }

  /** The rollout for a fleet of {@code vms}. */
  static DemoRollout forFleet(int vms) {
    return new DemoRollout(Math.max(50, (vms + 19) / 20));
  }

  /** Patch jobs at once, fleet-wide. */
  int maxConcurrency() {
    return maxConcurrency;
  }

  /** A planner for one engine; the forecast is shared by every engine of the run. */
  FleetRolloutPlanner planner() {
    return FleetRolloutPlanner.builder()
        .schedule(WINDOW)
        .policy(
            RolloutPolicy.simple(TimingMode.LOCAL_TIME, Limit.count(maxConcurrency))
                .withChange(CHANGES))
        .onPlan(this::observe)
        .build();
  }

  private synchronized void observe(FleetPlan plan) {
    for (Wave w : plan.waves()) {
      w.assets().forEach(this::forget);
    }
    plan.unplaced().keySet().forEach(this::forget);
    plan.forecast()
        .forEach((p, f) -> f.late().forEach(miss -> late.put(miss.asset(), new Late(p, miss))));
  }

  private void forget(AssetId vm) {
    late.remove(vm);
  }

  /**
   * What the plans say will miss its due date, in a few lines: per priority how many VMs, and the
   * first remedy the plan names; empty when everything was planned in time.
   */
  synchronized List<String> forecast() {
    Map<Priority, List<DueMiss>> byPriority = new EnumMap<>(Priority.class);
    late.values()
        .forEach(
            l -> byPriority.computeIfAbsent(l.priority(), p -> new ArrayList<>()).add(l.miss()));
    List<String> lines = new ArrayList<>();
    byPriority.forEach(
        (p, misses) -> {
          DueMiss first = misses.get(0);
          lines.add(
              String.format(
                  "forecast: %d %s VM(s) planned after their due date (first %s, due %s%s)%s",
                  misses.size(),
                  p,
                  first.asset(),
                  first.due(),
                  first.finish().map(f -> ", planned to finish " + f).orElse(", unplaced"),
                  first.fixes().isEmpty()
                      ? ""
                      : ": " + first.fixes().get(0).kind() + ", " + first.fixes().get(0).detail()));
        });
    return lines;
  }
}
