package org.cloudpatch.scheduling.window;

import java.time.LocalDateTime;
import org.jspecify.annotations.Nullable;

/**
 * A zone-free sequence of nominal wall-clock times, strictly increasing: what a cron expression, an
 * RRULE or a cloud console's schedule says before any zone's clocks are consulted.
 */
interface Recurrence {
  /**
   * The first nominal time at or after {@code notBefore}, or null when the sequence has ended (or
   * has nothing within its search horizon, which is stated by each implementation).
   */
  @Nullable LocalDateTime next(LocalDateTime notBefore);

  /** The same sequence with every time moved by {@code days} calendar days. */
  static Recurrence shifted(Recurrence base, int days) {
    if (days == 0) {
      return base;
    }
    return notBefore -> {
      LocalDateTime next = base.next(notBefore.minusDays(days));
      return next == null ? null : next.plusDays(days);
    };
  }
}
