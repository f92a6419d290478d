package org.cloudpatch.scheduling.rollout;

import java.util.Objects;

/**
 * At most {@code max} assets that share a value of the label {@code key} (one service, one
 * availability zone, one cluster) are patched at any one instant. Assets without the label are not
 * limited by it.
 *
 * @param key the label key, e.g. {@code service}, {@code az} or {@code cluster}
 * @param max how many of one value may be in jobs at once, at least 1
 */
public record DisruptionBudget(String key, int max) {
  /** Validates. */
  public DisruptionBudget {
    Objects.requireNonNull(key, "key");
    if (key.isBlank()) {
      throw new IllegalArgumentException("a disruption budget needs a label key");
    }
    if (max < 1) {
      throw new IllegalArgumentException("disruption budget for '" + key + "' below 1: " + max);
    }
  }
}
