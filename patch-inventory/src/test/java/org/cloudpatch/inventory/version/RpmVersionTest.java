package org.cloudpatch.inventory.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;
import org.cloudpatch.inventory.ConformanceData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** {@link RpmVersion} orders as the RPM scheme does, and its equality follows that order. */
class RpmVersionTest {
  private static final VersionScheme RPM = VersionSchemes.forEcosystem("Red Hat").orElseThrow();

  /** The sign of {@code a.compareTo(b)}, checked against the scheme and against {@code b, a}. */
  private static int cmp(String a, String b) {
    RpmVersion x = RpmVersion.parse(a);
    RpmVersion y = RpmVersion.parse(b);
    int c = Integer.signum(x.compareTo(y));
    assertEquals(RPM.compare(a, b), c, a + " vs " + b + ": the scheme disagrees");
    assertEquals(
        Integer.signum(RpmScheme.compareValid(a, b)), c, a + " vs " + b + ": compareValid");
    assertEquals(-c, Integer.signum(y.compareTo(x)), b + " vs " + a);
    assertEquals(c == 0, x.equals(y), a + " equals " + b);
    if (c == 0) {
      assertEquals(x.hashCode(), y.hashCode(), "hash of " + a + " and " + b);
    }
    return c;
  }

  @Test
  void tilde_sortsBeforeEverythingEvenTheEnd() {
    assertEquals(-1, cmp("1.0~rc1", "1.0"));
    assertEquals(-1, cmp("1.0~~", "1.0~"));
    assertEquals(-1, cmp("1.0~rc1-1.el9", "1.0-1.el9"));
  }

  @Test
  void caret_sortsAfterTheEndButBeforeAnyFurtherRun() {
    assertEquals(1, cmp("1.0^git1", "1.0"));
    assertEquals(-1, cmp("1.0^git1", "1.0.1"));
    assertEquals(-1, cmp("1.0^", "1.0^git1"));
  }

  @Test
  void digitRuns_compareNumerically_andSortAfterLetters() {
    assertEquals(-1, cmp("1.9", "1.10"));
    assertEquals(1, cmp("1.0.10-1", "1.0.9-1"));
    assertEquals(-1, cmp("1.a", "1.1"));
    assertEquals(1, cmp("2.36-28.el9_4", "2.36-27.el9"));
    assertEquals(
        -1, cmp("1.99999999999999999999999999999999", "1.100000000000000000000000000000000"));
  }

  @Test
  void epoch_comparesFirst_numerically_absentBeingZero() {
    assertEquals(1, cmp("1:1.0", "2.0"));
    assertEquals(-1, cmp("9:1.0", "10:0.1"));
    assertEquals(0, cmp("0:1.0-1", "1.0-1"));
    assertEquals(0, cmp("007:1.0", "7:1.0"));
    assertEquals(1, cmp("1234567890:1", "1:1"));
  }

  @Test
  void missingRelease_sortsBeforeAnyRelease_evenAnEmptyOne() {
    assertEquals(-1, cmp("1.0", "1.0-1"));
    assertEquals(-1, cmp("1.0", "1.0-"));
    assertEquals(-1, cmp("1.0-", "1.0-0"));
  }

  @Test
  void equalVersionsWrittenDifferently_areEqual_andHashAlike() {
    assertEquals(0, cmp("1.01", "1.1"));
    assertEquals(0, cmp("1.0_1", "1.0.1"));
    assertEquals(0, cmp("1.0.", "1.0"));
    assertEquals(0, cmp("1..0+a-1.el9", "1.0a-1_el9"));
    assertEquals(0, cmp("0:1.01-01.el9", "1.1-1.el9"));
    assertEquals(RpmVersion.parse("0:1.01-01.el9"), RpmVersion.parse("1.1-1.el9"));
    assertEquals("0:1.1.-1.el.9.", RpmVersion.parse("0:1.01-01.el9").normalized());
  }

  @Test
  void differentVersions_areNotEqual() {
    assertNotEquals(RpmVersion.parse("1.0"), RpmVersion.parse("1.0-0"));
    assertNotEquals(RpmVersion.parse("1.0a"), RpmVersion.parse("1.0.1"));
    assertNotEquals(RpmVersion.parse("1.0"), (Object) "1.0");
  }

