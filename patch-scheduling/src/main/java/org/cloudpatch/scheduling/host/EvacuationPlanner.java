package org.cloudpatch.scheduling.host;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.scheduling.host.Cluster.ClusterHost;
import org.cloudpatch.scheduling.host.Cluster.ClusterVm;
import org.cloudpatch.scheduling.host.EvacuationPlan.Blocker;
import org.cloudpatch.scheduling.host.EvacuationPlan.Migration;
import org.cloudpatch.scheduling.host.EvacuationPlan.Round;
import org.cloudpatch.scheduling.host.EvacuationPlan.SkippedHost;
import org.cloudpatch.scheduling.host.EvacuationPlan.Verdict;
import org.cloudpatch.scheduling.host.EvacuationPolicy.ImmovableVms;

/**
 * Plans the remediation of a cluster's hosts: which hosts enter maintenance mode together, in which
 * order, and where each of their VMs is live-migrated.
 *
 * <p>The whole sequence is proved before anything runs. Draining one host at a time is decided
 * exactly (within {@link EvacuationPolicy#searchBudget()} steps): when any order exists the planner
 * finds one, and when it answers {@link Verdict#INFEASIBLE} none exists. With {@link
 * EvacuationPolicy#maxHostsInMaintenance()} above one, hosts are drained together in rounds, each
 * round grown only while the hosts left can still be drained from the state it leaves (proved by
 * the same search), so rounds never turn a feasible cluster into an infeasible one.
 *
 * <p>Hosts whose VMs cannot all move follow {@link EvacuationPolicy#immovableVms()}. Pure and
 * thread-safe: the same cluster and policy give the same plan.
 */
public final class EvacuationPlanner {
  private final EvacuationPolicy policy;

