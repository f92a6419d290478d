package org.cloudpatch.scheduling.host;

import java.util.Set;
import org.cloudpatch.core.HostId;
import org.immutables.value.Value;

/**
 * How hosts may be drained: the headroom every receiving host keeps, how many hosts may be in
 * maintenance mode at once, what happens to a host whose VMs cannot move, and how hard the planner
 * may search before it says it could not decide.
 */
@Value.Immutable
public interface EvacuationPolicy {
  /** What to do with a host that runs a VM that cannot be live-migrated. */
  enum ImmovableVms {
    /**
     * Patch the host anyway; its immovable VMs stay on it and are down while it is in maintenance
     * (they are patched in their owner's window with downtime).
     */
    PATCH_WITH_DOWNTIME,
    /** Leave the host unpatched and report it with the VMs that block it. */
    SKIP_HOST
  }

  /**
   * The share of each receiving host's vCPUs and memory, in percent (0 to 90), that migrations may
   * not use: the reserve that keeps the cluster able to absorb a failure while a host is drained.
   * Hosts that receive no VM are not checked, so an overcommitted cluster can still be drained.
   */
  @Value.Default
  default int headroomPercent() {
    return 0;
  }

  /** How many hosts may be in maintenance mode at once; at least 1. */
  @Value.Default
  default int maxHostsInMaintenance() {
    return 1;
  }

  /** What to do with hosts whose VMs cannot all move. */
  @Value.Default
  default ImmovableVms immovableVms() {
    return ImmovableVms.SKIP_HOST;
  }

  /** The hosts to remediate; empty means every host of the cluster. */
  Set<HostId> hosts();

  /**
   * How many search steps the planner may take before it answers {@link
   * EvacuationPlan.Verdict#UNDECIDED}; the search is exhaustive within this budget.
   */
  @Value.Default
  default long searchBudget() {
    return 2_000_000L;
  }

  /** Rejects values outside the ranges stated above. */
  @Value.Check
  default void check() {
    if (headroomPercent() < 0 || headroomPercent() > 90) {
      throw new IllegalArgumentException("headroomPercent must be 0..90: " + headroomPercent());
    }
    if (maxHostsInMaintenance() < 1) {
      throw new IllegalArgumentException(
          "maxHostsInMaintenance must be at least 1: " + maxHostsInMaintenance());
    }
    if (searchBudget() < 1) {
      throw new IllegalArgumentException("searchBudget must be at least 1: " + searchBudget());
    }
  }

  /** The defaults: no headroom, one host at a time, hosts with immovable VMs skipped. */
  static EvacuationPolicy defaults() {
    return builder().build();
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link EvacuationPolicy}. */
  final class Builder extends ImmutableEvacuationPolicy.Builder {}
}
