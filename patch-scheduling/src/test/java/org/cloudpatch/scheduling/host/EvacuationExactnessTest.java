package org.cloudpatch.scheduling.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.scheduling.host.Cluster.ClusterHost;
import org.cloudpatch.scheduling.host.Cluster.ClusterVm;
import org.cloudpatch.scheduling.host.Cluster.Mobility;
import org.cloudpatch.scheduling.host.EvacuationPlan.Verdict;
import org.cloudpatch.scheduling.host.EvacuationPolicy.ImmovableVms;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * The planner is exact on small clusters: for random clusters of up to 5 hosts and 12 VMs an
 * exhaustive search written here, without the planner's heuristics, decides whether an order exists
 * that drains every host one at a time; the planner must find one exactly when it exists, and every
 * plan it gives must survive {@link PlanReplay}. With more hosts in maintenance at once, rounds
 * must never lose feasibility.
 */
class EvacuationExactnessTest {
  /** A random cluster and policy, drawn from one seed so that a failure prints what to rerun. */
  record Case(Cluster cluster, EvacuationPolicy policy, long seed) {
    @Override
    public String toString() {
      return "seed " + seed + ": " + cluster + " under " + policy;
    }
  }

  private static Case draw(long seed) {
    Random r = new Random(seed);
    int hostCount = 1 + r.nextInt(5);
    List<ClusterHost> hosts = new ArrayList<>();
    int[] freeCpu = new int[hostCount];
    int[] freeMem = new int[hostCount];
    for (int h = 0; h < hostCount; h++) {
      int cpu = 4 + r.nextInt(13);
      int mem = 4 + r.nextInt(29);
      hosts.add(ClusterHost.of(HostId.of("h" + h), cpu, mem));
      freeCpu[h] = cpu;
      freeMem[h] = mem;
    }
    List<ClusterVm> vms = new ArrayList<>();
    int vmCount = r.nextInt(13);
    for (int v = 0; v < vmCount; v++) {
      int cpu = 1 + r.nextInt(6);
      int mem = 1 + r.nextInt(12);
      int h = r.nextInt(hostCount);
      if (freeCpu[h] < cpu || freeMem[h] < mem) {
        continue; // the cluster starts within capacity
      }
      freeCpu[h] -= cpu;
      freeMem[h] -= mem;
      ClusterVm.Builder b =
          ClusterVm.builder()
              .id(AssetId.of("vm" + v))
              .host(HostId.of("h" + h))
              .cpu(cpu)
              .memGiB(mem);
      int g = r.nextInt(6);
      if (g < 2) {
        b.antiAffinityGroup("g" + g);
      }
      if (r.nextInt(12) == 0) {
        b.mobility(Mobility.values()[1 + r.nextInt(3)]);
      }
      vms.add(b.build());
    }
    EvacuationPolicy policy =
        EvacuationPolicy.builder()
            .headroomPercent(new int[] {0, 0, 10, 25}[r.nextInt(4)])
            .immovableVms(ImmovableVms.values()[r.nextInt(2)])
            .maxHostsInMaintenance(1 + r.nextInt(3))
            .build();
    return new Case(Cluster.builder().addAllHosts(hosts).addAllVms(vms).build(), policy, seed);
  }

  private static Gen<Case> cases() {
    return SourceDSL.longs().all().map(EvacuationExactnessTest::draw);
  }

  @Test
  void planner_findsAnOrderExactlyWhenOneExists() {
    qt().withExamples(600)
        .forAll(cases())
        .checkAssert(
            c -> {
              EvacuationPolicy oneAtATime =
                  EvacuationPolicy.builder().from(c.policy()).maxHostsInMaintenance(1).build();
              EvacuationPlan plan = EvacuationPlanner.create(oneAtATime).plan(c.cluster());
              boolean exists = Exhaustive.orderExists(c.cluster(), oneAtATime);
              assertEquals(
                  exists ? Verdict.FEASIBLE : Verdict.INFEASIBLE, plan.verdict(), c.toString());
              if (exists) {
                PlanReplay.check(c.cluster(), oneAtATime, plan);
              }
            });
  }

