package org.cloudpatch.core.process;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.host.HostRemediationPlan;
import org.cloudpatch.core.host.HostRemediationRequest;
import org.cloudpatch.core.host.HostRemediationRequest.HostCapacity;
import org.cloudpatch.core.host.HostRemediationRequest.VmPlacement;
import org.cloudpatch.core.process.HostEvents.HostRoundPlanned;
import org.cloudpatch.core.process.HostEvents.HostSkipped;
import org.cloudpatch.core.process.HostEvents.HostStep;
import org.cloudpatch.core.process.HostEvents.Migration;
import org.cloudpatch.core.spi.HypervisorAdapter.Demand;
import org.cloudpatch.core.spi.HypervisorAdapter.Host;
import org.cloudpatch.core.spi.HypervisorAdapter.Resident;

/**
 * Host remediation's planning: reads the cluster (hosts, placements, power states, demands), asks
 * the host's planner for the next round of hosts to drain, checks the plan against what it read
 * before a host enters maintenance mode, and journals the round or why no host can go.
 */
final class HostRounds {
  // A host whose memory the hypervisor does not report: only its vCPUs bound what it takes.
  private static final int UNREPORTED_MEMORY_GIB = 1 << 20;

  private HostRounds() {}

  static void plan(Driver d, Instant now) {
    HostWork w = d.state.hosts;
    int slots = d.policy.maxHostsInMaintenance() - w.maintenance.size();
    if (slots < 1 || d.state.parked(HostPatchStep.SUBJECT, now) || d.hostPlanner == null) {
      return;
    }
    List<ProcessEvent> events = new ArrayList<>();
    // A host waiting to be planned again may still be leaving maintenance mode: it waits for that.
    Set<HostId> remediate = new TreeSet<>(w.pending.keySet());
    remediate.removeAll(w.maintenance);
    if (remediate.isEmpty()) {
      return;
    }
    if (!d.hypervisor.capabilities().canPatchHosts()) {
      remediate.forEach(h -> events.add(new HostSkipped(h, "the hypervisor cannot patch hosts")));
      d.emit(now, events);
      return;
    }
    // The VMs on a host are judged against the inventory as it is now: an engine just rebuilt
    // from its journal whose first inventory read failed knows no VM, and would skip every host
    // for running "VMs the inventory does not know". Without a fresh read, planning waits.
    if (!d.refreshAssets(now)) {
      return;
    }
    Optional<List<Host>> hosts =
        HostPatchStep.read(d, now, "hosts", Optional.empty(), d.hypervisor::hosts);
    if (hosts.isEmpty()) {
      return;
    }
    Map<HostId, Host> byId = new TreeMap<>();
    hosts.get().forEach(h -> byId.put(h.id(), h));
    ClusterRead cluster = new ClusterRead();
    if (d.hypervisor.capabilities().listsResidents()) {
      readByHost(d, now, byId.keySet(), cluster);
    } else {
      readByVm(d, now, byId.keySet(), cluster);
    }
    List<HostCapacity> capacities = new ArrayList<>();
    for (Host h : byId.values()) {
      // VMs the inventory does not know use what the hypervisor reports beyond the known ones.
      int unknownUse = Math.max(0, h.vcpuUsed() - cluster.knownVcpus(h.id()));
      if (unknownUse > 0 && cluster.placementsIncomplete) {
        // A VM whose placement was not read shows only as use nobody accounts for: on which host
        // is not known, so every host with such use waits for a complete read.
        cluster.uncertain.add(h.id());
      }
      if (cluster.uncertain.contains(h.id())) {
        // Neither drained nor a migration target this round: what runs on it is not known.
        cluster.vms.removeIf(v -> v.host().equals(h.id()));
        remediate.remove(h.id());
        capacities.add(
            HostCapacity.of(
                h.id(),
                Math.max(1, h.vcpuCapacity()),
                h.memGiBCapacity().orElse(UNREPORTED_MEMORY_GIB),
                true));
        continue;
      }
      int cpu = h.vcpuCapacity() - unknownUse;
      if (unknownUse > 0 && remediate.remove(h.id())) {
        List<AssetId> strangers = cluster.strangers.getOrDefault(h.id(), List.of());
        events.add(
            new HostSkipped(
                h.id(),
                "runs "
                    + unknownUse
                    + " vCPUs of VMs the inventory does not know"
                    + (strangers.isEmpty() ? "" : ": " + strangers)));
      }
      if (cpu < 1) {
        HostId gone = h.id();
        cluster.vms.removeIf(v -> v.host().equals(gone));
        continue;
      }
      capacities.add(
          HostCapacity.of(
              h.id(), cpu, h.memGiBCapacity().orElse(UNREPORTED_MEMORY_GIB), h.inMaintenance()));
    }
    for (HostId h : List.copyOf(remediate)) {
      if (!byId.containsKey(h)) {
        remediate.remove(h);
        events.add(new HostSkipped(h, "the hypervisor does not know it"));
      }
    }
    // A partial read decides nothing for good: a host the planner cannot drain now may be drained
    // once the hosts that were not read can take its VMs.
    boolean partial = !cluster.uncertain.isEmpty();
    if (remediate.isEmpty()) {
      d.emit(now, events);
      return;
    }
    HostRemediationRequest request =
        HostRemediationRequest.builder()
            .hosts(capacities)
            .vms(cluster.vms)
            .remediate(remediate)
            .maxHostsInMaintenance(slots)
            .build();
    Optional<HostRemediationPlan> plan =
        d.host(
            now,
            HostPatchStep.SUBJECT,
            "host remediation planner",
            () -> d.hostPlanner.plan(request));
    if (plan.isEmpty()) {
      d.emit(now, events);
      return;
    }
    Optional<String> broken = broken(request, plan.get());
    if (broken.isPresent()) {
      events.add(
          new EffectEvents.WorkParked(
              HostPatchStep.SUBJECT,
              "host remediation planner broke its guarantee: " + broken.get()));
      d.emit(now, events);
      return;
    }
    HostRemediationPlan p = plan.get();
    Set<HostId> left = new TreeSet<>(remediate);
    for (HostRemediationPlan.Skip s : p.skipped()) {
      if (!partial && left.remove(s.host())) {
        events.add(new HostSkipped(s.host(), s.reason()));
      }
    }
    left.removeAll(p.drain());
    if (p.drain().isEmpty() && partial) {
      d.emit(now, events);
      return;
    }
    if (p.drain().isEmpty()) {
      // Nothing to do now means nothing later either: the cluster does not change by waiting.
      left.forEach(h -> events.add(new HostSkipped(h, "the planner drains no host now")));
      d.emit(now, events);
      return;
    }
    String round = String.format("HR-%05d", w.rounds + 1);
    events.add(
        new HostRoundPlanned(
            round,
            p.drain(),
            p.migrations().stream()
                .map(m -> new Migration(m.vm(), m.source(), m.target()))
                .toList()));
    for (HostId h : p.drain()) {
      events.add(
          HostPatchStep.effect(
              d,
              now,
              HostStep.ENTER,
              round + "/enter/" + h,
              h,
              Optional.empty(),
              Optional.empty()));
    }
    d.emit(now, events);
  }

