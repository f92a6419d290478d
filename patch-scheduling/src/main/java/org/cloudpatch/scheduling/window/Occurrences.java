package org.cloudpatch.scheduling.window;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.cloudpatch.core.rollout.MaintenanceWindow;

/** The calendar arithmetic behind {@link WeeklyWindow}; kept out of its public surface. */
final class Occurrences {
  /**
   * Offsets span -12h to +14h, so the longest a zone's clock has ever jumped is about a day (Samoa
   * skipped 30 December 2011). Six days leave that much room between occurrences.
   */
  static final Duration MAX_DURATION = Duration.ofDays(6);

  private Occurrences() {}

  static void check(WeeklyWindow window) {
    Duration duration = window.duration();
    Duration cutoff = window.cutoffBeforeEnd();
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalStateException("duration must be positive: " + duration);
    }
    if (duration.compareTo(MAX_DURATION) > 0) {
      throw new IllegalStateException(
          "duration " + duration + " is longer than " + MAX_DURATION + " (a weekly window)");
    }
    if (cutoff.isNegative() || cutoff.compareTo(duration) > 0) {
      throw new IllegalStateException(
          "cutoffBeforeEnd " + cutoff + " must be between zero and the duration " + duration);
    }
  }

  static MaintenanceWindow next(WeeklyWindow window, ZoneId zone, Instant notBefore) {
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(notBefore, "notBefore");
    return on(window, zone, firstDate(window, zone, notBefore));
  }

  static List<MaintenanceWindow> list(WeeklyWindow window, ZoneId zone, Instant from, int count) {
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(from, "from");
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative: " + count);
    }
    List<MaintenanceWindow> result = new ArrayList<>(count);
    if (count == 0) {
      return Collections.unmodifiableList(result);
    }
    // Stepping the local date, not the instant, is what keeps one occurrence per week whatever
    // the clocks do in between.
    LocalDate date = firstDate(window, zone, from);
    for (int i = 0; i < count; i++) {
      result.add(on(window, zone, date));
      date = date.plusWeeks(1);
    }
    return Collections.unmodifiableList(result);
  }

  /** The local date of the first occurrence whose cutoff is not before {@code notBefore}. */
  private static LocalDate firstDate(WeeklyWindow window, ZoneId zone, Instant notBefore) {
    LocalDate date =
        LocalDate.ofInstant(notBefore, zone)
            .with(TemporalAdjusters.previousOrSame(window.dayOfWeek()));
    // Cutoffs grow strictly from week to week (a week is far longer than any offset change), so
    // walking back while the earlier week still qualifies, then forward while this one does not,
    // finds the first qualifying week; each loop runs at most once or twice.
    while (!cutoff(window, zone, date.minusWeeks(1)).isBefore(notBefore)) {
      date = date.minusWeeks(1);
    }
    while (cutoff(window, zone, date).isBefore(notBefore)) {
      date = date.plusWeeks(1);
    }
    return date;
  }

  private static Instant cutoff(WeeklyWindow window, ZoneId zone, LocalDate date) {
    return start(window, zone, date).plus(window.duration()).minus(window.cutoffBeforeEnd());
  }

  private static MaintenanceWindow on(WeeklyWindow window, ZoneId zone, LocalDate date) {
    Instant start = start(window, zone, date);
    Instant end = start.plus(window.duration());
    return MaintenanceWindow.builder()
        .start(start)
        .end(end)
        .cutoff(end.minus(window.cutoffBeforeEnd()))
        .zone(zone)
        .build();
  }

  /**
   * The instant the window opens on {@code date}. In a gap, the wall-clock time read on the offset
   * before the transition is the gap-shifted time on the offset after it (02:30 at +01:00 is 03:30
   * at +02:00), so "move forward by the gap" and "take the earlier offset in an overlap" are the
   * same rule: use the offset in force before the transition.
   */
  private static Instant start(WeeklyWindow window, ZoneId zone, LocalDate date) {
    LocalDateTime local = date.atTime(window.startTime());
    ZoneRules rules = zone.getRules();
    ZoneOffsetTransition transition = rules.getTransition(local);
    return transition == null
        ? local.toInstant(rules.getOffset(local))
        : local.toInstant(transition.getOffsetBefore());
  }
}
