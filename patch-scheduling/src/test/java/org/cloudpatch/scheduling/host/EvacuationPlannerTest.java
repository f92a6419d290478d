package org.cloudpatch.scheduling.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.scheduling.host.Cluster.ClusterHost;
import org.cloudpatch.scheduling.host.Cluster.ClusterVm;
import org.cloudpatch.scheduling.host.Cluster.Mobility;
import org.cloudpatch.scheduling.host.EvacuationPlan.Blocker;
import org.cloudpatch.scheduling.host.EvacuationPlan.Migration;
import org.cloudpatch.scheduling.host.EvacuationPlan.Verdict;
import org.cloudpatch.scheduling.host.EvacuationPolicy.ImmovableVms;
import org.junit.jupiter.api.Test;

class EvacuationPlannerTest {
  private static final HostId A = HostId.of("host-a");
  private static final HostId B = HostId.of("host-b");
  private static final HostId C = HostId.of("host-c");

  private static ClusterVm vm(String id, HostId host, int cpu, int mem) {
    return ClusterVm.builder().id(AssetId.of(id)).host(host).cpu(cpu).memGiB(mem).build();
  }

  private static Cluster cluster(List<ClusterHost> hosts, ClusterVm... vms) {
    return Cluster.builder().addAllHosts(hosts).addVms(vms).build();
  }

  private static EvacuationPlan plan(Cluster c, EvacuationPolicy p) {
    EvacuationPlan plan = EvacuationPlanner.create(p).plan(c);
    if (plan.verdict() == Verdict.FEASIBLE) {
      PlanReplay.check(c, p, plan);
    }
    return plan;
  }

  @Test
  void plan_twoHostsWithRoom_drainsEachIntoTheOther() {
    Cluster c =
        cluster(
            List.of(ClusterHost.of(A, 8, 16), ClusterHost.of(B, 8, 16)),
            vm("vm-1", A, 2, 4),
            vm("vm-2", B, 2, 4));
    EvacuationPlan plan = plan(c, EvacuationPolicy.defaults());
    assertEquals(Verdict.FEASIBLE, plan.verdict());
    assertEquals(2, plan.rounds().size());
    assertEquals(
        Set.of(A, B), Set.copyOf(plan.rounds().stream().flatMap(r -> r.hosts().stream()).toList()));
  }

  @Test
  void plan_vmsMovedToAPatchedHost_doNotMoveAgain() {
    // a is lighter, so it goes first and its VM lands on b; when b is drained, both go to a,
    // which is patched by then: three migrations, none of a VM that already moved to a.
    Cluster c =
        cluster(
            List.of(ClusterHost.of(A, 8, 16), ClusterHost.of(B, 8, 16)),
            vm("vm-1", A, 1, 1),
            vm("vm-2", B, 2, 2));
    EvacuationPlan plan = plan(c, EvacuationPolicy.defaults());
    assertEquals(List.of(A), plan.rounds().get(0).hosts());
    assertEquals(
        List.of(Migration.of(AssetId.of("vm-1"), A, B)), plan.rounds().get(0).migrations());
    assertEquals(2, plan.rounds().get(1).migrations().size());
    assertTrue(plan.rounds().get(1).migrations().stream().allMatch(m -> m.target().equals(A)));
  }

  @Test
  void plan_pinnedVm_skipsHostNamingTheVm() {
    Cluster c =
        cluster(
            List.of(ClusterHost.of(A, 8, 16), ClusterHost.of(B, 8, 16)),
            ClusterVm.builder()
                .id(AssetId.of("db-1"))
                .host(A)
                .cpu(2)
                .memGiB(4)
                .mobility(Mobility.LOCAL_DISK)
                .build(),
            vm("vm-2", B, 2, 4));
    EvacuationPlan plan = plan(c, EvacuationPolicy.defaults());
    assertEquals(Verdict.FEASIBLE, plan.verdict());
    assertEquals(1, plan.skipped().size());
    assertEquals(A, plan.skipped().get(0).host());
    assertEquals(List.of(AssetId.of("db-1")), plan.skipped().get(0).blockingVms());
    assertTrue(plan.skipped().get(0).reason().contains("db-1 (local_disk)"));
    assertEquals(List.of(B), plan.rounds().get(0).hosts());
  }

