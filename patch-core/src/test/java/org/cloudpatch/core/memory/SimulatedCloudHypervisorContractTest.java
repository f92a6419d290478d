package org.cloudpatch.core.memory;

import java.time.Instant;
import java.util.List;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.testkit.HypervisorAdapterContract;

class SimulatedCloudHypervisorContractTest extends HypervisorAdapterContract<SimulatedCloud> {
  @Override
  protected SimulatedCloud newHypervisor(Topology topology) {
    SimulatedCloud cloud =
        SimulatedCloud.builder()
            .clock(VirtualClock.at(Instant.parse("2026-02-01T00:00:00Z")))
            .build();
    topology.hosts().forEach(cloud::addHost);
    topology.vms().forEach((vm, vcpus) -> cloud.addVm(vm, vcpus, List.of()));
    return cloud;
  }

  @Override
  protected void causeLifecycleEvent(SimulatedCloud cloud, AssetId vm) {
    cloud.suspend(vm);
    cloud.resume(vm);
  }
}
