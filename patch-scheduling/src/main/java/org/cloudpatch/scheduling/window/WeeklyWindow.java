package org.cloudpatch.scheduling.window;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.immutables.value.Value;

/**
 * A maintenance window that recurs every week: it opens on {@link #dayOfWeek()} at {@link
 * #startTime()} on the local wall clock, stays open for {@link #duration()}, and no new job starts
 * in its last {@link #cutoffBeforeEnd()} — e.g. "Sunday 02:00 for 4h, cutoff 1h before end".
 *
 * <p>The schedule has no zone of its own: the same value gives every zone its own occurrences,
 * which is what a {@code LOCAL_TIME} rollout needs. In every zone it guarantees:
 *
 * <ul>
 *   <li>exactly one occurrence per local calendar week, derived from that week's date alone: a
 *       window never occurs twice in one night and is never silently skipped;
 *   <li>a start that falls in a DST gap moves forward by the length of the gap (02:30 on a night
 *       whose clocks jump from 02:00 to 03:00 opens at 03:30, which is the instant 02:30 would have
 *       been on the old offset);
 *   <li>a start that falls in an overlap takes the earlier offset (the first of the two 02:30s);
 *   <li>duration and cutoff are real elapsed time: a 4h window is 4h of {@link Instant} time even
 *       when the clocks change inside it, so its local end time can differ by the DST shift.
 * </ul>
 *
 * <p>It is the simplest {@link WindowSchedule}; {@link RecurringWindow} reads the schedules users
 * write (cron, RRULE, the cloud consoles' forms) under the same rules.
 *
 * <p>Occurrences are strictly increasing in time and about seven days apart (exactly seven days
 * minus the change of the zone's offset between them).
 */
@Value.Immutable
@JsonSerialize(as = ImmutableWeeklyWindow.class)
@JsonDeserialize(as = ImmutableWeeklyWindow.class)
public interface WeeklyWindow extends WindowSchedule {
  /** The local day on which the window opens. */
  DayOfWeek dayOfWeek();

  /** The local wall-clock time at which the window opens. */
  LocalTime startTime();

  /**
   * How long the window stays open, in elapsed time: more than zero and at most six days, so that
   * consecutive occurrences never overlap even across a change of offset of a whole day.
   */
  Duration duration();

  /**
   * How long before the end no new job may start, in elapsed time: from zero (the default: jobs may
   * start until the end) up to {@link #duration()} (jobs may start only at the opening).
   */
  @Value.Default
  default Duration cutoffBeforeEnd() {
    return Duration.ZERO;
  }

  /**
   * The first occurrence in {@code zone} whose cutoff is not before {@code notBefore}.
   *
   * <p>That is the occurrence in which a job may still start at or after {@code notBefore}: when
   * {@code notBefore} falls inside an occurrence, at or before its cutoff, that occurrence is
   * returned even though it opened earlier; when it falls after the cutoff, the next week's is.
   *
   * @param zone the zone whose wall clock the window follows, never null
   * @param notBefore the earliest instant at which a job would start, never null
   * @return the occurrence, with {@link MaintenanceWindow#zone()} set to {@code zone}
   * @throws java.time.DateTimeException if the occurrence lies outside the range of {@code
   *     java.time}
   */
  default MaintenanceWindow next(ZoneId zone, Instant notBefore) {
    return Occurrences.next(this, zone, notBefore);
  }

  /**
   * The first {@code count} occurrences in {@code zone}, starting with {@link #next(ZoneId,
   * Instant) next(zone, from)}, one per consecutive week and in start order.
   *
   * @param zone the zone whose wall clock the window follows, never null
   * @param from as {@code notBefore} of {@link #next(ZoneId, Instant)}, never null
   * @param count how many occurrences, zero or more
   * @return an unmodifiable list of {@code count} occurrences
   */
  @Override
  default List<MaintenanceWindow> occurrences(ZoneId zone, Instant from, int count) {
    return Occurrences.list(this, zone, from, count);
  }

  /**
   * Rejects a value that breaks the invariants stated above; the builder calls it, so no such value
   * exists.
   */
  @Value.Check
  default void check() {
    Occurrences.check(this);
  }

  /** A window without a cutoff: jobs may start until it ends. */
  static WeeklyWindow of(DayOfWeek dayOfWeek, LocalTime startTime, Duration duration) {
    return builder().dayOfWeek(dayOfWeek).startTime(startTime).duration(duration).build();
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link WeeklyWindow}. */
  final class Builder extends ImmutableWeeklyWindow.Builder {}
}
