package org.cloudpatch.inventory.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * {@link RpmVersion} on generated pairs: the scheme's sign, equality and hashing consistent with
 * the order, and the scheme's validation.
 */
class RpmVersionPropertiesTest {
  private static final VersionScheme RPM = VersionSchemes.forEcosystem("Red Hat").orElseThrow();
  private static final long SEED = 0x5eedL;

  /**
   * The same sign as the scheme and its unoptimised path; equal exactly when 0; equal versions hash
   * alike.
   */
  private static boolean agrees(String[] p) {
    RpmVersion a = RpmVersion.parse(p[0]);
    RpmVersion b = RpmVersion.parse(p[1]);
    int c = Integer.signum(a.compareTo(b));
    boolean same = c == 0;
    // compareValid runs rpmvercmp from the start of each part, without the prefix skip: a second,
    // independent path.
    return c == RPM.compare(p[0], p[1])
        && c == Integer.signum(RpmScheme.compareValid(p[0], p[1]))
        && -c == Integer.signum(b.compareTo(a))
        && a.equals(b) == same
        && b.equals(a) == same
        && a.normalized().equals(b.normalized()) == same
        && (!same || a.hashCode() == b.hashCode());
  }

  @Test
  void compareTo_hasTheSchemesSign_andEqualsFollowsIt_onRpmShapedPairs() {
    qt().withFixedSeed(SEED)
        .withExamples(20_000)
        .forAll(OracleGenerators.rpmPairs())
        .check(RpmVersionPropertiesTest::agrees);
  }

  /** Debian-shaped pairs dwell on tildes, leading zeros, long digit runs and odd colons. */
  @Test
  void compareTo_hasTheSchemesSign_andEqualsFollowsIt_onDebianShapedPairs() {
    qt().withFixedSeed(SEED)
        .withExamples(20_000)
        .forAll(VersionGenerator.pairs())
        .check(RpmVersionPropertiesTest::agrees);
  }

  @Test
  void compareTo_hasTheSchemesSign_andEqualsFollowsIt_onEvrPairs() {
    Gen<String[]> evrs =
        in -> {
          var r = VersionGenerator.choices(in);
          String a = CompareValidationTest.rpmVersion(r);
          return new String[] {a, CompareValidationTest.rpmVersion(r)};
        };
    qt().withFixedSeed(SEED)
        .withExamples(10_000)
        .forAll(evrs)
        .check(RpmVersionPropertiesTest::agrees);
  }

  /** Random, mostly invalid strings: parse throws what validate throws, or both accept. */
  @Test
  void parse_rejectsWhatValidateRejects_withTheSameMessage() {
    int[] rejected = new int[1];
    qt().withFixedSeed(SEED)
        .withExamples(20_000)
        .forAll(
            CompareValidationTest.rawPairs(
                "0123456789012.~^-:_+aZel \u00e9\u0001\u2028", CompareValidationTest::rpmVersion))
        .checkAssert(
            p -> {
              for (String v : p) {
                IllegalArgumentException expected;
                try {
                  RPM.validate(v);
                  expected = null;
                } catch (IllegalArgumentException e) {
                  expected = e;
                }
                if (expected == null) {
                  assertEquals(v, RpmVersion.parse(v).toString());
                  assertTrue(RpmVersion.isValid(v), v);
                } else {
                  rejected[0]++;
                  IllegalArgumentException actual =
                      assertThrows(IllegalArgumentException.class, () -> RpmVersion.parse(v));
                  assertEquals(expected.getMessage(), actual.getMessage());
                  assertTrue(!RpmVersion.isValid(v), v);
                }
              }
            });
    assertTrue(rejected[0] > 2_000, "too few invalid versions generated: " + rejected[0]);
  }
}
