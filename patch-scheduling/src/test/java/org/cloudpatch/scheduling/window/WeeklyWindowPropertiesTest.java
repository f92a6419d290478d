package org.cloudpatch.scheduling.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Properties of weekly windows in every zone java.time knows, from 1970 to 2040.
 *
 * <p>The expected occurrences come from {@link ZonedDateTime#of}, whose documented resolution of
 * gaps (later by the length of the gap) and overlaps (the earlier offset) is DESIGN §6's rule; the
 * implementation resolves them differently (through the offset before the transition), so the two
 * check each other.
 */
class WeeklyWindowPropertiesTest {
  private static final int WEEKS = 60;

  private static final List<ZoneId> ZONES =
      ZoneId.getAvailableZoneIds().stream().sorted().map(ZoneId::of).toList();

  private static final Gen<ZoneId> ZONE = Generate.pick(ZONES);

  private static final Gen<Instant> INSTANT =
      Generate.longRange(
              Instant.parse("1970-01-01T00:00:00Z").getEpochSecond(),
              Instant.parse("2040-01-01T00:00:00Z").getEpochSecond())
          .map((Long seconds) -> Instant.ofEpochSecond(seconds));

  private static final Gen<WeeklyWindow> WINDOW =
      Generate.enumValues(DayOfWeek.class)
          .zip(
              Generate.range(0, 24 * 60 - 1)
                  // Most clocks change between 00:00 and 04:00: look there more often.
                  .mix(Generate.range(0, 4 * 60 - 1), 50)
                  .map((Integer minute) -> LocalTime.MIN.plusMinutes(minute)),
              Generate.range(1, 48 * 60).map((Integer minutes) -> Duration.ofMinutes(minutes)),
              Generate.range(0, 100),
              (day, time, duration, cutoffPercent) ->
                  WeeklyWindow.builder()
                      .dayOfWeek(day)
                      .startTime(time)
                      .duration(duration)
                      .cutoffBeforeEnd(duration.multipliedBy(cutoffPercent).dividedBy(100))
                      .build());

  @Test
  void occurrences_matchTheWallClockRuleWeekByWeek_withoutSkippingOrRepeating() {
    qt().withExamples(3000)
        .forAll(ZONE, INSTANT, WINDOW)
        .checkAssert(
            (zone, from, window) -> {
              List<MaintenanceWindow> list = window.occurrences(zone, from, WEEKS);

              LocalDate first = expectedFirstDate(window, zone, from);
              for (int i = 0; i < WEEKS; i++) {
                Instant expected = expectedStart(window, zone, first.plusWeeks(i));
                assertEquals(expected, list.get(i).start(), () -> describe(window, zone, from));
              }
            });
  }

  @Test
  void occurrences_areStrictlyIncreasing_aboutAWeekApart_onTheRightDay() {
    qt().withExamples(3000)
        .forAll(ZONE, INSTANT, WINDOW)
        .checkAssert(
            (zone, from, window) -> {
              List<MaintenanceWindow> list = window.occurrences(zone, from, WEEKS);
              String context = describe(window, zone, from);

              assertTrue(!list.get(0).cutoff().isBefore(from), context);
              LocalDateTime previousNominal = null;
              for (int i = 0; i < list.size(); i++) {
                MaintenanceWindow occurrence = list.get(i);
                assertEquals(
                    window.duration(), Duration.between(occurrence.start(), occurrence.end()));
                assertEquals(
                    window.cutoffBeforeEnd(),
                    Duration.between(occurrence.cutoff(), occurrence.end()));
                LocalDateTime nominal = nominal(occurrence.start(), zone, window.startTime());
                assertEquals(window.dayOfWeek(), nominal.getDayOfWeek(), context);
                assertEquals(window.startTime(), nominal.toLocalTime(), context);
                if (i > 0) {
                  // Not skipped, not repeated: the nominal dates are consecutive weeks.
                  assertEquals(previousNominal.plusWeeks(1), nominal, context);
                  Instant previous = list.get(i - 1).start();
                  assertTrue(previous.isBefore(occurrence.start()), context);
                  Duration gap = Duration.between(previous, occurrence.start());
                  Duration shift = offsetChanges(zone, previous, occurrence.start());
                  assertTrue(
                      gap.minus(Duration.ofDays(7)).abs().compareTo(shift) <= 0,
                      () -> context + ": " + gap + " apart, offset changes " + shift);
                  assertTrue(
                      !list.get(i - 1).end().isAfter(occurrence.start()), "occurrences overlap");
                }
                previousNominal = nominal;
              }
            });
  }

  @Test
  void next_isTheFirstOccurrenceWhoseCutoffIsNotBeforeTheInstant() {
    qt().withExamples(3000)
        .forAll(ZONE, INSTANT, WINDOW)
        .checkAssert(
            (zone, from, window) -> {
              MaintenanceWindow next = window.next(zone, from);
              LocalDate date = expectedFirstDate(window, zone, from);

              assertEquals(expectedStart(window, zone, date), next.start());
              // The week before is already past its cutoff: nothing was skipped at the start.
              Instant previousCutoff =
                  expectedStart(window, zone, date.minusWeeks(1))
                      .plus(window.duration())
                      .minus(window.cutoffBeforeEnd());
              assertTrue(previousCutoff.isBefore(from), () -> describe(window, zone, from));
              // Asking again at the cutoff itself gives the same window.
              assertEquals(next, window.next(zone, next.cutoff()));
            });
  }

  private static Instant expectedStart(WeeklyWindow window, ZoneId zone, LocalDate date) {
    return ZonedDateTime.of(date, window.startTime(), zone).toInstant();
  }

  private static LocalDate expectedFirstDate(WeeklyWindow window, ZoneId zone, Instant from) {
    LocalDate date =
        LocalDate.ofInstant(from, zone)
            .minusWeeks(3)
            .with(TemporalAdjusters.nextOrSame(window.dayOfWeek()));
    while (expectedStart(window, zone, date)
        .plus(window.duration())
        .minus(window.cutoffBeforeEnd())
        .isBefore(from)) {
      date = date.plusWeeks(1);
    }
    return date;
  }

  /**
   * The wall-clock time an occurrence stands for: its local start, or, when it was moved forward
   * out of a gap, its local start less the gap. (03:30 just after a gap from 02:00 to 03:00 could
   * be either; the window's start time tells.)
   */
  private static LocalDateTime nominal(Instant start, ZoneId zone, LocalTime startTime) {
    ZoneRules rules = zone.getRules();
    LocalDateTime local = LocalDateTime.ofInstant(start, zone);
    // A start moved forward by a gap is read back as the wall-clock time it was moved from. That
    // comes first: when a whole day vanishes (Samoa skipped Friday 30 December 2011), the moved
    // start lands on the next day at the very same wall-clock time.
    ZoneOffsetTransition last = rules.previousTransition(start.plusNanos(1));
    if (last != null && last.isGap()) {
      LocalDateTime unshifted = local.minus(last.getDuration());
      if (last.equals(rules.getTransition(unshifted))
          && unshifted.toLocalTime().equals(startTime)) {
        return unshifted;
      }
    }
    return local;
  }

  /** The sum of the offset changes from a day before {@code from} up to {@code to}. */
  private static Duration offsetChanges(ZoneId zone, Instant from, Instant to) {
    ZoneRules rules = zone.getRules();
    Duration sum = Duration.ZERO;
    ZoneOffsetTransition transition = rules.nextTransition(from.minus(Duration.ofDays(1)));
    while (transition != null && !transition.getInstant().isAfter(to)) {
      sum = sum.plus(transition.getDuration().abs());
      transition = rules.nextTransition(transition.getInstant());
    }
    return sum;
  }

  private static String describe(WeeklyWindow window, ZoneId zone, Instant from) {
    assertNotNull(window);
    return window + " in " + zone + " from " + from;
  }
}
