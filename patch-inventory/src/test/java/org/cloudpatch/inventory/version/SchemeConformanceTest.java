package org.cloudpatch.inventory.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.cloudpatch.inventory.ConformanceData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The RPM, Alpine, semver and PEP 440 orders against every line of the test vectors written by
 * their reference tools and by osv-scalibr; skipped when the shared data is absent. A line whose
 * version the scheme rejects on purpose is checked to be rejected, never skipped silently.
 */
class SchemeConformanceTest {
  private static final VersionScheme RPM = VersionSchemes.forEcosystem("Red Hat").orElseThrow();
  private static final VersionScheme APK = VersionSchemes.forEcosystem("Alpine").orElseThrow();
  private static final VersionScheme NPM = VersionSchemes.forEcosystem("npm").orElseThrow();
  private static final VersionScheme CRATES =
      VersionSchemes.forEcosystem("crates.io").orElseThrow();
  private static final VersionScheme PYPI = VersionSchemes.forEcosystem("PyPI").orElseThrow();
  private static final VersionScheme MAVEN = VersionSchemes.forEcosystem("Maven").orElseThrow();

  /** Maven's own ComparableVersionTest cases, every ordered pair: {@code a op b}. */
  @TestFactory
  Stream<DynamicTest> mavenComparableVersionTests_agree() {
    return operatorLines(
        "apache-maven-comparableversion/maven-comparableversion-derived.txt", 550, MAVEN, Set.of());
  }

  /**
   * osv-scalibr's Maven cases, except one where osv-scalibr keeps the order of Maven 3.8 and
   * maven-artifact 3.9.6 and 3.10.1 decide otherwise: {@code 1-ga-1} drops its release qualifier
   * and reads as {@code 1--1}, below {@code 1-1}. It is checked to come out the way those releases
   * order it.
   */
  @TestFactory
  Stream<DynamicTest> osvScalibrMavenFixtures_agreeExceptWhereMaven39Differs() {
    Map<String, Integer> reference = Map.of("1-1 = 1-ga-1", 1);
    List<String> lines =
        ConformanceData.dataLines(
            ConformanceData.require("osv-scalibr-semantic/maven-versions.txt"));
    assertTrue(lines.size() >= 95, "expected about 100 cases, found " + lines.size());
    assertTrue(lines.containsAll(reference.keySet()), "the differing line is in the data");
    return lines.stream()
        .map(
            line ->
                DynamicTest.dynamicTest(
                    line,
                    () -> {
                      String[] f = line.split(" ");
                      assertEquals(3, f.length, line);
                      int expected = reference.getOrDefault(line, operator(f[1], line));
                      assertOrder(MAVEN, f[0], f[2], expected);
                    }));
  }

  /**
   * Versions that apk-tools' validator rejects by its grammar (version.data holds the like of each:
   * {@code !0.1bc}, {@code !0.1_foobar}, {@code !0.1-r}, {@code !0.1a1}), though apk-tools and
   * osv-scalibr still order them by a fallback. Here they are errors.
   */
  private static final Set<String> APK_INVALID =
      Set.of(
          "23_foo",
          "1.0bc",
          "6.6.2p1",
          "c",
          "a",
          "1.2_blah",
          "1.2_csv2",
          "1-ruff",
          "1-ruff2",
          "1-r0-1",
          "1-r0-ruff2",
          "1-r-0",
          "1-r-1",
          "1-r",
          "0.8.21.r2",
          "10.2.24.r0",
          "0.8.21.r1",
          "10.2.22.r0",
          "0.r1",
          "0..8",
          "0...8",
          "0..1..0",
          "0..1..1",
          "0...1...0",
          "0...1...1",
          "0...1...0r1",
          "0...1...0r2",
          "0...1...0.r1",
          "0...1...0.r2",
          ".1",
          ".2",
          "1.2.0A",
          "1.2.0D",
          "b",
          "6.6.2p2",
          "1-ruff1",
          "1-r0-ruff1",
          "1-r0-2",
          "1-r-2",
          "1--ruff1",
          "0r2",
          "0.8.21r2");

