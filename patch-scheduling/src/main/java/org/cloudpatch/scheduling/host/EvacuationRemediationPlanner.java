package org.cloudpatch.scheduling.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.host.HostRemediationPlan;
import org.cloudpatch.core.host.HostRemediationPlan.Move;
import org.cloudpatch.core.host.HostRemediationPlan.Skip;
import org.cloudpatch.core.host.HostRemediationRequest;
import org.cloudpatch.core.host.HostRemediationRequest.HostCapacity;
import org.cloudpatch.core.host.HostRemediationRequest.VmPlacement;
import org.cloudpatch.core.spi.HostRemediationPlanner;
import org.cloudpatch.scheduling.host.Cluster.ClusterHost;
import org.cloudpatch.scheduling.host.Cluster.ClusterVm;
import org.cloudpatch.scheduling.host.EvacuationPlan.Verdict;

/**
 * The default {@link HostRemediationPlanner}: the engine's port onto the {@link EvacuationPlanner}.
 * The next step it gives is the first round of a proved plan, so every host it drains leaves the
 * rest of the cluster drainable.
 *
 * <p>Hosts in maintenance mode take no part (a host to remediate that is in maintenance mode
 * already, not by the engine, is skipped); a VM that cannot be live-migrated (the request says why)
 * blocks its host, which is skipped with that reason, as under {@link
 * EvacuationPolicy.ImmovableVms#SKIP_HOST}: the engine never patches a host that runs a VM. When
 * the hosts cannot all be drained, each is proved alone: those that cannot be are skipped with the
 * planner's blockers as the reason, the others are planned together (or, if even that fails, the
 * first alone). The base policy gives the headroom and the search budget. Pure and thread-safe.
 */
public final class EvacuationRemediationPlanner implements HostRemediationPlanner {
  private final EvacuationPolicy base;

  private EvacuationRemediationPlanner(EvacuationPolicy base) {
    this.base = Objects.requireNonNull(base, "base");
  }

  /** A planner with the headroom and search budget of {@code base}; never null. */
  public static EvacuationRemediationPlanner create(EvacuationPolicy base) {
    return new EvacuationRemediationPlanner(base);
  }

  /** A planner under {@link EvacuationPolicy#defaults()}; never null. */
  public static EvacuationRemediationPlanner create() {
    return create(EvacuationPolicy.defaults());
  }

  @Override
  public HostRemediationPlan plan(HostRemediationRequest request) {
    Objects.requireNonNull(request, "request");
    HostRemediationPlan.Builder out = HostRemediationPlan.builder();
    Set<HostId> inMaintenance = new TreeSet<>();
    Cluster.Builder cluster = Cluster.builder();
    for (HostCapacity h : request.hosts()) {
      if (h.inMaintenance()) {
        inMaintenance.add(h.id());
      } else {
        cluster.addHosts(ClusterHost.of(h.id(), h.cpu(), h.memGiB()));
      }
    }
    Map<AssetId, String> immovable = new TreeMap<>();
    for (VmPlacement v : request.vms()) {
      if (inMaintenance.contains(v.host())) {
        continue;
      }
      v.immovable().ifPresent(why -> immovable.put(v.id(), why));
      cluster.addVms(
          ClusterVm.builder()
              .id(v.id())
              .host(v.host())
              .cpu(v.cpu())
              .memGiB(v.memGiB())
              .antiAffinityGroup(v.antiAffinityGroup())
              .mobility(
                  v.immovable().isPresent() ? Cluster.Mobility.PINNED : Cluster.Mobility.MOVABLE)
              .build());
    }
    Cluster c = cluster.build();
    List<HostId> candidates = new ArrayList<>();
    for (HostId h : request.remediate()) {
      if (inMaintenance.contains(h)) {
        out.addSkipped(Skip.of(h, "in maintenance mode already, not by host remediation"));
      } else {
        candidates.add(h);
      }
    }
    if (candidates.isEmpty()) {
      return out.build();
    }
    int k = request.maxHostsInMaintenance();
    EvacuationPlan all = plan(c, candidates, k);
    if (all.verdict() == Verdict.FEASIBLE) {
      return firstRound(all, immovable, out);
    }
    List<HostId> feasible = new ArrayList<>();
    for (HostId h : candidates) {
      EvacuationPlan alone = plan(c, List.of(h), 1);
      if (alone.verdict() == Verdict.FEASIBLE && alone.skipped().isEmpty()) {
        feasible.add(h);
      } else if (alone.verdict() == Verdict.FEASIBLE) {
        alone.skipped().forEach(s -> out.addSkipped(skip(s, immovable)));
      } else {
        out.addSkipped(Skip.of(h, blockers(alone)));
      }
    }
    if (feasible.isEmpty()) {
      return out.build();
    }
    EvacuationPlan some = plan(c, feasible, k);
    if (some.verdict() != Verdict.FEASIBLE) {
      some = plan(c, feasible.subList(0, 1), 1);
    }
    return firstRound(some, immovable, out);
  }

  private EvacuationPlan plan(Cluster c, List<HostId> hosts, int k) {
    EvacuationPolicy policy =
        EvacuationPolicy.builder()
            .from(base)
            .hosts(hosts)
            .maxHostsInMaintenance(k)
            .immovableVms(EvacuationPolicy.ImmovableVms.SKIP_HOST)
            .build();
    return EvacuationPlanner.create(policy).plan(c);
  }

  private static HostRemediationPlan firstRound(
      EvacuationPlan plan, Map<AssetId, String> immovable, HostRemediationPlan.Builder out) {
    plan.skipped().forEach(s -> out.addSkipped(skip(s, immovable)));
    if (!plan.rounds().isEmpty()) {
      EvacuationPlan.Round round = plan.rounds().get(0);
      out.addAllDrain(round.hosts());
      round.migrations().forEach(m -> out.addMigrations(Move.of(m.vm(), m.source(), m.target())));
    }
    return out.build();
  }

  private static Skip skip(EvacuationPlan.SkippedHost s, Map<AssetId, String> immovable) {
    return Skip.of(
        s.host(),
        "runs VMs that cannot be live-migrated: "
            + s.blockingVms().stream()
                .map(v -> v + " (" + immovable.getOrDefault(v, "pinned") + ")")
                .collect(Collectors.joining(", ")));
  }

  private static String blockers(EvacuationPlan plan) {
    String why =
        plan.blockers().stream()
            .limit(3)
            .map(b -> b.constraint() + ": " + b.reason())
            .collect(Collectors.joining("; "));
    return (plan.verdict() == Verdict.UNDECIDED ? "no drain found in budget" : "cannot be drained")
        + (why.isEmpty() ? "" : ": " + why);
  }
}
