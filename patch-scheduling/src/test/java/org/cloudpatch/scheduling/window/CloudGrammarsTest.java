package org.cloudpatch.scheduling.window;

import static org.cloudpatch.scheduling.window.Schedules.local;
import static org.cloudpatch.scheduling.window.Schedules.starts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The documented examples of each grammar, as tests: the vendors' own words for what an expression
 * means, checked against the occurrences it yields.
 */
class CloudGrammarsTest {
  private static final ZoneId UTC = ZoneId.of("UTC");

  /**
   * AWS "Cron expressions reference" (EventBridge) and "Reference: Cron and rate expressions for
   * Systems Manager"
   * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html).
   */
  @Nested
  class Aws {
    @Test
    void daily1000_runsEveryDayAt1000() {
      assertEquals(
          List.of("2025-06-02T10:00:00Z", "2025-06-03T10:00:00Z"),
          starts("cron(0 10 * * ? *)", "UTC", "2025-06-02T00:00", 2));
    }

    @Test
    void mondayToFriday1800_skipsTheWeekend() {
      // Friday 6 June, then Monday 9 June.
      assertEquals(
          List.of("2025-06-06T18:00:00Z", "2025-06-09T18:00:00Z"),
          starts("cron(0 18 ? * MON-FRI *)", "UTC", "2025-06-06T12:00", 2));
    }

    @Test
    void firstOfMonth0800() {
      assertEquals(
          List.of("2025-07-01T08:00:00Z", "2025-08-01T08:00:00Z"),
          starts("cron(0 8 1 * ? *)", "UTC", "2025-06-02T00:00", 2));
    }

    @Test
    void every15Minutes_from0() {
      assertEquals(
          List.of("2025-06-02T00:00:00Z", "2025-06-02T00:15:00Z", "2025-06-02T00:30:00Z"),
          starts("cron(0/15 * * * ? *)", "UTC", "2025-06-02T00:00", 3));
    }

    @Test
    void every5MinutesBetween0800And1755OnWeekdays() {
      List<String> friday = starts("cron(0/5 8-17 ? * MON-FRI *)", "UTC", "2025-06-06T17:50", 3);
      assertEquals(
          List.of("2025-06-06T17:50:00Z", "2025-06-06T17:55:00Z", "2025-06-09T08:00:00Z"), friday);
    }

    @Test
    void firstMondayOfTheMonth_2hash1() {
      assertEquals(
          List.of("2025-07-07T09:00:00Z", "2025-08-04T09:00:00Z"),
          starts("cron(0 9 ? * 2#1 *)", "UTC", "2025-06-03T00:00", 2));
    }

    @Test
    void threeHashTwo_isTheSecondTuesday() {
      // "3#2 refers to the second Tuesday of the month": Patch Tuesday.
      assertEquals(
          List.of("2025-06-10T00:00:00Z", "2025-07-08T00:00:00Z"),
          starts("cron(0 0 ? * 3#2 *)", "UTC", "2025-06-01T00:00", 2));
    }

    @Test
    void thirdTuesdayAt2330_withScheduleOffset2_runsTwoDaysLater() {
      // Systems Manager: "cron(30 23 ? * TUE#3 *)" with --schedule-offset 2 runs two days after
      // the third Tuesday, at 11:30 PM.
      RecurringWindow window = RecurringWindow.parse("cron(30 23 ? * TUE#3 *)").withDayOffset(2);
      assertEquals(
          List.of("2025-06-19T23:30:00Z", "2025-07-17T23:30:00Z"),
          starts(window, UTC, Schedules.at("2025-06-01T00:00:00Z"), 2));
    }

    @Test
    void secondThursday_withScheduleOffset3_isTheFollowingSunday() {
      RecurringWindow window = RecurringWindow.parse("cron(0 0 ? * THU#2 *)").withDayOffset(3);
      MaintenanceWindow first =
          window.nextOccurrence(UTC, Schedules.at("2025-06-01T00:00:00Z")).orElseThrow();
      assertEquals("2025-06-15T00:00:00Z", local(first.start(), UTC));
      assertEquals(java.time.DayOfWeek.SUNDAY, first.start().atZone(UTC).getDayOfWeek());
    }

