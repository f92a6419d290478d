package org.cloudpatch.inventory.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cloudpatch.inventory.ConformanceData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Maven order against the releases it follows, maven-artifact 3.9.6 and 3.10.1, on real
 * versions: osv-scalibr's generated Maven fixture (pairs of consecutive versions of real packages,
 * as OSV records name them), and the lines of it this order once got wrong.
 */
class MavenReleasedOrderTest {
  private static final VersionScheme MAVEN = VersionSchemes.forEcosystem("Maven").orElseThrow();

  /**
   * Where the fixture is read: the system property {@value}, else {@code
   * osv-scalibr-semantic/maven-versions-generated.txt} in the shared conformance data. The file is
   * {@code semantic/testdata/maven-versions-generated.txt} of github:google/osv-scalibr (checked at
   * commit c2094f2).
   */
  static final String FIXTURE_PROPERTY = "cloudpatch.maven.generatedFixture";

  /**
   * A release candidate or alpha written with dots after a zero ranked above its release, because a
   * zero followed by more items ranked above the end: with {@code fixed: 3.7.0}, an installed
   * {@code 3.7.0.rc.3} was called fixed. These are the fixture's lines that showed it; Maven 3.9.6,
   * 3.10.1, apache/maven master and osv-scalibr all rank the candidate below.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '<',
      value = {
        "3.0.0.alpha.5.0.5.1 < 3.0.0",
        "3.7.0.rc.3 < 3.7.0",
        "3.8.0.rc.1 < 3.8.0",
        "3.9.0.rc.1 < 3.9.0",
        "3.11.0.rc.2 < 3.11.0",
        "3.12.0.rc.2 < 3.12.0",
        "3.13.0.rc.3 < 3.13.0",
        "3.14.0.rc.3 < 3.14.0",
        "3.15.0.rc.2 < 3.15.0",
        "3.16.0.rc.2 < 3.16.0",
        "3.17.0.rc.2 < 3.17.0",
        "3.18.0.rc.2 < 3.18.0",
        "3.19.0.rc.2 < 3.19.0",
        "3.7.0.rc.2 < 3.7.0.rc.3",
        "3.6.1 < 3.7.0.rc.2",
      })
  void releaseCandidate_ranksBelowItsRelease(String lower, String higher) {
    assertEquals(-1, MAVEN.compare(lower, higher), lower + " < " + higher);
    assertEquals(1, MAVEN.compare(higher, lower), higher + " > " + lower);
  }

  /**
   * A qualifier followed by a number reads as released Maven reads it, a qualifier then a number
   * ({@code rc2} as {@code rc-2}), not as Maven 4's one qualifier-with-number item: these lines of
   * the fixture came out the other way under Maven 4's order.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "3.2.0rc2 | 3.2.0-rc.1 | -1",
        "1.0.0-beta11 | 1.0.0-beta.6 | -1",
        "3.5.0-CR-2 | 3.5.0.Beta-1 | -1",
        "v3.7.0rc2 | v3.7.0-rc.3 | -1",
        "1-1.foo-bar-1-baz-0.1 | 1-1.foo-bar1baz-.1 | 0",
      })
  void qualifierFollowedByNumber_readsAsReleasedMavenReadsIt(String a, String b, int expected) {
    assertEquals(expected, MAVEN.compare(a.strip(), b.strip()), a + " vs " + b);
  }

  /**
   * Every line of osv-scalibr's generated fixture on which maven-artifact 3.9.6 and 3.10.1 agree
   * (all of them, at c2094f2) gets their answer here — which differs from the fixture's own
   * operator on the lines where osv-scalibr's order is not Maven's. Skipped when the fixture or
   * either jar is absent.
   */
  @Test
  void osvScalibrGeneratedFixture_agreesWithMaven3_9_6And3_10_1() {
    MavenArtifactOracle a = MavenArtifactOracle.find(MavenArtifactOracle.VERSION);
    MavenArtifactOracle b = MavenArtifactOracle.find(MavenArtifactOracle.NEXT_VERSION);
    assumeTrue(a != null, MavenArtifactOracle.howToGet(MavenArtifactOracle.VERSION));
    assumeTrue(b != null, MavenArtifactOracle.howToGet(MavenArtifactOracle.NEXT_VERSION));
    List<String> lines = ConformanceData.dataLines(fixture());
    assertTrue(lines.size() > 14_000, "expected about 14,750 lines, found " + lines.size());
    List<String> differing = new ArrayList<>();
    int compared = 0;
    int mavenSplit = 0;
    for (String line : lines) {
      String[] f = line.split(" ");
      assertEquals(3, f.length, line);
      int x = a.compare(f[0], f[2]);
      int y = b.compare(f[0], f[2]);
      if (x != y) {
        mavenSplit++;
        continue;
      }
      compared++;
      int ours = MAVEN.compare(f[0], f[2]);
      if (ours != x) {
        differing.add(line + ": Maven " + x + ", ours " + ours);
      }
    }
    System.out.printf(
        "osv-scalibr generated Maven fixture: %d lines compared, %d where 3.9.6 and 3.10.1 differ%n",
        compared, mavenSplit);
    assertTrue(
        differing.isEmpty(),
        differing.size()
            + " lines differ from Maven, e.g. "
            + differing.subList(0, Math.min(20, differing.size())));
  }

  private static Path fixture() {
    String configured = System.getProperty(FIXTURE_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured);
      assumeTrue(Files.isRegularFile(p), "no osv-scalibr Maven fixture at " + p);
      return p;
    }
    Path p = ConformanceData.dir().resolve("osv-scalibr-semantic/maven-versions-generated.txt");
    assumeTrue(
        Files.isRegularFile(p),
        () ->
            "osv-scalibr's generated Maven fixture absent: "
                + p
                + " (semantic/testdata/maven-versions-generated.txt of github:google/osv-scalibr;"
                + " set -D"
                + FIXTURE_PROPERTY
                + "=FILE to run this test)");
    return p;
  }
}
