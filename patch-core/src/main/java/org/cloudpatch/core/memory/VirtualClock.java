package org.cloudpatch.core.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A clock that stands still until it is told to move, for simulations and tests. Thread-safe; it
 * never moves backwards.
 */
public final class VirtualClock extends Clock {
  private volatile Instant now;

  private VirtualClock(Instant start) {
    this.now = start;
  }

  /** A clock that reads {@code start} until moved. */
  public static VirtualClock at(Instant start) {
    return new VirtualClock(Objects.requireNonNull(start, "start"));
  }

  /** Moves the clock forward. */
  public synchronized void advance(Duration step) {
    if (step.isNegative()) {
      throw new IllegalArgumentException("a virtual clock does not go back: " + step);
    }
    now = now.plus(step);
  }

  /** Moves the clock to {@code instant}, which must not be before now. */
  public synchronized void moveTo(Instant instant) {
    if (instant.isBefore(now)) {
      throw new IllegalArgumentException(
          "a virtual clock does not go back: " + instant + " < " + now);
    }
    now = instant;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new IllegalArgumentException("a virtual clock is UTC only; convert instants instead");
  }
}