  /**
   * Reads each host's VMs in one call. A host whose list cannot be read is uncertain; a VM the
   * inventory does not know is named on its host (its use counts as unknown).
   */
  private static void readByHost(Driver d, Instant now, Set<HostId> hosts, ClusterRead cluster) {
    for (HostId host : hosts) {
      Optional<List<Resident>> residents =
          HostPatchStep.read(
              d, now, "residents", Optional.empty(), () -> d.hypervisor.residents(host));
      if (residents.isEmpty()) {
        cluster.uncertain.add(host);
        continue;
      }
      for (Resident r : residents.get()) {
        Asset a = d.assets.get(r.vm());
        if (a == null) {
          cluster.strangers.computeIfAbsent(host, h -> new ArrayList<>()).add(r.vm());
        } else {
          cluster.add(d, a, host, Optional.of(r.powerState()), r.demand());
        }
      }
    }
  }

  /**
   * Reads placement, power state and demand VM by VM, for hypervisors that cannot list a host's
   * VMs. A VM whose power state or demand cannot be read makes its host uncertain; one whose
   * placement cannot be read makes the read incomplete.
   */
  private static void readByVm(Driver d, Instant now, Set<HostId> hosts, ClusterRead cluster) {
    for (Asset a : HostPatchStep.vms(d)) {
      Optional<AssetId> id = Optional.of(a.id());
      Optional<Optional<HostId>> on =
          HostPatchStep.read(d, now, "placement", id, () -> d.hypervisor.placement(a.id()));
      if (on.isEmpty()) {
        cluster.placementsIncomplete = true;
        continue;
      }
      if (on.get().isEmpty() || !hosts.contains(on.get().get())) {
        continue; // not (or no longer) in this cluster
      }
      HostId host = on.get().get();
      if (cluster.uncertain.contains(host)) {
        continue; // planned next round at the earliest: no need to read more of it
      }
      Optional<Optional<Asset.PowerState>> power =
          HostPatchStep.read(d, now, "powerState", id, () -> d.hypervisor.powerState(a.id()));
      Optional<Optional<Demand>> demand =
          power.isEmpty()
              ? Optional.empty()
              : HostPatchStep.read(d, now, "demand", id, () -> d.hypervisor.demand(a.id()));
      if (power.isEmpty() || demand.isEmpty()) {
        cluster.uncertain.add(host);
        continue;
      }
      cluster.add(d, a, host, power.get(), demand.get());
    }
  }

