package org.cloudpatch.core.process;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.host.HostRemediationPlan;
import org.cloudpatch.core.host.HostRemediationRequest;
import org.cloudpatch.core.host.HostRemediationRequest.HostCapacity;
import org.cloudpatch.core.host.HostRemediationRequest.VmPlacement;
import org.cloudpatch.core.process.HostEvents.HostDrainAbandoned;
import org.cloudpatch.core.process.HostEvents.HostEffectConfirmed;
import org.cloudpatch.core.process.HostEvents.HostEffectFailed;
import org.cloudpatch.core.process.HostEvents.HostEffectRequested;
import org.cloudpatch.core.process.HostEvents.HostLevelRead;
import org.cloudpatch.core.process.HostEvents.HostPatchUnverified;
import org.cloudpatch.core.process.HostEvents.HostPatchVerified;
import org.cloudpatch.core.process.HostEvents.HostRemediationRequested;
import org.cloudpatch.core.process.HostEvents.HostRoundPlanned;
import org.cloudpatch.core.process.HostEvents.HostSkipped;
import org.cloudpatch.core.process.HostEvents.HostStep;
import org.cloudpatch.core.process.HostEvents.Migration;
import org.cloudpatch.core.process.HostWork.InRound;
import org.cloudpatch.core.process.HostWork.Phase;
import org.cloudpatch.core.spi.HypervisorAdapter;
import org.cloudpatch.core.spi.HypervisorAdapter.Demand;
import org.cloudpatch.core.spi.HypervisorAdapter.Host;

/**
 * Host remediation (issue 13, the host side of step 8): drains, patches and restores the hosts the
 * host application asked for, one planned round at a time.
 *
 * <p>With no round under way, the cluster is read through the {@link HypervisorAdapter} (hosts, and
 * each VM's placement, power state and demand) and the {@link
 * org.cloudpatch.core.spi.HostRemediationPlanner} says which hosts to drain together and where
 * their VMs go, or why a host cannot be drained: such a host is skipped and never enters
 * maintenance mode. The round is then carried out as effects, each requested under its key before
 * the hypervisor is called and confirmed after: maintenance mode on for the round's hosts, the
 * migrations one at a time in the plan's order, the patch of each host once the hypervisor shows no
 * VM on it, maintenance mode off once the host reports a patch level other than before its patch. A
 * host whose level did not change stays in maintenance mode, empty and out of service, and is
 * reported ({@code host.patch.unverified}); it no longer counts against the maintenance limit. A
 * failed call is retried with backoff under its key; entering maintenance mode or patching that is
 * not confirmed by the effect deadline skips the host with the reason; a migration that fails
 * {@value #MIGRATE_ATTEMPTS} times abandons the drains it was part of, which leave maintenance mode
 * and are planned again from the cluster as it then is ({@value #DRAIN_ATTEMPTS} abandoned drains
 * skip the host). Leaving maintenance mode is retried until confirmed, and until then the host
 * counts against {@link ProcessPolicy#maxHostsInMaintenance()}.
 */
final class HostPatchStep {
  /** A VM's anti-affinity group is the value of its first tag with this prefix. */
  static final String ANTI_AFFINITY_TAG = "anti-affinity:";

  /** Drains of one host abandoned before it is skipped. */
  static final int DRAIN_ATTEMPTS = 3;

  /** Calls of one migration, under its key and with backoff, before its drain is abandoned. */
  static final int MIGRATE_ATTEMPTS = 3;

  private static final String SUBJECT = "host remediation";
  private static final String HV = "HypervisorAdapter";
  // A host whose memory the hypervisor does not report: only its vCPUs bound what it takes.
  private static final int UNREPORTED_MEMORY_GIB = 1 << 20;
  private static final int READ_ATTEMPTS = 3;
  private static final int PASSES = 64;

  private HostPatchStep() {}