    @Test
    void wednesday0900_afterAStartDate_inLosAngeles() {
      // Systems Manager: --start-date 2021-01-01T00:00:00-08:00, America/Los_Angeles,
      // cron(0 09 ? * WED *): the first run is Wednesday 6 January 2021 at 09:00 local.
      ZoneId la = ZoneId.of("America/Los_Angeles");
      RecurringWindow window =
          RecurringWindow.parse("cron(0 09 ? * WED *)")
              .withNotBefore(LocalDateTime.parse("2021-01-01T00:00"));
      assertEquals(
          List.of("2021-01-06T09:00:00-08:00"),
          starts(window, la, Schedules.at("2020-12-01T00:00:00Z"), 1));
    }

    @Test
    void lastDayOfMonth_L() {
      assertEquals(
          List.of("2024-02-29T00:00:00Z", "2024-03-31T00:00:00Z"),
          starts("cron(0 0 L * ? *)", "UTC", "2024-02-01T00:00", 2));
    }

    @Test
    void lastFridayOfMonth_6L() {
      assertEquals(
          List.of("2025-06-27T00:00:00Z", "2025-07-25T00:00:00Z"),
          starts("cron(0 0 ? * 6L *)", "UTC", "2025-06-01T00:00", 2));
    }

    @Test
    void nearestWeekday_3W_staysInTheMonth() {
      // 3 May 2025 is a Saturday: the nearest weekday is Friday 2 May. 1 Feb 2025 is a Saturday:
      // 1W is Monday 3 February, not a day of January.
      assertEquals(
          List.of("2025-05-02T00:00:00Z"),
          starts("cron(0 0 3W 5 ? *)", "UTC", "2025-04-01T00:00", 1));
      assertEquals(
          List.of("2025-02-03T00:00:00Z"),
          starts("cron(0 0 1W 2 ? *)", "UTC", "2025-01-01T00:00", 1));
    }

    @Test
    void yearField_endsTheSchedule() {
      assertEquals(
          List.of("2026-01-01T00:00:00Z"),
          starts("cron(0 0 1 1 ? 2026)", "UTC", "2025-06-01T00:00", 5));
    }

    @Test
    void bothDayFieldsGiven_isRejectedNamingTheField() {
      InvalidScheduleException e =
          assertThrows(
              InvalidScheduleException.class, () -> RecurringWindow.parse("cron(0 0 1 * MON *)"));
      assertEquals(
          "aws cron: field 5 (day-of-week) \"MON\" at column 14: one of day-of-month and"
              + " day-of-week must be ? (they cannot both be given)",
          e.getMessage());
      assertEquals(14, e.column());
    }

    @Test
    void dayOfWeekZero_isOutOfRange() {
      InvalidScheduleException e =
          assertThrows(
              InvalidScheduleException.class, () -> RecurringWindow.parse("cron(0 0 ? * 0 *)"));
      assertEquals(
          "aws cron: field 5 (day-of-week) \"0\" at column 14: out of range 1-7", e.getMessage());
    }
  }

  /**
   * Azure maintenance configurations' {@code recurEvery}, from the documentation of {@code
   * MaintenanceConfigurationData.RecurEvery}: "Daily schedule examples are recurEvery: Day,
   * recurEvery: 3Days. Weekly ... recurEvery: 3Weeks, recurEvery: Week Saturday,Sunday. Monthly ...
   * recurEvery: Month, recurEvery: 2Months, recurEvery: Month day23,day24, recurEvery: Month Last
   * Sunday, recurEvery: Month Fourth Monday, recurEvery: Month Last Sunday Offset-3, recurEvery:
   * Month Third Sunday Offset6." Offsets are -6 to 6.
   */
  @Nested
  class Azure {
    private List<String> azure(String recurEvery, int n) {
      // Starting Wednesday 1 January 2025 at 22:00.
      return starts(recurEvery, "UTC", "2025-01-01T22:00", n);
    }

