package org.cloudpatch.core.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.rollout.PackageUpdate;
import org.cloudpatch.core.rollout.PatchJob;
import org.cloudpatch.core.testkit.InventorySourceContract.ManagedAsset;

/** The inventory kit's fleet in a {@link SimulatedCloud}, and the kit's hooks on it. */
public final class KitClouds {
  private KitClouds() {}

  /** A cloud whose jobs land at once and never fail, holding exactly the fleet. */
  public static SimulatedCloud of(List<ManagedAsset> fleet) {
    SimulatedCloud cloud =
        SimulatedCloud.builder()
            .clock(VirtualClock.at(Instant.parse("2026-02-01T00:00:00Z")))
            .failureRate(0)
            .jobDuration(Duration.ZERO, Duration.ZERO)
            .build();
    fleet.stream()
        .map(m -> m.asset().host().orElseThrow())
        .distinct()
        .forEach(h -> cloud.addHost(h, 64));
    fleet.forEach(m -> cloud.addVm(m.asset(), 1, m.installed()));
    return cloud;
  }

  private static int jobs;

  /** Installs the packages' versions on the VM by a patch job that lands at once. */
  public static boolean install(SimulatedCloud cloud, AssetId vm, List<InstalledPackage> pkgs) {
    PatchJob.Builder job = PatchJob.builder().key("kit-install-" + ++jobs).asset(vm);
    pkgs.forEach(p -> job.addUpdates(PackageUpdate.of(p.name(), p.version())));
    cloud.reliable().submit(job.build());
    return true;
  }
}
