package org.cloudpatch.scheduling.window;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The cloud consoles' schedule forms, each translated into an RFC 5545 rule plus a day shift and
 * bounds, so that one tested expansion serves them all.
 */
final class CloudSchedules {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter AZURE_DATE_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm", Locale.ROOT);
  private static final Pattern AZURE_UNIT = Pattern.compile("(?i)(\\d*)(days?|weeks?|months?)");
  private static final List<String> ORDINALS =
      List.of("first", "second", "third", "fourth", "last");

  private CloudSchedules() {}

  /** What a schedule expression says besides its recurrence. */
  record Parsed(
      Recurrence recurrence,
      @Nullable LocalDateTime notBefore,
      @Nullable LocalDateTime notAfter,
      @Nullable Duration duration) {}

  /**
   * An Azure maintenance configuration's {@code recurEvery} (Microsoft.Maintenance
   * maintenanceConfigurations, {@code MaintenanceWindow.recurEvery}, documented at
   * https://learn.microsoft.com/en-us/dotnet/api/azure.resourcemanager.maintenance.maintenanceconfigurationdata.recurevery):
   * {@code [n]Day(s)}; {@code [n]Week(s) [Monday,...,Sunday]}; {@code [n]Month(s) [dayN,...]} or
   * {@code [n]Month(s) First|Second|Third|Fourth|Last Weekday [OffsetN]} with an offset of -6 to 6
   * days. Occurrences start at {@code start}'s wall-clock time, on or after it; intervals count
   * from its day, week (Monday-based) or month.
   */
  static Recurrence azure(String recurEvery, LocalDateTime start) {
    String grammar = "azure recurEvery";
    List<int[]> spans = new ArrayList<>();
    List<String> words = new ArrayList<>();
    Matcher w = Pattern.compile("\\S+").matcher(recurEvery);
    while (w.find()) {
      words.add(w.group());
      spans.add(new int[] {w.start() + 1});
    }
    if (words.isEmpty()) {
      throw new InvalidScheduleException(grammar, "recurEvery", 0, "", "empty");
    }
    Matcher unit = AZURE_UNIT.matcher(words.get(0));
    if (!unit.matches()) {
      throw new InvalidScheduleException(
          grammar,
          "frequency",
          spans.get(0)[0],
          words.get(0),
          "expected [n]Day(s), [n]Week(s)" + " or [n]Month(s)");
    }
    int interval = unit.group(1).isEmpty() ? 1 : Integer.parseInt(unit.group(1));
    if (interval < 1) {
      throw new InvalidScheduleException(
          grammar, "frequency", spans.get(0)[0], words.get(0), "the interval must be positive");
    }
    char kind = Character.toLowerCase(unit.group(2).charAt(0));
    StringBuilder rule = new StringBuilder();
    LocalDateTime dtstart = start;
    int offset = 0;
    if (kind == 'd') {
      rule.append("FREQ=DAILY;INTERVAL=").append(interval);
      expectEnd(grammar, words, spans, 1);
    } else if (kind == 'w') {
      rule.append("FREQ=WEEKLY;WKST=MO;INTERVAL=").append(interval);
      if (words.size() > 1) {
        rule.append(";BYDAY=");
        int column = spans.get(1)[0];
        List<String> codes = new ArrayList<>();
        for (String day : words.get(1).split(",", -1)) {
          codes.add(weekday(grammar, day, column));
          column += day.length() + 1;
        }
        rule.append(String.join(",", codes));
      }
      expectEnd(grammar, words, spans, 2);
    } else {
      rule.append("FREQ=MONTHLY;INTERVAL=").append(interval);
      // Intervals count months from the start's month; the start bound is applied after the
      // offset, so a rule's first month is the start's own.
      dtstart = start.withDayOfMonth(1);
      if (words.size() > 1 && words.get(1).toLowerCase(Locale.ROOT).startsWith("day")) {
        List<String> days = new ArrayList<>();
        int column = spans.get(1)[0];
        for (String day : words.get(1).split(",", -1)) {
          Matcher m = Pattern.compile("(?i)day(\\d{1,2})").matcher(day);
          if (!m.matches()
              || Integer.parseInt(m.group(1)) < 1
              || Integer.parseInt(m.group(1)) > 31) {
            throw new InvalidScheduleException(
                grammar, "month day", column, day, "expected day1 to day31");
          }
          days.add(m.group(1));
          column += day.length() + 1;
        }
        rule.append(";BYMONTHDAY=").append(String.join(",", days));
        expectEnd(grammar, words, spans, 2);
      } else if (words.size() > 1) {
        int ordinal = ORDINALS.indexOf(words.get(1).toLowerCase(Locale.ROOT));
        if (ordinal < 0) {
          throw new InvalidScheduleException(
              grammar,
              "week of month",
              spans.get(1)[0],
              words.get(1),
              "expected First, Second, Third, Fourth or Last (or dayN,...)");
        }
        if (words.size() < 3) {
          throw new InvalidScheduleException(
              grammar, "weekday", 0, "", "missing after " + words.get(1));
        }
        String day = weekday(grammar, words.get(2), spans.get(2)[0]);
        rule.append(";BYDAY=")
            .append(ordinal == 4 ? "-1" : String.valueOf(ordinal + 1))
            .append(day);
        if (words.size() > 3) {
          Matcher m = Pattern.compile("(?i)offset([+-]?\\d{1,2})").matcher(words.get(3));
          if (!m.matches()) {
            throw new InvalidScheduleException(
                grammar,
                "offset",
                spans.get(3)[0],
                words.get(3),
                "expected OffsetN, N from -6 to 6");
          }
          offset = Integer.parseInt(m.group(1).replace("+", ""));
          if (offset < -6 || offset > 6) {
            throw new InvalidScheduleException(
                grammar, "offset", spans.get(3)[0], words.get(3), "out of range -6 to 6");
          }
        }
        expectEnd(grammar, words, spans, 4);
      } else {
        rule.append(";BYMONTHDAY=").append(start.getDayOfMonth());
      }
    }
    Recurrence base = Recurrence.shifted(RruleRecurrence.parse(rule.toString(), dtstart), offset);
    return notBefore -> base.next(notBefore.isBefore(start) ? start : notBefore);
  }