    @Test
    void day() {
      assertEquals(List.of("2025-01-01T22:00:00Z", "2025-01-02T22:00:00Z"), azure("Day", 2));
    }

    @Test
    void threeDays() {
      assertEquals(
          List.of("2025-01-01T22:00:00Z", "2025-01-04T22:00:00Z", "2025-01-07T22:00:00Z"),
          azure("3Days", 3));
    }

    @Test
    void threeWeeks_onTheStartsWeekday() {
      assertEquals(List.of("2025-01-01T22:00:00Z", "2025-01-22T22:00:00Z"), azure("3Weeks", 2));
    }

    @Test
    void weekSaturdaySunday() {
      assertEquals(
          List.of("2025-01-04T22:00:00Z", "2025-01-05T22:00:00Z", "2025-01-11T22:00:00Z"),
          azure("Week Saturday,Sunday", 3));
    }

    @Test
    void twoMonths_onTheStartsDay() {
      assertEquals(List.of("2025-01-01T22:00:00Z", "2025-03-01T22:00:00Z"), azure("2Months", 2));
    }

    @Test
    void monthDay23Day24() {
      assertEquals(
          List.of("2025-01-23T22:00:00Z", "2025-01-24T22:00:00Z", "2025-02-23T22:00:00Z"),
          azure("Month day23,day24", 3));
    }

    @Test
    void monthLastSunday() {
      assertEquals(
          List.of("2025-01-26T22:00:00Z", "2025-02-23T22:00:00Z"), azure("Month Last Sunday", 2));
    }

    @Test
    void monthFourthMonday() {
      assertEquals(
          List.of("2025-01-27T22:00:00Z", "2025-02-24T22:00:00Z"), azure("Month Fourth Monday", 2));
    }

    @Test
    void monthLastSundayOffsetMinus3_isTheThursdayBefore() {
      assertEquals(
          List.of("2025-01-23T22:00:00Z", "2025-02-20T22:00:00Z"),
          azure("Month Last Sunday Offset-3", 2));
    }

    @Test
    void monthThirdSundayOffset6_isTheSaturdayAfter() {
      assertEquals(
          List.of("2025-01-25T22:00:00Z", "2025-02-22T22:00:00Z"),
          azure("Month Third Sunday Offset6", 2));
    }

    @Test
    void monthSecondTuesdayOffset2_isTheThursdayAfterPatchTuesday() {
      assertEquals(
          List.of("2025-01-16T22:00:00Z", "2025-02-13T22:00:00Z", "2025-03-13T22:00:00Z"),
          azure("Month Second Tuesday Offset2", 3));
    }

    @Test
    void maintenanceWindowJson_readsStartDurationAndExpiration() {
      String json =
          "{\"startDateTime\":\"2025-01-01 23:00\",\"expirationDateTime\":\"2025-03-01 00:00\","
              + "\"duration\":\"03:55\",\"timeZone\":\"Eastern Standard Time\","
              + "\"recurEvery\":\"Month Second Tuesday\"}";
      RecurringWindow window = RecurringWindow.parse(json);
      ZoneId ny = ZoneId.of("America/New_York");

      List<MaintenanceWindow> list =
          window.occurrences(ny, Schedules.at("2024-12-01T00:00:00Z"), 5);

      assertEquals(Duration.parse("PT3H55M"), window.duration());
      assertEquals(
          List.of("2025-01-14T23:00:00-05:00", "2025-02-11T23:00:00-05:00"),
          list.stream().map(w -> local(w.start(), ny)).toList());
    }

    @Test
    void offsetOutOfRange_isRejected() {
      InvalidScheduleException e =
          assertThrows(
              InvalidScheduleException.class,
              () -> RecurringWindow.parse("Month Second Tuesday Offset7", LocalDateTime.MIN));
      assertEquals(
          "azure recurEvery: offset \"Offset7\" at column 22: out of range -6 to 6",
          e.getMessage());
    }