  /** rpm's own rpmvercmp.at cases: {@code a<TAB>b<TAB>result}. */
  @TestFactory
  Stream<DynamicTest> rpmTestVectors_agree() {
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
                      assertOrder(RPM, f[0], f[1], Integer.parseInt(f[2].strip()));
                    }));
  }

  @TestFactory
  Stream<DynamicTest> osvScalibrRedHatFixtures_agree() {
    return operatorLines("osv-scalibr-semantic/redhat-versions.txt", 160, RPM, Set.of());
  }

  @TestFactory
  Stream<DynamicTest> osvScalibrAlpineFixtures_agree() {
    return operatorLines("osv-scalibr-semantic/alpine-versions.txt", 750, APK, APK_INVALID);
  }

  /**
   * osv-scalibr's semver parser guesses at versions SemVer 2.0.0 forbids: one or four components, a
   * pre-release without a hyphen. Those are the lines whose versions must be rejected here.
   */
  @TestFactory
  Stream<DynamicTest> osvScalibrSemverFixtures_agree() {
    return operatorLines(
        "osv-scalibr-semantic/semver-versions.txt",
        80,
        CRATES,
        Set.of(
            "999999999999999999999999999991",
            "999999999999999999999999999999",
            "1.1.3.4.5",
            "1.36.0rc1",
            "0"));
  }

  /** osv-scalibr's PyPI cases; the legacy versions packaging no longer accepts must be rejected. */
  @TestFactory
  Stream<DynamicTest> osvScalibrPypiFixtures_agree() {
    return operatorLines(
        "osv-scalibr-semantic/pypi-versions.txt",
        30,
        PYPI,
        Set.of(
            "0.1-bulbasaur",
            "0.1-charmander",
            "0.9-doduo",
            "0.9-eevee",
            "0.9-fearow",
            "0.9-gyarados",
            "0.9-horsea",
            "0.9-ivysaur",
            "-class.-jw.util.version.version-pre",
            "-class.-jw.util.version.version-preview",
            "-class.-jw.util.version.version-dev"));
  }

  /** node-semver's comparison and equality fixtures, strict and loose, in the npm scheme. */
  @TestFactory
  Stream<DynamicTest> nodeSemverFixtures_agree() {
    Path file = ConformanceData.require("node-semver/semver-comparisons-derived.tsv");
    List<String> lines = rawDataLines(file);
    assertTrue(lines.size() >= 60, "expected node-semver's 68 cases, found " + lines.size());
    return lines.stream()
        .map(
            line ->
                DynamicTest.dynamicTest(
                    line,
                    () -> {
                      String[] f = line.split("\t");
                      assertEquals(4, f.length, line);
                      assertOrder(NPM, f[0], f[2], operator(f[1], line));
                    }));
  }

  /** packaging's sorted list of PEP 440 versions: each sorts strictly before the next. */
  @TestFactory
  Stream<DynamicTest> pypaSortedVersions_strictlyAscend() {
    List<String> versions =
        ConformanceData.dataLines(
            ConformanceData.require("pypa-packaging/pep440-sorted-versions-derived.txt"));
    assertTrue(versions.size() >= 90, "expected 92 versions, found " + versions.size());
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i + 1 < versions.size(); i++) {
      String a = versions.get(i);
      String b = versions.get(i + 1);
      tests.add(DynamicTest.dynamicTest(a + " < " + b, () -> assertOrder(PYPI, a, b, -1)));
    }
    // Transitivity over the whole list, not only neighbours.
    tests.add(
        DynamicTest.dynamicTest(
            "every earlier version sorts before every later one",
            () -> {
              for (int i = 0; i < versions.size(); i++) {
                for (int j = i + 1; j < versions.size(); j++) {
                  assertEquals(-1, PYPI.compare(versions.get(i), versions.get(j)));
                }
              }
            }));
    return tests.stream();
  }

  /**
   * apk-tools' own version.data: {@code a op b} comparisons, bare valid versions and {@code !ver}
   * invalid ones. Its fuzzy operators ({@code ~}, {@code <~}, {@code !~}) are dependency-constraint
   * matches, not orderings, and are counted and left out; the one comparison apk-tools makes by
   * string fallback on an invalid version ({@code 1.0bc}) must be rejected here.
   */
  @TestFactory
  Stream<DynamicTest> apkToolsVersionData_agree() {
    Path file = ConformanceData.require("apk-tools-version/version.data");
    List<String> lines = new ArrayList<>();
    for (String raw : ConformanceData.dataLines(file)) {
      int hash = raw.indexOf('#');
      String line = (hash < 0 ? raw : raw.substring(0, hash)).strip();
      if (!line.isEmpty()) {
        lines.add(line);
      }
    }
    long fuzzy =
        lines.stream()
            .filter(l -> l.split(" ").length == 3 && l.split(" ")[1].contains("~"))
            .count();
    assertEquals(16, fuzzy, "fuzzy-match lines left out");
    assertTrue(lines.size() >= 780, "expected about 785 lines, found " + lines.size());
    return lines.stream()
        .filter(l -> !(l.split(" ").length == 3 && l.split(" ")[1].contains("~")))
        .map(
            line ->
                DynamicTest.dynamicTest(
                    line,
                    () -> {
                      String[] f = line.split(" ");
                      if (f.length == 1) {
                        if (f[0].startsWith("!")) {
                          assertThrows(
                              IllegalArgumentException.class,
                              () -> APK.validate(f[0].substring(1)),
                              f[0]);
                        } else {
                          APK.validate(f[0]);
                        }
                        return;
                      }
                      assertEquals(3, f.length, line);
                      if (rejectedAsExpected(APK, APK_INVALID, f[0], f[2])) {
                        return;
                      }
                      assertOrder(APK, f[0], f[2], operator(f[1], line));
                    }));
  }

  private static Stream<DynamicTest> operatorLines(
      String relative, int atLeast, VersionScheme scheme, Set<String> rejected) {
    List<String> lines = ConformanceData.dataLines(ConformanceData.require(relative));
    assertTrue(lines.size() >= atLeast, "expected " + atLeast + "+ cases, found " + lines.size());
    return lines.stream()
        .map(
            line ->
                DynamicTest.dynamicTest(
                    line,
                    () -> {
                      String[] f = line.split(" ");
                      assertEquals(3, f.length, "line '" + line + "'");
                      if (rejectedAsExpected(scheme, rejected, f[0], f[2])) {
                        return;
                      }
                      assertOrder(scheme, f[0], f[2], operator(f[1], line));
                    }));
  }

  /**
   * Whether a line holds a version the scheme rejects on purpose; then checks that it is rejected
   * with a message naming it. Every other version on the line must be valid.
   */
  private static boolean rejectedAsExpected(
      VersionScheme scheme, Set<String> rejected, String a, String b) {
    boolean any = false;
    for (String v : List.of(a, b)) {
      if (rejected.contains(v)) {
        any = true;
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> scheme.validate(v), v);
        String shown = v.length() > 70 ? v.substring(0, 70) : v;
        assertTrue(e.getMessage().contains(shown), e.getMessage());
      } else {
        scheme.validate(v);
      }
    }
    return any;
  }

  /** Lines without comments and blank lines, keeping leading spaces that node-semver tests. */
  private static List<String> rawDataLines(Path file) {
    List<String> out = new ArrayList<>();
    try {
      for (String line : java.nio.file.Files.readAllLines(file)) {
        if (!line.isBlank() && !line.startsWith("#")) {
          out.add(line);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  static int operator(String op, String line) {
    return switch (op) {
      case "<" -> -1;
      case "=" -> 0;
      case ">" -> 1;
      default -> throw new AssertionError("bad operator in '" + line + "'");
    };
  }

  static void assertOrder(VersionScheme scheme, String a, String b, int expected) {
    assertEquals(expected, scheme.compare(a, b), a + " vs " + b);
    assertEquals(-expected, scheme.compare(b, a), b + " vs " + a);
    assertEquals(
        expected == 0,
        scheme.normalize(a).equals(scheme.normalize(b)),
        "normal forms " + scheme.normalize(a) + ", " + scheme.normalize(b));
  }
}
