package org.cloudpatch.scheduling.window;

import static org.cloudpatch.scheduling.window.Schedules.at;
import static org.cloudpatch.scheduling.window.Schedules.local;
import static org.cloudpatch.scheduling.window.Schedules.starts;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.junit.jupiter.api.Test;

/**
 * Every major scheduler has shipped a DST bug; each test here replays one report's exact scenario
 * and states what DESIGN §6 requires instead. Windows are one minute long with the cutoff at the
 * opening, so "the next occurrence from t" is simply the first start at or after t.
 */
class SchedulerDstRegressionTest {
  private static RecurringWindow schedule(String expression) {
    return RecurringWindow.parse(expression)
        .withDuration(Duration.ofMinutes(1))
        .withCutoffBeforeEnd(Duration.ofMinutes(1));
  }

  private static String next(String expression, ZoneId zone, Instant from) {
    MaintenanceWindow w = schedule(expression).nextOccurrence(zone, from).orElseThrow();
    return local(w.start(), zone);
  }

  /**
   * spring-projects/spring-framework#28038: {@code CronExpression.parse("0 5 0 * * *")} from
   * 2021-03-28T01:00 Europe/Amsterdam (the spring-forward day, before the jump) returned 30 March
   * instead of 29 March: a day late.
   */
  @Test
  void springFramework28038_dailyAfterMidnight_onSpringForwardDay_isNotADayLate() {
    ZoneId amsterdam = ZoneId.of("Europe/Amsterdam");
    assertEquals(
        "2021-03-29T00:05:00+02:00", next("5 0 * * *", amsterdam, at("2021-03-28T01:00:00+01:00")));
  }

  /**
   * spring-projects/spring-framework#36859: {@code "0 0 *}{@code /2 * * ?"} in Africa/Cairo from
   * 2025-04-24 21:10:20 skipped the whole of 25 April, whose midnight falls in the gap (00:00 to
   * 01:00). Here 00:00 moves forward by the gap to 01:00, and the day's other hours follow.
   */
  @Test
  void springFramework36859_cairoMidnightGap_doesNotSkipTheDay() {
    ZoneId cairo = ZoneId.of("Africa/Cairo");
    assertEquals(
        List.of(
            "2025-04-24T22:00:00+02:00",
            "2025-04-25T01:00:00+03:00",
            "2025-04-25T02:00:00+03:00",
            "2025-04-25T04:00:00+03:00"),
        starts(schedule("0 */2 * * *"), cairo, Instant.ofEpochMilli(1745521820000L), 4));
  }

  /**
   * spring-projects/spring-framework#28245: {@code @Scheduled(cron = "0 30 2 * * ?", zone =
   * "Europe/Zurich")} was skipped on 27 March 2022 (next was 28 March 02:30). It moves forward by
   * the gap to 03:30 instead.
   */
  @Test
  void springFramework28245_twoThirtyOnSpringForwardNight_movesForwardByTheGap() {
    ZoneId zurich = ZoneId.of("Europe/Zurich");
    assertEquals(
        "2022-03-27T03:30:00+02:00", next("30 2 * * *", zurich, at("2022-03-27T01:59:30+01:00")));
  }

  /**
   * quartz-scheduler/quartz#1352: a daily trigger at 02:30 Europe/Amsterdam started 1 March 2025;
   * {@code getFireTimeAfter(2025-04-01T02:00+02:00)} returned 2 April (a day skipped) because the
   * gap night had dragged its time to 01:30. The gap night opens at 03:30, and 1 April at 02:30.
   */
  @Test
  void quartz1352_dailyInTheGap_neitherSkipsNorDrifts() {
    ZoneId amsterdam = ZoneId.of("Europe/Amsterdam");
    String daily = "DTSTART:20250301T023000 RRULE:FREQ=DAILY";
    assertEquals(
        "2025-04-01T02:30:00+02:00", next(daily, amsterdam, at("2025-04-01T02:00:00+02:00")));
    assertEquals(
        List.of(
            "2025-03-29T02:30:00+01:00", "2025-03-30T03:30:00+02:00", "2025-03-31T02:30:00+02:00"),
        starts(schedule(daily), amsterdam, at("2025-03-29T00:00:00+01:00"), 3));
  }

  /**
   * quartz-scheduler/quartz#51: CronTrigger jobs between 2:00 and 3:00 are missed on the
   * spring-forward night ("Is there ideal solution to Daylight Saving Problem"). Each hour of the
   * gap moves forward by the gap; none is lost, and none runs twice.
   */
  @Test
  void quartz51_everyJobInTheMissingHour_runsOnceAfterTheGap() {
    ZoneId la = ZoneId.of("America/Los_Angeles");
    assertEquals(
        List.of(
            "2025-03-09T01:30:00-08:00",
            "2025-03-09T03:00:00-07:00",
            "2025-03-09T03:30:00-07:00",
            "2025-03-09T04:00:00-07:00"),
        starts(schedule("0,30 1-4 * * *"), la, at("2025-03-09T01:30:00-08:00"), 4));
  }

