package org.cloudpatch.core.process;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.host.HostRemediationPlan;
import org.cloudpatch.core.host.HostRemediationPlan.Move;
import org.cloudpatch.core.host.HostRemediationPlan.Skip;
import org.cloudpatch.core.host.HostRemediationRequest;
import org.cloudpatch.core.host.HostRemediationRequest.HostCapacity;
import org.cloudpatch.core.host.HostRemediationRequest.VmPlacement;
import org.cloudpatch.core.spi.HostRemediationPlanner;

/**
 * A stand-in for patch-scheduling's evacuation planner: hosts in the request's order, each drained
 * greedily (first fit, largest VM first) onto hosts that are neither drained nor in maintenance
 * mode, under capacity and anti-affinity. A host with an immovable VM, or whose VMs do not all fit,
 * is skipped. Not exact (it may skip a host an exhaustive search could drain), which the engine
 * must not care about.
 */
final class SimpleHostPlanner implements HostRemediationPlanner {
  @Override
  public HostRemediationPlan plan(HostRemediationRequest request) {
    Map<HostId, int[]> free = new HashMap<>(); // cpu, mem left
    Set<HostId> blocked = new HashSet<>();
    for (HostCapacity h : request.hosts()) {
      free.put(h.id(), new int[] {h.cpu(), h.memGiB()});
      if (h.inMaintenance()) {
        blocked.add(h.id());
      }
    }
    Map<HostId, Set<String>> groups = new HashMap<>();
    for (VmPlacement v : request.vms()) {
      free.get(v.host())[0] -= v.cpu();
      free.get(v.host())[1] -= v.memGiB();
      v.antiAffinityGroup()
          .ifPresent(g -> groups.computeIfAbsent(v.host(), h -> new HashSet<>()).add(g));
    }
    HostRemediationPlan.Builder out = HostRemediationPlan.builder();
    List<HostId> drained = new ArrayList<>();
    Set<HostId> received = new HashSet<>();
    for (HostCapacity h : request.hosts()) {
      if (!request.remediate().contains(h.id())
          || drained.size() == request.maxHostsInMaintenance()) {
        continue;
      }
      if (received.contains(h.id())) {
        continue; // it takes VMs of this round: drained in a later one
      }
      if (h.inMaintenance()) {
        out.addSkipped(Skip.of(h.id(), "in maintenance mode already"));
        continue;
      }
      List<VmPlacement> vms =
          request.vms().stream()
              .filter(v -> v.host().equals(h.id()))
              .sorted((a, b) -> b.cpu() - a.cpu())
              .toList();
      List<String> immovable =
          vms.stream().filter(v -> v.immovable().isPresent()).map(v -> v.id().value()).toList();
      if (!immovable.isEmpty()) {
        out.addSkipped(Skip.of(h.id(), "runs VMs that cannot be live-migrated: " + immovable));
        continue;
      }
      blocked.add(h.id());
      List<Move> moves = new ArrayList<>();
      boolean fits = true;
      for (VmPlacement v : vms) {
        HostId target = null;
        for (HostCapacity t : request.hosts()) {
          int[] f = free.get(t.id());
          boolean clash =
              v.antiAffinityGroup().isPresent()
                  && groups.getOrDefault(t.id(), Set.of()).contains(v.antiAffinityGroup().get());
          if (!blocked.contains(t.id()) && f[0] >= v.cpu() && f[1] >= v.memGiB() && !clash) {
            target = t.id();
            break;
          }
        }
        if (target == null) {
          fits = false;
          break;
        }
        free.get(target)[0] -= v.cpu();
        free.get(target)[1] -= v.memGiB();
        HostId to = target;
        v.antiAffinityGroup()
            .ifPresent(g -> groups.computeIfAbsent(to, x -> new HashSet<>()).add(g));
        moves.add(Move.of(v.id(), h.id(), target));
      }
      if (!fits) {
        // Undo is not needed for correctness of the skip, but the free space must be restored.
        for (Move m : moves) {
          VmPlacement v = vms.stream().filter(x -> x.id().equals(m.vm())).findFirst().orElseThrow();
          free.get(m.target())[0] += v.cpu();
          free.get(m.target())[1] += v.memGiB();
        }
        blocked.remove(h.id());
        out.addSkipped(Skip.of(h.id(), "no room for its VMs on the other hosts"));
        continue;
      }
      drained.add(h.id());
      moves.forEach(m -> received.add(m.target()));
      out.addDrain(h.id()).addAllMigrations(moves);
    }
    return out.build();
  }
}
