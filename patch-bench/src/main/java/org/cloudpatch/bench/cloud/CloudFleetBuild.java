package org.cloudpatch.bench.cloud;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.memory.SimulatedCloud;
import org.cloudpatch.core.memory.VirtualClock;
import org.cloudpatch.core.rollout.PackageUpdate;
import org.cloudpatch.core.rollout.PatchJob;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Building a simulated cloud of {@code vms} VMs on 40 hosts, as {@code demo --vms N} does, and
 * submitting one patch job per VM.
 *
 * <ul>
 *   <li>{@code assets}: <b>the floor</b> — only building the {@link Asset} values the fleet is made
 *       of.
 *   <li>{@code buildFleet}: adding every host and VM. Report {@code buildFleet / assets} per size:
 *       it stays flat as the fleet grows when adding a VM is constant-time (it grew with the fleet
 *       while every add recomputed the host's use by scanning all VMs).
 *   <li>{@code buildAndSubmit}: the same, then one job per VM; {@code buildAndSubmit / assets}
 *       stays flat when submitting does not scan the running jobs.
 * </ul>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class CloudFleetBuild {
  static final int HOSTS = 40;

  @Param({"1000", "10000", "100000"})
  public int vms;

  List<InstalledPackage> image = List.of();

  @Setup(Level.Trial)
  public void image() {
    image =
        List.of(
            InstalledPackage.of("bash", "5.2.15-2+b2"),
            InstalledPackage.of("libssl3", "3.0.11-1~deb12u2"),
            InstalledPackage.of("openssl", "3.0.11-1~deb12u2"));
  }

  @Benchmark
  public List<Asset> assets() {
    List<Asset> out = new ArrayList<>(vms);
    for (int i = 0; i < vms; i++) {
      out.add(asset(i));
    }
    return out;
  }

  @Benchmark
  public SimulatedCloud buildFleet() {
    return build();
  }

  @Benchmark
  public SimulatedCloud buildAndSubmit() {
    SimulatedCloud cloud = build();
    for (int i = 0; i < vms; i++) {
      cloud.submit(
          PatchJob.builder()
              .key("job-" + i)
              .asset(AssetId.of("vm-" + i))
              .addUpdates(PackageUpdate.of("openssl", "3.0.15-1~deb12u1"))
              .build());
    }
    return cloud;
  }

  private SimulatedCloud build() {
    SimulatedCloud cloud =
        SimulatedCloud.builder()
            .clock(VirtualClock.at(Instant.parse("2026-03-02T00:00:00Z")))
            .seed(1)
            .jobDuration(Duration.ofMinutes(4), Duration.ofMinutes(20))
            .build();
    int perHost = (vms + HOSTS - 1) / HOSTS * 4;
    for (int h = 0; h < HOSTS; h++) {
      cloud.addHost(HostId.of("host-" + h), perHost);
    }
    for (int i = 0; i < vms; i++) {
      cloud.addVm(asset(i), 4, image);
    }
    return cloud;
  }

  private static Asset asset(int i) {
    return Asset.builder()
        .id(AssetId.of("vm-" + i))
        .tenant(TenantId.of("t" + i % 3))
        .zone(ZoneId.of("UTC"))
        .platform(Platform.parse("Debian:12"))
        .host(HostId.of("host-" + i % HOSTS))
        .build();
  }
}
