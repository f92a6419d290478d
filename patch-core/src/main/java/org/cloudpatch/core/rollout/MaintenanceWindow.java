package org.cloudpatch.core.rollout;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.time.ZoneId;
import org.immutables.value.Value;

/**
 * One occurrence of a maintenance window: from {@link #start()} to {@link #end()}, defined in
 * {@link #zone()}. No new job starts after {@link #cutoff()}.
 */
@Value.Immutable
@JsonSerialize(as = ImmutableMaintenanceWindow.class)
@JsonDeserialize(as = ImmutableMaintenanceWindow.class)
public interface MaintenanceWindow {
  /** When it opens. */
  Instant start();

  /** When it closes. */
  Instant end();

  /** The zone whose wall clock defined it. */
  ZoneId zone();

  /** The last instant at which a new job may start; defaults to {@link #end()}. */
  @Value.Default
  default Instant cutoff() {
    return end();
  }

  /** Whether {@code instant} is inside the window (start inclusive, end exclusive). */
  default boolean contains(Instant instant) {
    return !instant.isBefore(start()) && instant.isBefore(end());
  }

  /**
   * Rejects a value that breaks the invariants stated above; the builder calls it, so no such value
   * exists.
   */
  @Value.Check
  default void check() {
    if (!end().isAfter(start())) {
      throw new IllegalStateException(
          "window ends (" + end() + ") before it starts (" + start() + ")");
    }
    if (cutoff().isBefore(start()) || cutoff().isAfter(end())) {
      throw new IllegalStateException("cutoff " + cutoff() + " outside the window");
    }
  }

  /** A window without a separate cutoff. */
  static MaintenanceWindow of(Instant start, Instant end, ZoneId zone) {
    return builder().start(start).end(end).zone(zone).build();
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link MaintenanceWindow}. */
  final class Builder extends ImmutableMaintenanceWindow.Builder {}
}
