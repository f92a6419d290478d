package org.cloudpatch.scheduling.window;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.cloudpatch.core.rollout.MaintenanceWindow;

/** Test helpers: occurrences as local ISO strings with offset. */
final class Schedules {
  private Schedules() {}

  static Instant at(String isoOffsetDateTime) {
    return OffsetDateTime.parse(isoOffsetDateTime).toInstant();
  }

  static Instant local(String isoLocalDateTime, ZoneId zone) {
    return LocalDateTime.parse(isoLocalDateTime).atZone(zone).toInstant();
  }

  static String local(Instant instant, ZoneId zone) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atZone(zone));
  }

  /** The local starts of the first {@code n} occurrences from {@code from}. */
  static List<String> starts(WindowSchedule schedule, ZoneId zone, Instant from, int n) {
    return schedule.occurrences(zone, from, n).stream()
        .map(MaintenanceWindow::start)
        .map(s -> local(s, zone))
        .toList();
  }

  /**
   * The local starts of the first {@code n} one-minute windows (jobs only at the opening, so each
   * is the first start at or after {@code fromLocal}), the expression anchored at {@code
   * fromLocal}.
   */
  static List<String> starts(String expression, String zone, String fromLocal, int n) {
    ZoneId z = ZoneId.of(zone);
    RecurringWindow window =
        RecurringWindow.parse(expression, LocalDateTime.parse(fromLocal))
            .withDuration(java.time.Duration.ofMinutes(1))
            .withCutoffBeforeEnd(java.time.Duration.ofMinutes(1));
    return starts(window, z, local(fromLocal, z), n);
  }
}
