package org.cloudpatch.core.severity;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.Optional;
import org.cloudpatch.core.AdvisoryId;
import org.immutables.value.Value;

/**
 * An advisory's priority under the enterprise's policy, its due date, and the rule that decided.
 */
@Value.Immutable
@JsonSerialize(as = ImmutableAssessment.class)
@JsonDeserialize(as = ImmutableAssessment.class)
public interface Assessment {
  /** The advisory assessed. */
  AdvisoryId advisory();

  /** The highest CVSS score among its vectors that could be scored, if any. */
  Optional<Double> score();

  /** The vector that gave {@link #score()}. */
  Optional<String> vector();

  /** The priority. */
  Priority priority();

  /** When every affected asset must be remediated. */
  Instant due();

  /** The policy rule that decided, in words. */
  String rule();

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link Assessment}. */
  final class Builder extends ImmutableAssessment.Builder {}
}