    @Test
    void unknownWeekOfMonth_isRejectedWithItsColumn() {
      InvalidScheduleException e =
          assertThrows(
              InvalidScheduleException.class,
              () -> RecurringWindow.parse("Month Fifth Tuesday", LocalDateTime.MIN));
      assertEquals(7, e.column());
      assertTrue(e.getMessage().contains("First, Second, Third, Fourth or Last"), e.getMessage());
    }
  }

  /**
   * Google Cloud OS Config patch deployments' {@code recurringSchedule}
   * (https://cloud.google.com/compute/docs/osconfig/rest/v1/projects.patchDeployments). {@code
   * WeekDayOfMonth.dayOffset}: "if weekOrdinal and dayOfWeek values point to the second Tuesday of
   * the month and the dayOffset value is set to 3, patch deployment takes place three days after
   * the second Tuesday of the month. If this value is negative, for example -5, patches are
   * deployed five days before the second Tuesday of the month. Allowed values are in range [-30,
   * 30]."
   */
  @Nested
  class Gcp {
    private static final ZoneId NY = ZoneId.of("America/New_York");

    private List<String> gcp(String monthly, int n) {
      String json =
          "{\"timeZone\":{\"id\":\"America/New_York\"},\"timeOfDay\":{\"hours\":2,\"minutes\":30},"
              + "\"frequency\":\"MONTHLY\",\"monthly\":"
              + monthly
              + "}";
      return starts(RecurringWindow.parse(json), NY, Schedules.at("2025-01-01T00:00:00-05:00"), n);
    }

    @Test
    void weekDayOfMonth_dayOffset3_isThreeDaysAfterTheSecondTuesday() {
      assertEquals(
          List.of("2025-01-17T02:30:00-05:00", "2025-02-14T02:30:00-05:00"),
          gcp(
              "{\"weekDayOfMonth\":{\"weekOrdinal\":2,\"dayOfWeek\":\"TUESDAY\",\"dayOffset\":3}}",
              2));
    }

    @Test
    void weekDayOfMonth_dayOffsetMinus5_isFiveDaysBeforeTheSecondTuesday() {
      // 14 January 2025 is the second Tuesday; five days before is Thursday 9 January.
      assertEquals(
          List.of("2025-01-09T02:30:00-05:00", "2025-02-06T02:30:00-05:00"),
          gcp(
              "{\"weekDayOfMonth\":{\"weekOrdinal\":2,\"dayOfWeek\":\"TUESDAY\",\"dayOffset\":-5}}",
              2));
    }

    @Test
    void weekDayOfMonth_ordinalMinus1_isTheLastWeek() {
      assertEquals(
          List.of("2025-01-26T02:30:00-05:00"),
          gcp("{\"weekDayOfMonth\":{\"weekOrdinal\":-1,\"dayOfWeek\":\"SUNDAY\"}}", 1));
    }

    @Test
    void monthDay31_skipsMonthsWithoutIt() {
      assertEquals(
          List.of("2025-01-31T02:30:00-05:00", "2025-03-31T02:30:00-04:00"),
          gcp("{\"monthDay\":31}", 2));
    }

    @Test
    void monthDayMinus1_isTheLastDay() {
      assertEquals(
          List.of("2025-01-31T02:30:00-05:00", "2025-02-28T02:30:00-05:00"),
          gcp("{\"monthDay\":-1}", 2));
    }

    @Test
    void weeklyInsidePatchDeployment_readsItsDurationAndEndTime() {
      String json =
          "{\"duration\":\"7200s\",\"recurringSchedule\":{\"timeZone\":{\"id\":\"America/New_York\"},"
              + "\"endTime\":\"2025-01-20T00:00:00Z\",\"timeOfDay\":{\"hours\":3},"
              + "\"frequency\":\"WEEKLY\",\"weekly\":{\"dayOfWeek\":\"SATURDAY\"}}}";
      RecurringWindow window = RecurringWindow.parse(json);
      assertEquals(Duration.ofHours(2), window.duration());
      assertEquals(
          List.of(
              "2025-01-04T03:00:00-05:00",
              "2025-01-11T03:00:00-05:00",
              "2025-01-18T03:00:00-05:00"),
          starts(window, NY, Schedules.at("2025-01-01T00:00:00Z"), 10));
    }