  /**
   * kubernetes/kubernetes#121594: a CronJob at 02:00 Europe/Berlin ran twice on 29 October 2023
   * when the clocks went back from 03:00 to 02:00. It runs once, on the earlier offset.
   */
  @Test
  void kubernetes121594_cronJobAtFallBack_runsOnce() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    assertEquals(
        List.of(
            "2023-10-28T02:00:00+02:00", "2023-10-29T02:00:00+02:00", "2023-10-30T02:00:00+01:00"),
        starts(schedule("0 2 * * *"), berlin, at("2023-10-28T00:00:00+02:00"), 3));
  }

  /**
   * jmrozanec/cron-utils#61: {@code "0 17 * * *"} in America/New_York from 2016-03-12T17:00-05:00
   * gave 18:00 the next day (24 hours later, where 23 are right), and 16:00 in November.
   */
  @Test
  void cronUtils61_dailyAcrossDst_keepsTheWallClockTime() {
    ZoneId ny = ZoneId.of("America/New_York");
    Instant march = at("2016-03-12T17:00:00-05:00");
    MaintenanceWindow next = schedule("0 17 * * *").occurrences(ny, march, 2).get(1);
    assertEquals("2016-03-13T17:00:00-04:00", local(next.start(), ny));
    assertEquals(Duration.ofHours(23), Duration.between(march, next.start()));

    Instant november = at("2016-11-05T17:00:00-04:00");
    MaintenanceWindow fall = schedule("0 17 * * *").occurrences(ny, november, 2).get(1);
    assertEquals("2016-11-06T17:00:00-05:00", local(fall.start(), ny));
    assertEquals(Duration.ofHours(25), Duration.between(november, fall.start()));
  }

  /**
   * ical4j/ical4j#754: {@code RRULE:FREQ=DAILY;COUNT=10;INTERVAL=1} from 2025-03-05T02:00
   * America/Los_Angeles moved the 9 March occurrence (in the gap) to 03:00 — right — and then kept
   * 03:00 for every later day. Only the gap night moves.
   */
  @Test
  void ical4j754_gapOccurrenceMoves_laterOnesKeepTheirTime() {
    ZoneId la = ZoneId.of("America/Los_Angeles");
    assertEquals(
        List.of(
            "2025-03-05T02:00:00-08:00",
            "2025-03-06T02:00:00-08:00",
            "2025-03-07T02:00:00-08:00",
            "2025-03-08T02:00:00-08:00",
            "2025-03-09T03:00:00-07:00",
            "2025-03-10T02:00:00-07:00",
            "2025-03-11T02:00:00-07:00",
            "2025-03-12T02:00:00-07:00",
            "2025-03-13T02:00:00-07:00",
            "2025-03-14T02:00:00-07:00"),
        starts(
            schedule("DTSTART:20250305T020000 RRULE:FREQ=DAILY;COUNT=10;INTERVAL=1"),
            la,
            at("2025-03-01T00:00:00-08:00"),
            20));
  }

  /**
   * jmrozanec/cron-utils#253: {@code "* * * * *"} asked from 02:30 on the second pass through
   * Berlin's repeated hour (2017-10-29T02:30+01:00) answered 02:31+02:00, an instant before the
   * question. Every wall-clock minute opens once, on the earlier offset, so the repeated hour has
   * no second set of windows and the answer is the first minute after it — never in the past.
   */
  @Test
  void cronUtils253_fromInsideTheRepeatedHour_nextIsNeverInThePast() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    Instant from = at("2017-10-29T02:30:00+01:00");
    MaintenanceWindow next = schedule("* * * * *").nextOccurrence(berlin, from).orElseThrow();

    assertEquals("2017-10-29T03:00:00+01:00", local(next.start(), berlin));
  }

  /**
   * jmrozanec/cron-utils#490, the fix of #446: on Rome's fall-back night (2020-10-25, 03:00+02:00
   * back to 02:00+01:00) a job at 02:00 asked for its next run just after its first gave the
   * repeated 02:00+01:00 of the same night, a second run an hour later; #490 skips that repeat only
   * for jobs less frequent than hourly, so an hourly job still runs in both passes of the hour.
   * Here every wall-clock time opens once, on the earlier offset, whatever the frequency: the daily
   * and yearly windows come back the next day and the next year, and the hourly one opens at
   * 02:00+02:00 and next at 03:00+01:00, never twice at 02:00.
   */
  @Test
  void cronUtils490_fallBackNight_opensEachWallClockTimeOnce_atEveryFrequency() {
    ZoneId rome = ZoneId.of("Europe/Rome");
    Instant justAfterFirstRun = at("2020-10-25T02:00:01+02:00");
    assertEquals("2020-10-26T02:00:00+01:00", next("0 2 * * *", rome, justAfterFirstRun));
    assertEquals("2021-10-25T02:00:00+02:00", next("0 2 25 10 *", rome, justAfterFirstRun));
    assertEquals(
        List.of(
            "2020-10-25T01:00:00+02:00",
            "2020-10-25T02:00:00+02:00",
            "2020-10-25T03:00:00+01:00",
            "2020-10-25T04:00:00+01:00"),
        starts(schedule("0 * * * *"), rome, at("2020-10-25T01:00:00+02:00"), 4));
  }

  /**
   * Pacific/Apia skipped Friday 30 December 2011 (-10:00 to +14:00). A daily 02:00 window's nominal
   * start on the 30th moves forward by the 24-hour gap onto the 31st's: one window opens there, not
   * two, and no other day is lost.
   */
  @Test
  void apiaSkippedDay_mergesIntoTheNextDay_onlyOnce() {
    ZoneId apia = ZoneId.of("Pacific/Apia");
    assertEquals(
        List.of(
            "2011-12-29T02:00:00-10:00", "2011-12-31T02:00:00+14:00", "2012-01-01T02:00:00+14:00"),
        starts(schedule("0 2 * * *"), apia, at("2011-12-29T00:00:00-10:00"), 3));
  }

  /** Lord Howe shifts by 30 minutes: 02:15 on its spring-forward night opens at 02:45. */
  @Test
  void lordHoweHalfHourGap_movesForwardByHalfAnHour() {
    ZoneId lordHowe = ZoneId.of("Australia/Lord_Howe");
    assertEquals(
        "2025-10-05T02:45:00+11:00", next("15 2 * * *", lordHowe, at("2025-10-05T00:00:00+10:30")));
  }
}