  private static void expectEnd(String grammar, List<String> words, List<int[]> spans, int size) {
    if (words.size() > size) {
      throw new InvalidScheduleException(
          grammar, "recurEvery", spans.get(size)[0], words.get(size), "unexpected");
    }
  }

  private static String weekday(String grammar, String name, int column) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "monday" -> "MO";
      case "tuesday" -> "TU";
      case "wednesday" -> "WE";
      case "thursday" -> "TH";
      case "friday" -> "FR";
      case "saturday" -> "SA";
      case "sunday" -> "SU";
      default ->
          throw new InvalidScheduleException(
              grammar, "weekday", column, name, "expected Monday to Sunday");
    };
  }

  /**
   * An Azure maintenance configuration's {@code maintenanceWindow} object ({@code startDateTime},
   * {@code expirationDateTime} as {@code yyyy-MM-dd HH:mm}, {@code duration} as {@code HH:mm},
   * {@code recurEvery}; {@code timeZone} is not read: the zone is the caller's), bare or inside
   * {@code properties}.
   */
  static Parsed azureJson(JsonNode root) {
    JsonNode window = root;
    if (root.has("properties")) {
      window = root.path("properties");
    }
    if (window.has("maintenanceWindow")) {
      window = window.path("maintenanceWindow");
    }
    String grammar = "azure maintenanceWindow";
    LocalDateTime start = azureTime(grammar, window, "startDateTime");
    if (start == null) {
      throw new InvalidScheduleException(grammar, "/startDateTime", 0, "", "missing");
    }
    LocalDateTime expiration = azureTime(grammar, window, "expirationDateTime");
    Duration duration = null;
    if (window.hasNonNull("duration")) {
      String text = window.path("duration").asText();
      Matcher m = Pattern.compile("(\\d{1,2}):(\\d{2})").matcher(text);
      if (!m.matches()) {
        throw new InvalidScheduleException(grammar, "/duration", 0, text, "expected HH:mm");
      }
      duration =
          Duration.ofHours(Integer.parseInt(m.group(1))).plusMinutes(Integer.parseInt(m.group(2)));
    }
    return new Parsed(
        azure(window.path("recurEvery").asText(""), start), start, expiration, duration);
  }

  private static @Nullable LocalDateTime azureTime(String grammar, JsonNode window, String name) {
    if (!window.hasNonNull(name)) {
      return null;
    }
    String text = window.path(name).asText();
    try {
      return LocalDateTime.parse(text, AZURE_DATE_TIME);
    } catch (DateTimeException e) {
      throw new InvalidScheduleException(grammar, "/" + name, 0, text, "expected yyyy-MM-dd HH:mm");
    }
  }

  /**
   * A Google Cloud OS Config patch deployment's {@code recurringSchedule}
   * (https://cloud.google.com/compute/docs/osconfig/rest/v1/projects.patchDeployments): {@code
   * timeOfDay}, {@code frequency} DAILY, WEEKLY ({@code weekly.dayOfWeek}) or MONTHLY ({@code
   * monthly.monthDay}, 1-31 or -1 for the last day, months without it skipped; or {@code
   * monthly.weekDayOfMonth} with {@code weekOrdinal} 1-4 or -1, {@code dayOfWeek} and {@code
   * dayOffset} -30 to 30), {@code startTime}/{@code endTime} as RFC 3339 instants read in {@code
   * timeZone.id} (UTC without one); bare or inside a patch deployment (whose {@code duration}, e.g.
   * {@code "3600s"}, is read too).
   */
  static Parsed gcpJson(JsonNode root) {
    String grammar = "gcp recurringSchedule";
    JsonNode schedule = root.has("recurringSchedule") ? root.path("recurringSchedule") : root;
    String base = root.has("recurringSchedule") ? "/recurringSchedule" : "";
    ZoneId zone = ZoneOffset.UTC;
    if (schedule.path("timeZone").hasNonNull("id")) {
      String id = schedule.path("timeZone").path("id").asText();
      try {
        zone = ZoneId.of(id);
      } catch (DateTimeException e) {
        throw new InvalidScheduleException(grammar, base + "/timeZone/id", 0, id, "unknown zone");
      }
    }
    JsonNode time = schedule.path("timeOfDay");
    LocalTime timeOfDay =
        LocalTime.of(
            intIn(grammar, time, base + "/timeOfDay", "hours", 0, 23, 0),
            intIn(grammar, time, base + "/timeOfDay", "minutes", 0, 59, 0),
            intIn(grammar, time, base + "/timeOfDay", "seconds", 0, 59, 0));
    String frequency = schedule.path("frequency").asText("");
    StringBuilder rule = new StringBuilder();
    int offset = 0;
    switch (frequency) {
      case "DAILY" -> rule.append("FREQ=DAILY");
      case "WEEKLY" ->
          rule.append("FREQ=WEEKLY;BYDAY=")
              .append(gcpDay(grammar, schedule.path("weekly"), base + "/weekly/dayOfWeek"));
      case "MONTHLY" -> {
        JsonNode monthly = schedule.path("monthly");
        if (monthly.has("weekDayOfMonth")) {
          JsonNode w = monthly.path("weekDayOfMonth");
          String at = base + "/monthly/weekDayOfMonth";
          int ordinal = intIn(grammar, w, at, "weekOrdinal", -1, 4, Integer.MIN_VALUE);
          if (ordinal == 0 || ordinal == Integer.MIN_VALUE) {
            throw new InvalidScheduleException(
                grammar,
                at + "/weekOrdinal",
                0,
                w.path("weekOrdinal").asText(""),
                "expected 1-4, or -1 for the last week");
          }
          offset = intIn(grammar, w, at, "dayOffset", -30, 30, 0);
          rule.append("FREQ=MONTHLY;BYDAY=")
              .append(ordinal)
              .append(gcpDay(grammar, w, at + "/dayOfWeek"));
        } else if (monthly.has("monthDay")) {
          int day = intIn(grammar, monthly, base + "/monthly", "monthDay", -1, 31, 0);
          if (day == 0) {
            throw new InvalidScheduleException(
                grammar,
                base + "/monthly/monthDay",
                0,
                "0",
                "expected 1-31, or -1 for the last day");
          }
          rule.append("FREQ=MONTHLY;BYMONTHDAY=").append(day);
        } else {
          throw new InvalidScheduleException(
              grammar, base + "/monthly", 0, "", "needs weekDayOfMonth or monthDay");
        }
      }
      default ->
          throw new InvalidScheduleException(
              grammar, base + "/frequency", 0, frequency, "expected DAILY, WEEKLY or MONTHLY");
    }
    Recurrence recurrence =
        Recurrence.shifted(
            RruleRecurrence.parse(
                rule.toString(), LocalDateTime.of(1970, 1, 1, 0, 0).with(timeOfDay)),
            offset);
    Duration duration = null;
    if (root.has("recurringSchedule") && root.hasNonNull("duration")) {
      String text = root.path("duration").asText();
      if (!text.matches("\\d{1,7}s")) {
        throw new InvalidScheduleException(
            grammar, "/duration", 0, text, "expected seconds, e.g." + " \"3600s\"");
      }
      duration = Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
    }
    return new Parsed(
        recurrence,
        gcpTime(grammar, schedule, base, "startTime", zone),
        gcpTime(grammar, schedule, base, "endTime", zone),
        duration);
  }

  private static @Nullable LocalDateTime gcpTime(
      String grammar, JsonNode schedule, String base, String name, ZoneId zone) {
    if (!schedule.hasNonNull(name)) {
      return null;
    }
    String text = schedule.path(name).asText();
    try {
      return LocalDateTime.ofInstant(Instant.parse(text), zone);
    } catch (DateTimeException e) {
      throw new InvalidScheduleException(
          grammar, base + "/" + name, 0, text, "expected an RFC 3339 instant");
    }
  }

  private static String gcpDay(String grammar, JsonNode node, String pointer) {
    String day = node.path("dayOfWeek").asText("");
    return switch (day) {
      case "MONDAY" -> "MO";
      case "TUESDAY" -> "TU";
      case "WEDNESDAY" -> "WE";
      case "THURSDAY" -> "TH";
      case "FRIDAY" -> "FR";
      case "SATURDAY" -> "SA";
      case "SUNDAY" -> "SU";
      default ->
          throw new InvalidScheduleException(grammar, pointer, 0, day, "expected MONDAY to SUNDAY");
    };
  }

  private static int intIn(
      String grammar, JsonNode node, String at, String name, int min, int max, int absent) {
    JsonNode value = node.path(name);
    if (value.isMissingNode() || value.isNull()) {
      return absent;
    }
    if (!value.isIntegralNumber() || value.asInt() < min || value.asInt() > max) {
      throw new InvalidScheduleException(
          grammar, at + "/" + name, 0, value.asText(), "out of range " + min + " to " + max);
    }
    return value.asInt();
  }

  /** Reads a JSON schedule: GCP's when it has a frequency, Azure's when it has recurEvery. */
  static Parsed json(String text) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      com.fasterxml.jackson.core.JsonLocation location = e.getLocation();
      throw new InvalidScheduleException(
          "schedule JSON",
          "line " + (location == null ? 0 : location.getLineNr()),
          location == null ? 0 : location.getColumnNr(),
          "",
          String.valueOf(e.getOriginalMessage()));
    }
    if (root.has("recurringSchedule") || root.has("frequency")) {
      return gcpJson(root);
    }
    if (root.has("recurEvery")
        || root.has("maintenanceWindow")
        || root.path("properties").has("maintenanceWindow")) {
      return azureJson(root);
    }
    throw new InvalidScheduleException(
        "schedule JSON",
        "/",
        0,
        "",
        "neither a GCP recurringSchedule (frequency) nor an Azure"
            + " maintenanceWindow (recurEvery)");
  }
}
