package org.cloudpatch.core.host;

import java.util.List;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.immutables.value.Value;

/**
 * The next step of a host remediation: the hosts to drain together now and the live migrations, in
 * order, that drain them; and the hosts that cannot be remediated, each with the reason.
 *
 * <p>Guarantees of a plan for a {@link HostRemediationRequest}: {@link #drain()} holds at most
 * {@link HostRemediationRequest#maxHostsInMaintenance()} hosts to remediate; executed in order,
 * after the drained hosts entered maintenance mode, the migrations move every VM off them, never to
 * a drained host or a host in maintenance, and no receiving host holds more vCPUs or memory than
 * its capacity or two VMs of one anti-affinity group. A host in {@link #skipped()} is never in
 * {@link #drain()}. Hosts to remediate in neither are left for a later plan, made after this one
 * has run.
 */
@Value.Immutable
public interface HostRemediationPlan {
  /** The hosts to put into maintenance mode together now. */
  List<HostId> drain();

  /** The live migrations that drain them, in the order to run them. */
  List<Move> migrations();

  /** The hosts that cannot be remediated, with the reason. */
  List<Skip> skipped();

  /** Rejects a host both drained and skipped. */
  @Value.Check
  default void check() {
    for (Skip s : skipped()) {
      if (drain().contains(s.host())) {
        throw new IllegalArgumentException("host " + s.host() + " is both drained and skipped");
      }
    }
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link HostRemediationPlan}. */
  final class Builder extends ImmutableHostRemediationPlan.Builder {}

  /** One live migration. */
  @Value.Immutable
  interface Move {
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
    static Move of(AssetId vm, HostId source, HostId target) {
      return ImmutableMove.of(vm, source, target);
    }
  }

  /** A host that cannot be remediated, and why. */
  @Value.Immutable
  interface Skip {
    /** The host. */
    @Value.Parameter
    HostId host();

    /** Why, in words: the VMs and constraints that block it. */
    @Value.Parameter
    String reason();

    /** A skipped host. */
    static Skip of(HostId host, String reason) {
      return ImmutableSkip.of(host, reason);
    }
  }
}