  @Test
  void plan_pinnedVm_withDowntimePolicy_patchesHostAndListsTheDowntime() {
    Cluster c =
        cluster(
            List.of(ClusterHost.of(A, 8, 16), ClusterHost.of(B, 8, 16)),
            ClusterVm.builder()
                .id(AssetId.of("gpu-1"))
                .host(A)
                .cpu(2)
                .memGiB(4)
                .mobility(Mobility.PASSTHROUGH)
                .build(),
            vm("vm-2", A, 2, 4));
    EvacuationPolicy p =
        EvacuationPolicy.builder().immovableVms(ImmovableVms.PATCH_WITH_DOWNTIME).build();
    EvacuationPlan plan = plan(c, p);
    assertEquals(Verdict.FEASIBLE, plan.verdict());
    assertEquals(List.of(), plan.skipped());
    EvacuationPlan.Round roundOfA =
        plan.rounds().stream().filter(r -> r.hosts().contains(A)).findFirst().orElseThrow();
    assertEquals(List.of(AssetId.of("gpu-1")), roundOfA.downtime());
    assertTrue(roundOfA.migrations().stream().noneMatch(m -> m.vm().value().equals("gpu-1")));
  }

  @Test
  void plan_vmLargerThanAnyOtherHostCanTake_isInfeasibleNamingTheVm() {
    Cluster c =
        cluster(
            List.of(ClusterHost.of(A, 32, 64), ClusterHost.of(B, 8, 16)), vm("big-1", A, 16, 32));
    EvacuationPlan plan = plan(c, EvacuationPolicy.defaults());
    assertEquals(Verdict.INFEASIBLE, plan.verdict());
    assertEquals(List.of(), plan.rounds());
    Blocker b = plan.blockers().get(0);
    assertEquals(Optional.of(AssetId.of("big-1")), b.vm());
    assertEquals("capacity", b.constraint());
  }

  @Test
  void plan_antiAffinityPairOnTwoHosts_isInfeasibleNamingTheConstraint() {
    ClusterVm one =
        ClusterVm.builder()
            .id(AssetId.of("db-1"))
            .host(A)
            .cpu(1)
            .memGiB(1)
            .antiAffinityGroup("db")
            .build();
    ClusterVm two = ClusterVm.builder().from(one).id(AssetId.of("db-2")).host(B).build();
    Cluster c = cluster(List.of(ClusterHost.of(A, 8, 16), ClusterHost.of(B, 8, 16)), one, two);
    EvacuationPlan plan = plan(c, EvacuationPolicy.defaults());
    assertEquals(Verdict.INFEASIBLE, plan.verdict());
    assertTrue(plan.blockers().stream().anyMatch(b -> b.constraint().equals("anti-affinity")));
  }

  @Test
  void plan_antiAffinityPairWithAThirdHost_keepsThemApart() {
    ClusterVm one =
        ClusterVm.builder()
            .id(AssetId.of("db-1"))
            .host(A)
            .cpu(1)
            .memGiB(1)
            .antiAffinityGroup("db")
            .build();
    ClusterVm two = ClusterVm.builder().from(one).id(AssetId.of("db-2")).host(B).build();
    Cluster c =
        cluster(
            List.of(ClusterHost.of(A, 8, 16), ClusterHost.of(B, 8, 16), ClusterHost.of(C, 8, 16)),
            one,
            two);
    assertEquals(Verdict.FEASIBLE, plan(c, EvacuationPolicy.defaults()).verdict());
  }

