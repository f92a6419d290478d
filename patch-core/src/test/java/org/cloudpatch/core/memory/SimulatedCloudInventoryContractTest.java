package org.cloudpatch.core.memory;

import java.time.Instant;
import java.util.List;
import org.cloudpatch.core.testkit.InventorySourceContract;

class SimulatedCloudInventoryContractTest extends InventorySourceContract<SimulatedCloud> {
  @Override
  protected SimulatedCloud newSource(List<ManagedAsset> fleet) {
    SimulatedCloud cloud =
        SimulatedCloud.builder()
            .clock(VirtualClock.at(Instant.parse("2026-02-01T00:00:00Z")))
            .build();
    fleet.stream()
        .map(m -> m.asset().host().orElseThrow())
        .distinct()
        .forEach(h -> cloud.addHost(h, 64));
    fleet.forEach(m -> cloud.addVm(m.asset(), 1, m.installed()));
    return cloud;
  }
}
