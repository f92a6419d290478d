package org.cloudpatch.scheduling.window;

import static java.time.DayOfWeek.FRIDAY;
import static java.time.DayOfWeek.SATURDAY;
import static java.time.DayOfWeek.SUNDAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The weekly window as a specification: each test names one rule of DESIGN §6. */
class WeeklyWindowTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId SYDNEY = ZoneId.of("Australia/Sydney");
  private static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");
  private static final ZoneId CHATHAM = ZoneId.of("Pacific/Chatham");
  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

  private static WeeklyWindow sunday(int hour, int minute, Duration duration) {
    return WeeklyWindow.of(SUNDAY, LocalTime.of(hour, minute), duration);
  }

  private static Instant at(String isoOffsetDateTime) {
    return OffsetDateTime.parse(isoOffsetDateTime).toInstant();
  }

  /** The occurrence on the given local date, found through the public API. */
  private static MaintenanceWindow on(WeeklyWindow window, ZoneId zone, String localDate) {
    Instant midnight = LocalDate.parse(localDate).atStartOfDay(zone).toInstant();
    return window.next(zone, midnight);
  }

  private static String local(Instant instant, ZoneId zone) {
    return ZonedDateTime.ofInstant(instant, zone).toOffsetDateTime().toString();
  }

  @Nested
  class Next {
    private final WeeklyWindow window =
        WeeklyWindow.builder()
            .dayOfWeek(SUNDAY)
            .startTime(LocalTime.of(2, 0))
            .duration(Duration.ofHours(4))
            .cutoffBeforeEnd(Duration.ofHours(1))
            .build();

    @Test
    void next_beforeTheWindow_isThisWeeksWindow() {
      MaintenanceWindow next = window.next(BERLIN, at("2025-01-08T12:00:00Z"));

      assertEquals(at("2025-01-12T02:00:00+01:00"), next.start());
      assertEquals(at("2025-01-12T06:00:00+01:00"), next.end());
      assertEquals(at("2025-01-12T05:00:00+01:00"), next.cutoff());
      assertEquals(BERLIN, next.zone());
    }

    @Test
    void next_insideTheWindowBeforeItsCutoff_isTheOpenWindow() {
      MaintenanceWindow next = window.next(BERLIN, at("2025-01-12T04:30:00+01:00"));

      assertEquals(at("2025-01-12T02:00:00+01:00"), next.start());
    }

    @Test
    void next_exactlyAtTheCutoff_isTheOpenWindow() {
      MaintenanceWindow next = window.next(BERLIN, at("2025-01-12T05:00:00+01:00"));

      assertEquals(at("2025-01-12T02:00:00+01:00"), next.start());
    }

    @Test
    void next_afterTheCutoff_isNextWeeksWindow() {
      MaintenanceWindow next = window.next(BERLIN, at("2025-01-12T05:00:00.000000001+01:00"));

      assertEquals(at("2025-01-19T02:00:00+01:00"), next.start());
    }

    @Test
    void next_withoutCutoff_usesTheWindowUntilItsEnd() {
      WeeklyWindow noCutoff = sunday(2, 0, Duration.ofHours(4));

      assertEquals(
          at("2025-01-12T02:00:00+01:00"),
          noCutoff.next(BERLIN, at("2025-01-12T05:59:59+01:00")).start());
      assertEquals(
          at("2025-01-19T02:00:00+01:00"),
          noCutoff.next(BERLIN, at("2025-01-12T06:00:00.000000001+01:00")).start());
    }

    @Test
    void next_crossesTheDateLine_startsOnTheLocalDayOfTheZone() {
      // Sunday 02:00 in Kolkata is Saturday 20:30 UTC: the local day decides, not the UTC day.
      MaintenanceWindow next =
          sunday(2, 0, Duration.ofHours(4)).next(KOLKATA, at("2025-01-11T20:00:00Z"));

      assertEquals(at("2025-01-11T20:30:00Z"), next.start());
    }

    @Test
    void next_windowSpanningMidnight_isFoundFromTheNextDay() {
      WeeklyWindow saturdayNight =
          WeeklyWindow.of(SATURDAY, LocalTime.of(22, 0), Duration.ofHours(6));

      MaintenanceWindow next = saturdayNight.next(BERLIN, at("2025-01-12T01:00:00+01:00"));

      assertEquals(at("2025-01-11T22:00:00+01:00"), next.start());
    }

    @Test
    void occurrences_areConsecutiveWeeks() {
      List<MaintenanceWindow> list = window.occurrences(TOKYO, at("2025-01-01T00:00:00Z"), 3);

      assertEquals(
          List.of(
              at("2025-01-05T02:00:00+09:00"),
              at("2025-01-12T02:00:00+09:00"),
              at("2025-01-19T02:00:00+09:00")),
          list.stream().map(MaintenanceWindow::start).toList());
    }

    @Test
    void occurrences_zeroCount_isEmpty() {
      assertEquals(List.of(), window.occurrences(TOKYO, Instant.EPOCH, 0));
    }
  }

  @Nested
  class DaylightSaving {
    private final WeeklyWindow twoThirty = sunday(2, 30, Duration.ofHours(4));

    @Test
    void window_inDstGap_movesForwardByGap() {
      // Berlin, 30 March 2025: the clocks jump from 02:00 CET to 03:00 CEST.
      MaintenanceWindow gap = on(twoThirty, BERLIN, "2025-03-30");

      assertEquals("2025-03-30T03:30+02:00", local(gap.start(), BERLIN));
    }

    @Test
    void window_inDstGap_keepsItsElapsedDuration() {
      MaintenanceWindow gap = on(twoThirty, BERLIN, "2025-03-30");

      assertEquals(Duration.ofHours(4), Duration.between(gap.start(), gap.end()));
      assertEquals("2025-03-30T07:30+02:00", local(gap.end(), BERLIN));
    }

    @Test
    void window_inDstOverlap_takesEarlierOffset() {
      // Berlin, 26 October 2025: 02:00-03:00 happens twice, first at +02:00 then at +01:00.
      MaintenanceWindow overlap = on(twoThirty, BERLIN, "2025-10-26");

      assertEquals("2025-10-26T02:30+02:00", local(overlap.start(), BERLIN));
    }

    @Test
    void window_inDstOverlap_occursOnceThatNight() {
      List<MaintenanceWindow> october =
          twoThirty.occurrences(BERLIN, at("2025-10-18T00:00:00Z"), 3);

      assertEquals(
          List.of("2025-10-19T02:30+02:00", "2025-10-26T02:30+02:00", "2025-11-02T02:30+01:00"),
          october.stream().map(w -> local(w.start(), BERLIN)).toList());
    }

    @Test
    void window_inDstGap_isNotSkipped() {
      List<MaintenanceWindow> march = twoThirty.occurrences(BERLIN, at("2025-03-22T00:00:00Z"), 3);

      assertEquals(
          List.of("2025-03-23T02:30+01:00", "2025-03-30T03:30+02:00", "2025-04-06T02:30+02:00"),
          march.stream().map(w -> local(w.start(), BERLIN)).toList());
    }

    @Test
    void window_acrossSpringForward_lastsItsElapsedDuration() {
      // 01:00 for 4h on the spring-forward night: 4 real hours end at 06:00 local, not 05:00.
      MaintenanceWindow window = on(sunday(1, 0, Duration.ofHours(4)), BERLIN, "2025-03-30");

      assertEquals("2025-03-30T01:00+01:00", local(window.start(), BERLIN));
      assertEquals("2025-03-30T06:00+02:00", local(window.end(), BERLIN));
    }

    @Test
    void window_acrossFallBack_lastsItsElapsedDuration() {
      MaintenanceWindow window = on(sunday(1, 0, Duration.ofHours(4)), BERLIN, "2025-10-26");

      assertEquals("2025-10-26T01:00+02:00", local(window.start(), BERLIN));
      assertEquals("2025-10-26T04:00+01:00", local(window.end(), BERLIN));
    }

    @Test
    void window_cutoffIsElapsedTimeBeforeTheEnd() {
      WeeklyWindow withCutoff =
          WeeklyWindow.builder()
              .from(sunday(1, 0, Duration.ofHours(4)))
              .cutoffBeforeEnd(Duration.ofHours(3))
              .build();

      MaintenanceWindow window = on(withCutoff, BERLIN, "2025-03-30");

      // One elapsed hour after 01:00 CET is 03:00 CEST.
      assertEquals("2025-03-30T03:00+02:00", local(window.cutoff(), BERLIN));
    }

    @Test
    void window_inNewYorkGap_movesForwardByGap() {
      // 9 March 2025: 02:00 EST -> 03:00 EDT.
      assertEquals(
          "2025-03-09T03:30-04:00", local(on(twoThirty, NEW_YORK, "2025-03-09").start(), NEW_YORK));
    }

    @Test
    void window_inNewYorkOverlap_takesEarlierOffset() {
      // 2 November 2025: 01:00-02:00 happens twice, first at -04:00.
      MaintenanceWindow overlap = on(sunday(1, 30, Duration.ofHours(4)), NEW_YORK, "2025-11-02");

      assertEquals("2025-11-02T01:30-04:00", local(overlap.start(), NEW_YORK));
      assertEquals(at("2025-11-02T05:30:00Z"), overlap.start());
    }

    @Test
    void window_inSouthernHemisphereGap_movesForwardByGap() {
      // Sydney springs forward on 5 October 2025: 02:00 AEST -> 03:00 AEDT.
      assertEquals(
          "2025-10-05T03:30+11:00", local(on(twoThirty, SYDNEY, "2025-10-05").start(), SYDNEY));
    }

    @Test
    void window_inSouthernHemisphereOverlap_takesEarlierOffset() {
      // Sydney falls back on 6 April 2025: 02:00-03:00 happens twice, first at +11:00.
      MaintenanceWindow overlap = on(twoThirty, SYDNEY, "2025-04-06");

      assertEquals("2025-04-06T02:30+11:00", local(overlap.start(), SYDNEY));
      assertEquals(at("2025-04-05T15:30:00Z"), overlap.start());
    }

    @Test
    void window_inChathamGap_movesForwardByGap() {
      // Chatham (+12:45 / +13:45) springs forward at 02:45 on 28 September 2025.
      WeeklyWindow three = sunday(3, 0, Duration.ofHours(2));

      assertEquals(
          "2025-09-28T04:00+13:45", local(on(three, CHATHAM, "2025-09-28").start(), CHATHAM));
    }

    @Test
    void window_inChathamOverlap_takesEarlierOffset() {
      // Chatham falls back at 03:45 on 6 April 2025: 02:45-03:45 happens twice.
      MaintenanceWindow overlap = on(sunday(3, 0, Duration.ofHours(2)), CHATHAM, "2025-04-06");

      assertEquals("2025-04-06T03:00+13:45", local(overlap.start(), CHATHAM));
      assertEquals(at("2025-04-05T13:15:00Z"), overlap.start());
    }

    @Test
    void window_inHalfHourZone_isExactlyOneWeekApart() {
      List<MaintenanceWindow> year =
          sunday(2, 0, Duration.ofHours(4)).occurrences(KOLKATA, at("2025-01-01T00:00:00Z"), 53);

      assertEquals("2025-01-05T02:00+05:30", local(year.get(0).start(), KOLKATA));
      for (int i = 1; i < year.size(); i++) {
        assertEquals(
            Duration.ofDays(7), Duration.between(year.get(i - 1).start(), year.get(i).start()));
      }
    }

    @Test
    void window_inZoneWithoutDst_isExactlyOneWeekApart() {
      List<MaintenanceWindow> years = twoThirty.occurrences(TOKYO, at("2020-01-01T00:00:00Z"), 300);

      for (int i = 1; i < years.size(); i++) {
        assertEquals(
            Duration.ofDays(7), Duration.between(years.get(i - 1).start(), years.get(i).start()));
        assertEquals(LocalTime.of(2, 30), years.get(i).start().atZone(TOKYO).toLocalTime());
      }
    }

    @Test
    void window_onADayTheZoneSkipped_movesForwardByTheWholeDay() {
      // Samoa skipped Friday 30 December 2011 (-10:00 -> +14:00). A Friday window is not lost:
      // its start falls in a 24-hour gap and moves forward by it, to Saturday.
      ZoneId apia = ZoneId.of("Pacific/Apia");
      WeeklyWindow friday = WeeklyWindow.of(FRIDAY, LocalTime.of(2, 0), Duration.ofHours(4));

      List<MaintenanceWindow> around = friday.occurrences(apia, at("2011-12-20T00:00:00Z"), 3);

      assertEquals(
          List.of("2011-12-23T02:00-10:00", "2011-12-31T02:00+14:00", "2012-01-06T02:00+14:00"),
          around.stream().map(w -> local(w.start(), apia)).toList());
    }
  }

  @Nested
  class Validation {
    @Test
    void duration_zero_isRejected() {
      assertThrows(IllegalStateException.class, () -> sunday(2, 0, Duration.ZERO));
    }

    @Test
    void duration_longerThanSixDays_isRejected() {
      assertThrows(
          IllegalStateException.class, () -> sunday(2, 0, Duration.ofDays(6).plusSeconds(1)));
    }

    @Test
    void cutoff_longerThanTheDuration_isRejected() {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  WeeklyWindow.builder()
                      .from(sunday(2, 0, Duration.ofHours(1)))
                      .cutoffBeforeEnd(Duration.ofHours(2))
                      .build());
      assertTrue(e.getMessage().contains("cutoffBeforeEnd"), e.getMessage());
    }

    @Test
    void cutoff_equalToTheDuration_allowsJobsOnlyAtTheOpening() {
      WeeklyWindow window =
          WeeklyWindow.builder()
              .from(sunday(2, 0, Duration.ofHours(1)))
              .cutoffBeforeEnd(Duration.ofHours(1))
              .build();

      MaintenanceWindow next = window.next(TOKYO, Instant.EPOCH);
      assertEquals(next.start(), next.cutoff());
    }

    @Test
    void occurrences_negativeCount_isRejected() {
      assertThrows(
          IllegalArgumentException.class,
          () -> sunday(2, 0, Duration.ofHours(1)).occurrences(TOKYO, Instant.EPOCH, -1));
    }

    @Test
    void next_nullArguments_areRejected() {
      WeeklyWindow window = sunday(2, 0, Duration.ofHours(1));
      assertThrows(NullPointerException.class, () -> window.next(null, Instant.EPOCH));
      assertThrows(NullPointerException.class, () -> window.next(TOKYO, null));
    }

    @Test
    void value_equalsByContent() {
      assertEquals(sunday(2, 0, Duration.ofHours(1)), sunday(2, 0, Duration.ofHours(1)));
    }

    @Test
    void json_roundTripsThroughJackson() throws Exception {
      ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());
      WeeklyWindow window =
          WeeklyWindow.builder()
              .from(sunday(2, 30, Duration.ofHours(4)))
              .cutoffBeforeEnd(Duration.ofMinutes(45))
              .build();

      String json = mapper.writeValueAsString(window);

      assertEquals(window, mapper.readValue(json, WeeklyWindow.class));
    }
  }
}
