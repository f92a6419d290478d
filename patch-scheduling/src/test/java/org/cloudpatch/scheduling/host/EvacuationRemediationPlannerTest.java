package org.cloudpatch.scheduling.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.host.HostRemediationPlan;
import org.cloudpatch.core.host.HostRemediationRequest;
import org.cloudpatch.core.host.HostRemediationRequest.HostCapacity;
import org.cloudpatch.core.host.HostRemediationRequest.VmPlacement;
import org.junit.jupiter.api.Test;

/** The engine's host remediation port onto the evacuation planner. */
class EvacuationRemediationPlannerTest {
  private static final HostId A = HostId.of("a");
  private static final HostId B = HostId.of("b");
  private static final HostId C = HostId.of("c");

  private static VmPlacement vm(String id, HostId host, int cpu, Optional<String> group) {
    return VmPlacement.builder()
        .id(AssetId.of(id))
        .host(host)
        .cpu(cpu)
        .memGiB(cpu * 2)
        .antiAffinityGroup(group)
        .build();
  }

  private static HostRemediationRequest.Builder cluster() {
    return HostRemediationRequest.builder()
        .addHosts(
            HostCapacity.of(A, 8, 16, false),
            HostCapacity.of(B, 8, 16, false),
            HostCapacity.of(C, 8, 16, false))
        .addVms(
            vm("vm-1", A, 2, Optional.of("db")),
            vm("vm-2", A, 2, Optional.empty()),
            vm("vm-3", B, 2, Optional.of("db")),
            vm("vm-4", C, 4, Optional.empty()))
        .maxHostsInMaintenance(1);
  }

  /** Replays the plan's migrations on the request and checks capacity and anti-affinity. */
  private static void assertSafe(HostRemediationRequest q, HostRemediationPlan p) {
    Map<AssetId, VmPlacement> vms = new TreeMap<>();
    Map<AssetId, HostId> on = new TreeMap<>();
    q.vms().forEach(v -> vms.put(v.id(), v));
    q.vms().forEach(v -> on.put(v.id(), v.host()));
    for (HostRemediationPlan.Move m : p.migrations()) {
      assertTrue(p.drain().contains(m.source()), "moves only off drained hosts: " + m);
      assertTrue(!p.drain().contains(m.target()), "never onto a drained host: " + m);
      on.put(m.vm(), m.target());
      int cpu = 0;
      for (Map.Entry<AssetId, HostId> e : on.entrySet()) {
        if (e.getValue().equals(m.target())) {
          cpu += vms.get(e.getKey()).cpu();
          Optional<String> g = vms.get(e.getKey()).antiAffinityGroup();
          assertTrue(
              e.getKey().equals(m.vm())
                  || g.isEmpty()
                  || !g.equals(vms.get(m.vm()).antiAffinityGroup()),
              "anti-affinity on " + m.target());
        }
      }
      int capacity =
          q.hosts().stream().filter(h -> h.id().equals(m.target())).findFirst().orElseThrow().cpu();
      assertTrue(cpu <= capacity, "capacity of " + m.target());
    }
    for (HostId h : p.drain()) {
      assertTrue(!on.containsValue(h), h + " is empty after the migrations");
    }
  }

  @Test
  void feasibleCluster_drainsOneHostOfTheFirstRound_underCapacityAndAntiAffinity() {
    HostRemediationRequest q = cluster().addRemediate(A, B, C).build();

    HostRemediationPlan p = EvacuationRemediationPlanner.create().plan(q);

    assertEquals(1, p.drain().size(), "the limit of one host in maintenance mode");
    assertEquals(List.of(), p.skipped());
    assertSafe(q, p);
  }

  @Test
  void hostWithAnImmovableVm_isSkippedNamingTheVmAndWhy_andTheOthersAreDrained() {
    HostRemediationRequest q =
        cluster()
            .addVms(
                VmPlacement.builder()
                    .id(AssetId.of("vm-5"))
                    .host(C)
                    .cpu(1)
                    .memGiB(1)
                    .immovable("it is SUSPENDED")
                    .build())
            .addRemediate(A, C)
            .build();

    HostRemediationPlan p = EvacuationRemediationPlanner.create().plan(q);

    assertEquals(List.of(C), p.skipped().stream().map(HostRemediationPlan.Skip::host).toList());
    assertTrue(p.skipped().get(0).reason().contains("vm-5 (it is SUSPENDED)"), p.toString());
    assertEquals(List.of(A), p.drain());
    assertSafe(q, p);
  }

  @Test
  void infeasibleHost_isSkippedWithTheBlockers_andAFeasibleOneIsStillDrained() {
    // vm-9 needs 12 vCPUs: no other host is that big, so c can never be drained.
    HostRemediationRequest q =
        HostRemediationRequest.builder()
            .addHosts(
                HostCapacity.of(A, 8, 64, false),
                HostCapacity.of(B, 8, 64, false),
                HostCapacity.of(C, 16, 64, false))
            .addVms(
                vm("vm-1", A, 2, Optional.empty()),
                vm("vm-3", B, 2, Optional.empty()),
                vm("vm-9", C, 12, Optional.empty()))
            .addRemediate(A, C)
            .maxHostsInMaintenance(2)
            .build();

    HostRemediationPlan p = EvacuationRemediationPlanner.create().plan(q);

    assertEquals(List.of(C), p.skipped().stream().map(HostRemediationPlan.Skip::host).toList());
    assertTrue(p.skipped().get(0).reason().startsWith("cannot be drained"), p.toString());
    assertEquals(List.of(A), p.drain());
    assertSafe(q, p);
  }

  @Test
  void hostInMaintenanceAlready_isSkipped_andNeverATarget() {
    HostRemediationRequest q =
        HostRemediationRequest.builder()
            .addHosts(
                HostCapacity.of(A, 8, 16, false),
                HostCapacity.of(B, 8, 16, true),
                HostCapacity.of(C, 8, 16, false))
            .addVms(vm("vm-1", A, 2, Optional.empty()), vm("vm-2", A, 2, Optional.empty()))
            .addRemediate(A, B)
            .maxHostsInMaintenance(1)
            .build();

    HostRemediationPlan p = EvacuationRemediationPlanner.create().plan(q);

    assertEquals(Set.of(B), Set.copyOf(p.skipped().stream().map(s -> s.host()).toList()));
    assertEquals(List.of(A), p.drain());
    assertTrue(p.migrations().stream().allMatch(m -> m.target().equals(C)), p.toString());
  }
}
