package org.cloudpatch.core.process;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cloudpatch.core.HostId;
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

/**
 * The host remediation part of the engine's state, changed only by {@link #apply} with {@link
 * HostEvents}: the hosts waiting to be planned, the round being executed, the host effects
 * requested and not confirmed, and the hosts in maintenance mode because of the engine. Sorted
 * throughout, so every walk is deterministic.
 */
final class HostWork {
  /** Where a host of the round is. */
  enum Phase {
    /** Maintenance mode requested, not confirmed. */
    ENTERING,
    /** In maintenance mode; its VMs are being migrated away. */
    DRAINING,
    /** The patch is requested, or confirmed ({@link InRound#patched}). */
    PATCHING,
    /** Maintenance mode off requested. */
    EXITING,
    /** Out of the round: remediated, skipped or abandoned, and out of maintenance mode. */
    DONE
  }

  /** A host of the current round. */
  static final class InRound {
    final HostId host;
    final String reason;
    final int abandoned;
    final int drains;
    Phase phase = Phase.ENTERING;
    boolean patched;
    boolean leaving; // skipped or abandoned: only its exit is left
    boolean levelRead;
    java.util.Optional<String> levelBefore = java.util.Optional.empty();
    boolean verified;

    InRound(HostId host, String reason, int abandoned, int drains) {
      this.host = host;
      this.reason = reason;
      this.abandoned = abandoned;
      this.drains = drains;
    }

    @Override
    public String toString() {
      return phase
          + (patched ? " patched" : "")
          + (leaving ? " leaving" : "")
          + (levelRead ? " before=" + levelBefore.orElse("none") : "")
          + (verified ? " verified" : "")
          + " "
          + abandoned
          + "/"
          + drains;
    }
  }

  /**
   * A host waiting to be planned: why it is patched, how many of its drains were abandoned before
   * any VM left it, and how many were abandoned in all.
   */
  record Pending(String reason, int abandoned, int drains) {}

  /** A host effect requested and not confirmed. */
  static final class Effect {
    final HostEffectRequested request;
    int failures;
    Instant retryAt;

    Effect(HostEffectRequested request, Instant at) {
      this.request = request;
      this.retryAt = at;
    }

    @Override
    public String toString() {
      return request + " " + failures + " " + retryAt;
    }
  }

  final Map<HostId, Pending> pending = new TreeMap<>();
  String round = "";
  final Map<HostId, InRound> roundHosts = new TreeMap<>();
  final List<Migration> migrations = new ArrayList<>();
  int nextMigration;
  final Map<String, Effect> effects = new TreeMap<>();
  final Set<HostId> maintenance = new TreeSet<>();
  final Set<HostId> remediated = new TreeSet<>();
  final Map<HostId, String> skipped = new TreeMap<>();
  final Map<HostId, String> unverified = new TreeMap<>();
  int rounds;

  /**
   * Whether this round's migrations moved a VM off the host: each is requested once the one before
   * it is confirmed, so all before the last requested one are done.
   */
  boolean movedOff(HostId host) {
    for (int i = 0; i < nextMigration - 1; i++) {
      if (migrations.get(i).from().equals(host)) {
        return true;
      }
    }
    return false;
  }

