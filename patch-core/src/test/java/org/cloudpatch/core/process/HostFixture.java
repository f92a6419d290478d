package org.cloudpatch.core.process;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.memory.FaultPlan;
import org.cloudpatch.core.memory.InMemoryAdvisoryFeed;
import org.cloudpatch.core.memory.InMemoryChangeSystem;
import org.cloudpatch.core.memory.InMemoryEvidenceStore;
import org.cloudpatch.core.memory.InMemoryJournal;
import org.cloudpatch.core.memory.InMemoryNotifier;
import org.cloudpatch.core.memory.SimulatedCloud;
import org.cloudpatch.core.memory.TruthEvent;
import org.cloudpatch.core.memory.VirtualClock;
import org.cloudpatch.core.spi.HostRemediationPlanner;
import org.cloudpatch.core.spi.HypervisorAdapter;
import org.cloudpatch.core.spi.HypervisorAdapter.Capabilities;
import org.cloudpatch.core.spi.Journal;
import org.jspecify.annotations.Nullable;

/**
 * A small cluster in the simulated cloud and an engine over it, for the host remediation tests;
 * with a checker that replays the cloud's ground truth and states what must hold after every event.
 */
final class HostFixture {
  static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
  static final Duration TICK = Duration.ofMinutes(5);
  static final TenantId ACME = TenantId.of("acme");

  final VirtualClock clock = VirtualClock.at(START);
  final SimulatedCloud cloud;
  final InMemoryAdvisoryFeed feed = InMemoryAdvisoryFeed.create("test-feed", clock);
  final InMemoryChangeSystem changes = InMemoryChangeSystem.create(clock, Duration.ofDays(1));
  final InMemoryNotifier notifier = InMemoryNotifier.create().register(ACME, List.of("a@acme"));
  final InMemoryEvidenceStore evidence = InMemoryEvidenceStore.create();
  final Map<AssetId, Optional<String>> groups = new TreeMap<>();
  Journal journal = InMemoryJournal.create();
  HypervisorAdapter hypervisor;
  HostRemediationPlanner planner = new SimpleHostPlanner();
  ProcessPolicy policy = ProcessPolicy.defaults();

  HostFixture(long seed, FaultPlan faults) {
    this(seed, faults, true);
  }

  /**
   * A cluster whose hypervisor lists a host's VMs in one call, or (listsResidents false) is read VM
   * by VM.
   */
  HostFixture(long seed, FaultPlan faults, boolean listsResidents) {
    cloud =
        SimulatedCloud.builder()
            .clock(clock)
            .seed(seed)
            .failureRate(0)
            .faults(faults)
            .capabilities(
                Capabilities.builder()
                    .canPatchSuspended(false)
                    .canSnapshotOnline(true)
                    .canLiveMigrate(true)
                    .canPatchHosts(true)
                    .listsResidents(listsResidents)
                    .build())
            .build();
    hypervisor = cloud;
  }

  HostFixture host(String id, int vcpus) {
    cloud.addHost(HostId.of(id), vcpus);
    return this;
  }

  HostFixture vm(String id, String host, int vcpus, Optional<String> group) {
    return vm(id, host, vcpus, vcpus * SimulatedCloud.DEFAULT_GIB_PER_VCPU, group);
  }

  HostFixture vm(String id, String host, int vcpus, int memGiB, Optional<String> group) {
    Asset.Builder a =
        Asset.builder()
            .id(AssetId.of(id))
            .tenant(ACME)
            .zone(ZoneId.of("UTC"))
            .platform(Platform.parse("Debian:12"))
            .host(HostId.of(host));
    group.ifPresent(g -> a.addTags(HostPatchStep.ANTI_AFFINITY_TAG + g));
    cloud.addVm(a.build(), vcpus, memGiB, List.of(InstalledPackage.of("openssl", "1")));
    groups.put(AssetId.of(id), group);
    return this;
  }

  HostFixture vm(String id, String host, int vcpus) {
    return vm(id, host, vcpus, Optional.empty());
  }

  /** The inventory the engine reads; the cloud's own unless a test wraps it. */
  org.cloudpatch.core.spi.@Nullable InventorySource inventoryInUse;

