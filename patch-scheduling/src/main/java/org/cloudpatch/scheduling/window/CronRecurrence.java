package org.cloudpatch.scheduling.window;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Two cron dialects as a {@link Recurrence}.
 *
 * <p><b>Unix</b> (Vixie cron / cronie, {@code man 5 crontab}): five fields {@code minute hour
 * day-of-month month day-of-week} with {@code *}, lists, ranges, {@code *}{@code /n} and {@code
 * a-b/n} steps, month and weekday names, day-of-week 0-7 (0 and 7 are Sunday), and the macros
 * {@code @yearly @annually @monthly @weekly @daily @midnight @hourly}. Vixie's rule for the two day
 * fields: when both are restricted (neither begins with {@code *}) a day matches if either field
 * does; otherwise both must.
 *
 * <p><b>AWS</b> (EventBridge / Systems Manager maintenance windows, "Cron expressions reference",
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html, and
 * "Reference: Cron and rate expressions for Systems Manager"): {@code cron(minutes hours
 * day-of-month month day-of-week year)}, day-of-week 1-7 or SUN-SAT (1 is Sunday), year 1970-2199,
 * {@code a/n} steps, and exactly one of the two day fields is {@code ?}. Day-of-month also takes
 * {@code L} (last day) and {@code nW} (the weekday nearest day n, within the month); day-of-week
 * takes {@code L} (Saturday), {@code nL} (the month's last weekday n) and {@code n#k} (its k-th
 * weekday n, e.g. {@code TUE#2}, Patch Tuesday).
 *
 * <p>Times have minute resolution (second 0). A search looks at most nine years ahead for Unix cron
 * (enough for 29 February across a skipped leap year) and up to 2199 for AWS.
 */
final class CronRecurrence implements Recurrence {
  private static final String[] MONTHS = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
  };
  private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

  private final boolean aws;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;

  /** Sunday is 0, Saturday 6. */
  private final BitSet daysOfWeek;

  private final @Nullable BitSet years;
  private final boolean domStar;
  private final boolean dowStar;
  private final boolean domAny;
  private final boolean lastDayOfMonth;
  private final int nearestWeekdayTo;
  private final int nthWeek;
  private final boolean lastWeekdayOfMonth;

  private CronRecurrence(Builder b) {
    this.aws = b.aws;
    this.minutes = b.minutes;
    this.hours = b.hours;
    this.daysOfMonth = b.daysOfMonth;
    this.months = b.months;
    this.daysOfWeek = b.daysOfWeek;
    this.years = b.years;
    this.domStar = b.domStar;
    this.dowStar = b.dowStar;
    this.domAny = b.domAny;
    this.lastDayOfMonth = b.lastDayOfMonth;
    this.nearestWeekdayTo = b.nearestWeekdayTo;
    this.nthWeek = b.nthWeek;
    this.lastWeekdayOfMonth = b.lastWeekdayOfMonth;
  }

  /** Parses a five-field Unix cron expression or one of its {@code @} macros. */
  static CronRecurrence unix(String expression) {
    String trimmed = expression.strip();
    String macro =
        switch (trimmed.toLowerCase(Locale.ROOT)) {
          case "@yearly", "@annually" -> "0 0 1 1 *";
          case "@monthly" -> "0 0 1 * *";
          case "@weekly" -> "0 0 * * 0";
          case "@daily", "@midnight" -> "0 0 * * *";
          case "@hourly" -> "0 * * * *";
          default -> null;
        };
    if (macro != null) {
      return unix(macro);
    }
    if (trimmed.startsWith("@")) {
      throw new InvalidScheduleException(
          "cron",
          "macro",
          expression.indexOf('@') + 1,
          trimmed,
          "unknown; expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly");
    }
    List<Token> fields = tokens(expression, 0);
    if (fields.size() != 5) {
      throw new InvalidScheduleException(
          "cron",
          "expression",
          0,
          expression,
          "expected 5 fields (minute hour day-of-month month day-of-week), found " + fields.size());
    }
    Builder b = new Builder(false, "cron");
    b.minutes = b.field(fields.get(0), 1, "minute", 0, 59, null);
    b.hours = b.field(fields.get(1), 2, "hour", 0, 23, null);
    b.daysOfMonth = b.field(fields.get(2), 3, "day-of-month", 1, 31, null);
    b.months = b.field(fields.get(3), 4, "month", 1, 12, MONTHS);
    BitSet dow = b.field(fields.get(4), 5, "day-of-week", 0, 7, DAYS);
    if (dow.get(7)) {
      dow.set(0);
      dow.clear(7);
    }
    b.daysOfWeek = dow;
    b.domStar = fields.get(2).text.startsWith("*");
    b.dowStar = fields.get(4).text.startsWith("*");
    return new CronRecurrence(b);
  }

  /** Parses an AWS {@code cron(...)} expression. */
  static CronRecurrence aws(String expression) {
    String trimmed = expression.strip();
    int open = expression.indexOf('(');
    if (!trimmed.startsWith("cron(") || !trimmed.endsWith(")")) {
      throw new InvalidScheduleException(
          "aws cron",
          "expression",
          0,
          expression,
          "expected cron(minutes hours day-of-month" + " month day-of-week year)");
    }
    int close = expression.lastIndexOf(')');
    List<Token> fields = tokens(expression.substring(open + 1, close), open + 1);
    if (fields.size() != 6) {
      throw new InvalidScheduleException(
          "aws cron",
          "expression",
          0,
          expression,
          "expected 6 fields (minutes hours day-of-month month day-of-week year), found "
              + fields.size());
    }
    Builder b = new Builder(true, "aws cron");
    b.minutes = b.field(fields.get(0), 1, "minutes", 0, 59, null);
    b.hours = b.field(fields.get(1), 2, "hours", 0, 23, null);
    b.months = b.field(fields.get(3), 4, "month", 1, 12, MONTHS);
    b.years = b.field(fields.get(5), 6, "year", 1970, 2199, null);
    Token dom = fields.get(2);
    Token dow = fields.get(4);
    boolean domQ = dom.text.equals("?");
    boolean dowQ = dow.text.equals("?");
    if (domQ == dowQ) {
      Token at = domQ ? dom : dow;
      throw new InvalidScheduleException(
          "aws cron",
          domQ ? "field 3 (day-of-month)" : "field 5 (day-of-week)",
          at.column,
          at.text,
          domQ
              ? "day-of-month and day-of-week cannot both be ?"
              : "one of day-of-month and day-of-week must be ? (they cannot both be given)");
    }
    b.domAny = domQ;
    b.daysOfMonth = domQ ? new BitSet() : b.awsDayOfMonth(dom);
    b.daysOfWeek = dowQ ? new BitSet() : b.awsDayOfWeek(dow);
    return new CronRecurrence(b);
  }

  @Override
  public @Nullable LocalDateTime next(LocalDateTime notBefore) {
    LocalDate date = notBefore.toLocalDate();
    LocalTime from = notBefore.toLocalTime();
    int lastYear = aws ? 2199 : notBefore.getYear() + 9;
    while (date.getYear() <= lastYear) {
      if (!months.get(date.getMonthValue()) || (years != null && !years.get(date.getYear()))) {
        date = date.withDayOfMonth(1).plusMonths(1);
        from = LocalTime.MIN;
        continue;
      }
      if (dayMatches(date)) {
        LocalTime time = firstTimeAtOrAfter(from);
        if (time != null) {
          return date.atTime(time);
        }
      }
      date = date.plusDays(1);
      from = LocalTime.MIN;
    }
    return null;
  }

  private @Nullable LocalTime firstTimeAtOrAfter(LocalTime from) {
    int hour = from.getHour();
    // A time with seconds is past that minute's occurrence.
    int minute = from.getMinute() + (from.getSecond() > 0 || from.getNano() > 0 ? 1 : 0);
    for (int h = hours.nextSetBit(hour); h >= 0; h = hours.nextSetBit(h + 1)) {
      int m = minutes.nextSetBit(h == hour ? minute : 0);
      if (m >= 0 && m < 60) {
        return LocalTime.of(h, m);
      }
    }
    return null;
  }

  private boolean dayMatches(LocalDate date) {
    int dow = date.getDayOfWeek().getValue() % 7;
    if (!aws) {
      boolean domOk = daysOfMonth.get(date.getDayOfMonth());
      boolean dowOk = daysOfWeek.get(dow);
      return (domStar || dowStar) ? (domOk && dowOk) : (domOk || dowOk);
    }
    if (domAny) {
      if (!daysOfWeek.get(dow)) {
        return false;
      }
      if (nthWeek > 0) {
        return (date.getDayOfMonth() - 1) / 7 + 1 == nthWeek;
      }
      if (lastWeekdayOfMonth) {
        return date.plusDays(7).getMonthValue() != date.getMonthValue();
      }
      return true;
    }
    if (lastDayOfMonth) {
      return date.getDayOfMonth() == date.lengthOfMonth();
    }
    if (nearestWeekdayTo > 0) {
      return nearestWeekdayTo <= date.lengthOfMonth()
          && date.equals(nearestWeekday(date.withDayOfMonth(nearestWeekdayTo)));
    }
    return daysOfMonth.get(date.getDayOfMonth());
  }

  /** Quartz's and AWS's {@code nW}: the weekday nearest the date, never leaving its month. */
  private static LocalDate nearestWeekday(LocalDate day) {
    DayOfWeek dow = day.getDayOfWeek();
    if (dow == DayOfWeek.SATURDAY) {
      return day.getDayOfMonth() == 1 ? day.plusDays(2) : day.minusDays(1);
    }
    if (dow == DayOfWeek.SUNDAY) {
      return day.getDayOfMonth() == day.lengthOfMonth() ? day.minusDays(2) : day.plusDays(1);
    }
    return day;
  }

  /** One whitespace-separated field and its 1-based column in the whole expression. */
  private record Token(String text, int column) {}

  private static List<Token> tokens(String text, int offset) {
    List<Token> result = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      if (Character.isWhitespace(text.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      result.add(new Token(text.substring(start, i), offset + start + 1));
    }
    return result;
  }

  /** Parser state for one expression. */
  private static final class Builder {
    final boolean aws;
    final String grammar;
    BitSet minutes = new BitSet();
    BitSet hours = new BitSet();
    BitSet daysOfMonth = new BitSet();
    BitSet months = new BitSet();
    BitSet daysOfWeek = new BitSet();
    @Nullable BitSet years;
    boolean domStar;
    boolean dowStar;
    boolean domAny;
    boolean lastDayOfMonth;
    int nearestWeekdayTo;
    int nthWeek;
    boolean lastWeekdayOfMonth;

    Builder(boolean aws, String grammar) {
      this.aws = aws;
      this.grammar = grammar;
    }

    InvalidScheduleException error(int index, String name, Token at, String text, String reason) {
      return new InvalidScheduleException(
          grammar, "field " + index + " (" + name + ")", at.column, text, reason);
    }

    /** A list of values, ranges and steps between {@code min} and {@code max}. */
    BitSet field(Token token, int index, String name, int min, int max, String @Nullable [] names) {
      BitSet bits = new BitSet();
      int column = token.column;
      for (String item : token.text.split(",", -1)) {
        Token at = new Token(item, column);
        column += item.length() + 1;
        if (item.isEmpty()) {
          throw error(index, name, at, token.text, "empty list item");
        }
        String range = item;
        int step = 1;
        int slash = item.indexOf('/');
        if (slash >= 0) {
          range = item.substring(0, slash);
          String stepText = item.substring(slash + 1);
          if (!stepText.matches("\\d{1,4}") || Integer.parseInt(stepText) == 0) {
            throw error(index, name, at, item, "step must be a positive number");
          }
          step = Integer.parseInt(stepText);
        }
        int low;
        int high;
        if (range.equals("*")) {
          low = min;
          high = max;
        } else {
          int dash = range.indexOf('-', 1);
          if (dash >= 0) {
            low = value(range.substring(0, dash), at, index, name, min, max, names);
            high = value(range.substring(dash + 1), at, index, name, min, max, names);
            if (high < low) {
              throw error(index, name, at, item, "range runs backwards");
            }
          } else {
            low = value(range, at, index, name, min, max, names);
            // Vixie takes "a/n" as an error; AWS documents it as "from a, every n".
            if (slash >= 0 && !aws) {
              throw error(index, name, at, item, "a step needs * or a range before it");
            }
            high = slash >= 0 ? max : low;
          }
        }
        for (int v = low; v <= high; v += step) {
          bits.set(v);
        }
      }
      return bits;
    }

    int value(
        String text,
        Token at,
        int index,
        String name,
        int min,
        int max,
        String @Nullable [] names) {
      if (names != null) {
        for (int i = 0; i < names.length; i++) {
          if (names[i].equalsIgnoreCase(text)) {
            // Month names are 1-based; day names follow the field's own numbering.
            return names == MONTHS ? i + 1 : aws ? i + 1 : i;
          }
        }
      }
      if (!text.matches("\\d{1,4}")) {
        throw error(
            index,
            name,
            at,
            text,
            names == null ? "not a number" : "not a number or a three-letter name");
      }
      int v = Integer.parseInt(text);
      if (v < min || v > max) {
        throw error(index, name, at, text, "out of range " + min + "-" + max);
      }
      return v;
    }

    BitSet awsDayOfMonth(Token token) {
      String text = token.text.toUpperCase(Locale.ROOT);
      if (text.equals("L")) {
        lastDayOfMonth = true;
        return new BitSet();
      }
      if (text.endsWith("W")) {
        String day = text.substring(0, text.length() - 1);
        nearestWeekdayTo = value(day, token, 3, "day-of-month", 1, 31, null);
        return new BitSet();
      }
      return field(token, 3, "day-of-month", 1, 31, null);
    }

    BitSet awsDayOfWeek(Token token) {
      String text = token.text.toUpperCase(Locale.ROOT);
      BitSet bits = new BitSet();
      if (text.equals("L")) {
        bits.set(6);
        return bits;
      }
      int hash = text.indexOf('#');
      if (hash >= 0) {
        int day = value(text.substring(0, hash), token, 5, "day-of-week", 1, 7, DAYS);
        String nth = text.substring(hash + 1);
        if (!nth.matches("[1-5]")) {
          throw error(5, "day-of-week", token, token.text, "the week after # must be 1-5");
        }
        nthWeek = Integer.parseInt(nth);
        bits.set(day - 1);
        return bits;
      }
      if (text.endsWith("L")) {
        int day = value(text.substring(0, text.length() - 1), token, 5, "day-of-week", 1, 7, DAYS);
        lastWeekdayOfMonth = true;
        bits.set(day - 1);
        return bits;
      }
      if (text.contains("/")) {
        throw error(5, "day-of-week", token, token.text, "AWS allows no step in day-of-week");
      }
      BitSet oneBased = field(token, 5, "day-of-week", 1, 7, DAYS);
      for (int v = oneBased.nextSetBit(1); v >= 0; v = oneBased.nextSetBit(v + 1)) {
        bits.set(v - 1);
      }
      return bits;
    }
  }
}