  void apply(HostEvents event, Instant at) {
    if (event instanceof HostRemediationRequested e) {
      pending.putIfAbsent(e.host(), new Pending(e.reason(), 0, 0));
      skipped.remove(e.host());
      remediated.remove(e.host());
      unverified.remove(e.host());
    } else if (event instanceof HostRoundPlanned e) {
      rounds++;
      round = e.round();
      roundHosts.clear();
      for (HostId h : e.hosts()) {
        Pending p = pending.remove(h);
        roundHosts.put(
            h,
            p == null
                ? new InRound(h, "", 0, 0)
                : new InRound(h, p.reason(), p.abandoned(), p.drains()));
      }
      migrations.clear();
      migrations.addAll(e.migrations());
      nextMigration = 0;
    } else if (event instanceof HostSkipped e) {
      pending.remove(e.host());
      skipped.put(e.host(), e.reason());
      leave(e.host());
    } else if (event instanceof HostDrainAbandoned e) {
      InRound r = roundHosts.get(e.host());
      if (r != null) {
        pending.put(
            e.host(),
            new Pending(r.reason, r.abandoned + (movedOff(e.host()) ? 0 : 1), r.drains + 1));
      }
      leave(e.host());
      // The rest of the round's migrations were planned for a cluster that is gone: planned anew.
      nextMigration = migrations.size();
      effects.values().removeIf(x -> x.request.step() == HostStep.MIGRATE);
    } else if (event instanceof HostLevelRead e) {
      InRound r = roundHosts.get(e.host());
      if (r != null) {
        r.levelRead = true;
        r.levelBefore = e.level();
      }
    } else if (event instanceof HostPatchVerified e) {
      InRound r = roundHosts.get(e.host());
      if (r != null) {
        r.verified = true;
      }
    } else if (event instanceof HostPatchUnverified e) {
      unverified.put(e.host(), e.reason());
      // Out of the engine's hands: left in maintenance mode, empty, for an operator to look at.
      effects.values().removeIf(x -> x.request.host().equals(e.host()));
      maintenance.remove(e.host());
      InRound r = roundHosts.get(e.host());
      if (r != null) {
        r.leaving = true;
        r.phase = Phase.DONE;
      }
    } else if (event instanceof HostEffectRequested e) {
      effects.put(e.key(), new Effect(e, at));
      InRound r = roundHosts.get(e.host());
      switch (e.step()) {
        case ENTER -> maintenance.add(e.host());
        case MIGRATE -> {
          for (int i = nextMigration; i < migrations.size(); i++) {
            if (migrations.get(i).vm().equals(e.vm().orElseThrow())) {
              nextMigration = i + 1;
              break;
            }
          }
        }
        case PATCH -> {
          if (r != null) {
            r.phase = Phase.PATCHING;
          }
        }
        case EXIT -> {
          if (r != null) {
            r.phase = Phase.EXITING;
          }
        }
      }
    } else if (event instanceof HostEffectConfirmed e) {
      effects.remove(e.key());
      InRound r = roundHosts.get(e.host());
      switch (e.step()) {
        case ENTER -> {
          if (r != null && r.phase == Phase.ENTERING) {
            r.phase = Phase.DRAINING;
          }
        }
        case MIGRATE -> {}
        case PATCH -> {
          if (r != null) {
            r.patched = true;
          }
        }
        case EXIT -> {
          maintenance.remove(e.host());
          if (r != null && r.phase == Phase.EXITING) {
            r.phase = Phase.DONE;
            if (r.patched && !r.leaving) {
              remediated.add(e.host());
            }
          }
        }
      }
    } else if (event instanceof HostEffectFailed e) {
      Effect x = ProcessState.known(effects, e.key());
      x.failures++;
      x.retryAt = InFlight.backoff(at, x.failures);
    }
  }

  /** A skipped or abandoned host: its effects but the exit are dropped; only its exit is left. */
  private void leave(HostId host) {
    effects
        .values()
        .removeIf(x -> x.request.host().equals(host) && x.request.step() != HostStep.EXIT);
    InRound r = roundHosts.get(host);
    if (r != null) {
      r.leaving = true;
      if (!maintenance.contains(host)) {
        r.phase = Phase.DONE;
      }
    }
  }

  /** Whether a round is still being executed (its hosts not all done). */
  boolean roundActive() {
    return roundHosts.values().stream().anyMatch(r -> r.phase != Phase.DONE);
  }

  /** Whether nothing is waiting: no host to plan, no round, no effect. */
  boolean idle() {
    return pending.isEmpty() && !roundActive() && effects.isEmpty();
  }

  /** A deterministic text of all of it, for the state fingerprint. */
  String fingerprint() {
    return "pending="
        + pending
        + " round="
        + round
        + " "
        + roundHosts
        + " migrations="
        + migrations
        + " next="
        + nextMigration
        + " effects="
        + effects
        + " maintenance="
        + maintenance
        + " remediated="
        + remediated
        + " skipped="
        + skipped
        + " unverified="
        + unverified
        + " rounds="
        + rounds;
  }
}
