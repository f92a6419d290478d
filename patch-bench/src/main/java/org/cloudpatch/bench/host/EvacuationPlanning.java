package org.cloudpatch.bench.host;

import java.util.concurrent.TimeUnit;
import org.cloudpatch.scheduling.host.Cluster;
import org.cloudpatch.scheduling.host.EvacuationPlan;
import org.cloudpatch.scheduling.host.EvacuationPlanner;
import org.cloudpatch.scheduling.host.EvacuationPolicy;
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
 * Evacuation planning time against its floor, the greedy one-host-at-a-time first-fit baseline on
 * the same cluster ({@link Clusters}: 30 VMs a host, 70–90% loaded). Report {@code planOneAtATime /
 * greedyBaseline} and {@code planInRounds / greedyBaseline}; {@link EvacuationFigures} prints what
 * each achieves (hosts patched, migrations, rounds).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class EvacuationPlanning {
  @Param({"16", "64", "256"})
  public int hosts;

  private Cluster cluster;
  private EvacuationPlanner oneAtATime;
  private EvacuationPlanner inRounds;

  @Setup
  public void setUp() {
    cluster = Clusters.generate(hosts, 42);
    oneAtATime = EvacuationPlanner.create(EvacuationPolicy.defaults());
    inRounds = EvacuationPlanner.create(roundsPolicy(hosts));
  }

  static EvacuationPolicy roundsPolicy(int hosts) {
    return EvacuationPolicy.builder().maxHostsInMaintenance(Math.max(2, hosts / 8)).build();
  }

  /** The floor: one host at a time, first fit, no proof. */
  @Benchmark
  public GreedyEvacuation.Result greedyBaseline() {
    return GreedyEvacuation.run(cluster);
  }

  /** The planner, one host in maintenance at a time: a proved order. */
  @Benchmark
  public EvacuationPlan planOneAtATime() {
    return oneAtATime.plan(cluster);
  }

  /** The planner with up to an eighth of the hosts in maintenance at once. */
  @Benchmark
  public EvacuationPlan planInRounds() {
    return inRounds.plan(cluster);
  }
}
