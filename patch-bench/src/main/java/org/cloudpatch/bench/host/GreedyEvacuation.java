package org.cloudpatch.bench.host;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cloudpatch.scheduling.host.Cluster;
import org.cloudpatch.scheduling.host.Cluster.ClusterHost;
import org.cloudpatch.scheduling.host.Cluster.ClusterVm;

/**
 * The baseline: drain one host at a time in id order, each VM to the first host in id order that
 * has room and holds no member of its anti-affinity group; a host with a VM that fits nowhere is
 * left unpatched. What a script that loops over hosts does.
 */
final class GreedyEvacuation {
  /** What the baseline achieved. */
  record Result(int hostsPatched, int hostsLeft, int migrations) {}

  private GreedyEvacuation() {}

  static Result run(Cluster cluster) {
    List<ClusterHost> hosts = cluster.hosts();
    List<ClusterVm> vms = cluster.vms();
    Map<Object, Integer> index = new HashMap<>();
    for (int h = 0; h < hosts.size(); h++) {
      index.put(hosts.get(h).id(), h);
    }
    int[] place = new int[vms.size()];
    int[] usedCpu = new int[hosts.size()];
    int[] usedMem = new int[hosts.size()];
    for (int v = 0; v < vms.size(); v++) {
      place[v] = java.util.Objects.requireNonNull(index.get(vms.get(v).host()));
      usedCpu[place[v]] += vms.get(v).cpu();
      usedMem[place[v]] += vms.get(v).memGiB();
    }
    int patched = 0;
    int migrations = 0;
    for (int h = 0; h < hosts.size(); h++) {
      int[] moved = new int[vms.size()];
      int n = 0;
      boolean ok = true;
      for (int v = 0; v < vms.size() && ok; v++) {
        if (place[v] != h) {
          continue;
        }
        int target = -1;
        for (int t = 0; t < hosts.size() && target < 0; t++) {
          if (t != h
              && usedCpu[t] + vms.get(v).cpu() <= hosts.get(t).cpu()
              && usedMem[t] + vms.get(v).memGiB() <= hosts.get(t).memGiB()
              && !groupOn(vms, place, v, t)) {
            target = t;
          }
        }
        if (target < 0) {
          ok = false;
        } else {
          move(vms, place, usedCpu, usedMem, v, target);
          moved[n++] = v;
        }
      }
      if (ok) {
        patched++;
        migrations += n;
      } else {
        for (int i = n - 1; i >= 0; i--) {
          move(vms, place, usedCpu, usedMem, moved[i], h);
        }
      }
    }
    return new Result(patched, hosts.size() - patched, migrations);
  }

  private static boolean groupOn(List<ClusterVm> vms, int[] place, int v, int t) {
    if (vms.get(v).antiAffinityGroup().isEmpty()) {
      return false;
    }
    for (int w = 0; w < vms.size(); w++) {
      if (place[w] == t && vms.get(w).antiAffinityGroup().equals(vms.get(v).antiAffinityGroup())) {
        return true;
      }
    }
    return false;
  }

  private static void move(
      List<ClusterVm> vms, int[] place, int[] usedCpu, int[] usedMem, int v, int to) {
    usedCpu[place[v]] -= vms.get(v).cpu();
    usedMem[place[v]] -= vms.get(v).memGiB();
    place[v] = to;
    usedCpu[to] += vms.get(v).cpu();
    usedMem[to] += vms.get(v).memGiB();
  }
}
