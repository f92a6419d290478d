package org.cloudpatch.scheduling.window;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * An RFC 5545 recurrence rule (https://www.rfc-editor.org/rfc/rfc5545#section-3.3.10) with its
 * {@code DTSTART}, as a {@link Recurrence} of floating (zone-free) local times.
 *
 * <p>Supported: {@code FREQ} DAILY, WEEKLY, MONTHLY and YEARLY; {@code INTERVAL}; {@code COUNT};
 * {@code UNTIL}; {@code BYMONTH}; {@code BYMONTHDAY} (negative counts from the month's end); {@code
 * BYDAY} with ordinals (MONTHLY, and YEARLY: within the month when BYMONTH is given, else within
 * the year); {@code BYHOUR}; {@code BYMINUTE}; {@code BYSETPOS}; {@code WKST}. The expansion
 * follows RFC 5545's table of expand/limit per frequency and python-dateutil's defaults (a rule
 * without a day part takes DTSTART's weekday, day of month or date), so that dateutil serves as its
 * oracle: DTSTART is an occurrence only when it matches the rule, invalid dates (30 February) are
 * skipped, and BYSETPOS picks from each period's whole set before DTSTART, UNTIL and COUNT apply.
 *
 * <p>Not supported (rejected by name): HOURLY, MINUTELY and SECONDLY frequencies, {@code BYSECOND},
 * {@code BYYEARDAY}, {@code BYWEEKNO}. DTSTART is a wall-clock time: {@code
 * DTSTART:20250105T020000} or {@code DTSTART;TZID=Europe/Berlin:...} (the zone only serves to read
 * a UTC {@code UNTIL}; the occurrences land in whichever zone the schedule is asked about). A
 * search looks up to 400 years past its starting point (a Gregorian cycle) before it declares the
 * rule exhausted.
 */
final class RruleRecurrence implements Recurrence {
  private static final String GRAMMAR = "rrule";
  private static final int MAX_COUNT = 100_000;
  private static final DateTimeFormatter BASIC_DATE_TIME =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss", Locale.ROOT);
  private static final DateTimeFormatter BASIC_DATE =
      DateTimeFormatter.ofPattern("uuuuMMdd", Locale.ROOT);

  private enum Freq {
    DAILY,
    WEEKLY,
    MONTHLY,
    YEARLY
  }

  /** A BYDAY entry; ordinal 0 means every such weekday of the period. */
  private record WeekdayNum(int ordinal, DayOfWeek day) {}

  private final LocalDateTime start;
  private final Freq freq;
  private final int interval;
  private final @Nullable LocalDateTime until;
  private final BitSet byMonth;
  private final int[] byMonthDay;
  private final List<WeekdayNum> byDay;
  private final int[] byHour;
  private final int[] byMinute;
  private final int[] bySetPos;
  private final DayOfWeek weekStart;

  /** With COUNT, the whole finite sequence; null without. */
  private final @Nullable List<LocalDateTime> counted;

  private RruleRecurrence(Parser p, LocalDateTime start) {
    this.start = start;
    this.freq = p.freq == null ? Freq.DAILY : p.freq;
    this.interval = p.interval;
    this.until = p.until;
    this.weekStart = p.weekStart;
    this.bySetPos = p.bySetPos;
    List<WeekdayNum> days = p.byDay;
    int[] monthDays = p.byMonthDay;
    BitSet months = p.byMonth;
    // python-dateutil's defaults: a rule without a day part recurs on DTSTART's day.
    if (days.isEmpty() && monthDays.length == 0) {
      switch (freq) {
        case YEARLY -> {
          if (months.isEmpty()) {
            months = new BitSet();
            months.set(start.getMonthValue());
          }
          monthDays = new int[] {start.getDayOfMonth()};
        }
        case MONTHLY -> monthDays = new int[] {start.getDayOfMonth()};
        case WEEKLY -> days = List.of(new WeekdayNum(0, start.getDayOfWeek()));
        case DAILY -> {}
      }
    }
    this.byMonth = months;
    this.byMonthDay = monthDays;
    this.byDay = days;
    this.byHour = p.byHour.length == 0 ? new int[] {start.getHour()} : p.byHour;
    this.byMinute = p.byMinute.length == 0 ? new int[] {start.getMinute()} : p.byMinute;
    this.counted = p.count > 0 ? expandCount(p.count) : null;
  }

  /**
   * Parses {@code [DTSTART...] RRULE:...} (lines or whitespace apart, {@code RRULE:} optional).
   *
   * @param anchor DTSTART when the text has none; null to require one
   */
  static RruleRecurrence parse(String text, @Nullable LocalDateTime anchor) {
    Parser p = new Parser(text);
    LocalDateTime start = p.start != null ? p.start : anchor;
    if (start == null) {
      throw new InvalidScheduleException(GRAMMAR, "DTSTART", 0, "", "missing");
    }
    if (p.freq == null) {
      throw new InvalidScheduleException(GRAMMAR, "FREQ", 0, "", "missing");
    }
    if ((p.freq == Freq.DAILY || p.freq == Freq.WEEKLY)
        && p.byDay.stream().anyMatch(w -> w.ordinal != 0)) {
      throw new InvalidScheduleException(
          GRAMMAR, "BYDAY", 0, "", "an ordinal (2TU, -1SU) needs FREQ=MONTHLY or FREQ=YEARLY");
    }
    return new RruleRecurrence(p, start);
  }

  @Override
  public @Nullable LocalDateTime next(LocalDateTime notBefore) {
    if (counted != null) {
      int i = Collections.binarySearch(counted, notBefore);
      int at = i >= 0 ? i : -i - 1;
      return at < counted.size() ? counted.get(at) : null;
    }
    long k = Math.max(0, firstPeriod(notBefore));
    int horizon = notBefore.getYear() + 400;
    for (; ; k++) {
      LocalDate periodStart = periodStart(k);
      if (periodStart.getYear() > Math.min(horizon, 9999)
          || (until != null && periodStart.isAfter(until.toLocalDate()))) {
        return null;
      }
      for (LocalDateTime candidate : period(periodStart)) {
        if (until != null && candidate.isAfter(until)) {
          return null;
        }
        if (!candidate.isBefore(start) && !candidate.isBefore(notBefore)) {
          return candidate;
        }
      }
    }
  }

  private List<LocalDateTime> expandCount(int count) {
    List<LocalDateTime> result = new ArrayList<>();
    int horizon = start.getYear() + 400;
    for (long k = 0; result.size() < count; k++) {
      LocalDate periodStart = periodStart(k);
      if (periodStart.getYear() > Math.min(horizon, 9999)) {
        break;
      }
      List<LocalDateTime> occurrences = period(periodStart);
      if (!occurrences.isEmpty()) {
        horizon = occurrences.get(0).getYear() + 400;
      }
      for (LocalDateTime candidate : occurrences) {
        if (!candidate.isBefore(start) && result.size() < count) {
          result.add(candidate);
        }
      }
    }
    return Collections.unmodifiableList(result);
  }

  /** The index of the period that contains {@code t} (or precedes it), counted from DTSTART's. */
  private long firstPeriod(LocalDateTime t) {
    long periods =
        switch (freq) {
          case YEARLY -> t.getYear() - start.getYear();
          case MONTHLY -> ChronoUnit.MONTHS.between(YearMonth.from(start), YearMonth.from(t));
          case WEEKLY ->
              ChronoUnit.DAYS.between(weekOf(start.toLocalDate()), weekOf(t.toLocalDate())) / 7;
          case DAILY -> ChronoUnit.DAYS.between(start.toLocalDate(), t.toLocalDate());
        };
    return Math.floorDiv(periods, interval);
  }

  private LocalDate weekOf(LocalDate date) {
    return date.with(TemporalAdjusters.previousOrSame(weekStart));
  }

  private LocalDate periodStart(long k) {
    long step = k * interval;
    return switch (freq) {
      case YEARLY -> LocalDate.of(start.getYear(), 1, 1).plusYears(step);
      case MONTHLY -> start.toLocalDate().withDayOfMonth(1).plusMonths(step);
      case WEEKLY -> weekOf(start.toLocalDate()).plusWeeks(step);
      case DAILY -> start.toLocalDate().plusDays(step);
    };
  }

  /** The period's occurrences in order, after BYSETPOS, before DTSTART/UNTIL/COUNT. */
  private List<LocalDateTime> period(LocalDate periodStart) {
    List<LocalDate> dates = new ArrayList<>();
    switch (freq) {
      case YEARLY -> {
        for (int m = 1; m <= 12; m++) {
          if (byMonth.isEmpty() || byMonth.get(m)) {
            addMonth(dates, periodStart.withMonth(m));
          }
        }
      }
      case MONTHLY -> {
        if (byMonth.isEmpty() || byMonth.get(periodStart.getMonthValue())) {
          addMonth(dates, periodStart);
        }
      }
      case WEEKLY -> {
        for (int i = 0; i < 7; i++) {
          LocalDate d = periodStart.plusDays(i);
          if ((byMonth.isEmpty() || byMonth.get(d.getMonthValue()))
              && monthDayMatches(d)
              && plainDayMatches(d)) {
            dates.add(d);
          }
        }
      }
      case DAILY -> {
        LocalDate d = periodStart;
        if ((byMonth.isEmpty() || byMonth.get(d.getMonthValue()))
            && monthDayMatches(d)
            && plainDayMatches(d)) {
          dates.add(d);
        }
      }
    }
    // A set, as in python-dateutil: BYMINUTE=30,30 names one time, not two.
    TreeSet<LocalDateTime> set = new TreeSet<>();
    for (LocalDate d : dates) {
      for (int h : byHour) {
        for (int m : byMinute) {
          set.add(d.atTime(LocalTime.of(h, m, start.getSecond())));
        }
      }
    }
    List<LocalDateTime> all = new ArrayList<>(set);
    if (bySetPos.length == 0) {
      return all;
    }
    TreeSet<LocalDateTime> picked = new TreeSet<>();
    for (int pos : bySetPos) {
      int i = pos > 0 ? pos - 1 : all.size() + pos;
      if (i >= 0 && i < all.size()) {
        picked.add(all.get(i));
      }
    }
    return new ArrayList<>(picked);
  }

  /** Adds the days of {@code month} that BYMONTHDAY and BYDAY allow (YEARLY and MONTHLY). */
  private void addMonth(List<LocalDate> dates, LocalDate month) {
    int length = month.lengthOfMonth();
    boolean yearScope = freq == Freq.YEARLY && byMonth.isEmpty();
    for (int day = 1; day <= length; day++) {
      LocalDate d = month.withDayOfMonth(day);
      if (!monthDayMatches(d)) {
        continue;
      }
      if (!byDay.isEmpty() && !dayMatches(d, yearScope)) {
        continue;
      }
      dates.add(d);
    }
  }

  private boolean monthDayMatches(LocalDate d) {
    if (byMonthDay.length == 0) {
      return true;
    }
    int length = d.lengthOfMonth();
    for (int md : byMonthDay) {
      if (md == d.getDayOfMonth() || (md < 0 && length + 1 + md == d.getDayOfMonth())) {
        return true;
      }
    }
    return false;
  }

  private boolean plainDayMatches(LocalDate d) {
    if (byDay.isEmpty()) {
      return true;
    }
    for (WeekdayNum w : byDay) {
      if (w.day == d.getDayOfWeek()) {
        return true;
      }
    }
    return false;
  }

  private boolean dayMatches(LocalDate d, boolean yearScope) {
    int index = yearScope ? d.getDayOfYear() : d.getDayOfMonth();
    int length = yearScope ? d.lengthOfYear() : d.lengthOfMonth();
    for (WeekdayNum w : byDay) {
      if (w.day != d.getDayOfWeek()) {
        continue;
      }
      if (w.ordinal == 0
          || (w.ordinal > 0 && (index - 1) / 7 + 1 == w.ordinal)
          || (w.ordinal < 0 && (length - index) / 7 + 1 == -w.ordinal)) {
        return true;
      }
    }
    return false;
  }

  /** Reads the text; each error names the rule part and its column. */
  private static final class Parser {
    private final String text;
    @Nullable Freq freq;
    int interval = 1;
    int count;
    @Nullable LocalDateTime until;
    BitSet byMonth = new BitSet();
    int[] byMonthDay = new int[0];
    List<WeekdayNum> byDay = List.of();
    int[] byHour = new int[0];
    int[] byMinute = new int[0];
    int[] bySetPos = new int[0];
    DayOfWeek weekStart = DayOfWeek.MONDAY;
    @Nullable LocalDateTime start;
    @Nullable ZoneId startZone;

    Parser(String text) {
      this.text = text;
      int i = 0;
      String untilText = null;
      int untilColumn = 0;
      boolean sawRule = false;
      while (i < text.length()) {
        if (Character.isWhitespace(text.charAt(i))) {
          i++;
          continue;
        }
        int begin = i;
        while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
          i++;
        }
        String line = text.substring(begin, i);
        String upper = line.toUpperCase(Locale.ROOT);
        if (upper.startsWith("DTSTART")) {
          dtstart(line, begin + 1);
        } else {
          int ruleStart = upper.startsWith("RRULE:") ? 6 : 0;
          if (sawRule) {
            throw error("RRULE", begin + 1, line, "only one rule is supported");
          }
          sawRule = true;
          int column = begin + ruleStart + 1;
          for (String part : line.substring(ruleStart).split(";", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
              throw error("rule part", column, part, "expected NAME=VALUE");
            }
            String name = part.substring(0, eq).toUpperCase(Locale.ROOT);
            String value = part.substring(eq + 1);
            int valueColumn = column + eq + 1;
            if (name.equals("UNTIL")) {
              untilText = value;
              untilColumn = valueColumn;
            } else {
              part(name, value, valueColumn);
            }
            column += part.length() + 1;
          }
        }
      }
      if (!sawRule) {
        throw error("RRULE", 0, "", "missing");
      }
      if (untilText != null) {
        if (count > 0) {
          throw error("UNTIL", untilColumn, untilText, "COUNT and UNTIL cannot both be given");
        }
        until = untilValue(untilText, untilColumn);
      }
    }

    private InvalidScheduleException error(String field, int column, String token, String why) {
      return new InvalidScheduleException(GRAMMAR, field, column, token, why);
    }

    private void dtstart(String line, int column) {
      int colon = line.lastIndexOf(':');
      if (colon < 0) {
        throw error("DTSTART", column, line, "expected DTSTART:yyyyMMdd'T'HHmmss");
      }
      String params = line.substring(7, colon);
      if (params.toUpperCase(Locale.ROOT).startsWith(";TZID=")) {
        try {
          startZone = ZoneId.of(params.substring(6));
        } catch (java.time.DateTimeException e) {
          throw error("DTSTART", column + 7, params.substring(6), "unknown zone");
        }
      } else if (!params.isEmpty() && !params.equalsIgnoreCase(";VALUE=DATE")) {
        throw error("DTSTART", column + 7, params, "unknown parameter");
      }
      String value = line.substring(colon + 1);
      if (value.endsWith("Z") || value.endsWith("z")) {
        throw error(
            "DTSTART",
            column + colon + 1,
            value,
            "a UTC start has no wall-clock time; give a local time (the zone is the one the"
                + " schedule is asked about)");
      }
      start = localValue("DTSTART", value, column + colon + 1, false);
    }

    private LocalDateTime localValue(String field, String value, int column, boolean endOfDay) {
      try {
        if (value.length() == 8) {
          LocalDate date = LocalDate.parse(value, BASIC_DATE);
          return endOfDay ? date.atTime(LocalTime.MAX) : date.atStartOfDay();
        }
        return LocalDateTime.parse(value, BASIC_DATE_TIME);
      } catch (DateTimeParseException e) {
        throw error(field, column, value, "expected yyyyMMdd or yyyyMMdd'T'HHmmss");
      }
    }

    private LocalDateTime untilValue(String value, int column) {
      if (value.endsWith("Z") || value.endsWith("z")) {
        LocalDateTime utc =
            localValue("UNTIL", value.substring(0, value.length() - 1), column, true);
        if (startZone == null) {
          throw error(
              "UNTIL",
              column,
              value,
              "a UTC UNTIL needs DTSTART with a TZID (RFC 5545: UNTIL has DTSTART's value type)");
        }
        return LocalDateTime.ofInstant(utc.toInstant(ZoneOffset.UTC), startZone);
      }
      // A DATE value includes that whole day (RFC 5545: "the last instance ... on that date").
      return localValue("UNTIL", value, column, true);
    }

    private void part(String name, String value, int column) {
      switch (name) {
        case "FREQ" -> {
          try {
            freq = Freq.valueOf(value.toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            throw error(
                "FREQ",
                column,
                value,
                List.of("HOURLY", "MINUTELY", "SECONDLY").contains(value.toUpperCase(Locale.ROOT))
                    ? "not supported for maintenance windows; use DAILY with BYHOUR/BYMINUTE"
                    : "expected DAILY, WEEKLY, MONTHLY or YEARLY");
          }
        }
        case "INTERVAL" -> interval = number(name, value, column, 1, 10_000);
        case "COUNT" -> count = number(name, value, column, 1, MAX_COUNT);
        case "BYMONTH" -> {
          for (int m : list(name, value, column, 1, 12, false)) {
            byMonth.set(m);
          }
        }
        case "BYMONTHDAY" -> byMonthDay = list(name, value, column, 1, 31, true);
        case "BYHOUR" -> byHour = sorted(list(name, value, column, 0, 23, false));
        case "BYMINUTE" -> byMinute = sorted(list(name, value, column, 0, 59, false));
        case "BYSETPOS" -> bySetPos = list(name, value, column, 1, 366, true);
        case "BYDAY" -> byDay = days(value, column);
        case "WKST" -> weekStart = day("WKST", value, column);
        case "BYSECOND", "BYYEARDAY", "BYWEEKNO" ->
            throw error(name, column, value, "not supported");
        default -> throw error("rule part", column - name.length() - 1, name, "unknown");
      }
    }

    private static int[] sorted(int[] values) {
      int[] copy = values.clone();
      Arrays.sort(copy);
      return copy;
    }

    private int number(String field, String value, int column, int min, int max) {
      if (!value.matches("\\d{1,7}")) {
        throw error(field, column, value, "not a number");
      }
      int n = Integer.parseInt(value);
      if (n < min || n > max) {
        throw error(field, column, value, "out of range " + min + "-" + max);
      }
      return n;
    }

    private int[] list(
        String field, String value, int column, int min, int max, boolean negativeToo) {
      String[] items = value.split(",", -1);
      int[] result = new int[items.length];
      int c = column;
      for (int i = 0; i < items.length; i++) {
        String item = items[i];
        if (!item.matches("[+-]?\\d{1,4}")) {
          throw error(field, c, item, "not a number");
        }
        int n = Integer.parseInt(item.startsWith("+") ? item.substring(1) : item);
        int magnitude = Math.abs(n);
        if ((n < 0 && !negativeToo) || magnitude < min || magnitude > max) {
          throw error(
              field,
              c,
              item,
              "out of range "
                  + (negativeToo ? "-" + max + "..-" + min + ", " : "")
                  + min
                  + "-"
                  + max);
        }
        result[i] = n;
        c += item.length() + 1;
      }
      return result;
    }

    private List<WeekdayNum> days(String value, int column) {
      List<WeekdayNum> result = new ArrayList<>();
      int c = column;
      for (String item : value.split(",", -1)) {
        if (!item.matches("(?i)[+-]?\\d{0,2}[a-z]{2}")) {
          throw error("BYDAY", c, item, "expected [+-][n]MO..SU");
        }
        String digits = item.substring(0, item.length() - 2);
        int ordinal =
            digits.isEmpty() || digits.equals("+") || digits.equals("-")
                ? 0
                : Integer.parseInt(digits.startsWith("+") ? digits.substring(1) : digits);
        if (!digits.isEmpty() && (ordinal == 0 || Math.abs(ordinal) > 53)) {
          throw error("BYDAY", c, item, "ordinal out of range -53..-1, 1-53");
        }
        result.add(new WeekdayNum(ordinal, day("BYDAY", item.substring(item.length() - 2), c)));
        c += item.length() + 1;
      }
      return List.copyOf(result);
    }

    private DayOfWeek day(String field, String code, int column) {
      return switch (code.toUpperCase(Locale.ROOT)) {
        case "MO" -> DayOfWeek.MONDAY;
        case "TU" -> DayOfWeek.TUESDAY;
        case "WE" -> DayOfWeek.WEDNESDAY;
        case "TH" -> DayOfWeek.THURSDAY;
        case "FR" -> DayOfWeek.FRIDAY;
        case "SA" -> DayOfWeek.SATURDAY;
        case "SU" -> DayOfWeek.SUNDAY;
        default -> throw error(field, column, code, "expected MO, TU, WE, TH, FR, SA or SU");
      };
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
