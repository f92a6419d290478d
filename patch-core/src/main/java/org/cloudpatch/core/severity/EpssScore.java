package org.cloudpatch.core.severity;

import java.time.LocalDate;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A FIRST EPSS score: the probability that a CVE is exploited in the next 30 days, and its
 * percentile among all scored CVEs. Both are between 0 and 1. Immutable.
 */
@Value.Immutable
public interface EpssScore {
  /** The CVE id. */
  String cve();

  /** The probability of exploitation in the next 30 days. */
  double probability();

  /** The share of scored CVEs with a lower or equal probability. */
  double percentile();

  /** The day the scores were computed, when the file says. */
  Optional<LocalDate> scoreDate();

  /**
   * Rejects a value that breaks the invariants stated above; the builder calls it, so no such value
   * exists.
   */
  @Value.Check
  default void check() {
    if (!(probability() >= 0 && probability() <= 1 && percentile() >= 0 && percentile() <= 1)) {
      throw new IllegalStateException(
          "EPSS probability and percentile must be between 0 and 1: " + cve());
    }
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link EpssScore}. */
  final class Builder extends ImmutableEpssScore.Builder {}
}