  /** Journals the request for the hosts not already waiting or in the round under way. */
  static void request(Driver d, Instant now, Collection<HostId> hosts, String reason) {
    HostWork w = d.state.hosts;
    List<ProcessEvent> events = new ArrayList<>();
    for (HostId h : new TreeSet<>(hosts)) {
      Objects.requireNonNull(h, "host");
      InRound r = w.roundHosts.get(h);
      if (w.pending.containsKey(h) || (r != null && r.phase != Phase.DONE)) {
        continue;
      }
      events.add(new HostRemediationRequested(h, reason));
    }
    d.emit(now, events);
  }

  /** Does the host work that is due: runs due effects, requests the next ones, plans a round. */
  static void remediate(Driver d, Instant now) {
    HostWork w = d.state.hosts;
    boolean planned = false;
    Set<HostId> unread = new TreeSet<>(); // hosts whose level could not be read in this tick
    for (int pass = 0; pass < PASSES && !w.idle(); pass++) {
      long before = d.state.nextSeq;
      runDue(d, now);
      advance(d, now, unread);
      if (!planned && !w.roundActive() && !w.pending.isEmpty()) {
        planned = true;
        plan(d, now);
      }
      if (d.state.nextSeq == before) {
        break;
      }
    }
  }

  // ---- effects ---------------------------------------------------------------------------

  private static void runDue(Driver d, Instant now) {
    HostWork w = d.state.hosts;
    for (HostWork.Effect x : List.copyOf(w.effects.values())) {
      HostEffectRequested e = x.request;
      if (!w.effects.containsKey(e.key()) || now.isBefore(x.retryAt)) {
        continue; // confirmed or dropped meanwhile, or not due
      }
      Driver.Result<Boolean> r = attempt(d, e);
      if (r.ok()) {
        d.emit(now, new HostEffectConfirmed(e.step(), e.key(), e.host(), e.vm()));
        continue;
      }
      List<ProcessEvent> events = new ArrayList<>();
      events.add(new HostEffectFailed(e.step(), e.key(), e.host(), e.vm(), r.failure()));
      boolean late = !now.isBefore(e.deadline());
      switch (e.step()) {
        case ENTER -> {
          if (late) {
            events.add(
                new HostSkipped(
                    e.host(),
                    "maintenance mode not confirmed by its deadline "
                        + e.deadline()
                        + ": "
                        + r.failure()));
            events.addAll(exit(d, now, e.host()));
          }
        }
        case MIGRATE -> {
          // A 503, a timeout or a lost reply says nothing about the migration: it is called again
          // under its key (a migration that happened is then confirmed); only a migration that
          // keeps failing abandons the plan made for a cluster it did not produce.
          if (late || x.failures + 1 >= MIGRATE_ATTEMPTS) {
            events.addAll(migrationFailed(d, now, e, r.failure()));
          }
        }
        case PATCH -> {
          if (late) {
            events.add(
                new HostSkipped(
                    e.host(),
                    "host patch not confirmed by its deadline "
                        + e.deadline()
                        + ": "
                        + r.failure()));
            events.addAll(exit(d, now, e.host()));
          }
        }
        case EXIT -> {} // retried until confirmed: a host is never left in maintenance mode
      }
      d.emit(now, events);
    }
  }

  private static Driver.Result<Boolean> attempt(Driver d, HostEffectRequested e) {
    HypervisorAdapter hv = d.hypervisor;
    return switch (e.step()) {
      case ENTER ->
          d.attemptRun(HV, "enterMaintenance", () -> hv.enterMaintenance(e.host(), e.key()));
      case MIGRATE ->
          d.attemptRun(
              HV,
              "migrate",
              () -> hv.migrate(e.vm().orElseThrow(), e.target().orElseThrow(), e.key()));
      case PATCH -> d.attemptRun(HV, "patchHost", () -> hv.patchHost(e.host(), e.key()));
      case EXIT -> d.attemptRun(HV, "exitMaintenance", () -> hv.exitMaintenance(e.host(), e.key()));
    };
  }

  private static HostEffectRequested effect(
      Driver d,
      Instant now,
      HostStep step,
      String key,
      HostId host,
      Optional<AssetId> vm,
      Optional<HostId> target) {
    return new HostEffectRequested(
        step, key, host, vm, target, now.plus(d.policy.effectDeadline()));
  }

