package org.cloudpatch.core.process;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.rollout.ChangeRequest.ChangeType;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.severity.Priority;
import org.cloudpatch.core.severity.SeverityPolicy;
import org.immutables.value.Value;

/**
 * The enterprise's rules for the process: severity, who resolves what, how patches are timed and
 * how fast they roll out, which change type they need, and how long a risk may be accepted.
 *
 * <p>Immutable. The functions it holds must be pure and fast: the engine calls them while it
 * decides.
 */
@Value.Immutable
public interface ProcessPolicy {
  /** Priority and due date from an advisory's severity. */
  @Value.Default
  default SeverityPolicy severity() {
    return SeverityPolicy.standard();
  }

  /**
   * The resolver group of an asset: by default the value of its first {@code team:} tag, else
   * {@code ops}.
   */
  @Value.Default
  default Function<Asset, String> resolverGroup() {
    return ResolverGroups.byTagPrefix("team:", "ops");
  }

  /**
   * Which advisories need {@link TimingMode#SAME_INSTANT}: by default none, so every rollout
   * follows the sun.
   */
  @Value.Default
  default Predicate<Advisory> sameInstant() {
    return a -> false;
  }

  /** At most this many patch jobs run at once, fleet-wide. */
  @Value.Default
  default int maxConcurrency() {
    return 50;
  }

  /** The change type a priority needs: P1 is an emergency change, the rest are standard. */
  @Value.Default
  default Function<Priority, ChangeType> changeType() {
    return p -> p == Priority.P1 ? ChangeType.EMERGENCY : ChangeType.STANDARD;
  }

  /** Advisories at or above this priority (P1 is highest) are notified to tenants. */
  @Value.Default
  default Priority notifyAtOrAbove() {
    return Priority.P4;
  }

  /** How long a risk item stays accepted before it must be reviewed. */
  @Value.Default
  default Duration riskAcceptance() {
    return Duration.ofDays(30);
  }

  /**
   * A VM that resumes after at least this long in suspension is held back from its users until it
   * is caught up; a reverted VM always is.
   */
  @Value.Default
  default Duration catchUpAfterSuspension() {
    return Duration.ofDays(1);
  }

  /** How many times a failed patch is retried before it is rolled back. */
  @Value.Default
  default int retries() {
    return 1;
  }

  /**
   * How long a requested effect (hold, release, revert, change close) may stay unconfirmed before
   * it escalates with a risk item; it is retried with backoff, under its key, before and after.
   */
  @Value.Default
  default Duration effectDeadline() {
    return Duration.ofHours(2);
  }

  /**
   * How long a patch job may go without a reported outcome, counted from its request: after it the
   * job is unknown, and re-inventory decides what it did before anything else runs on the VM.
   */
  @Value.Default
  default Duration jobDeadline() {
    return Duration.ofHours(6);
  }

  /**
   * At most this many hosts are in maintenance mode at once because of host remediation (default
   * 1): counted from the request to enter maintenance mode until the exit is confirmed.
   */
  @Value.Default
  default int maxHostsInMaintenance() {
    return 1;
  }

  /**
   * The time bound of every adapter call, unless {@link #adapterTimeouts()} names the adapter. A
   * call that answers after its bound (measured on the engine's clock) is treated as failed; an
   * effect's later retry under the same key confirms what it did.
   */
  @Value.Default
  default Duration adapterTimeout() {
    return Duration.ofSeconds(30);
  }

  /**
   * Time bounds by adapter: {@code InventorySource}, {@code HypervisorAdapter}, {@code
   * PatchExecutor}, {@code ChangeSystem}, {@code Notifier}, {@code EvidenceStore}, {@code
   * RolloutPlanner}, {@code Applicability}, {@code AdvisoryFeed} (all feeds) or {@code
   * AdvisoryFeed:name}.
   */
  Map<String, Duration> adapterTimeouts();

  /** The time bound of a call to {@code adapter}. */
  default Duration timeout(String adapter) {
    Duration exact = adapterTimeouts().get(adapter);
    if (exact != null) {
      return exact;
    }
    int colon = adapter.indexOf(':');
    if (colon >= 0) {
      Duration kind = adapterTimeouts().get(adapter.substring(0, colon));
      if (kind != null) {
        return kind;
      }
    }
    return adapterTimeout();
  }

  /**
   * Rejects a value that breaks the invariants stated above; the builder calls it, so no such value
   * exists.
   */
  @Value.Check
  default void check() {
    if (maxConcurrency() < 1) {
      throw new IllegalStateException("maxConcurrency must be at least 1");
    }
    if (maxHostsInMaintenance() < 1) {
      throw new IllegalStateException("maxHostsInMaintenance must be at least 1");
    }
    if (retries() < 0) {
      throw new IllegalStateException("retries must not be negative");
    }
    for (Duration d : List.of(effectDeadline(), jobDeadline(), adapterTimeout())) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalStateException("deadlines and time bounds must be positive: " + d);
      }
    }
    if (riskAcceptance().isNegative() || riskAcceptance().isZero()) {
      throw new IllegalStateException("riskAcceptance must be positive");
    }
  }

  /** The defaults. */
  static ProcessPolicy defaults() {
    return builder().build();
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ProcessPolicy}. */
  final class Builder extends ImmutableProcessPolicy.Builder {}
}
