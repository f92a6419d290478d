package org.cloudpatch.scheduling.window;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.rollout.MaintenanceWindow;

/**
 * A recurring maintenance window without a zone of its own: asked about a zone, it yields that
 * zone's {@link MaintenanceWindow} occurrences. Every implementation follows DESIGN §6: a start in
 * a DST gap moves forward by the gap, a start in an overlap takes the earlier offset, durations and
 * cutoffs are elapsed time, occurrences are strictly increasing in start, none is repeated on a
 * fall-back night and none is silently skipped.
 */
public interface WindowSchedule {
  /**
   * Up to {@code count} occurrences in {@code zone} in start order, the first being the first whose
   * cutoff is not before {@code from} (so an occurrence already open at {@code from} is included
   * while jobs may still start in it). Fewer than {@code count} only when the schedule ends.
   *
   * @param zone the zone whose wall clock the schedule follows, never null
   * @param from the earliest instant at which a job would start, never null
   * @param count how many occurrences, zero or more
   * @return an unmodifiable list
   */
  List<MaintenanceWindow> occurrences(ZoneId zone, Instant from, int count);

  /**
   * The first occurrence whose cutoff is not before {@code notBefore}, or empty when the schedule
   * has ended.
   */
  default Optional<MaintenanceWindow> nextOccurrence(ZoneId zone, Instant notBefore) {
    return occurrences(zone, notBefore, 1).stream().findFirst();
  }
}
