package org.cloudpatch.core.process;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.process.HostEvents.HostDrainAbandoned;
import org.cloudpatch.core.process.HostEvents.HostEffectConfirmed;
import org.cloudpatch.core.process.HostEvents.HostEffectFailed;
import org.cloudpatch.core.process.HostEvents.HostEffectRequested;
import org.cloudpatch.core.process.HostEvents.HostLevelRead;
import org.cloudpatch.core.process.HostEvents.HostPatchUnverified;
import org.cloudpatch.core.process.HostEvents.HostPatchVerified;
import org.cloudpatch.core.process.HostEvents.HostRemediationRequested;
import org.cloudpatch.core.process.HostEvents.HostSkipped;
import org.cloudpatch.core.process.HostEvents.HostStep;
import org.cloudpatch.core.process.HostEvents.Migration;
import org.cloudpatch.core.process.HostWork.InRound;
import org.cloudpatch.core.process.HostWork.Phase;
import org.cloudpatch.core.spi.HypervisorAdapter;

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
 * and are planned again from the cluster as it then is ({@value #DRAIN_ATTEMPTS} drains abandoned
 * before any VM left the host, or {@value #MAX_DRAINS} in all, skip the host). Leaving maintenance
 * mode is retried until confirmed, and until then the host counts against {@link
 * ProcessPolicy#maxHostsInMaintenance()}.
 */
final class HostPatchStep {
  /** A VM's anti-affinity group is the value of its first tag with this prefix. */
  static final String ANTI_AFFINITY_TAG = "anti-affinity:";

  /** Drains of one host abandoned before any VM left it, before it is skipped. */
  static final int DRAIN_ATTEMPTS = 3;

  /** Drains of one host abandoned in all, progress or not, before it is skipped. */
  static final int MAX_DRAINS = 3 * DRAIN_ATTEMPTS;

  /** Calls of one migration, under its key and with backoff, before its drain is abandoned. */
  static final int MIGRATE_ATTEMPTS = 3;

  static final String SUBJECT = "host remediation";
  static final String HV = "HypervisorAdapter";
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
        HostRounds.plan(d, now);
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

  static HostEffectRequested effect(
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
    // A drain that moved VMs off before it failed made progress: the next round starts from a
    // host with fewer VMs. Only drains that moved nothing count, with a bound on all drains.
    int fruitless = r.abandoned + (d.state.hosts.movedOff(r.host) ? 0 : 1);
    if (fruitless >= DRAIN_ATTEMPTS || r.drains + 1 >= MAX_DRAINS) {
      events.add(
          new HostSkipped(
              r.host,
              "its drain failed "
                  + (r.drains + 1)
                  + " times ("
                  + fruitless
                  + " before any VM left it); last: "
                  + reason));
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
    HostResidents residents = new HostResidents(d, now);
    for (InRound r : drained) {
      Optional<String> on = residents.left(r.host);
      if (on.isEmpty()) {
        continue; // not read: checked again next tick
      }
      String left = on.get();
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
        events.addAll(abandon(d, now, r, left + " still on it after its migrations"));
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
  static <T> Optional<T> read(
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

  static List<Asset> vms(Driver d) {
    return d.assets.values().stream().filter(a -> a.host().isPresent()).toList();
  }
}
