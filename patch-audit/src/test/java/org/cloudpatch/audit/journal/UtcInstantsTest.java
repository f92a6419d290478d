package org.cloudpatch.audit.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

/**
 * {@link UtcInstants#parse} gives the verdict of the rule it replaces in the journal reader, {@code
 * Instant.parse} followed by the {@code toString} round trip: the same instant for every spelling
 * toString writes, and the same refusal (an unparsable text, or a parsable one spelt otherwise).
 */
class UtcInstantsTest {
  private static final long SEED = 0x1e57a7L;

  /** Seconds of 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the four-digit years. */
  private static final long FIRST = -62_167_219_200L;

  private static final long LAST = 253_402_300_799L;

  @Test
  void parse_everySpellingToStringWrites_givesTheInstant() {
    qt().withFixedSeed(SEED)
        .withExamples(50_000)
        .forAll(
            longs().between(FIRST - 86_400, LAST + 86_400),
            integers().between(0, 999_999_999),
            integers().between(0, 3))
        .checkAssert(
            (seconds, nanos, coarse) -> {
              // Nanos rounded to ms or µs or 0 as often as not: toString's shorter spellings.
              int n =
                  coarse == 0
                      ? nanos
                      : coarse == 1
                          ? nanos / 1000 * 1000
                          : coarse == 2 ? nanos / 1_000_000 * 1_000_000 : 0;
              Instant at = Instant.ofEpochSecond(seconds, n);
              assertEquals(at, UtcInstants.parse(at.toString()));
            });
  }

  @Test
  void parse_nearMissSpellings_agreeWithParseAndRoundTrip() {
    String[] texts = {
      "2026-03-03T09:00:00Z",
      "2026-03-03T09:00:00.000Z",
      "2026-03-03T09:00:00.100Z",
      "2026-03-03T09:00:00.100000Z",
      "2026-03-03T09:00:00.000001Z",
      "2026-03-03T09:00:00.000001000Z",
      "2026-03-03T09:00:00.000000001Z",
      "2026-03-03T09:00Z",
      "2026-03-03T09:00:00.1Z",
      "2026-03-03T09:00:00.12Z",
      "2026-03-03T09:00:00+00:00",
      "2026-03-03T09:00:00z",
      "2026-03-03 09:00:00Z",
      "2026-02-29T09:00:00Z",
      "2024-02-29T09:00:00Z",
      "1900-02-29T00:00:00Z",
      "2000-02-29T00:00:00Z",
      "2026-04-31T00:00:00Z",
      "2026-13-01T00:00:00Z",
      "2026-00-01T00:00:00Z",
      "2026-01-00T00:00:00Z",
      "2026-12-31T24:00:00Z",
      "2026-12-31T23:60:00Z",
      "2016-12-31T23:59:60Z",
      "0000-01-01T00:00:00Z",
      "9999-12-31T23:59:59.999999999Z",
      "+10000-01-01T00:00:00Z",
      "-0001-01-01T00:00:00Z",
      "2026-03-0３T09:00:00Z",
      "2026-03-03T09:00:0aZ",
      "20260303T090000Z",
      ""
    };
    for (String text : texts) {
      assertEquals(reference(text), verdict(text), text);
    }
  }

  @Test
  void parse_randomEditsOfASpelling_agreeWithParseAndRoundTrip() {
    String base = "2024-02-29T23:59:59.123456789Z";
    qt().withFixedSeed(SEED)
        .withExamples(50_000)
        .forAll(
            integers().between(0, base.length() - 1),
            integers().between(0, 13),
            integers().between(20, base.length()))
        .checkAssert(
            (at, replacement, length) -> {
              String edited =
                  (base.substring(0, at)
                              + "0123456789.:ZT".charAt(replacement)
                              + base.substring(at + 1))
                          .substring(0, length - 1)
                      + "Z";
              assertEquals(reference(edited), verdict(edited), edited);
            });
  }

  /** The rule UtcInstants replaces. */
  private static String reference(String text) {
    try {
      Instant at = Instant.parse(text);
      return at.toString().equals(text) ? at.toString() : "not as toString writes it";
    } catch (DateTimeParseException e) {
      return "unparsable";
    }
  }

  private static String verdict(String text) {
    try {
      return UtcInstants.parse(text).toString();
    } catch (DateTimeParseException e) {
      return "unparsable";
    } catch (IllegalArgumentException e) {
      return "not as toString writes it";
    }
  }
}
