package org.cloudpatch.scheduling.host;

import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.immutables.value.Value;

/**
 * A proven order in which to drain and patch the hosts of a cluster, or the reasons there is none.
 *
 * <p>Guarantees of a {@link Verdict#FEASIBLE} plan: executed round by round — the round's hosts
 * enter maintenance mode, its migrations run in the order listed, the hosts are patched and leave
 * maintenance mode — no host ever holds more vCPUs or memory than its capacity less the policy's
 * headroom after it received a VM, no two VMs of one anti-affinity group share a host that received
 * one of them, no VM moves to a host in maintenance, and no host is patched while it runs a VM
 * other than the immovable ones the policy lets go down with it. Every host to remediate is in
 * exactly one round or in {@link #skipped()}. A plan that is not feasible has no rounds: nothing
 * may start.
 */
@Value.Immutable
public interface EvacuationPlan {
  /** Whether a plan was found. */
  enum Verdict {
    /** Every host to remediate is in a round or skipped by policy. */
    FEASIBLE,
    /** The exhaustive search proved that no order exists; {@link #blockers()} says why. */
    INFEASIBLE,
    /** The search budget ran out before an order was found or ruled out. */
    UNDECIDED
  }

  /** The verdict. */
  Verdict verdict();

  /** The rounds, in order; empty unless {@link Verdict#FEASIBLE}. */
  List<Round> rounds();

  /** Hosts left unpatched by policy, each with the VMs that block it. */
  List<SkippedHost> skipped();

  /** Why the plan is not feasible: the VMs and constraints that stand in the way. */
  List<Blocker> blockers();

  /** How many live migrations the plan makes. */
  @Value.Derived
  default int migrationCount() {
    return rounds().stream().mapToInt(r -> r.migrations().size()).sum();
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link EvacuationPlan}. */
  final class Builder extends ImmutableEvacuationPlan.Builder {}

  /** Hosts in maintenance mode together, and the migrations that drain them. */
  @Value.Immutable
  interface Round {
    /** The round's position, from 0. */
    int index();

    /** The hosts that enter maintenance mode together. */
    List<HostId> hosts();

    /** The migrations, in the order to run them. */
    List<Migration> migrations();

    /** Immovable VMs that stay on their host and are down while it is patched. */
    List<AssetId> downtime();

    /** A builder. */
    static Builder builder() {
      return new Builder();
    }

    /** Builds a {@link Round}. */
    final class Builder extends ImmutableRound.Builder {}
  }

  /** One live migration. */
  @Value.Immutable
  interface Migration {
    /** The VM. */
    @Value.Parameter
    AssetId vm();

    /** The host it leaves. */
    @Value.Parameter
    HostId source();

    /** The host it moves to. */
    @Value.Parameter
    HostId target();

    /** A migration. */
    static Migration of(AssetId vm, HostId source, HostId target) {
      return ImmutableMigration.of(vm, source, target);
    }
  }

  /** A host left unpatched, with the VMs that block it. */
  @Value.Immutable
  interface SkippedHost {
    /** The host. */
    @Value.Parameter
    HostId host();

    /** The VMs that cannot move off it. */
    @Value.Parameter
    List<AssetId> blockingVms();

    /** Why, in words. */
    @Value.Parameter
    String reason();

    /** A skipped host. */
    static SkippedHost of(HostId host, List<AssetId> blockingVms, String reason) {
      return ImmutableSkippedHost.of(host, blockingVms, reason);
    }
  }

  /** Something that stands in the way of a plan. */
  @Value.Immutable
  interface Blocker {
    /** The host it concerns, if one. */
    @Value.Parameter
    Optional<HostId> host();

    /** The VM it concerns, if one. */
    @Value.Parameter
    Optional<AssetId> vm();

    /**
     * The constraint: {@code capacity}, {@code anti-affinity}, {@code headroom} or {@code budget}.
     */
    @Value.Parameter
    String constraint();

    /** Why, in words. */
    @Value.Parameter
    String reason();

    /** A blocker. */
    static Blocker of(
        Optional<HostId> host, Optional<AssetId> vm, String constraint, String reason) {
      return ImmutableBlocker.of(host, vm, constraint, reason);
    }
  }
}
