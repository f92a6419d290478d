package org.cloudpatch.inventory.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Debian order is a total order, and equality and hashing agree with it. */
class DebianVersionPropertiesTest {
  private static final VersionScheme DPKG = VersionSchemes.forEcosystem("Debian").orElseThrow();
  private static final long SEED = 0x5eedL;

  @Test
  void generator_producesOnlyValidVersions() {
    qt().withFixedSeed(SEED)
        .withExamples(5_000)
        .forAll(VersionGenerator.pairs())
        .check(p -> DebianVersion.isValid(p[0]) && DebianVersion.isValid(p[1]));
  }

  @Test
  void compare_isAntisymmetric() {
    qt().withFixedSeed(SEED)
        .withExamples(20_000)
        .forAll(VersionGenerator.pairs())
        .check(p -> DPKG.compare(p[0], p[1]) == -DPKG.compare(p[1], p[0]));
  }

  @Test
  void compare_isReflexive_andParseKeepsTheText() {
    qt().withFixedSeed(SEED)
        .withExamples(5_000)
        .forAll(VersionGenerator.versions())
        .check(
            v ->
                DPKG.compare(v, v) == 0
                    && DebianVersion.parse(v).toString().equals(v)
                    && DebianVersion.parse(v).equals(DebianVersion.parse(v)));
  }

  @Test
  void equalsAndHashCode_areConsistentWithCompare() {
    qt().withFixedSeed(SEED)
        .withExamples(20_000)
        .forAll(VersionGenerator.pairs())
        .check(
            p -> {
              DebianVersion a = DebianVersion.parse(p[0]);
              DebianVersion b = DebianVersion.parse(p[1]);
              boolean same = a.compareTo(b) == 0;
              return a.equals(b) == same
                  && b.equals(a) == same
                  && (!same || a.hashCode() == b.hashCode())
                  && Integer.signum(a.compareTo(b)) == DPKG.compare(p[0], p[1]);
            });
  }

  /**
   * Sorting a family of related versions, then checking every pair against the sorted order, checks
   * transitivity over all the family's triples at once.
   */
  @Test
  void compare_isTransitive() {
    qt().withFixedSeed(SEED)
        .withExamples(2_000)
        .forAll(VersionGenerator.families(12))
        .checkAssert(
            family -> {
              List<DebianVersion> sorted = new ArrayList<>();
              family.forEach(v -> sorted.add(DebianVersion.parse(v)));
              sorted.sort(null);
              for (int i = 0; i < sorted.size(); i++) {
                for (int j = i + 1; j < sorted.size(); j++) {
                  DebianVersion x = sorted.get(i);
                  DebianVersion y = sorted.get(j);
                  assertTrue(x.compareTo(y) <= 0, () -> "order broken in " + sorted);
                  for (int k = j + 1; k < sorted.size(); k++) {
                    DebianVersion z = sorted.get(k);
                    if (x.compareTo(y) == 0 && y.compareTo(z) == 0) {
                      assertEquals(0, x.compareTo(z), () -> x + " = " + y + " = " + z);
                    }
                  }
                }
              }
            });
  }
}
