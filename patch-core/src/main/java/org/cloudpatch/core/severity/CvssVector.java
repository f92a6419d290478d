package org.cloudpatch.core.severity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Splits a CVSS vector into its metrics and checks them against a version's metric table. */
final class CvssVector {
  private CvssVector() {}

  /**
   * The metrics of {@code vector} in the order given.
   *
   * @param allowed every metric of the version with its allowed values
   * @param mandatory the metrics a vector must define
   * @throws IllegalArgumentException naming the first problem
   */
  static Map<String, String> parse(
      String vector, String prefix, Map<String, Set<String>> allowed, List<String> mandatory) {
    if (!vector.startsWith(prefix + "/")) {
      throw new IllegalArgumentException(
          "vector must start with " + prefix + "/: '" + vector + "'");
    }
    String[] parts = vector.substring(prefix.length() + 1).split("/", -1);
    Map<String, String> metrics = new LinkedHashMap<>();
    for (String part : parts) {
      int colon = part.indexOf(':');
      if (colon <= 0 || colon == part.length() - 1 || part.indexOf(':', colon + 1) >= 0) {
        throw new IllegalArgumentException(
            "malformed metric '" + part + "' (expected NAME:VALUE) in " + vector);
      }
      String key = part.substring(0, colon);
      String value = part.substring(colon + 1);
      Set<String> values = allowed.get(key);
      if (values == null) {
        throw new IllegalArgumentException("unknown metric '" + key + "' in " + vector);
      }
      if (!values.contains(value)) {
        throw new IllegalArgumentException(
            "metric " + key + " cannot be '" + value + "' (allowed: " + values + ") in " + vector);
      }
      if (metrics.put(key, value) != null) {
        throw new IllegalArgumentException("duplicate metric '" + key + "' in " + vector);
      }
    }
    for (String key : mandatory) {
      if (!metrics.containsKey(key)) {
        throw new IllegalArgumentException("missing base metric '" + key + "' in " + vector);
      }
    }
    return metrics;
  }

  /** An ordered table entry: a metric and its values, in a set that keeps their order. */
  static Set<String> values(String... values) {
    return new java.util.LinkedHashSet<>(List.of(values));
  }
}
