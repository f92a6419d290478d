package org.cloudpatch.core.memory;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.rollout.PackageUpdate;
import org.cloudpatch.core.rollout.PatchJob;
import org.cloudpatch.core.testkit.PatchExecutorContract;

class SimulatedCloudExecutorContractTest extends PatchExecutorContract<SimulatedCloud> {
  private static final AssetId VM = AssetId.of("vm-1");
  private final VirtualClock clock = VirtualClock.at(Instant.parse("2026-02-01T00:00:00Z"));

  @Override
  protected SimulatedCloud newExecutor() {
    return SimulatedCloud.builder()
        .clock(clock)
        .build()
        .addHost(HostId.of("host-1"), 8)
        .addVm(
            Asset.builder()
                .id(VM)
                .tenant(TenantId.of("acme"))
                .zone(ZoneId.of("UTC"))
                .platform(Platform.parse("Debian:12"))
                .host(HostId.of("host-1"))
                .build(),
            2,
            List.of(InstalledPackage.of("openssl", "3.0.11-1~deb12u2")));
  }

  @Override
  protected PatchJob job(SimulatedCloud cloud, String key) {
    return PatchJob.builder()
        .key(key)
        .asset(VM)
        .addUpdates(PackageUpdate.of("openssl", "3.0.15-1~deb12u1"))
        .build();
  }

  @Override
  protected void letTimePass(SimulatedCloud cloud, Duration duration) {
    clock.advance(duration);
  }
}