  @Test
  void accessors_splitTheEvrAsRpmDoes() {
    RpmVersion v = RpmVersion.parse("2:1.2.3-4.el9_4");
    assertEquals(2, v.epoch());
    assertEquals("1.2.3", v.version());
    assertEquals(Optional.of("4.el9_4"), v.release());
    assertEquals("2:1.2.3-4.el9_4", v.toString());

    RpmVersion plain = RpmVersion.parse("1.0");
    assertEquals(0, plain.epoch());
    assertEquals("1.0", plain.version());
    assertEquals(Optional.empty(), plain.release());

    // The release follows the last hyphen; a colon after a non-digit is no epoch.
    RpmVersion odd = RpmVersion.parse("1.m+e2:1-2-3");
    assertEquals(0, odd.epoch());
    assertEquals("1.m+e2:1-2", odd.version());
    assertEquals(Optional.of("3"), odd.release());

    assertEquals(Optional.of(""), RpmVersion.parse("1.0-").release());
    assertEquals(9_999_999_999L, RpmVersion.parse("9999999999:1").epoch());
    assertEquals(0, RpmVersion.parse(":1").epoch());
  }

  @Test
  void parse_rejectsWhatValidateRejects_withTheSameMessage() {
    for (String bad :
        List.of(
            "",
            "1.0 1",
            "1.0-1\t",
            "1.0\u2028",
            "1:-1",
            "1:",
            "-1",
            "12345678901:1",
            "1." + "1".repeat(300))) {
      IllegalArgumentException expected =
          assertThrows(IllegalArgumentException.class, () -> RPM.validate(bad));
      IllegalArgumentException actual =
          assertThrows(IllegalArgumentException.class, () -> RpmVersion.parse(bad));
      assertEquals(expected.getMessage(), actual.getMessage());
      assertFalse(RpmVersion.isValid(bad), bad);
    }
    assertThrows(NullPointerException.class, () -> RpmVersion.parse(null));
    assertFalse(RpmVersion.isValid(null));
    assertTrue(RpmVersion.isValid("1\u00e90-1"), "non-ASCII printable separates runs");
  }

  /** rpm's own rpmvercmp.at cases: {@code a<TAB>b<TAB>result}. */
  @TestFactory
  Stream<DynamicTest> rpmTestVectors_compareToHasTheSchemesSign() {
    List<String> lines =
        ConformanceData.dataLines(ConformanceData.require("rpm-vercmp/rpmvercmp-derived.tsv"));
    assertTrue(lines.size() >= 85, "expected rpm's 91 cases, found " + lines.size());
    return lines.stream()
        .map(
            line ->
                DynamicTest.dynamicTest(
                    line,
                    () -> {
                      String[] f = line.split("\t");
                      assertEquals(3, f.length, line);
                      assertEquals(Integer.parseInt(f[2].strip()), cmp(f[0], f[1]), line);
                    }));
  }

  @TestFactory
  Stream<DynamicTest> osvScalibrRedHatFixtures_compareToHasTheSchemesSign() {
    List<String> lines =
        ConformanceData.dataLines(
            ConformanceData.require("osv-scalibr-semantic/redhat-versions.txt"));
    assertTrue(lines.size() >= 160, "expected 160+ cases, found " + lines.size());
    return lines.stream()
        .map(
            line ->
                DynamicTest.dynamicTest(
                    line,
                    () -> {
                      String[] f = line.split(" ");
                      assertEquals(3, f.length, line);
                      assertEquals(SchemeConformanceTest.operator(f[1], line), cmp(f[0], f[2]));
                    }));
  }

  /**
   * 100,000 parsed versions sort into the order the scheme gives the same strings: position by
   * position the two sorted lists hold equal versions, and each is no greater than the next.
   */
  @Test
  void sorting100000ParsedVersions_givesTheSchemesOrder() {
    SplittableRandom random = new SplittableRandom(0x5eedL);
    IntUnaryOperator r = random::nextInt;
    List<String> texts = new ArrayList<>();
    while (texts.size() < 100_000) {
      texts.add(
          random.nextBoolean() ? CompareValidationTest.rpmVersion(r) : VersionGenerator.version(r));
    }
    List<RpmVersion> parsed = new ArrayList<>();
    texts.forEach(t -> parsed.add(RpmVersion.parse(t)));
    parsed.sort(null);
    texts.sort(RPM::compare);
    for (int i = 0; i < parsed.size(); i++) {
      assertEquals(0, RPM.compare(parsed.get(i).toString(), texts.get(i)), "position " + i);
      if (i > 0) {
        assertTrue(parsed.get(i - 1).compareTo(parsed.get(i)) <= 0, "position " + i);
      }
    }
    assertTrue(parsed.get(0).compareTo(parsed.get(parsed.size() - 1)) < 0);
  }
}