  @Test
  void rounds_ofSeveralHosts_keepEveryFeasibleClusterFeasible() {
    qt().withExamples(600)
        .forAll(cases())
        .checkAssert(
            c -> {
              EvacuationPlan plan = EvacuationPlanner.create(c.policy()).plan(c.cluster());
              EvacuationPolicy oneAtATime =
                  EvacuationPolicy.builder().from(c.policy()).maxHostsInMaintenance(1).build();
              boolean exists = Exhaustive.orderExists(c.cluster(), oneAtATime);
              assertEquals(
                  exists ? Verdict.FEASIBLE : Verdict.INFEASIBLE, plan.verdict(), c.toString());
              if (exists) {
                PlanReplay.check(c.cluster(), c.policy(), plan);
              }
            });
  }

  /**
   * Every order and every placement: a plain depth-first search over (hosts drained, where every VM
   * is), trying each VM of the host being drained on every other host in index order.
   */
  static final class Exhaustive {
    private final int[] limitCpu;
    private final int[] limitMem;
    private final int[] cpu;
    private final int[] mem;
    private final String[] group;
    private final boolean[] movable;
    private final boolean[] toDrain;
    private final Set<String> seen = new HashSet<>();

    private Exhaustive(Cluster c, EvacuationPolicy p) {
      int hosts = c.hosts().size();
      limitCpu = new int[hosts];
      limitMem = new int[hosts];
      toDrain = new boolean[hosts];
      for (int h = 0; h < hosts; h++) {
        ClusterHost host = c.hosts().get(h);
        limitCpu[h] = host.cpu() * (100 - p.headroomPercent()) / 100;
        limitMem[h] = host.memGiB() * (100 - p.headroomPercent()) / 100;
        boolean hasImmovable =
            c.vms().stream()
                .anyMatch(v -> v.host().equals(host.id()) && v.mobility() != Mobility.MOVABLE);
        toDrain[h] =
            (p.hosts().isEmpty() || p.hosts().contains(host.id()))
                && !(hasImmovable && p.immovableVms() == ImmovableVms.SKIP_HOST);
      }
      int n = c.vms().size();
      cpu = new int[n];
      mem = new int[n];
      group = new String[n];
      movable = new boolean[n];
      for (int v = 0; v < n; v++) {
        ClusterVm vm = c.vms().get(v);
        cpu[v] = vm.cpu();
        mem[v] = vm.memGiB();
        group[v] = vm.antiAffinityGroup().orElse(null);
        movable[v] = vm.mobility() == Mobility.MOVABLE;
      }
    }

    static boolean orderExists(Cluster c, EvacuationPolicy p) {
      Exhaustive e = new Exhaustive(c, p);
      int[] place = new int[c.vms().size()];
      for (int v = 0; v < place.length; v++) {
        HostId h = c.vms().get(v).host();
        for (int i = 0; i < c.hosts().size(); i++) {
          if (c.hosts().get(i).id().equals(h)) {
            place[v] = i;
          }
        }
      }
      return e.search(new boolean[e.toDrain.length], place);
    }

    private boolean search(boolean[] drained, int[] place) {
      boolean done = true;
      for (int h = 0; h < drained.length; h++) {
        done &= !toDrain[h] || drained[h];
      }
      if (done) {
        return true;
      }
      if (!seen.add(Arrays.toString(drained) + Arrays.toString(place))) {
        return false;
      }
      for (int h = 0; h < drained.length; h++) {
        if (toDrain[h] && !drained[h]) {
          List<Integer> leaving = new ArrayList<>();
          for (int v = 0; v < place.length; v++) {
            if (place[v] == h && movable[v]) {
              leaving.add(v);
            }
          }
          if (placeAll(h, leaving, 0, drained, place)) {
            return true;
          }
        }
      }
      return false;
    }

    private boolean placeAll(int h, List<Integer> leaving, int i, boolean[] drained, int[] place) {
      if (i == leaving.size()) {
        boolean[] next = drained.clone();
        next[h] = true;
        return search(next, place);
      }
      int v = leaving.get(i);
      for (int t = 0; t < drained.length; t++) {
        if (t == h || !fits(v, t, place)) {
          continue;
        }
        int[] moved = place.clone();
        moved[v] = t;
        if (placeAll(h, leaving, i + 1, drained, moved)) {
          return true;
        }
      }
      return false;
    }

    private boolean fits(int v, int t, int[] place) {
      int usedCpu = cpu[v];
      int usedMem = mem[v];
      for (int w = 0; w < place.length; w++) {
        if (place[w] == t) {
          usedCpu += cpu[w];
          usedMem += mem[w];
          if (group[v] != null && group[v].equals(group[w])) {
            return false;
          }
        }
      }
      return usedCpu <= limitCpu[t] && usedMem <= limitMem[t];
    }
  }
}