  /** The exit of a host the engine put into maintenance mode, unless it is requested already. */
  private static List<ProcessEvent> exit(Driver d, Instant now, HostId host) {
    HostWork w = d.state.hosts;
    boolean requested =
        w.effects.values().stream()
            .anyMatch(x -> x.request.step() == HostStep.EXIT && x.request.host().equals(host));
    if (!w.maintenance.contains(host) || requested) {
      return List.of();
    }
    return List.of(
        effect(
            d,
            now,
            HostStep.EXIT,
            w.round + "/exit/" + host,
            host,
            Optional.empty(),
            Optional.empty()));
  }

  /**
   * A migration failed: the rest of the round's plan was made for a cluster that is not there. The
   * hosts still to drain by it (and those not yet in maintenance mode) are abandoned, leave
   * maintenance mode and are planned again; hosts already empty go on to their patch.
   */
  private static List<ProcessEvent> migrationFailed(
      Driver d, Instant now, HostEffectRequested e, String failure) {
    HostWork w = d.state.hosts;
    Set<HostId> stopped = new TreeSet<>();
    for (int i = Math.max(0, w.nextMigration - 1); i < w.migrations.size(); i++) {
      stopped.add(w.migrations.get(i).from());
    }
    for (InRound r : w.roundHosts.values()) {
      if (r.phase == Phase.ENTERING) {
        stopped.add(r.host);
      }
    }
    String reason =
        "live migration of "
            + e.vm().orElseThrow()
            + " to "
            + e.target().orElseThrow()
            + " failed: "
            + failure;
    List<ProcessEvent> events = new ArrayList<>();
    for (HostId h : stopped) {
      InRound r = w.roundHosts.get(h);
      if (r == null || r.leaving || r.patched || r.phase == Phase.PATCHING) {
        continue;
      }
      events.addAll(abandon(d, now, r, reason));
    }
    return events;
  }

  private static List<ProcessEvent> abandon(Driver d, Instant now, InRound r, String reason) {
    List<ProcessEvent> events = new ArrayList<>();
    if (r.abandoned + 1 >= DRAIN_ATTEMPTS) {
      events.add(
          new HostSkipped(
              r.host, "its drain failed " + (r.abandoned + 1) + " times; last: " + reason));
    } else {
      events.add(new HostDrainAbandoned(r.host, reason));
    }
    events.addAll(exit(d, now, r.host));
    return events;
  }

  // ---- the round under way ---------------------------------------------------------------

