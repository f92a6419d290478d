package org.cloudpatch.scheduling.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.memory.InMemoryChangeSystem;
import org.cloudpatch.core.memory.InMemoryEvidenceStore;
import org.cloudpatch.core.memory.InMemoryJournal;
import org.cloudpatch.core.memory.InMemoryNotifier;
import org.cloudpatch.core.memory.SimulatedCloud;
import org.cloudpatch.core.memory.TruthEvent;
import org.cloudpatch.core.memory.VirtualClock;
import org.cloudpatch.core.process.PatchEngine;
import org.junit.jupiter.api.Test;

/**
 * The engine with the default host remediation planner, on the simulated cloud: a cluster that can
 * only be remediated in the right order (the big VM on host c fits only on a drained host a).
 */
class EngineHostRemediationTest {
  private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
  private static final TenantId ACME = TenantId.of("acme");

  private static Asset vm(String id, String host) {
    return Asset.builder()
        .id(AssetId.of(id))
        .tenant(ACME)
        .zone(ZoneId.of("UTC"))
        .platform(Platform.parse("Debian:12"))
        .host(HostId.of(host))
        .build();
  }

  @Test
  void engineWithEvacuationPlanner_remediatesAClusterThatNeedsTheRightOrder() {
    VirtualClock clock = VirtualClock.at(START);
    SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).seed(1).failureRate(0).build();
    List<InstalledPackage> image = List.of(InstalledPackage.of("openssl", "1"));
    cloud.addHost(HostId.of("a"), 8).addHost(HostId.of("b"), 8).addHost(HostId.of("c"), 8);
    cloud.addVm(vm("vm-1", "a"), 2, image);
    cloud.addVm(vm("vm-3", "b"), 2, image);
    cloud.addVm(vm("vm-9", "c"), 7, image);
    PatchEngine engine =
        PatchEngine.builder()
            .clock(clock)
            .inventorySource(cloud)
            .changeSystem(InMemoryChangeSystem.create(clock, Duration.ofDays(1)))
            .hypervisor(cloud)
            .executor(cloud)
            .notifier(InMemoryNotifier.create())
            .applicability((advisory, inventory) -> List.of())
            .planner(
                request -> {
                  throw new IllegalStateException("no advisory, so no rollout to plan");
                })
            .hostRemediationPlanner(EvacuationRemediationPlanner.create())
            .journal(InMemoryJournal.create())
            .evidenceStore(InMemoryEvidenceStore.create())
            .build();
    Set<HostId> all = Set.of(HostId.of("a"), HostId.of("b"), HostId.of("c"));
    engine.remediateHosts(all, "hypervisor baseline");

    for (int i = 0; i < 12 * 12 && !engine.isIdle(); i++) {
      engine.tick();
      clock.advance(Duration.ofMinutes(5));
    }

    assertEquals(all, engine.hostsRemediated(), "skipped: " + engine.hostsSkipped());
    List<TruthEvent> truth = cloud.truth();
    Set<HostId> patched = new TreeSet<>();
    Set<HostId> inMaintenance = new TreeSet<>();
    for (TruthEvent t : truth) {
      switch (t.event()) {
        case MAINTENANCE_ENTERED -> {
          inMaintenance.add(t.host().orElseThrow());
          assertTrue(inMaintenance.size() <= 1, "one host at a time: " + truth);
        }
        case MAINTENANCE_EXITED -> inMaintenance.remove(t.host().orElseThrow());
        case HOST_PATCHED -> patched.add(t.host().orElseThrow());
        default -> {}
      }
    }
    assertEquals(all, patched);
    assertEquals(Set.of(), inMaintenance);
    assertTrue(
        truth.stream()
            .anyMatch(
                t ->
                    t.event() == TruthEvent.Kind.MIGRATED
                        && t.vm().orElseThrow().value().equals("vm-9")),
        "the big VM moved once a drained host had room");
  }
}
