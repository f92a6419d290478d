package org.cloudpatch.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.LifecycleEvent;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.rollout.PackageUpdate;
import org.cloudpatch.core.rollout.PatchJob;
import org.cloudpatch.core.rollout.PatchOutcome;
import org.junit.jupiter.api.Test;

class SimulatedCloudTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  final VirtualClock clock = VirtualClock.at(T0);

  SimulatedCloud cloud(double failureRate) {
    SimulatedCloud c =
        SimulatedCloud.builder()
            .clock(clock)
            .seed(3)
            .failureRate(failureRate)
            .jobDuration(Duration.ofMinutes(10), Duration.ofMinutes(10))
            .build();
    c.addHost(HostId.of("h1"), 8).addHost(HostId.of("h2"), 4);
    c.addVm(vm("vm-1", "h1"), 4, List.of(InstalledPackage.of("openssl", "1.0-1")));
    c.addVm(vm("vm-2", "h1"), 4, List.of(InstalledPackage.of("openssl", "1.0-1")));
    return c;
  }

  static Asset vm(String id, String host) {
    return Asset.builder()
        .id(AssetId.of(id))
        .tenant(TenantId.of("t"))
        .zone(ZoneId.of("UTC"))
        .platform(Platform.parse("Debian:12"))
        .host(HostId.of(host))
        .build();
  }

  static PatchJob job(String key, String vm) {
    return PatchJob.builder()
        .key(key)
        .asset(AssetId.of(vm))
        .addUpdates(PackageUpdate.of("openssl", "1.0-2"))
        .build();
  }

  @Test
  void patchJob_takesClockTime_thenUpdatesThePackages() {
    SimulatedCloud c = cloud(0.0);
    String handle = c.submit(job("j1", "vm-1"));
    assertEquals(Optional.empty(), c.poll(handle));
    clock.advance(Duration.ofMinutes(10));
    PatchOutcome outcome = c.poll(handle).orElseThrow();
    assertTrue(outcome.succeeded());
    assertEquals("1.0-2", c.installed(AssetId.of("vm-1")).get(0).version());
    assertEquals(handle, c.submit(job("j1", "vm-1")), "a resubmitted key is the same job");
    assertEquals(1, c.jobs().size());
  }

  @Test
  void failingJob_leavesThePackagesAsTheyWere() {
    SimulatedCloud c = cloud(1.0);
    String handle = c.submit(job("j1", "vm-1"));
    clock.advance(Duration.ofMinutes(10));
    PatchOutcome outcome = c.poll(handle).orElseThrow();
    assertFalse(outcome.succeeded());
    assertTrue(outcome.message().startsWith("dpkg: error processing package openssl"));
    assertEquals("1.0-1", c.installed(AssetId.of("vm-1")).get(0).version());
  }

  @Test
  void revert_restoresTheSnapshotsPackages() {
    SimulatedCloud c = cloud(0.0);
    String snapshot = c.snapshot(AssetId.of("vm-1"), "before");
    c.submit(job("j1", "vm-1"));
    clock.advance(Duration.ofMinutes(10));
    c.poll("j1");
    c.revert(AssetId.of("vm-1"), snapshot, "r1");
    assertEquals("1.0-1", c.installed(AssetId.of("vm-1")).get(0).version());
    assertThrows(PatchException.class, () -> c.revert(AssetId.of("vm-2"), snapshot, "r2"));
  }

  @Test
  void migration_needsCapacityAndAHostOutOfMaintenance() {
    SimulatedCloud c = cloud(0.0);
    c.migrate(AssetId.of("vm-1"), HostId.of("h2"), "m1");
    assertEquals(Optional.of(HostId.of("h2")), c.placement(AssetId.of("vm-1")));
    PatchException full =
        assertThrows(
            PatchException.class, () -> c.migrate(AssetId.of("vm-2"), HostId.of("h2"), "m2"));
    assertTrue(full.getMessage().contains("0 vCPUs free, 4 needed"), full.getMessage());
    c.enterMaintenance(HostId.of("h1"), "e1");
    PatchException maintenance =
        assertThrows(
            PatchException.class, () -> c.migrate(AssetId.of("vm-1"), HostId.of("h1"), "m3"));
    assertTrue(maintenance.getMessage().contains("maintenance"));
    assertTrue(c.hosts().get(0).inMaintenance());
  }

  @Test
  void suspendAndResume_areLifecycleEvents_withTheSuspensionStart() {
    SimulatedCloud c = cloud(0.0);
    c.suspend(AssetId.of("vm-1"));
    clock.advance(Duration.ofDays(9));
    c.resume(AssetId.of("vm-1"));
    var page = c.lifecycleEvents(Optional.empty());
    assertEquals(2, page.events().size());
    LifecycleEvent resumed = page.events().get(1);
    assertEquals(LifecycleEvent.Kind.RESUMED, resumed.kind());
    assertEquals(Optional.of(T0), resumed.suspendedSince());
    assertEquals(0, c.lifecycleEvents(page.nextCursor()).events().size(), "cursor moves forward");
    assertThrows(PatchException.class, () -> c.migrate(AssetId.of("vm-9"), HostId.of("h2"), "m4"));
  }

  @Test
  void placement_overCapacity_isRejectedAtBuildTime() {
    SimulatedCloud c = cloud(0.0);
    assertThrows(
        IllegalArgumentException.class,
        () -> c.addVm(vm("vm-3", "h1"), 4, List.of(InstalledPackage.of("openssl", "1"))));
  }
}
