package org.cloudpatch.inventory.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;

import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quicktheories.core.Gen;

/**
 * {@code compare(a, b)} validates both versions while it compares them, reading their common prefix
 * once. It must reject exactly what validating each version on its own rejects, with the same
 * message, and otherwise order exactly as before: these cases put the bad character in the shared
 * prefix, in either tail, in an epoch, and make a version too long, and the properties check the
 * fused comparison against validate-then-compare on random, often invalid, strings.
 */
class CompareValidationTest {
  private static final VersionScheme DPKG = VersionSchemes.forEcosystem("Debian").orElseThrow();
  private static final VersionScheme RPM = VersionSchemes.forEcosystem("Red Hat").orElseThrow();
  private static final long SEED = 0xf05edL;

  /** Epochs around the limits: 9 to 13 digits, the largest int, leading zeros. */
  private static final String[] LONG_EPOCHS = {
    "999999999", "1234567890", "12345678901", "2147483647", "2147483648", "0000000000001"
  };

  // ---------------------------------------------------------------------------------------------
  // dpkg

  @Test
  void dpkg_compare_invalidCharInCommonPrefix_isRejected() {
    assertRejected(DPKG, "1.0_1-1", "1.0_1-2", "1.0_1-1", "found '_'");
  }

  @Test
  void dpkg_compare_invalidCharInTailOfEitherSide_isRejected() {
    assertRejected(DPKG, "1.0-1", "1.0-1_2", "1.0-1_2", "the revision may hold only");
    assertRejected(DPKG, "1.0-1 2", "1.0-1", "1.0-1 2", "found U+0020");
  }

  @Test
  void dpkg_compare_bothInvalid_namesTheFirst() {
    assertRejected(DPKG, "1.0_a", "1.0_b", "1.0_a", "found '_'");
    assertRejected(DPKG, "x1", "1.0_b", "x1", "must start with a digit");
  }

  @Test
  void dpkg_compare_identicalInvalidVersions_areRejected() {
    assertRejected(DPKG, "1.0é", "1.0é", "1.0é", "found U+00E9");
    assertRejected(DPKG, "1.0-", "1.0-", "1.0-", "revision after the last '-' is empty");
  }

  @Test
  void dpkg_compare_identicalValidVersions_areEqual() {
    assertEquals(0, DPKG.compare("1:2.36-9+deb12u3", "1:2.36-9+deb12u3"));
  }

