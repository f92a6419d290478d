package org.cloudpatch.scheduling.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cloudpatch.scheduling.host.Cluster.ClusterHost;
import org.cloudpatch.scheduling.host.Cluster.ClusterVm;
import org.cloudpatch.scheduling.host.EvacuationPlan.Blocker;

/**
 * Names what stands in the way of a plan, from the cluster as it is: VMs that no other host can
 * take (and the constraint that keeps each host off), hosts whose VMs together exceed what the
 * other hosts have free, and otherwise the hosts that cannot all be drained in any order.
 */
final class Diagnosis {
  private Diagnosis() {}

  static List<Blocker> of(EvacuationSearch s, List<ClusterHost> hosts, List<ClusterVm> vms) {
    List<Blocker> out = new ArrayList<>();
    for (int h = 0; h < s.hostCount; h++) {
      if (!s.toDrain(h) || s.drained[h]) {
        continue;
      }
      long needCpu = 0;
      long needMem = 0;
      for (int v : s.movableOn(h)) {
        needCpu += s.cpu[v];
        needMem += s.mem[v];
        Map<String, Integer> why = new LinkedHashMap<>();
        boolean fitsSomewhere = false;
        for (int t = 0; t < s.hostCount; t++) {
          if (t == h) {
            continue;
          }
          String misfit = s.misfit(v, t);
          if (misfit == null) {
            fitsSomewhere = true;
            break;
          }
          why.merge(misfit, 1, Integer::sum);
        }
        if (!fitsSomewhere) {
          String constraint =
              why.entrySet().stream()
                  .max(Map.Entry.comparingByValue())
                  .map(Map.Entry::getKey)
                  .orElse("capacity");
          out.add(
              Blocker.of(
                  Optional.of(hosts.get(h).id()),
                  Optional.of(vms.get(v).id()),
                  constraint,
                  "VM "
                      + vms.get(v).id()
                      + " ("
                      + s.cpu[v]
                      + " vCPUs, "
                      + s.mem[v]
                      + " GiB) fits on no other host: "
                      + why));
        }
      }
      long freeCpu = 0;
      long freeMem = 0;
      for (int t = 0; t < s.hostCount; t++) {
        if (t != h) {
          freeCpu += Math.max(0, s.limitCpu[t] - s.usedCpu[t]);
          freeMem += Math.max(0, s.limitMem[t] - s.usedMem[t]);
        }
      }
      if (needCpu > freeCpu || needMem > freeMem) {
        out.add(
            Blocker.of(
                Optional.of(hosts.get(h).id()),
                Optional.empty(),
                "capacity",
                "host "
                    + hosts.get(h).id()
                    + " runs "
                    + needCpu
                    + " vCPUs, "
                    + needMem
                    + " GiB of movable VMs; the other hosts have "
                    + freeCpu
                    + " vCPUs, "
                    + freeMem
                    + " GiB free within their headroom"));
      }
    }
    if (out.isEmpty()) {
      List<String> names = new ArrayList<>();
      for (int h = 0; h < s.hostCount; h++) {
        if (s.toDrain(h) && !s.drained[h]) {
          names.add(hosts.get(h).id().value());
        }
      }
      out.add(
          Blocker.of(
              Optional.empty(),
              Optional.empty(),
              "capacity",
              "each host can be drained alone, but hosts "
                  + names
                  + " cannot all be drained in any order: every order leaves some host's VMs"
                  + " without room"));
    }
    return out;
  }
}