  PatchEngine engine() {
    return PatchEngine.builder()
        .clock(clock)
        .addFeed(feed)
        .inventorySource(inventoryInUse != null ? inventoryInUse : cloud.reliable())
        .changeSystem(changes)
        .hypervisor(hypervisor)
        .executor(cloud.reliable())
        .notifier(notifier)
        .applicability(new SimpleApplicability())
        .planner(new SimplePlanner())
        .hostRemediationPlanner(planner)
        .journal(journal)
        .evidenceStore(evidence)
        .policy(policy)
        .build();
  }

  void run(PatchEngine engine, Duration span) {
    Instant end = clock.instant().plus(span);
    while (clock.instant().isBefore(end)) {
      engine.tick();
      clock.advance(TICK);
    }
  }

  List<String> types() {
    return journal.readAll().stream().map(e -> e.type()).toList();
  }

  List<TruthEvent> truth(TruthEvent.Kind kind) {
    return cloud.truth().stream().filter(t -> t.event() == kind).toList();
  }

  /**
   * Replays the ground truth and returns every rule it breaks: a host over its vCPUs or memory
   * after it received a VM, two VMs of an anti-affinity group on the host that received one, a host
   * patched while out of maintenance mode or running a VM, more hosts in maintenance mode than
   * {@code limit}.
   */
  List<String> violations(int limit) {
    Map<HostId, int[]> cap = new TreeMap<>();
    Map<AssetId, int[]> size = new TreeMap<>();
    Map<AssetId, HostId> on = new TreeMap<>();
    java.util.Set<HostId> maintenance = new java.util.TreeSet<>();
    List<String> out = new ArrayList<>();
    for (TruthEvent t : cloud.truth()) {
      switch (t.event()) {
        case HOST_ADDED ->
            cap.put(t.host().orElseThrow(), new int[] {t.cpu().getAsInt(), t.memGiB().getAsInt()});
        case PLACED -> {
          size.put(t.vm().orElseThrow(), new int[] {t.cpu().getAsInt(), t.memGiB().getAsInt()});
          on.put(t.vm().orElseThrow(), t.host().orElseThrow());
        }
        case MIGRATED -> {
          AssetId vm = t.vm().orElseThrow();
          HostId to = t.toHost().orElseThrow();
          on.put(vm, to);
          int cpu = 0;
          int mem = 0;
          for (Map.Entry<AssetId, HostId> e : on.entrySet()) {
            if (e.getValue().equals(to)) {
              cpu += size.get(e.getKey())[0];
              mem += size.get(e.getKey())[1];
              Optional<String> g = groups.getOrDefault(e.getKey(), Optional.empty());
              if (!e.getKey().equals(vm)
                  && g.isPresent()
                  && g.equals(groups.getOrDefault(vm, Optional.empty()))) {
                out.add(t.at() + " " + vm + " joined " + e.getKey() + " of group " + g.get());
              }
            }
          }
          if (cpu > cap.get(to)[0] || mem > cap.get(to)[1]) {
            out.add(t.at() + " " + to + " over capacity after receiving " + vm);
          }
          if (maintenance.contains(to)) {
            out.add(t.at() + " " + vm + " moved to " + to + " in maintenance");
          }
        }
        case MAINTENANCE_ENTERED -> {
          maintenance.add(t.host().orElseThrow());
          if (maintenance.size() > limit) {
            out.add(t.at() + " " + maintenance + " in maintenance, limit " + limit);
          }
        }
        case MAINTENANCE_EXITED -> maintenance.remove(t.host().orElseThrow());
        case HOST_PATCHED -> {
          HostId h = t.host().orElseThrow();
          List<AssetId> running =
              on.entrySet().stream()
                  .filter(e -> e.getValue().equals(h))
                  .map(e -> e.getKey())
                  .toList();
          if (!running.isEmpty() || !maintenance.contains(h)) {
            out.add(
                t.at()
                    + " "
                    + h
                    + " patched with "
                    + running
                    + " on it, in maintenance "
                    + maintenance.contains(h));
          }
        }
        default -> {}
      }
    }
    return out;
  }

  /** The hosts the ground truth shows in maintenance mode now. */
  java.util.Set<HostId> inMaintenance() {
    java.util.Set<HostId> out = new java.util.TreeSet<>();
    for (TruthEvent t : cloud.truth()) {
      if (t.event() == TruthEvent.Kind.MAINTENANCE_ENTERED) {
        out.add(t.host().orElseThrow());
      } else if (t.event() == TruthEvent.Kind.MAINTENANCE_EXITED) {
        out.remove(t.host().orElseThrow());
      }
    }
    return out;
  }
}
