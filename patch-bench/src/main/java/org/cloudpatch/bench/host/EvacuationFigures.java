package org.cloudpatch.bench.host;

import java.util.Locale;
import org.cloudpatch.scheduling.host.Cluster;
import org.cloudpatch.scheduling.host.EvacuationPlan;
import org.cloudpatch.scheduling.host.EvacuationPlanner;
import org.cloudpatch.scheduling.host.EvacuationPolicy;

/**
 * Prints what the baseline and the planner achieve on the benchmark's clusters: hosts patched and
 * left, migrations, and rounds (hosts remediated in parallel). Run with {@code java -cp
 * patch-bench/target/benchmarks.jar org.cloudpatch.bench.host.EvacuationFigures 16 64 256}.
 */
public final class EvacuationFigures {
  private EvacuationFigures() {}

  /** Prints one table row per cluster size given as an argument. */
  public static void main(String[] args) {
    System.out.println(
        "hosts | greedy: patched/left, migrations, rounds | planner 1-at-a-time: verdict,"
            + " migrations, rounds | planner in rounds (k): verdict, migrations, rounds");
    for (String a : args) {
      int hosts = Integer.parseInt(a);
      Cluster c = Clusters.generate(hosts, 42);
      GreedyEvacuation.Result g = GreedyEvacuation.run(c);
      EvacuationPlan one = EvacuationPlanner.create(EvacuationPolicy.defaults()).plan(c);
      EvacuationPolicy roundsPolicy = EvacuationPlanning.roundsPolicy(hosts);
      EvacuationPlan rounds = EvacuationPlanner.create(roundsPolicy).plan(c);
      System.out.println(
          String.format(
              Locale.ROOT,
              "%d | %d/%d, %d, %d | %s, %d, %d | %s (k=%d), %d, %d",
              hosts,
              g.hostsPatched(),
              g.hostsLeft(),
              g.migrations(),
              g.hostsPatched(),
              one.verdict(),
              one.migrationCount(),
              one.rounds().size(),
              rounds.verdict(),
              roundsPolicy.maxHostsInMaintenance(),
              rounds.migrationCount(),
              rounds.rounds().size()));
    }
  }
}
