package org.cloudpatch.scheduling.rollout;

import java.util.Objects;

/**
 * A limit given as a count or as a percentage of a total: {@code 25} or {@code 10%}.
 *
 * <p>{@link #resolve(long)} turns it into a count: a count is itself; {@code p%} of {@code n} is
 * {@code ceil(p × n / 100)}, and at least 1, so that a percentage of a small fleet never stops all
 * work.
 *
 * @param value the count, or the percentage (1 to 100)
 * @param percent whether {@code value} is a percentage
 */
public record Limit(long value, boolean percent) {
  /** Validates. */
  public Limit {
    if (value < 1) {
      throw new IllegalArgumentException("a limit must be at least 1: " + value);
    }
    if (percent && value > 100) {
      throw new IllegalArgumentException("a percentage must be at most 100: " + value + "%");
    }
  }

  /** A fixed count. */
  public static Limit count(long count) {
    return new Limit(count, false);
  }

  /** A percentage of the total, 1 to 100. */
  public static Limit percent(long percent) {
    return new Limit(percent, true);
  }

  /**
   * Reads {@code 25} or {@code 10%}.
   *
   * @throws IllegalArgumentException naming the text when it is neither
   */
  public static Limit parse(String text) {
    Objects.requireNonNull(text, "text");
    String t = text.strip();
    try {
      return t.endsWith("%")
          ? percent(Long.parseLong(t.substring(0, t.length() - 1).strip()))
          : count(Long.parseLong(t));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is neither a count (25) nor a percentage (10%)", e);
    }
  }

  /** The count this limit allows out of {@code total}. */
  public long resolve(long total) {
    if (!percent) {
      return value;
    }
    return Math.max(1, (value * total + 99) / 100);
  }

  @Override
  public String toString() {
    return percent ? value + "%" : Long.toString(value);
  }
}