  @ParameterizedTest(name = "''{0}'' against ''{1}'' is rejected: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        ":1.0| 1.0| epoch before ':' is empty",
        "x:1.0| 1.0| epoch must be a number",
        "1:| 1:0| nothing follows the epoch",
        "2147483648:1.0| 2147483648:1.0| epoch is larger than",
        "99999999999:1| 1:1| epoch is larger than",
        "1.0-1:2| 1.0-1| epoch must be a number",
        "1:-1| 1:1-1| upstream version is empty",
        "1:a1| 1:1| must start with a digit",
      })
  void dpkg_compare_badEpochOrShape_isRejected(String a, String b, String reason) {
    assertRejected(DPKG, a, b, a, reason);
    assertRejected(DPKG, b.equals(a) ? a : "1.0", a, a, reason);
  }

  @Test
  void dpkg_compare_epochsTheFastPathLeavesToTheSlowOne_stillCompare() {
    assertEquals(0, DPKG.compare("0000000001:1.0", "1:1.0"));
    assertEquals(-1, DPKG.compare("2147483646:1", "2147483647:1"));
    assertEquals(1, DPKG.compare("1:2:3-1", "1:2:2-1"), "a colon inside the upstream version");
    assertEquals(0, DPKG.compare("0:1.0", "1.0"));
  }

  @Test
  void dpkg_compare_overlongVersionOnEitherSide_isRejected() {
    String ok = "1." + "1".repeat(DebianVersion.MAX_LENGTH - 2);
    assertEquals(0, DPKG.compare(ok, ok));
    assertRejected(DPKG, ok + "1", ok, ok + "1", "at most 256");
    assertRejected(DPKG, ok, ok + "1", ok + "1", "at most 256");
  }

  @Test
  void dpkg_compare_empty_isRejected() {
    assertRejected(DPKG, "", "1.0", "", "the version is empty");
    assertRejected(DPKG, "1.0", "", "", "the version is empty");
  }

  @Test
  void dpkg_compare_null_throwsNullPointerException() {
    assertThrows(NullPointerException.class, () -> DPKG.compare(null, "1.0"));
    assertThrows(NullPointerException.class, () -> DPKG.compare("1.0", null));
    // The first version is checked first, as it always was.
    assertRejected(DPKG, "x", null, "x", "must start with a digit");
  }

  @Test
  void dpkg_compare_agreesWithValidateThenCompare_onRandomStrings() {
    int[] outcomes = new int[4];
    qt().withFixedSeed(SEED)
        .withExamples(100_000)
        .forAll(rawPairs("0123456789012.+~-:aZ_ é\u0001", VersionGenerator::version))
        .checkAssert(
            p ->
                assertSameOutcome(
                    p,
                    () -> {
                      DebianVersion.check(p[0]);
                      DebianVersion.check(p[1]);
                      return Integer.signum(DebianVersion.compareValid(p[0], p[1]));
                    },
                    () -> DPKG.compare(p[0], p[1]),
                    outcomes));
    assertAllOutcomesCommon(outcomes);
  }

  @Test
  void dpkg_compareTo_agreesWithTheSchemeOnRelatedVersions() {
    qt().withFixedSeed(SEED)
        .withExamples(50_000)
        .forAll(VersionGenerator.pairs())
        .checkAssert(
            p ->
                assertEquals(
                    Integer.signum(DebianVersion.compareValid(p[0], p[1])),
                    Integer.signum(DebianVersion.parse(p[0]).compareTo(DebianVersion.parse(p[1]))),
                    p[0] + " " + p[1]));
  }

  // ---------------------------------------------------------------------------------------------
  // rpm

  @Test
  void rpm_compare_invalidCharInCommonPrefix_isRejected() {
    assertRejected(RPM, "1.0 1-1", "1.0 1-2", "1.0 1-1", "found U+0020 at index 3");
  }

  @Test
  void rpm_compare_invalidCharInTailOfEitherSide_isRejected() {
    assertRejected(RPM, "1.0-1.el9", "1.0-1.el9\t", "1.0-1.el9\t", "found U+0009");
    assertRejected(RPM, "1.0-1\u007f", "1.0-1", "1.0-1\u007f", "found U+007F");
  }

  @Test
  void rpm_compare_identicalInvalidVersions_areRejected() {
    assertRejected(RPM, "1.0\u2028", "1.0\u2028", "1.0\u2028", "found U+2028");
    assertRejected(RPM, "1:-1", "1:-1", "1:-1", "the version is empty");
  }

  @Test
  void rpm_compare_epochOfMoreThanTenDigits_isRejected() {
    assertRejected(RPM, "12345678901:1", "1:1", "12345678901:1", "more than 10 digits");
    assertRejected(RPM, "1:1", "12345678901:1", "12345678901:1", "more than 10 digits");
    assertEquals(1, RPM.compare("1234567890:1", "1:1"), "ten digits are fine");
  }

  @Test
  void rpm_compare_nonAsciiPrintable_isAcceptedAsASeparator() {
    assertEquals(0, RPM.compare("1é0-1", "1.0-1"));
  }

  @Test
  void rpm_compare_overlongVersionOnEitherSide_isRejected() {
    String ok = "1." + "1".repeat(VersionText.MAX_LENGTH - 2);
    assertEquals(0, RPM.compare(ok, ok));
    assertRejected(RPM, ok + "1", ok, ok + "1", "at most 256");
    assertRejected(RPM, ok, ok + "1", ok + "1", "at most 256");
  }

  @Test
  void rpm_compare_null_throwsNullPointerException() {
    assertThrows(NullPointerException.class, () -> RPM.compare(null, "1.0"));
    assertThrows(NullPointerException.class, () -> RPM.compare("1.0", null));
  }

  @Test
  void rpm_compare_agreesWithValidateThenCompare_onRandomStrings() {
    int[] outcomes = new int[4];
    qt().withFixedSeed(SEED)
        .withExamples(100_000)
        .forAll(
            rawPairs(
                "0123456789012.~^-:_+aZel \u00e9\u0001\u2028", CompareValidationTest::rpmVersion))
        .checkAssert(
            p ->
                assertSameOutcome(
                    p,
                    () -> {
                      RPM.validate(p[0]);
                      RPM.validate(p[1]);
                      return Integer.signum(RpmScheme.compareValid(p[0], p[1]));
                    },
                    () -> RPM.compare(p[0], p[1]),
                    outcomes));
    assertAllOutcomesCommon(outcomes);
  }

  // ---------------------------------------------------------------------------------------------

  private static void assertRejected(
      VersionScheme scheme, String a, String b, String named, String reason) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> scheme.compare(a, b));
    String quoted = VersionText.quote(named);
    assertTrue(e.getMessage().contains(quoted), e.getMessage() + " should name " + quoted);
    assertTrue(e.getMessage().contains(reason), e.getMessage() + " should say " + reason);
  }

  /**
   * Both throw the same exception with the same message, or both return the same sign. Counts the
   * outcomes: rejected, then before, equal, after.
   */
  private static void assertSameOutcome(
      String[] p, Comparison old, Comparison fused, int[] outcomes) {
    String pair = VersionText.quote(p[0]) + " " + VersionText.quote(p[1]);
    int expected;
    try {
      expected = old.compare();
    } catch (IllegalArgumentException e) {
      IllegalArgumentException actual =
          assertThrows(IllegalArgumentException.class, fused::compare);
      assertEquals(e.getMessage(), actual.getMessage(), pair);
      outcomes[0]++;
      return;
    }
    try {
      assertEquals(expected, Integer.signum(fused.compare()), pair);
    } catch (IllegalArgumentException e) {
      fail(pair + " was rejected but is valid: " + e.getMessage());
    }
    outcomes[2 + expected]++;
  }

  /** The generator must exercise rejection and every order, not only one of them. */
  private static void assertAllOutcomesCommon(int[] outcomes) {
    int total = outcomes[0] + outcomes[1] + outcomes[2] + outcomes[3];
    for (int count : outcomes) {
      assertTrue(count > total / 20, java.util.Arrays.toString(outcomes));
    }
  }

  @FunctionalInterface
  private interface Comparison {
    int compare();
  }

  /**
   * Pairs that share long prefixes: a string, then the same string edited once or twice. The first
   * is a random string over {@code alphabet} (often invalid) or a valid version, now and then
   * longer than any scheme accepts.
   */
  static Gen<String[]> rawPairs(String alphabet, Generator valid) {
    return in -> {
      IntUnaryOperator r = VersionGenerator.choices(in);
      String a;
      switch (r.applyAsInt(8)) {
        case 0 -> a = random(r, alphabet, r.applyAsInt(12));
        case 1 -> a = "1." + "1".repeat(250 + r.applyAsInt(10));
        case 2 -> a = LONG_EPOCHS[r.applyAsInt(LONG_EPOCHS.length)] + ":" + valid.version(r);
        default -> a = valid.version(r);
      }
      if (r.applyAsInt(4) == 0) {
        a = edit(a, r, alphabet);
      }
      String b = r.applyAsInt(10) == 0 ? valid.version(r) : a;
      int edits = r.applyAsInt(3);
      for (int i = 0; i < edits; i++) {
        b = edit(b, r, alphabet);
      }
      return r.applyAsInt(2) == 0 ? new String[] {a, b} : new String[] {b, a};
    };
  }

  @FunctionalInterface
  interface Generator {
    String version(IntUnaryOperator r);
  }

  private static String random(IntUnaryOperator r, String alphabet, int length) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(r.applyAsInt(alphabet.length())));
    }
    return sb.toString();
  }

  /** Replaces, inserts or deletes one character, or cuts the string short. */
  private static String edit(String s, IntUnaryOperator r, String alphabet) {
    int at = r.applyAsInt(s.length() + 1);
    char c = alphabet.charAt(r.applyAsInt(alphabet.length()));
    switch (r.applyAsInt(4)) {
      case 0:
        return at < s.length() ? s.substring(0, at) + c + s.substring(at + 1) : s + c;
      case 1:
        return s.substring(0, at) + c + s.substring(at);
      case 2:
        return at < s.length() ? s.substring(0, at) + s.substring(at + 1) : s;
      default:
        return s.substring(0, at);
    }
  }

  /** A plausible EVR: epoch now and then, a version, a release most of the time. */
  static String rpmVersion(IntUnaryOperator r) {
    StringBuilder sb = new StringBuilder();
    if (r.applyAsInt(4) == 0) {
      sb.append(r.applyAsInt(3)).append(':');
    }
    sb.append(r.applyAsInt(10)).append('.').append(r.applyAsInt(30));
    String[] tails = {"", "~rc1", "^git2", ".a", "_1", "el"};
    sb.append(tails[r.applyAsInt(tails.length)]);
    if (r.applyAsInt(4) != 0) {
      sb.append('-').append(1 + r.applyAsInt(30));
      String[] dist = {".el9", ".el9_4", ".el8", "", ".fc40", "-1"};
      sb.append(dist[r.applyAsInt(dist.length)]);
    }
    return sb.toString();
  }
}
