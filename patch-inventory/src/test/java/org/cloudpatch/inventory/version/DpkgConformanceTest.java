package org.cloudpatch.inventory.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.cloudpatch.inventory.ConformanceData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The Debian order against test vectors written by others; skipped when the data is absent. */
class DpkgConformanceTest {
  private static final VersionScheme DPKG = VersionSchemes.forEcosystem("Debian").orElseThrow();

  /** dpkg's own test vectors (scripts/t/Dpkg_Version.t): {@code v1 v2 result}. */
  @TestFactory
  Stream<DynamicTest> dpkgTestVectors_agree() {
    Path file = ConformanceData.require("dpkg-version-tests/Dpkg_Version-DATA-derived.txt");
    List<String> lines = ConformanceData.dataLines(file);
    assertTrue(lines.size() >= 40, "expected dpkg's 43 cases, found " + lines.size());
    return lines.stream()
        .map(
            line ->
                DynamicTest.dynamicTest(
                    line,
                    () -> {
                      String[] f = line.split("\\s+");
                      assertEquals(3, f.length, "line '" + line + "'");
                      assertOrder(f[0], f[1], Integer.parseInt(f[2]));
                    }));
  }

  /** osv-scalibr's Debian fixtures: {@code A OP B} with OP in {@code < = >}. */
  @TestFactory
  Stream<DynamicTest> osvScalibrDebianFixtures_agree() {
    Path file = ConformanceData.require("osv-scalibr-semantic/debian-versions.txt");
    List<String> lines = ConformanceData.dataLines(file);
    assertTrue(lines.size() >= 25, "expected about 30 cases, found " + lines.size());
    return lines.stream()
        .map(
            line ->
                DynamicTest.dynamicTest(
                    line,
                    () -> {
                      String[] f = line.split("\\s+");
                      assertEquals(3, f.length, "line '" + line + "'");
                      int expected =
                          switch (f[1]) {
                            case "<" -> -1;
                            case "=" -> 0;
                            case ">" -> 1;
                            default -> throw new AssertionError("bad operator in '" + line + "'");
                          };
                      assertOrder(f[0], f[2], expected);
                    }));
  }

  /**
   * Every fixed version the Debian security tracker recorded in 2002–2023 parses, except one entry
   * where the tracker recorded a package name instead of a version (the data error the strict
   * parser exists to catch).
   */
  @Test
  void securityTrackerFixedVersions_allParse() throws IOException {
    Path dir = ConformanceData.require("debian-security-tracker");
    int parsed = 0;
    TreeSet<String> rejected = new TreeSet<>();
    for (String name : List.of("DSA-list", "DLA-list")) {
      Path file = dir.resolve(name);
      if (!Files.exists(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
        // "\t[release] - package version"; <not-affected> and friends are not versions.
        String[] f = line.strip().split("\\s+");
        if (!line.startsWith("\t[") || f.length < 4 || !f[1].equals("-") || f[3].startsWith("<")) {
          continue;
        }
        if (DebianVersion.isValid(f[3])) {
          parsed++;
        } else {
          rejected.add(f[3]);
        }
      }
    }
    assertTrue(parsed > 10_000, "parsed only " + parsed);
    assertEquals(new TreeSet<>(List.of("kernel-image-2.4.17-ia64")), rejected);
  }

  private static void assertOrder(String a, String b, int expected) {
    assertEquals(expected, DPKG.compare(a, b), a + " vs " + b);
    assertEquals(-expected, DPKG.compare(b, a), b + " vs " + a);
    DebianVersion x = DebianVersion.parse(a);
    DebianVersion y = DebianVersion.parse(b);
    assertEquals(expected, Integer.signum(x.compareTo(y)));
    assertEquals(expected == 0, x.equals(y));
    if (expected == 0) {
      assertEquals(x.hashCode(), y.hashCode(), "equal versions hash alike: " + a + ", " + b);
    }
  }
}