  /** What one planning pass read of the cluster. */
  private static final class ClusterRead {
    final List<VmPlacement> vms = new ArrayList<>();

    /** Hosts whose VMs were not all read: neither drained nor a migration target this round. */
    final Set<HostId> uncertain = new TreeSet<>();

    /** VMs the hypervisor listed on a host that the inventory does not know. */
    final Map<HostId, List<AssetId>> strangers = new TreeMap<>();

    /** Whether some VM's placement could not be read. */
    boolean placementsIncomplete;

    private final Map<HostId, int[]> known = new TreeMap<>();

    int knownVcpus(HostId host) {
      return known.getOrDefault(host, new int[1])[0];
    }

    void add(
        Driver d, Asset a, HostId host, Optional<Asset.PowerState> power, Optional<Demand> demand) {
      Optional<String> immovable = Optional.empty();
      if (!d.hypervisor.capabilities().canLiveMigrate()) {
        immovable = Optional.of("the hypervisor cannot live-migrate");
      } else if (power.orElse(Asset.PowerState.STOPPED) != Asset.PowerState.RUNNING) {
        immovable = Optional.of("it is " + power.map(Enum::name).orElse("in an unknown state"));
      } else if (demand.isEmpty()) {
        immovable = Optional.of("its demand is unknown");
      }
      Demand dm = demand.orElse(Demand.of(1, 1));
      known.computeIfAbsent(host, h -> new int[1])[0] += dm.vcpus();
      vms.add(
          VmPlacement.builder()
              .id(a.id())
              .host(host)
              .cpu(dm.vcpus())
              .memGiB(dm.memGiB())
              .antiAffinityGroup(antiAffinityGroup(a))
              .immovable(immovable)
              .build());
    }
  }

  /** What in the plan breaks the guarantees of {@link HostRemediationPlan}, if anything. */
  private static Optional<String> broken(HostRemediationRequest q, HostRemediationPlan p) {
    Set<HostId> blocked = new TreeSet<>(p.drain());
    Set<HostId> hosts = new TreeSet<>();
    for (HostCapacity h : q.hosts()) {
      hosts.add(h.id());
      if (h.inMaintenance()) {
        blocked.add(h.id());
      }
    }
    if (p.drain().size() > q.maxHostsInMaintenance()) {
      return Optional.of(
          "drains " + p.drain().size() + " hosts, " + q.maxHostsInMaintenance() + " allowed");
    }
    for (HostId h : p.drain()) {
      if (!q.remediate().contains(h)) {
        return Optional.of("drains " + h + ", which is not to remediate");
      }
    }
    for (HostRemediationPlan.Move m : p.migrations()) {
      if (!p.drain().contains(m.source())
          || !hosts.contains(m.target())
          || blocked.contains(m.target())) {
        return Optional.of("migration " + m.vm() + " " + m.source() + " -> " + m.target());
      }
    }
    return Optional.empty();
  }

  static Optional<String> antiAffinityGroup(Asset a) {
    return a.tags().stream()
        .filter(t -> t.startsWith(HostPatchStep.ANTI_AFFINITY_TAG))
        .map(t -> t.substring(HostPatchStep.ANTI_AFFINITY_TAG.length()))
        .sorted()
        .findFirst();
  }
}
