package org.cloudpatch.audit.report;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.immutables.value.Value;

/**
 * One host's remediation in the period reported on, as the host gathers it (ideally from the
 * cloud's own record of what happened): when it entered maintenance mode, which VM was
 * live-migrated where and when, when it was patched and came back into service; or, for a host that
 * was skipped, the reason and the VMs that blocked it.
 *
 * <p>Hosts are shared infrastructure: a report for one tenant shows every host, but names only that
 * tenant's VMs in its migrations and blockers (see {@link ComplianceReports#report(
 * ComplianceInput, org.cloudpatch.core.TenantId)}).
 */
@Value.Immutable
public interface HostEvacuationFact {
  /** How a host ended the period. */
  enum Outcome {
    /** Patched and back out of maintenance mode. */
    PATCHED,
    /** Skipped with a reason, e.g. a VM that cannot be live-migrated; never patched. */
    SKIPPED,
    /** Its patch was applied but did not change its patch level; left out of service. */
    UNVERIFIED,
    /** Neither: still being remediated, or never asked for. */
    NOT_PATCHED
  }

  /** The host. */
  HostId host();

  /** How it ended the period. */
  Outcome outcome();

  /** Why it was skipped or left unverified, in words; required for those outcomes. */
  Optional<String> reason();

  /** For a skipped host, the VMs that blocked it (e.g. suspended or pinned ones). */
  List<AssetId> blockingVms();

  /** When it entered maintenance mode, if it did. */
  Optional<Instant> enteredMaintenance();

  /** The live migrations off it while it was in maintenance mode, in the order they happened. */
  List<Migration> migrations();

  /** When it was patched, if it was. */
  Optional<Instant> patched();

  /** When it left maintenance mode, if it did. */
  Optional<Instant> exitedMaintenance();

  /** Rejects facts that contradict themselves. */
  @Value.Check
  default void check() {
    if ((outcome() == Outcome.SKIPPED || outcome() == Outcome.UNVERIFIED)
        && reason().map(String::isBlank).orElse(true)) {
      throw new IllegalStateException("host " + host() + " is " + outcome() + " without a reason");
    }
    if (outcome() != Outcome.SKIPPED && !blockingVms().isEmpty()) {
      throw new IllegalStateException(
          "host " + host() + " has blocking VMs but is " + outcome() + ", not SKIPPED");
    }
    Set<AssetId> blockers = new HashSet<>();
    for (AssetId vm : blockingVms()) {
      if (!blockers.add(vm)) {
        throw new IllegalStateException("host " + host() + " names blocking VM " + vm + " twice");
      }
    }
    for (Migration m : migrations()) {
      if (m.to().equals(host())) {
        throw new IllegalStateException(
            "host " + host() + ": migration of " + m.vm() + " to the host it leaves");
      }
    }
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link HostEvacuationFact}. */
  final class Builder extends ImmutableHostEvacuationFact.Builder {}

  /** One live migration off the host: when, which VM, to which host. */
  @Value.Immutable
  interface Migration {
    /** When the migration completed. */
    @Value.Parameter
    Instant at();

    /** The VM. */
    @Value.Parameter
    AssetId vm();

    /** The host it moved to. */
    @Value.Parameter
    HostId to();

    /** A migration. */
    static Migration of(Instant at, AssetId vm, HostId to) {
      return ImmutableMigration.of(at, vm, to);
    }
  }
}
