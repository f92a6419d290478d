package org.cloudpatch.audit.journal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * Reads an entry's {@code at}, which must be exactly what {@link Instant#toString()} writes (so
 * that one instant has one spelling in the hashed bytes). Verification reads one per entry, and
 * {@code Instant.parse} with the {@code toString} round trip was a third of its time: the common
 * shape, a four-digit year and 0, 3, 6 or 9 fraction digits, is read by hand here with the same
 * verdict, and anything else takes the long way. Stateless.
 */
final class UtcInstants {
  private static final int[] POWERS = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000
  };

  private UtcInstants() {}

  /**
   * The instant {@code text} spells.
   *
   * @throws DateTimeParseException if it is not an ISO-8601 instant
   * @throws IllegalArgumentException if it is one, but not as {@link Instant#toString()} writes it
   */
  static Instant parse(String text) {
    Instant fast = fast(text);
    if (fast != null) {
      return fast;
    }
    Instant at = Instant.parse(text);
    if (!at.toString().equals(text)) {
      throw new IllegalArgumentException("not a UTC instant as Instant.toString writes it");
    }
    return at;
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.fff[fff[fff]]]Z} as toString writes it, or null. */
  private static @Nullable Instant fast(String t) {
    int n = t.length();
    if (n != 20 && n != 24 && n != 27 && n != 30) {
      return null;
    }
    if (t.charAt(4) != '-'
        || t.charAt(7) != '-'
        || t.charAt(10) != 'T'
        || t.charAt(13) != ':'
        || t.charAt(16) != ':'
        || t.charAt(n - 1) != 'Z') {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 2);
    int day = digits(t, 8, 2);
    int hour = digits(t, 11, 2);
    int minute = digits(t, 14, 2);
    int second = digits(t, 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
      return null;
    }
    if (second < 0 || second > 59) {
      return null; // a leap second 60 parses, but never round-trips: the long way says so
    }
    int nano = 0;
    if (n > 20) {
      int places = n - 21;
      int fraction = t.charAt(19) == '.' ? digits(t, 20, places) : -1;
      if (fraction < 0) {
        return null;
      }
      nano = fraction * POWERS[9 - places];
      // toString writes the fewest groups of three digits that hold the nanos, none for zero.
      boolean shortest =
          places == 3 ? nano != 0 : places == 6 ? nano % 1_000_000 != 0 : nano % 1_000 != 0;
      if (!shortest) {
        return null;
      }
    }
    long days;
    try {
      days = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      return null; // February 30th and the like: the long way names it
    }
    return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nano);
  }

  /** The number the {@code count} ASCII digits at {@code from} spell, or -1. */
  private static int digits(String t, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
