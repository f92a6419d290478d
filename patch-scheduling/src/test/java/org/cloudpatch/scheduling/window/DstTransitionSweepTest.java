package org.cloudpatch.scheduling.window;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Function;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.junit.jupiter.api.Test;

/**
 * Every tz database transition from 2000 to 2040 in every zone the JDK knows (Lord Howe's 30-minute
 * shift, Chatham's 02:45, Casablanca's Ramadan switches, Santiago's and Havana's midnights, Cairo's
 * midnight gap, Apia's skipped day among them), with schedules placed on the transition itself: a
 * daily window at the transition's wall-clock time and one in the middle of its gap or overlap, and
 * — for every tenth transition, or all with {@code -Dcloudpatch.dst.full=true} — a half-hourly
 * cron, a weekly RRULE and a monthly AWS cron at the middle of the change.
 *
 * <p>The expected starts come from {@link ZonedDateTime#of}, whose documented resolution (a gap
 * time later by the length of the gap, an overlap time at the earlier offset) is DESIGN §6's rule,
 * computed per nominal time, sorted, with equal instants merged. Checked for each: the starts are
 * strictly increasing and exactly the expected ones (so none is missing, none doubled at
 * fall-back); a nominal time in a gap opens at that time plus the gap; one in an overlap opens
 * once, on the earlier offset; and {@code nextOccurrence} from just before, at and after the
 * transition is present and right. A loop would hang the test rather than pass it.
 */
class DstTransitionSweepTest {
  private static final Instant FROM = Instant.parse("2000-01-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2040-01-01T00:00:00Z");
  private static final boolean FULL = Boolean.getBoolean("cloudpatch.dst.full");
  private static final DateTimeFormatter COMPACT =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss", Locale.ROOT);

  /** One schedule around one transition and how to list its nominal times independently. */
  private record Case(
      String expression,
      Function<LocalDate, List<LocalDateTime>> nominalsOnDay,
      int count,
      int horizonDays) {}

  @Test
  void everyTransition2000To2040_opensEachWindowOnce_movedForwardInGaps() {
    List<String> failures = new ArrayList<>();
    int transitions = 0;
    int gaps = 0;
    int checks = 0;
    for (String id : new TreeSet<>(ZoneId.getAvailableZoneIds())) {
      ZoneId zone = ZoneId.of(id);
      var rules = zone.getRules();
      for (var t = rules.nextTransition(FROM);
          t != null && t.getInstant().isBefore(TO);
          t = rules.nextTransition(t.getInstant())) {
        transitions++;
        gaps += t.isGap() ? 1 : 0;
        LocalDateTime edge = t.getDateTimeBefore().truncatedTo(ChronoUnit.MINUTES);
        // A gap's wall-clock times run from "before" to "after", an overlap's the other way.
        LocalDateTime mid =
            (t.isGap() ? t.getDateTimeBefore() : t.getDateTimeAfter())
                .plus(t.getDuration().abs().dividedBy(2))
                .truncatedTo(ChronoUnit.MINUTES);
        List<Case> cases = new ArrayList<>();
        cases.add(daily(edge.toLocalTime()));
        cases.add(daily(mid.toLocalTime()));
        if (FULL || transitions % 10 == 0) {
          cases.add(
              new Case(
                  "*/30 * * * *",
                  day -> {
                    List<LocalDateTime> times = new ArrayList<>();
                    for (int m = 0; m < 24 * 60; m += 30) {
                      times.add(day.atStartOfDay().plusMinutes(m));
                    }
                    return times;
                  },
                  100,
                  7));
          LocalDateTime weeklyStart = mid.minusWeeks(2);
          cases.add(
              new Case(
                  "DTSTART:" + COMPACT.format(weeklyStart) + " RRULE:FREQ=WEEKLY",
                  day ->
                      ChronoUnit.DAYS.between(weeklyStart.toLocalDate(), day) % 7 == 0
                              && !day.isBefore(weeklyStart.toLocalDate())
                          ? List.of(day.atTime(weeklyStart.toLocalTime()))
                          : List.of(),
                  4,
                  40));
          int dom = mid.getDayOfMonth();
          cases.add(
              new Case(
                  "cron(" + mid.getMinute() + " " + mid.getHour() + " " + dom + " * ? *)",
                  day ->
                      day.getDayOfMonth() == dom
                          ? List.of(day.atTime(mid.toLocalTime()))
                          : List.of(),
                  3,
                  130));
        }
        for (Case c : cases) {
          checks++;
          check(zone, t, c, mid, failures);
          if (failures.size() > 20) {
            break;
          }
        }
      }
    }
    assertTrue(failures.isEmpty(), failures.size() + " failures, e.g. " + failures);
    // The sweep really swept: tens of thousands of transitions, half of them gaps.
    assertTrue(transitions > 10_000, "only " + transitions + " transitions");
    assertTrue(gaps > transitions / 3, "only " + gaps + " gaps of " + transitions);
    assertTrue(checks > 2 * transitions, "only " + checks + " checks");
  }