    @Test
    void dayOffsetOutOfRange_isRejectedWithItsPointer() {
      InvalidScheduleException e =
          assertThrows(
              InvalidScheduleException.class,
              () ->
                  gcp(
                      "{\"weekDayOfMonth\":{\"weekOrdinal\":2,\"dayOfWeek\":\"TUESDAY\","
                          + "\"dayOffset\":31}}",
                      1));
      assertEquals(
          "gcp recurringSchedule: /monthly/weekDayOfMonth/dayOffset \"31\": out of range -30 to 30",
          e.getMessage());
    }
  }

  /** Unix cron, with the examples of crontab(5) (cronie / Vixie cron). */
  @Nested
  class UnixCron {
    @Test
    void fiveMinutesAfterMidnightEveryDay() {
      assertEquals(
          List.of("2025-06-02T00:05:00Z", "2025-06-03T00:05:00Z"),
          starts("5 0 * * *", "UTC", "2025-06-02T00:00", 2));
    }

    @Test
    void at1415OnTheFirstOfEveryMonth() {
      assertEquals(
          List.of("2025-07-01T14:15:00Z", "2025-08-01T14:15:00Z"),
          starts("15 14 1 * *", "UTC", "2025-06-02T00:00", 2));
    }

    @Test
    void at2200OnWeekdays() {
      assertEquals(
          List.of("2025-06-06T22:00:00Z", "2025-06-09T22:00:00Z"),
          starts("0 22 * * 1-5", "UTC", "2025-06-06T12:00", 2));
    }

    @Test
    void twentyThreeMinutesAfterEveryEvenHour() {
      assertEquals(
          List.of("2025-06-02T00:23:00Z", "2025-06-02T02:23:00Z", "2025-06-02T04:23:00Z"),
          starts("23 0-23/2 * * *", "UTC", "2025-06-02T00:00", 3));
    }

    @Test
    void vixieRule_bothDayFieldsRestricted_eitherMatches() {
      // crontab(5): "30 4 1,15 * 5" runs at 4:30 am on the 1st and 15th of each month, plus every
      // Friday.
      assertEquals(
          List.of(
              "2025-08-01T04:30:00Z",
              "2025-08-08T04:30:00Z",
              "2025-08-15T04:30:00Z",
              "2025-08-22T04:30:00Z",
              "2025-08-29T04:30:00Z",
              "2025-09-01T04:30:00Z"),
          starts("30 4 1,15 * 5", "UTC", "2025-08-01T00:00", 6));
    }

    @Test
    void vixieRule_starredDayOfMonth_meansBothMustMatch() {
      // A day field starting with * is unrestricted for the OR rule, even as */2 (Vixie's flag is
      // "begins with *"): odd days that are also Mondays.
      assertEquals(
          List.of("2025-09-01T00:00:00Z", "2025-09-15T00:00:00Z", "2025-09-29T00:00:00Z"),
          starts("0 0 */2 * mon", "UTC", "2025-09-01T00:00", 3));
    }

    @Test
    void sundayIsBoth0And7_andNamesWork() {
      List<String> sundays = starts("0 3 * * 0", "UTC", "2025-06-02T00:00", 2);
      assertEquals(sundays, starts("0 3 * * 7", "UTC", "2025-06-02T00:00", 2));
      assertEquals(sundays, starts("0 3 * * SUN", "UTC", "2025-06-02T00:00", 2));
      assertEquals(List.of("2025-06-08T03:00:00Z", "2025-06-15T03:00:00Z"), sundays);
    }

    @Test
    void weeklyMacro_isSundayMidnight() {
      assertEquals(
          List.of("2025-06-08T00:00:00Z"), starts("@weekly", "UTC", "2025-06-02T00:00", 1));
    }