  /**
   * Requests the round's next effects: a migration, the patches of empty hosts (with their level
   * before), the verification of patched hosts, the exits of verified ones.
   */
  private static void advance(Driver d, Instant now, Set<HostId> unread) {
    HostWork w = d.state.hosts;
    if (!w.roundActive()) {
      return;
    }
    List<ProcessEvent> events = new ArrayList<>();
    for (InRound r : w.roundHosts.values()) {
      if (!r.patched || r.phase != Phase.PATCHING) {
        continue;
      }
      if (r.verified || r.leaving) {
        events.addAll(exit(d, now, r.host));
      } else if (!unread.contains(r.host)) {
        Optional<Optional<String>> level = level(d, now, r.host);
        if (level.isEmpty()) {
          unread.add(r.host);
        } else {
          events.add(verification(r, level.get()));
        }
      }
    }
    d.emit(now, events);
    boolean entering =
        w.roundHosts.values().stream().anyMatch(r -> r.phase == Phase.ENTERING && !r.leaving);
    boolean migrating =
        w.effects.values().stream().anyMatch(x -> x.request.step() == HostStep.MIGRATE);
    if (entering || migrating) {
      return;
    }
    for (int i = w.nextMigration; i < w.migrations.size(); i++) {
      Migration m = w.migrations.get(i);
      InRound from = w.roundHosts.get(m.from());
      if (from != null && !from.leaving && from.phase == Phase.DRAINING) {
        d.emit(
            now,
            effect(
                d,
                now,
                HostStep.MIGRATE,
                w.round + "/migrate/" + i + "/" + m.vm(),
                m.from(),
                Optional.of(m.vm()),
                Optional.of(m.to())));
        return; // one at a time, in the plan's order
      }
    }
    events = new ArrayList<>();
    List<InRound> drained =
        w.roundHosts.values().stream()
            .filter(r -> r.phase == Phase.DRAINING && !r.leaving)
            .toList();
    if (drained.isEmpty()) {
      return;
    }
    // Verify before the patch: the hypervisor must show no VM on the host, whatever the plan said.
    Optional<Map<AssetId, HostId>> placements = placements(d, now);
    if (placements.isEmpty()) {
      return;
    }
    for (InRound r : drained) {
      List<AssetId> left =
          placements.get().entrySet().stream()
              .filter(p -> p.getValue().equals(r.host))
              .map(Map.Entry::getKey)
              .toList();
      if (left.isEmpty()) {
        if (unread.contains(r.host)) {
          continue;
        }
        Optional<Optional<String>> level = level(d, now, r.host);
        if (level.isEmpty()) {
          unread.add(r.host);
          continue;
        }
        events.add(new HostLevelRead(r.host, level.get()));
        events.add(
            effect(
                d,
                now,
                HostStep.PATCH,
                w.round + "/patch/" + r.host,
                r.host,
                Optional.empty(),
                Optional.empty()));
      } else {
        events.addAll(abandon(d, now, r, "VMs still on it after its migrations: " + left));
      }
    }
    d.emit(now, events);
  }

  private static Optional<Optional<String>> level(Driver d, Instant now, HostId host) {
    return read(
        d, now, "hostPatchLevel", Optional.empty(), () -> d.hypervisor.hostPatchLevel(host));
  }

  /**
   * Whether the patch took: the host reports a level other than before. A hypervisor that reports
   * no level before or after is trusted on its confirmation of the patch.
   */
  private static ProcessEvent verification(InRound r, Optional<String> after) {
    if (after.isPresent() && !after.equals(r.levelBefore)) {
      return new HostPatchVerified(r.host, after);
    }
    if (after.isEmpty() && r.levelBefore.isEmpty()) {
      return new HostPatchVerified(r.host, after);
    }
    return new HostPatchUnverified(
        r.host,
        "its patch was confirmed but it still reports "
            + after.map(l -> "patch level " + l).orElse("no patch level")
            + " (before the patch: "
            + r.levelBefore.orElse("none")
            + "); left in maintenance mode, empty and out of service");
  }

  // ---- planning --------------------------------------------------------------------------

  /** A read retried a few times at once, then journaled as failed; empty if it failed. */
  private static <T> Optional<T> read(
      Driver d, Instant now, String operation, Optional<AssetId> vm, Supplier<T> call) {
    Driver.Result<T> r = null;
    for (int i = 0; i < READ_ATTEMPTS; i++) {
      r = d.attempt(HV, operation, call);
      if (r.ok()) {
        return r.optional();
      }
    }
    d.emit(
        now,
        new ProcessEvent.AdapterFailed(HV, operation, vm, Objects.requireNonNull(r).failure()));
    return Optional.empty();
  }

  private static List<Asset> vms(Driver d) {
    return d.assets.values().stream().filter(a -> a.host().isPresent()).toList();
  }

  /** Where the hypervisor says each VM of the inventory runs; empty if a read failed. */
  private static Optional<Map<AssetId, HostId>> placements(Driver d, Instant now) {
    Map<AssetId, HostId> out = new TreeMap<>();
    for (Asset a : vms(d)) {
      Optional<Optional<HostId>> p =
          read(d, now, "placement", Optional.of(a.id()), () -> d.hypervisor.placement(a.id()));
      if (p.isEmpty()) {
        return Optional.empty();
      }
      p.get().ifPresent(h -> out.put(a.id(), h));
    }
    return Optional.of(out);
  }

