package org.cloudpatch.scheduling.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.scheduling.host.Cluster.ClusterHost;
import org.cloudpatch.scheduling.host.Cluster.ClusterVm;
import org.cloudpatch.scheduling.host.EvacuationPlan.Migration;
import org.cloudpatch.scheduling.host.EvacuationPlan.Round;

/**
 * Executes a plan step by step on its own model of the cluster, migration by migration, and fails
 * on the first broken rule: a check of the planner that shares none of its code.
 */
final class PlanReplay {
  private PlanReplay() {}

  static void check(Cluster cluster, EvacuationPolicy policy, EvacuationPlan plan) {
    Map<HostId, ClusterHost> hosts = new HashMap<>();
    cluster.hosts().forEach(h -> hosts.put(h.id(), h));
    Map<AssetId, ClusterVm> vms = new HashMap<>();
    Map<AssetId, HostId> where = new HashMap<>();
    for (ClusterVm v : cluster.vms()) {
      vms.put(v.id(), v);
      where.put(v.id(), v.host());
    }
    Set<HostId> patched = new HashSet<>();
    for (Round round : plan.rounds()) {
      assertTrue(
          round.hosts().size() <= policy.maxHostsInMaintenance(),
          "round " + round.index() + " puts " + round.hosts().size() + " hosts in maintenance");
      Set<HostId> maintenance = Set.copyOf(round.hosts());
      for (HostId h : round.hosts()) {
        assertTrue(patched.add(h), "host " + h + " patched twice");
      }
      for (Migration m : round.migrations()) {
        ClusterVm vm = vms.get(m.vm());
        assertEquals(where.get(m.vm()), m.source(), "migration of " + m.vm() + " from elsewhere");
        assertEquals(Cluster.Mobility.MOVABLE, vm.mobility(), m.vm() + " cannot move");
        assertFalse(maintenance.contains(m.target()), m.vm() + " moved to a host in maintenance");
        where.put(m.vm(), m.target());
        ClusterHost t = hosts.get(m.target());
        int cpu = 0;
        int mem = 0;
        for (Map.Entry<AssetId, HostId> e : where.entrySet()) {
          if (e.getValue().equals(m.target())) {
            cpu += vms.get(e.getKey()).cpu();
            mem += vms.get(e.getKey()).memGiB();
            if (!e.getKey().equals(m.vm())
                && vm.antiAffinityGroup().isPresent()
                && vm.antiAffinityGroup().equals(vms.get(e.getKey()).antiAffinityGroup())) {
              fail(m.vm() + " joins " + e.getKey() + " of its anti-affinity group on " + t.id());
            }
          }
        }
        // Headroom in integer arithmetic, as documented: the host keeps at least its share.
        long limitCpu = (long) t.cpu() * (100 - policy.headroomPercent()) / 100;
        long limitMem = (long) t.memGiB() * (100 - policy.headroomPercent()) / 100;
        assertTrue(
            cpu <= limitCpu && mem <= limitMem,
            m.vm()
                + " overfills "
                + t.id()
                + ": "
                + cpu
                + "/"
                + limitCpu
                + " vCPUs, "
                + mem
                + "/"
                + limitMem
                + " GiB");
      }
      for (HostId h : round.hosts()) {
        for (Map.Entry<AssetId, HostId> e : where.entrySet()) {
          if (e.getValue().equals(h)
              && vms.get(e.getKey()).mobility() == Cluster.Mobility.MOVABLE) {
            fail("host " + h + " patched while it runs " + e.getKey());
          }
          if (e.getValue().equals(h)) {
            assertTrue(
                policy.immovableVms() == EvacuationPolicy.ImmovableVms.PATCH_WITH_DOWNTIME
                    && round.downtime().contains(e.getKey()),
                "host " + h + " patched with " + e.getKey() + " on it, not listed as downtime");
          }
        }
      }
    }
    Set<HostId> expected = new HashSet<>();
    for (ClusterHost h : cluster.hosts()) {
      if (policy.hosts().isEmpty() || policy.hosts().contains(h.id())) {
        expected.add(h.id());
      }
    }
    Set<HostId> skipped = new HashSet<>();
    plan.skipped().forEach(s -> skipped.add(s.host()));
    Set<HostId> covered = new HashSet<>(patched);
    covered.addAll(skipped);
    assertEquals(expected, covered, "hosts neither patched nor skipped");
    for (EvacuationPlan.SkippedHost s : plan.skipped()) {
      assertFalse(patched.contains(s.host()), "skipped host " + s.host() + " was patched");
      assertFalse(s.blockingVms().isEmpty(), "skipped host " + s.host() + " names no VM");
    }
    List<HostId> unused = List.copyOf(skipped);
    assertTrue(unused.stream().noneMatch(patched::contains));
  }
}
