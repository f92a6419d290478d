package org.cloudpatch.core.process;

import java.time.Duration;
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
   * Rejects a value that breaks the invariants stated above; the builder calls it, so no such value
   * exists.
   */
  @Value.Check
  default void check() {
    if (maxConcurrency() < 1) {
      throw new IllegalStateException("maxConcurrency must be at least 1");
    }
    if (retries() < 0) {
      throw new IllegalStateException("retries must not be negative");
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
