package org.cloudpatch.bench.rollout;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.severity.Priority;
import org.cloudpatch.scheduling.rollout.DisruptionBudget;
import org.cloudpatch.scheduling.rollout.FleetPlan;
import org.cloudpatch.scheduling.rollout.FleetPlanner;
import org.cloudpatch.scheduling.rollout.FleetRequest;
import org.cloudpatch.scheduling.rollout.Limit;
import org.cloudpatch.scheduling.rollout.RolloutPolicy;
import org.cloudpatch.scheduling.rollout.Target;
import org.cloudpatch.scheduling.rollout.TestRing;
import org.cloudpatch.scheduling.window.RecurringWindow;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Fleet rollout planning ({@code SAME_INSTANT}, test ring, three stages, budgets per service and
 * availability zone) of N VMs in 40 zones with up to 2,000 patch groups, against its floor: reading
 * every zone's window occurrences over the same horizon and visiting every VM once (what any
 * planner must do). Report {@code plan / floor}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class FleetPlanning {
  @Param({"1000", "10000", "100000"})
  public int vms;

  private FleetRequest request;
  private List<ZoneId> zones;
  private RecurringWindow nightly;

  @Setup
  public void setUp() {
    zones =
        ZoneId.getAvailableZoneIds().stream()
            .filter(z -> z.contains("/") && !z.startsWith("Etc") && !z.startsWith("SystemV"))
            .sorted()
            .limit(40)
            .map(ZoneId::of)
            .toList();
    nightly = RecurringWindow.parse("0 1 * * *").withDuration(Duration.ofHours(4));
    SplittableRandom r = new SplittableRandom(42);
    int groups = Math.min(2000, vms / 4);
    Instant start = Instant.parse("2025-03-03T00:00:00Z");
    List<Target> targets = new ArrayList<>(vms);
    for (int i = 0; i < vms; i++) {
      // Group members share a region of five neighbouring zones, so many groups have a common
      // night.
      int group = i < groups * 2 ? i / 2 : -1;
      ZoneId zone =
          group >= 0
              ? zones.get((group * 5 + r.nextInt(2)) % zones.size())
              : zones.get(r.nextInt(zones.size()));
      Target t =
          Target.of("vm-" + i, zone)
              .with(
                  "img-" + r.nextInt(4),
                  Map.of("service", "svc-" + r.nextInt(500), "az", "az-" + r.nextInt(120)))
              .urgency(
                  List.of(Priority.P1, Priority.P2, Priority.P3, Priority.P4).get(r.nextInt(4)),
                  Optional.of(start.plus(Duration.ofDays(3 + r.nextInt(30)))),
                  false);
      targets.add(group >= 0 ? t.inGroup("g" + group) : t);
    }
    RolloutPolicy policy =
        RolloutPolicy.simple(TimingMode.SAME_INSTANT, Limit.percent(5))
            .withTestRing(new TestRing(List.of(), 1, 7), Duration.ofHours(24))
            .withStages(List.of(10, 50, 100))
            .withBudgets(
                List.of(new DisruptionBudget("service", 3), new DisruptionBudget("az", 20)));
    request = FleetRequest.of(targets, nightly, policy, start);
  }

  /** The floor: every zone's occurrences over the horizon, and one visit per VM. */
  @Benchmark
  public long floor() {
    long sum = 0;
    Instant from = request.notBefore();
    for (ZoneId zone : zones) {
      for (MaintenanceWindow w : nightly.occurrences(zone, from, 56)) {
        sum += w.start().getEpochSecond();
      }
    }
    for (Target t : request.targets()) {
      sum += t.id().value().length() + t.zone().hashCode();
    }
    return sum;
  }

  /** The planner. */
  @Benchmark
  public FleetPlan plan() {
    return FleetPlanner.create().plan(request);
  }
}
