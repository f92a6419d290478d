package org.cloudpatch.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.cloudpatch.scheduling.window.RecurringWindow;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cloudpatch windows}: the occurrences of a maintenance-window schedule in one zone. */
@Command(
    name = "windows",
    mixinStandardHelpOptions = true,
    description = {
      "Prints one occurrence per line: local start, local end (ISO-8601 with offset), UTC start.",
      "EXPR is an RFC 5545 RRULE (FREQ=..., optionally after DTSTART:yyyyMMddTHHmmss), a 5-field"
          + " Unix cron expression, an AWS cron(min hour dom month dow year), an Azure recurEvery"
          + " (Month Second Tuesday Offset2) or a JSON schedule (an Azure maintenanceWindow or a"
          + " GCP recurringSchedule), told apart by form. An RRULE without DTSTART and a bare"
          + " recurEvery start at midnight of --from's local date.",
      "A start in a DST gap moves forward by the gap; in an overlap it takes the earlier offset;"
          + " durations are elapsed time. An invalid expression exits 2 with the reason."
    })
final class WindowsCommand implements Callable<Integer> {
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--schedule", required = true, paramLabel = "EXPR", description = "The schedule.")
  String schedule = "";

  @Option(names = "--zone", required = true, paramLabel = "ZONE", description = "An IANA zone.")
  String zone = "";

  @Option(
      names = "--from",
      paramLabel = "ISO",
      description =
          "The earliest instant a job would start: an instant (2025-03-01T00:00:00Z), a date-time"
              + " with offset, or a local date or date-time in ZONE; default now.")
  @Nullable String from;

  @Option(names = "--count", paramLabel = "N", description = "How many occurrences (default 10).")
  int count = 10;

  @Option(
      names = "--duration",
      paramLabel = "ISO-DURATION",
      description = "Each window's length, e.g. PT4H (default: the schedule's own, else PT1H).")
  @Nullable String duration;

  @Option(
      names = "--cutoff",
      paramLabel = "ISO-DURATION",
      description = "No new job starts in this last part of the window (default PT0S).")
  @Nullable String cutoff;

  @Option(
      names = "--offset",
      paramLabel = "DAYS",
      description = "Moves each occurrence by -30 to 30 calendar days (AWS's schedule offset).")
  int offset;

  private final Clock clock;

  WindowsCommand() {
    this(Clock.systemUTC());
  }

  WindowsCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ZoneId zoneId;
    try {
      zoneId = ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("--zone: unknown zone \"" + zone + "\"", e);
    }
    if (count < 0) {
      throw new IllegalArgumentException("--count must not be negative: " + count);
    }
    Instant start = from == null ? clock.instant() : instant(from, zoneId);
    LocalDateTime anchor = LocalDate.ofInstant(start, zoneId).atStartOfDay();
    RecurringWindow window = RecurringWindow.parse(schedule, anchor);
    if (duration != null) {
      window = window.withDuration(duration("--duration", duration));
    }
    if (cutoff != null) {
      window = window.withCutoffBeforeEnd(duration("--cutoff", cutoff));
    }
    if (offset != 0) {
      window = window.withDayOffset(offset);
    }
    for (MaintenanceWindow w : window.occurrences(zoneId, start, count)) {
      out.println(
          LOCAL.format(w.start().atZone(zoneId))
              + " "
              + LOCAL.format(w.end().atZone(zoneId))
              + " "
              + w.start());
    }
    out.flush();
    return 0;
  }

  private static Instant instant(String text, ZoneId zone) {
    try {
      return Instant.parse(text);
    } catch (DateTimeException e) {
      // not an instant; try the other forms
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeException e) {
      // not with an offset
    }
    try {
      return LocalDateTime.parse(text).atZone(zone).toInstant();
    } catch (DateTimeException e) {
      // not a local date-time
    }
    try {
      return LocalDate.parse(text).atStartOfDay(zone).toInstant();
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "--from: \"" + text + "\" is not an ISO-8601 instant, date-time or date", e);
    }
  }

  private static Duration duration(String option, String text) {
    try {
      return Duration.parse(text);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          option + ": \"" + text + "\" is not an ISO-8601 duration (e.g. PT4H)", e);
    }
  }
}