  private EvacuationPlanner(EvacuationPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /** A planner under the given policy, never null. */
  public static EvacuationPlanner create(EvacuationPolicy policy) {
    return new EvacuationPlanner(policy);
  }

  /**
   * Plans the remediation of the policy's hosts of {@code cluster}.
   *
   * @param cluster the cluster, never null
   * @return the plan, never null
   * @throws IllegalArgumentException if the policy names a host the cluster does not have
   */
  public EvacuationPlan plan(Cluster cluster) {
    Objects.requireNonNull(cluster, "cluster");
    List<ClusterHost> hosts = cluster.hosts();
    List<ClusterVm> vms = cluster.vms();
    Map<HostId, Integer> hostIndex = new HashMap<>();
    for (int h = 0; h < hosts.size(); h++) {
      hostIndex.put(hosts.get(h).id(), h);
    }
    for (HostId h : policy.hosts()) {
      if (!hostIndex.containsKey(h)) {
        throw new IllegalArgumentException("policy names host " + h + ", not in the cluster");
      }
    }
    int[] capCpu = hosts.stream().mapToInt(ClusterHost::cpu).toArray();
    int[] capMem = hosts.stream().mapToInt(ClusterHost::memGiB).toArray();
    int[] place = vms.stream().mapToInt(v -> hostIndex.get(v.host())).toArray();

    boolean[] toDrain = new boolean[hosts.size()];
    List<SkippedHost> skipped = new ArrayList<>();
    for (int h = 0; h < hosts.size(); h++) {
      HostId id = hosts.get(h).id();
      if (!policy.hosts().isEmpty() && !policy.hosts().contains(id)) {
        continue;
      }
      List<AssetId> immovable = immovableOn(vms, id);
      if (!immovable.isEmpty() && policy.immovableVms() == ImmovableVms.SKIP_HOST) {
        skipped.add(
            SkippedHost.of(
                id,
                immovable,
                "runs VMs that cannot be live-migrated: " + describeImmovable(vms, immovable)));
      } else {
        toDrain[h] = true;
      }
    }
    EvacuationSearch search =
        new EvacuationSearch(
            capCpu, capMem, policy.headroomPercent(), vms, place, toDrain, policy.searchBudget());
    EvacuationPlan.Builder plan = EvacuationPlan.builder().addAllSkipped(skipped);
    List<EvacuationSearch.Step> sequence;
    try {
      sequence = search.solveSequentially();
    } catch (EvacuationSearch.BudgetExhausted e) {
      return plan.verdict(Verdict.UNDECIDED)
          .addBlockers(
              Blocker.of(
                  Optional.empty(),
                  Optional.empty(),
                  "budget",
                  "no order found or ruled out within "
                      + policy.searchBudget()
                      + " search steps; raise the budget or remediate fewer hosts at once"))
          .addAllBlockers(Diagnosis.of(search, hosts, vms))
          .build();
    }
    if (sequence == null) {
      return plan.verdict(Verdict.INFEASIBLE)
          .addAllBlockers(Diagnosis.of(search, hosts, vms))
          .build();
    }
    List<List<EvacuationSearch.Step>> rounds =
        policy.maxHostsInMaintenance() == 1
            ? sequence.stream().map(List::of).toList()
            : new Rounds(search, policy.maxHostsInMaintenance()).build();
    for (int r = 0; r < rounds.size(); r++) {
      plan.addRounds(round(r, rounds.get(r), hosts, vms));
    }
    return plan.verdict(Verdict.FEASIBLE).build();
  }

  private static Round round(
      int index, List<EvacuationSearch.Step> steps, List<ClusterHost> hosts, List<ClusterVm> vms) {
    Round.Builder round = Round.builder().index(index);
    Set<Integer> drained = new HashSet<>();
    for (EvacuationSearch.Step step : steps) {
      round.addHosts(hosts.get(step.host()).id());
      drained.add(step.host());
      for (int[] m : step.moves()) {
        round.addMigrations(
            Migration.of(vms.get(m[0]).id(), hosts.get(m[1]).id(), hosts.get(m[2]).id()));
      }
    }
    for (ClusterVm vm : vms) {
      if (vm.mobility() != Cluster.Mobility.MOVABLE
          && drained.stream().anyMatch(h -> hosts.get(h).id().equals(vm.host()))) {
        round.addDowntime(vm.id());
      }
    }
    return round.build();
  }

  private static List<AssetId> immovableOn(List<ClusterVm> vms, HostId host) {
    return vms.stream()
        .filter(v -> v.host().equals(host) && v.mobility() != Cluster.Mobility.MOVABLE)
        .map(ClusterVm::id)
        .toList();
  }

  private static String describeImmovable(List<ClusterVm> vms, List<AssetId> ids) {
    List<String> parts = new ArrayList<>();
    for (ClusterVm v : vms) {
      if (ids.contains(v.id())) {
        parts.add(v.id() + " (" + v.mobility().name().toLowerCase(java.util.Locale.ROOT) + ")");
      }
    }
    return String.join(", ", parts);
  }

  /** Groups hosts into rounds of up to {@code k} drained together, proving the rest each time. */
  private static final class Rounds {
    private final EvacuationSearch search;
    private final int k;

    Rounds(EvacuationSearch search, int k) {
      this.search = search;
      this.k = k;
    }

    List<List<EvacuationSearch.Step>> build() {
      List<List<EvacuationSearch.Step>> rounds = new ArrayList<>();
      while (!search.pending().isEmpty()) {
        // The proved sequence from here starts the round, so every round makes progress.
        List<EvacuationSearch.Step> sequence = search.solveSequentially();
        if (sequence == null || sequence.isEmpty()) {
          throw new IllegalStateException("a proved cluster became infeasible between rounds");
        }
        EvacuationSearch.Step first = sequence.get(0);
        List<EvacuationSearch.Step> round = new ArrayList<>();
        round.add(first);
        search.apply(first);
        search.drained[first.host()] = false;
        search.inMaintenance[first.host()] = true;
        Set<Integer> received = new HashSet<>();
        first.moves().forEach(m -> received.add(m[2]));
        for (int h : search.pending()) {
          if (round.size() == k) {
            break;
          }
          if (h == first.host() || received.contains(h)) {
            continue;
          }
          List<int[]> moves = search.drainGreedily(h);
          if (moves != null) {
            round.add(new EvacuationSearch.Step(h, List.copyOf(moves)));
            moves.forEach(m -> received.add(m[2]));
          }
        }
        // One proof for the whole round; only if it fails, shed hosts from the end until it holds
        // (with the first host alone it holds: that is the proved sequence).
        while (round.size() > 1 && !restIsFeasible(round)) {
          EvacuationSearch.Step last = round.remove(round.size() - 1);
          search.undrain(last.host(), last.moves());
        }
        for (EvacuationSearch.Step s : round) {
          search.inMaintenance[s.host()] = false;
          search.drained[s.host()] = true;
        }
        rounds.add(round);
      }
      return rounds;
    }

    /** Whether the hosts left can be drained once this round is over. */
    private boolean restIsFeasible(List<EvacuationSearch.Step> round) {
      for (EvacuationSearch.Step s : round) {
        search.inMaintenance[s.host()] = false;
        search.drained[s.host()] = true;
      }
      boolean ok;
      try {
        ok = search.solveSequentially() != null;
      } catch (EvacuationSearch.BudgetExhausted e) {
        ok = false;
      }
      for (EvacuationSearch.Step s : round) {
        search.inMaintenance[s.host()] = true;
        search.drained[s.host()] = false;
      }
      return ok;
    }
  }
}
