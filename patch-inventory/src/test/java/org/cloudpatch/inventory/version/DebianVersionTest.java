package org.cloudpatch.inventory.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DebianVersionTest {

  private static int cmp(String a, String b) {
    int c = Integer.signum(DebianVersion.parse(a).compareTo(DebianVersion.parse(b)));
    // Both entry points must agree, and the order must be antisymmetric.
    assertEquals(c, Integer.signum(DebianVersion.compareValid(a, b)), a + " vs " + b);
    assertEquals(-c, Integer.signum(DebianVersion.parse(b).compareTo(DebianVersion.parse(a))));
    return c;
  }

  private static void assertSameVersion(String a, String b) {
    DebianVersion x = DebianVersion.parse(a);
    DebianVersion y = DebianVersion.parse(b);
    assertEquals(0, cmp(a, b), a + " = " + b);
    assertEquals(x, y);
    assertEquals(x.hashCode(), y.hashCode(), "hash of " + a + " and " + b);
  }

  @Test
  void tilde_sortsBeforeEmpty() {
    assertEquals(-1, cmp("1.0~rc1", "1.0"));
    assertEquals(-1, cmp("1~", "1"));
  }

  @Test
  void doubleTilde_sortsBeforeSingleTilde() {
    assertEquals(-1, cmp("1.0~~", "1.0~"));
    assertEquals(-1, cmp("1.0~~a", "1.0~"));
  }

  @Test
  void end_sortsBeforeLetters_whichSortBeforeOtherCharacters() {
    assertEquals(-1, cmp("1.0", "1.0a"));
    assertEquals(-1, cmp("1.0a", "1.0+"));
    assertEquals(-1, cmp("1.0Z", "1.0a"));
    assertEquals(-1, cmp("1.0a", "1.0."));
    assertEquals(-1, cmp("1.0+", "1.0."));
  }

  @Test
  void digitRuns_compareNumerically() {
    assertEquals(-1, cmp("1.9", "1.10"));
    assertEquals(-1, cmp("9", "10"));
    assertEquals(1, cmp("1.0.10", "1.0.9"));
  }

  @Test
  void commonPrefixEndingInsideADigitRun_comparesTheWholeRun() {
    assertEquals(-1, cmp("1.12", "1.123"));
    assertEquals(-1, cmp("12.5", "123"));
    assertEquals(1, cmp("1.19", "1.2"));
    assertEquals(1, cmp("2.36-9+deb12u10", "2.36-9+deb12u9"));
    assertSameVersion("1.12", "1.0012");
    assertSameVersion("2.36-9+deb12u4", "2.36-9+deb12u04");
  }

  @Test
  void leadingZeros_areIgnored() {
    assertSameVersion("1.01", "1.1");
    assertSameVersion("1.0000-1", "1.0-1");
    assertSameVersion("1.09", "1.9");
  }

  @Test
  void digitRunsLongerThanALong_compareWithoutOverflow() {
    String big = "1.99999999999999999999999999999999999999";
    String bigger = "1.100000000000000000000000000000000000000";
    assertEquals(-1, cmp(big, bigger));
    assertEquals(1, cmp("18446744073709551617", "18446744073709551616"));
    assertSameVersion("1.000000000000000000000000000000000000042", "1.42");
  }

  @Test
  void epoch_outweighsEverythingElse() {
    assertEquals(1, cmp("1:0.1", "9.9-9"));
    assertEquals(1, cmp("2:2.5", "1:7.5"));
    assertEquals(1, cmp("10:1", "9:1"));
  }

  @Test
  void missingEpoch_equalsEpochZero() {
    assertSameVersion("0:1.0", "1.0");
    assertSameVersion("00:1.0", "1.0");
  }

  @Test
  void missingRevision_equalsRevisionZero() {
    assertSameVersion("1.0", "1.0-0");
    assertSameVersion("1.0-00", "1.0-0");
  }

  @Test
  void trailingZeroRun_equalsNoRun() {
    assertSameVersion("1.0a0", "1.0a");
    assertSameVersion("1.0-1a0", "1.0-1a");
  }

  @Test
  void zeroRunBeforeNonDigits_isNotNothing() {
    // "0a" and "a" differ: dpkg compares '0'-side (weight 0) against 'a' in the non-digit pass.
    assertEquals(-1, cmp("1-0a", "1-a"));
    assertEquals(-1, cmp("1.0a", "1.a"));
  }

  @Test
  void revision_decidesOnlyWhenUpstreamIsEqual() {
    assertEquals(-1, cmp("1.0-9", "1.0-10"));
    assertEquals(-1, cmp("1.0-99", "1.1-1"));
    assertEquals(1, cmp("2.36-9+deb12u4", "2.36-9"));
    assertEquals(-1, cmp("1.2.3-1~deb7u1", "1.2.3-1"));
  }

  @Test
  void lastHyphen_startsTheRevision() {
    DebianVersion v = DebianVersion.parse("1:2.0-beta-3");
    assertEquals(1, v.epoch());
    assertEquals("2.0-beta", v.upstreamVersion());
    assertEquals("3", v.revision());
    assertEquals(-1, cmp("1.0-beta-3", "1.0-beta-4"));
  }

  @Test
  void colonInUpstream_isAllowedAfterAnEpoch() {
    DebianVersion v = DebianVersion.parse("1:2.0:3-4");
    assertEquals(1, v.epoch());
    assertEquals("2.0:3", v.upstreamVersion());
    assertEquals("4", v.revision());
  }

  @Test
  void accessors_withoutEpochOrRevision() {
    DebianVersion v = DebianVersion.parse("2.36");
    assertEquals(0, v.epoch());
    assertEquals("2.36", v.upstreamVersion());
    assertEquals("", v.revision());
  }

  @Test
  void toString_keepsTheTextAsGiven() {
    assertEquals("0:1.01-0", DebianVersion.parse("0:1.01-0").toString());
  }

  @Test
  void equals_isFalseForOtherTypesAndDifferentVersions() {
    DebianVersion v = DebianVersion.parse("1.0");
    assertNotEquals(v, "1.0");
    assertNotEquals(v, DebianVersion.parse("1.0.0"));
    assertNotEquals(DebianVersion.parse("1.0"), DebianVersion.parse("1.0~"));
  }

  @ParameterizedTest(name = "''{0}'' is rejected: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''| empty",
        "a1.0| must start with a digit",
        "1:a1.0| must start with a digit",
        ":1.0| epoch before ':' is empty",
        "x:1.0| epoch must be a number",
        "-1:1.0| epoch must be a number",
        "1:| nothing follows the epoch",
        "1.0-| revision after the last '-' is empty",
        "-1| upstream version is empty",
        "1:-1| upstream version is empty",
        "1.0 beta| found U+0020",
        "' 1.0'| must start with a digit",
        "1.0_1| found '_'",
        "1.0-1_2| the revision may hold only",
        "1.0-1:2| epoch must be a number",
        "2147483648:1.0| epoch is larger than",
        "1.0é| found U+00E9",
      })
  void parse_invalid_namesInputAndReason(String text, String reason) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DebianVersion.parse(text));
    assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(reason.strip()), e.getMessage());
    assertFalse(DebianVersion.isValid(text));
  }

  @Test
  void parse_tooLong_isRejected() {
    String ok = "1." + "1".repeat(DebianVersion.MAX_LENGTH - 2);
    assertEquals(DebianVersion.MAX_LENGTH, DebianVersion.parse(ok).toString().length());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DebianVersion.parse(ok + "1"));
    assertTrue(e.getMessage().contains("at most 256"), e.getMessage());
    assertTrue(e.getMessage().contains("..."), "an overlong input is cut short in the message");
  }

  @Test
  void parse_maxEpoch_isAccepted() {
    assertEquals(Integer.MAX_VALUE, DebianVersion.parse("2147483647:1").epoch());
  }

  @Test
  void parse_controlCharacter_isEscapedInTheMessage() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DebianVersion.parse("1.0\n"));
    assertTrue(e.getMessage().contains("'1.0\\u000a'"), e.getMessage());
  }

  @Test
  void parse_null_throwsNullPointerException() {
    assertThrows(NullPointerException.class, () -> DebianVersion.parse(null));
    assertFalse(DebianVersion.isValid(null));
  }
}
