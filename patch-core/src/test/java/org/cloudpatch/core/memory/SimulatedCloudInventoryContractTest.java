package org.cloudpatch.core.memory;

import java.util.List;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.testkit.InventorySourceContract;

class SimulatedCloudInventoryContractTest extends InventorySourceContract<SimulatedCloud> {
  @Override
  protected SimulatedCloud newSource(List<ManagedAsset> fleet) {
    return KitClouds.of(fleet);
  }

  @Override
  protected boolean install(SimulatedCloud cloud, AssetId asset, List<InstalledPackage> pkgs) {
    return KitClouds.install(cloud, asset, pkgs);
  }

  @Override
  protected boolean expireCursors(SimulatedCloud cloud) {
    cloud.forgetChanges();
    return true;
  }
}
