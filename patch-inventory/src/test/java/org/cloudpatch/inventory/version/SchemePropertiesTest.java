package org.cloudpatch.inventory.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quicktheories.core.Gen;

/**
 * Total-order laws for every scheme over generated triples of valid versions built from the
 * characters that matter to the scheme: antisymmetry, transitivity, and a normal form that agrees
 * with equality. For Maven these laws are the main guard beyond the fixtures (an intransitive Maven
 * order once broke sorting in real tools).
 */
class SchemePropertiesTest {

  @ParameterizedTest
  @CsvSource({
    "Red Hat, 0 1 2 10 00 . _ + ~ ^ - : a b Z el",
    "Alpine, 0 1 2 10 00 . . _alpha _p _rc -r a z ~ab",
    "PyPI, 0 1 2 10 . . a b rc post dev + - ! local",
    "crates.io, .0 .1 .10 .2 -alpha -rc.1 -0 -a.10 -x.y +b1",
    "Maven, 0 00 1 10 . . - - alpha a b m beta rc cr RC snapshot SNAPSHOT sp ga final release x foo",
  })
  void order_isTotal_onGeneratedTriples(String ecosystem, String alphabet) {
    VersionScheme scheme = VersionSchemes.forEcosystem(ecosystem).orElseThrow();
    String[] tokens = alphabet.split(" ");
    List<Integer> seen = new ArrayList<>();
    qt().withFixedSeed(ecosystem.hashCode())
        .withExamples(4_000)
        .forAll(triples(scheme, tokens))
        .checkAssert(
            t -> {
              int ab = scheme.compare(t[0], t[1]);
              int bc = scheme.compare(t[1], t[2]);
              int ac = scheme.compare(t[0], t[2]);
              assertEquals(-ab, scheme.compare(t[1], t[0]), "antisymmetric " + t[0] + " " + t[1]);
              if (ab <= 0 && bc <= 0) {
                assertTrue(ac <= 0, "transitive " + String.join(" ", t));
              }
              if (ab >= 0 && bc >= 0) {
                assertTrue(ac >= 0, "transitive " + String.join(" ", t));
              }
              assertEquals(
                  ab == 0,
                  scheme.normalize(t[0]).equals(scheme.normalize(t[1])),
                  "normal form of " + t[0] + ", " + t[1]);
              seen.add(ab);
            });
    assertTrue(seen.contains(0) && seen.contains(-1) && seen.contains(1), "all outcomes occur");
  }

  /**
   * The cycles Maven's own ComparableVersion has (MNG-5568, MNG-6568) are broken here: each triple
   * below is a cycle in maven-artifact 3.9.6 and 3.10.1, and here a chain through the end of the
   * shorter version.
   */
  @org.junit.jupiter.api.Test
  void maven_cyclesOfTheReference_areChainsHere() {
    VersionScheme maven = VersionSchemes.forEcosystem("Maven").orElseThrow();
    // Maven: 1-alpha > 1.x.2 > 1 > 1-alpha. Here a qualifier above a release outranks a list below.
    assertEquals(-1, maven.compare("1-alpha", "1"));
    assertEquals(-1, maven.compare("1", "1.x.2"));
    assertEquals(-1, maven.compare("1-alpha", "1.x.2"));
    // Maven: 0-alpha > x > 0 > 0-alpha.
    assertEquals(-1, maven.compare("0-alpha", "0"));
    assertEquals(-1, maven.compare("0", "x"));
    assertEquals(-1, maven.compare("0-alpha", "x"));
    // Maven: 1.0.alpha.1 > 1-x > 1 > 1.0.alpha.1. Here a zero followed by something below the end
    // is below the end, as Maven compares it with the end, and so below 1-x.
    assertEquals(-1, maven.compare("1.0.alpha.1", "1"));
    assertEquals(-1, maven.compare("1", "1-x"));
    assertEquals(-1, maven.compare("1.0.alpha.1", "1-x"));
    // No cycle in Maven: a release qualifier with a number is more than the end.
    assertEquals(1, maven.compare("1-ga1", "1"));
    assertEquals(-1, maven.compare("1-ga1", "1-ga2"));
  }

  /** Three valid versions, the later ones mostly edits of the first, so ties are common. */
  private static Gen<String[]> triples(VersionScheme scheme, String[] tokens) {
    return in -> {
      IntUnaryOperator r = VersionGenerator.choices(in);
      String a = valid(scheme, tokens, r, null);
      return new String[] {a, valid(scheme, tokens, r, a), valid(scheme, tokens, r, a)};
    };
  }

  private static String valid(
      VersionScheme scheme, String[] tokens, IntUnaryOperator r, String base) {
    while (true) {
      StringBuilder sb = new StringBuilder();
      if (base != null && r.applyAsInt(3) > 0) {
        int cut = r.applyAsInt(base.length() + 1);
        sb.append(base, 0, cut);
        if (r.applyAsInt(2) == 0) {
          sb.append(tokens[r.applyAsInt(tokens.length)]);
        }
        sb.append(base, Math.min(base.length(), cut + r.applyAsInt(2)), base.length());
      } else {
        sb.append(r.applyAsInt(3));
        int n = r.applyAsInt(7);
        for (int i = 0; i < n; i++) {
          sb.append(tokens[r.applyAsInt(tokens.length)]);
        }
      }
      String v = sb.toString();
      try {
        scheme.validate(v);
        return v;
      } catch (IllegalArgumentException e) {
        base = r.applyAsInt(4) == 0 ? null : base;
      }
    }
  }
}