  private static void plan(Driver d, Instant now) {
    HostWork w = d.state.hosts;
    int slots = d.policy.maxHostsInMaintenance() - w.maintenance.size();
    if (slots < 1 || d.state.parked(SUBJECT, now) || d.hostPlanner == null) {
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
    Optional<List<Host>> hosts = read(d, now, "hosts", Optional.empty(), d.hypervisor::hosts);
    if (hosts.isEmpty()) {
      return;
    }
    Map<HostId, Host> byId = new TreeMap<>();
    hosts.get().forEach(h -> byId.put(h.id(), h));
    Map<HostId, int[]> known = new TreeMap<>(); // vCPUs of the VMs the inventory knows
    List<VmPlacement> vms = new ArrayList<>();
    for (Asset a : vms(d)) {
      Optional<AssetId> id = Optional.of(a.id());
      Optional<Optional<HostId>> on =
          read(d, now, "placement", id, () -> d.hypervisor.placement(a.id()));
      if (on.isEmpty()) {
        return;
      }
      if (on.get().isEmpty() || !byId.containsKey(on.get().get())) {
        continue; // not (or no longer) in this cluster
      }
      Optional<Optional<Asset.PowerState>> power =
          read(d, now, "powerState", id, () -> d.hypervisor.powerState(a.id()));
      Optional<Optional<Demand>> demand =
          read(d, now, "demand", id, () -> d.hypervisor.demand(a.id()));
      if (power.isEmpty() || demand.isEmpty()) {
        return;
      }
      Optional<String> immovable = Optional.empty();
      if (!d.hypervisor.capabilities().canLiveMigrate()) {
        immovable = Optional.of("the hypervisor cannot live-migrate");
      } else if (power.get().orElse(Asset.PowerState.STOPPED) != Asset.PowerState.RUNNING) {
        immovable =
            Optional.of("it is " + power.get().map(Enum::name).orElse("in an unknown state"));
      } else if (demand.get().isEmpty()) {
        immovable = Optional.of("its demand is unknown");
      }
      Demand dm = demand.get().orElse(Demand.of(1, 1));
      HostId host = on.get().get();
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
    List<HostCapacity> capacities = new ArrayList<>();
    for (Host h : byId.values()) {
      // VMs the inventory does not know use what the hypervisor reports beyond the known ones.
      int unknownUse = Math.max(0, h.vcpuUsed() - known.getOrDefault(h.id(), new int[1])[0]);
      int cpu = h.vcpuCapacity() - unknownUse;
      if (unknownUse > 0 && remediate.remove(h.id())) {
        events.add(
            new HostSkipped(
                h.id(), "runs " + unknownUse + " vCPUs of VMs the inventory does not know"));
      }
      if (cpu < 1) {
        HostId gone = h.id();
        vms.removeIf(v -> v.host().equals(gone));
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
    if (remediate.isEmpty()) {
      d.emit(now, events);
      return;
    }
    HostRemediationRequest request =
        HostRemediationRequest.builder()
            .hosts(capacities)
            .vms(vms)
            .remediate(remediate)
            .maxHostsInMaintenance(slots)
            .build();
    Optional<HostRemediationPlan> plan =
        d.host(now, SUBJECT, "host remediation planner", () -> d.hostPlanner.plan(request));
    if (plan.isEmpty()) {
      d.emit(now, events);
      return;
    }
    Optional<String> broken = broken(request, plan.get());
    if (broken.isPresent()) {
      events.add(
          new EffectEvents.WorkParked(
              SUBJECT, "host remediation planner broke its guarantee: " + broken.get()));
      d.emit(now, events);
      return;
    }
    HostRemediationPlan p = plan.get();
    Set<HostId> left = new TreeSet<>(remediate);
    for (HostRemediationPlan.Skip s : p.skipped()) {
      if (left.remove(s.host())) {
        events.add(new HostSkipped(s.host(), s.reason()));
      }
    }
    left.removeAll(p.drain());
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
          effect(
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
        .filter(t -> t.startsWith(ANTI_AFFINITY_TAG))
        .map(t -> t.substring(ANTI_AFFINITY_TAG.length()))
        .sorted()
        .findFirst();
  }
}
