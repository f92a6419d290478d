package org.cloudpatch.core.severity;

import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * The scores of one CVSS 3.0, 3.1 or 4.0 vector.
 *
 * <p>{@link #score()} is the most specific score the vector allows: for 3.x the environmental score
 * when environmental metrics are given, else the temporal score when temporal metrics are given,
 * else the base score; for 4.0 the score of the whole vector, named by {@link #nomenclature()}.
 * Scores are between 0.0 and 10.0 in steps of 0.1. Immutable.
 */
@Value.Immutable
public interface CvssScore {
  /** The CVSS version: {@code 3.0}, {@code 3.1} or {@code 4.0}. */
  String version();

  /** The vector as given, without surrounding white space. */
  String vector();

  /** Every metric of the vector in the order given, including 4.0 supplemental metrics. */
  Map<String, String> metrics();

  /** The score of the base metrics alone (for 4.0: the CVSS-B score). */
  double baseScore();

  /** The 3.x temporal score, when the vector defines a temporal metric. */
  Optional<Double> temporalScore();

  /** The 3.x environmental score, when the vector defines an environmental metric. */
  Optional<Double> environmentalScore();

  /** The most specific score the vector allows. */
  double score();

  /**
   * What {@link #score()} is: for 4.0 {@code CVSS-B}, {@code CVSS-BT}, {@code CVSS-BE} or {@code
   * CVSS-BTE}; for 3.x {@code base}, {@code temporal} or {@code environmental}.
   */
  String nomenclature();

  /** The qualitative rating of {@link #score()}: NONE, LOW, MEDIUM, HIGH or CRITICAL. */
  @Value.Derived
  default String rating() {
    return Cvss.rating(score());
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link CvssScore}. */
  final class Builder extends ImmutableCvssScore.Builder {}
}