  private static Case daily(LocalTime time) {
    return new Case(
        time.getMinute() + " " + time.getHour() + " * * *",
        day -> List.of(day.atTime(time)),
        7,
        12);
  }

  private static void check(
      ZoneId zone,
      java.time.zone.ZoneOffsetTransition t,
      Case c,
      LocalDateTime mid,
      List<String> failures) {
    String context = c.expression + " in " + zone + " around " + t;
    RecurringWindow window =
        RecurringWindow.parse(c.expression)
            .withDuration(Duration.ofMinutes(1))
            .withCutoffBeforeEnd(Duration.ofMinutes(1));
    Instant from = t.getInstant().minus(c.count > 50 ? Duration.ofDays(1) : Duration.ofDays(3));
    List<Instant> expected = expected(zone, c, from, c.horizonDays);
    List<Instant> actual =
        window.occurrences(zone, from, c.count).stream().map(MaintenanceWindow::start).toList();
    for (int i = 1; i < actual.size(); i++) {
      if (!actual.get(i - 1).isBefore(actual.get(i))) {
        failures.add(context + ": not strictly increasing at " + actual.get(i));
        return;
      }
    }
    List<Instant> want = expected.subList(0, Math.min(c.count, expected.size()));
    if (!actual.equals(want)) {
      failures.add(context + ": expected " + want + " but was " + actual);
      return;
    }
    // The nominal time in the middle of the change, on its own night.
    if (c.nominalsOnDay.apply(mid.toLocalDate()).contains(mid)) {
      Instant before = mid.toInstant(t.getOffsetBefore());
      Instant last = actual.get(actual.size() - 1);
      if (!before.isAfter(last)) {
        if (!actual.contains(before)) {
          failures.add(context + ": " + mid + " does not open at " + before);
        }
        if (t.isGap() && !LocalDateTime.ofInstant(before, zone).equals(mid.plus(t.getDuration()))) {
          failures.add(context + ": " + mid + " did not move forward by the gap");
        }
        if (t.isOverlap() && actual.contains(mid.toInstant(t.getOffsetAfter()))) {
          failures.add(context + ": " + mid + " opens twice");
        }
      }
    }
    for (Instant probe :
        List.of(t.getInstant().minusSeconds(1), t.getInstant(), t.getInstant().plusSeconds(1))) {
      Instant next = expected.stream().filter(e -> !e.isBefore(probe)).findFirst().orElseThrow();
      Instant got = window.nextOccurrence(zone, probe).map(MaintenanceWindow::start).orElse(null);
      if (!next.equals(got)) {
        failures.add(context + ": next from " + probe + " is " + got + ", expected " + next);
      }
    }
  }

  /** DESIGN §6 through the JDK's documented resolution, merged and in order. */
  private static List<Instant> expected(ZoneId zone, Case c, Instant from, int days) {
    LocalDate first = LocalDate.ofInstant(from, zone).minusDays(2);
    TreeSet<Instant> result = new TreeSet<>();
    for (int d = 0; d < days; d++) {
      for (LocalDateTime nominal : c.nominalsOnDay.apply(first.plusDays(d))) {
        Instant start = ZonedDateTime.of(nominal, zone).toInstant();
        if (!start.isBefore(from)) {
          result.add(start);
        }
      }
    }
    return new ArrayList<>(result);
  }
}
