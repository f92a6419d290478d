package org.cloudpatch.bench.host;

import java.util.SplittableRandom;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.scheduling.host.Cluster;
import org.cloudpatch.scheduling.host.Cluster.ClusterHost;
import org.cloudpatch.scheduling.host.Cluster.ClusterVm;

/**
 * Generated clusters: {@code hosts} hosts of 30 VMs each, every host loaded to between 70% and 90%
 * of its vCPUs and memory, one VM in ten in an anti-affinity group of three spread over three
 * hosts. The same arguments give the same cluster.
 */
final class Clusters {
  static final int VMS_PER_HOST = 30;

  private Clusters() {}

  static Cluster generate(int hosts, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Cluster.Builder c = Cluster.builder();
    int group = 0;
    int groupMembers = 0;
    for (int h = 0; h < hosts; h++) {
      HostId id = HostId.of(String.format("host-%04d", h));
      int cpu = 0;
      int mem = 0;
      for (int v = 0; v < VMS_PER_HOST; v++) {
        int vcpu = 1 + r.nextInt(4);
        int gib = 2 * (1 + r.nextInt(8));
        cpu += vcpu;
        mem += gib;
        ClusterVm.Builder vm =
            ClusterVm.builder()
                .id(AssetId.of(String.format("vm-%04d-%02d", h, v)))
                .host(id)
                .cpu(vcpu)
                .memGiB(gib);
        // Members of one group sit on consecutive hosts (v == 0 of three hosts in a row).
        if (v == 0 && r.nextInt(10) < 3) {
          vm.antiAffinityGroup("group-" + group);
          if (++groupMembers == 3) {
            group++;
            groupMembers = 0;
          }
        }
        c.addVms(vm.build());
      }
      double load = 0.70 + 0.20 * r.nextDouble();
      c.addHosts(ClusterHost.of(id, (int) Math.ceil(cpu / load), (int) Math.ceil(mem / load)));
    }
    return c.build();
  }
}
