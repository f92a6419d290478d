package org.cloudpatch.core.severity;

import java.util.Objects;

/**
 * Scores CVSS vectors of versions 3.0, 3.1 and 4.0 as the FIRST specifications and calculators
 * define them.
 *
 * <p>A vector that is malformed, names an unknown metric or value, repeats a metric or misses a
 * mandatory base metric is rejected with an {@link IllegalArgumentException} whose message names
 * the reason and the vector. Metrics are accepted in any order: published advisories carry
 * reordered vectors (the 4.0 specification is not consistent about the order), and the order does
 * not change the score. Stateless and thread-safe.
 */
public final class Cvss {
  private Cvss() {}

  /**
   * Scores a vector.
   *
   * @param vector a vector starting with {@code CVSS:3.0/}, {@code CVSS:3.1/} or {@code CVSS:4.0/};
   *     never null
   * @throws IllegalArgumentException naming the reason when the vector cannot be scored
   */
  public static CvssScore score(String vector) {
    Objects.requireNonNull(vector, "vector");
    String v = vector.strip();
    if (v.startsWith("CVSS:3.0/") || v.startsWith("CVSS:3.1/")) {
      return Cvss3.score(v);
    }
    if (v.startsWith("CVSS:4.0/")) {
      return Cvss4.score(v);
    }
    throw new IllegalArgumentException(
        "not a CVSS 3.0, 3.1 or 4.0 vector (must start with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/): '"
            + vector
            + "'");
  }

  /**
   * The qualitative rating of a score: NONE, LOW, MEDIUM, HIGH or CRITICAL (the same in 3.x and
   * 4.0).
   */
  public static String rating(double score) {
    if (score == 0.0) {
      return "NONE";
    } else if (score < 4.0) {
      return "LOW";
    } else if (score < 7.0) {
      return "MEDIUM";
    } else if (score < 9.0) {
      return "HIGH";
    }
    return "CRITICAL";
  }
}