    @Test
    void outOfRangeDayOfMonth_namesFieldAndColumn() {
      InvalidScheduleException e =
          assertThrows(InvalidScheduleException.class, () -> RecurringWindow.parse("0 12 32 * *"));
      assertEquals(
          "cron: field 3 (day-of-month) \"32\" at column 6: out of range 1-31", e.getMessage());
    }

    @Test
    void badListItem_namesItsOwnColumn() {
      InvalidScheduleException e =
          assertThrows(InvalidScheduleException.class, () -> RecurringWindow.parse("0,61 2 * * *"));
      assertEquals("cron: field 1 (minute) \"61\" at column 3: out of range 0-59", e.getMessage());
    }

    @Test
    void wrongFieldCount_isRejected() {
      InvalidScheduleException e =
          assertThrows(InvalidScheduleException.class, () -> RecurringWindow.parse("0 2 * * * *"));
      assertTrue(e.getMessage().startsWith("schedule: expression"), e.getMessage());
    }

    @Test
    void impossibleDate_endsWithoutLooping() {
      assertEquals(List.of(), starts("0 0 30 2 *", "UTC", "2025-01-01T00:00", 1));
    }
  }

  /** RFC 5545's own examples (section 3.8.5.3). */
  @Nested
  class Rrule {
    @Test
    void everyOtherWeekOnTuesdayAndThursday_forEightOccurrences() {
      assertEquals(
          List.of(
              "1997-09-02T09:00:00-04:00",
              "1997-09-04T09:00:00-04:00",
              "1997-09-16T09:00:00-04:00",
              "1997-09-18T09:00:00-04:00",
              "1997-09-30T09:00:00-04:00",
              "1997-10-02T09:00:00-04:00",
              "1997-10-14T09:00:00-04:00",
              "1997-10-16T09:00:00-04:00"),
          starts(
              "DTSTART:19970902T090000 RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH",
              "America/New_York",
              "1997-09-01T00:00",
              20));
    }

    @Test
    void lastWorkdayOfTheMonth_withBysetpos() {
      assertEquals(
          List.of("1997-09-30T09:00:00-04:00", "1997-10-31T09:00:00-05:00"),
          starts(
              "DTSTART:19970929T090000 RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
              "America/New_York",
              "1997-09-29T00:00",
              2));
    }

    @Test
    void secondToLastMondayOfTheMonth() {
      assertEquals(
          List.of("1997-09-22T09:00:00-04:00", "1997-10-20T09:00:00-04:00"),
          starts(
              "DTSTART:19970922T090000 RRULE:FREQ=MONTHLY;COUNT=6;BYDAY=-2MO",
              "America/New_York",
              "1997-09-01T00:00",
              2));
    }

    @Test
    void thirdToLastDayOfTheMonth() {
      assertEquals(
          List.of("1997-09-28T09:00:00-04:00", "1997-10-29T09:00:00-05:00"),
          starts(
              "DTSTART:19970928T090000 RRULE:FREQ=MONTHLY;BYMONTHDAY=-3",
              "America/New_York",
              "1997-09-01T00:00",
              2));
    }

    @Test
    void unsupportedPart_isRejectedNamingItsColumn() {
      InvalidScheduleException e =
          assertThrows(
              InvalidScheduleException.class,
              () -> RecurringWindow.parse("DTSTART:20250101T000000 RRULE:FREQ=YEARLY;BYWEEKNO=20"));
      assertEquals("rrule: BYWEEKNO \"20\" at column 52: not supported", e.getMessage());
    }

    @Test
    void badMonthDay_isRejected() {
      InvalidScheduleException e =
          assertThrows(
              InvalidScheduleException.class,
              () -> RecurringWindow.parse("FREQ=MONTHLY;BYMONTHDAY=32", LocalDateTime.MIN));
      assertEquals(
          "rrule: BYMONTHDAY \"32\" at column 25: out of range -31..-1, 1-31", e.getMessage());
    }
  }
}