  @Test
  void plan_headroom_isKeptOnEveryReceivingHost() {
    // 25% headroom leaves b 6 of its 8 vCPUs: a's 4 fit, a's 8 would not.
    Cluster fits =
        cluster(List.of(ClusterHost.of(A, 8, 16), ClusterHost.of(B, 8, 16)), vm("vm-1", A, 4, 4));
    Cluster tooMuch =
        cluster(List.of(ClusterHost.of(A, 8, 16), ClusterHost.of(B, 8, 16)), vm("vm-1", A, 7, 4));
    EvacuationPolicy p = EvacuationPolicy.builder().headroomPercent(25).build();
    assertEquals(Verdict.FEASIBLE, plan(fits, p).verdict());
    EvacuationPlan plan = plan(tooMuch, p);
    assertEquals(Verdict.INFEASIBLE, plan.verdict());
    assertEquals("headroom", plan.blockers().get(0).constraint());
  }

  @Test
  void plan_budgetTooSmall_isUndecidedAndStartsNothing() {
    Cluster c =
        cluster(
            List.of(ClusterHost.of(A, 8, 16), ClusterHost.of(B, 8, 16)),
            vm("vm-1", A, 2, 4),
            vm("vm-2", B, 2, 4));
    EvacuationPlan plan = plan(c, EvacuationPolicy.builder().searchBudget(1).build());
    assertEquals(Verdict.UNDECIDED, plan.verdict());
    assertEquals(List.of(), plan.rounds());
    assertEquals("budget", plan.blockers().get(0).constraint());
  }

  @Test
  void plan_severalHostsAtOnce_drainsTogetherWithinTheLimit() {
    List<ClusterHost> hosts =
        List.of(
            ClusterHost.of(HostId.of("h1"), 16, 16),
            ClusterHost.of(HostId.of("h2"), 16, 16),
            ClusterHost.of(HostId.of("h3"), 16, 16),
            ClusterHost.of(HostId.of("h4"), 16, 16),
            ClusterHost.of(HostId.of("h5"), 16, 16),
            ClusterHost.of(HostId.of("h6"), 16, 16));
    Cluster.Builder c = Cluster.builder().addAllHosts(hosts);
    for (int i = 0; i < 6; i++) {
      c.addVms(vm("vm-" + i, hosts.get(i).id(), 2, 2));
    }
    EvacuationPolicy p = EvacuationPolicy.builder().maxHostsInMaintenance(3).build();
    EvacuationPlan plan = plan(c.build(), p);
    assertEquals(Verdict.FEASIBLE, plan.verdict());
    assertTrue(plan.rounds().size() <= 3, "rounds: " + plan.rounds());
    assertTrue(plan.rounds().stream().allMatch(r -> r.hosts().size() <= 3));
  }

  @Test
  void plan_onlySomeHosts_leavesTheOthersUntouched() {
    Cluster c =
        cluster(
            List.of(ClusterHost.of(A, 8, 16), ClusterHost.of(B, 8, 16), ClusterHost.of(C, 8, 16)),
            vm("vm-1", A, 2, 4));
    EvacuationPlan plan = plan(c, EvacuationPolicy.builder().addHosts(A).build());
    assertEquals(List.of(A), plan.rounds().get(0).hosts());
    assertEquals(1, plan.rounds().size());
  }

  @Test
  void plan_policyNamingAnUnknownHost_isRejected() {
    Cluster c = cluster(List.of(ClusterHost.of(A, 8, 16)));
    EvacuationPlanner planner =
        EvacuationPlanner.create(EvacuationPolicy.builder().addHosts(B).build());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> planner.plan(c));
    assertTrue(e.getMessage().contains("host-b"));
  }

  @Test
  void cluster_vmOnUnknownHost_isRejectedNamingBoth() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> cluster(List.of(ClusterHost.of(A, 8, 16)), vm("vm-9", B, 1, 1)));
    assertEquals("VM vm-9 is placed on unknown host host-b", e.getMessage());
  }
}
