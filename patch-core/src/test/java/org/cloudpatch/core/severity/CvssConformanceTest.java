package org.cloudpatch.core.severity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Scores every CVSS 3.x and 4.0 vector of the shared third-party data exactly as expected. */
class CvssConformanceTest {
  private static Path data(String relative) {
    Path p = ConformanceAccess.dir().resolve(relative);
    assumeTrue(Files.exists(p), "conformance data not found at " + p);
    return p;
  }

  /** Red Hat's v3 files: {@code VECTOR - (base, temporal, environmental)}. */
  @Test
  void redHatV3Vectors_baseTemporalAndEnvironmentalScoresMatch() throws IOException {
    Path dir = data("redhat-cvss/tests");
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (String file :
        List.of("vectors_simple3", "vectors_simple31", "vectors_calculator3", "vectors_cvsslib3")) {
      List<String> lines = Files.readAllLines(dir.resolve(file));
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty()) {
          continue;
        }
        String vector = line.substring(0, line.indexOf(" - "));
        String[] expected = line.substring(line.indexOf('(') + 1, line.indexOf(')')).split(",");
        Cvss3.Scores s = Cvss3.scores(vector);
        double[] actual = {s.base, s.temporal, s.environmental};
        for (int k = 0; k < 3; k++) {
          checked++;
          if (Double.parseDouble(expected[k].strip()) != actual[k]) {
            failures.add(
                file
                    + ":"
                    + (i + 1)
                    + " "
                    + vector
                    + " expected "
                    + List.of(expected)
                    + " got "
                    + actual[0]
                    + ", "
                    + actual[1]
                    + ", "
                    + actual[2]);
            break;
          }
        }
      }
    }
    assertTrue(checked > 15_000, "checked " + checked);
    assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())));
  }

  /** Red Hat's v4 files: {@code VECTOR - (score,)} or {@code VECTOR - score}, whole vector. */
  @Test
  void redHatV4Vectors_scoreOfTheWholeVectorMatches() throws IOException {
    Path dir = data("redhat-cvss/tests");
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (String file :
        List.of(
            "vectors_simple4", "vectors_security4", "vectors_supplemental4", "vectors_threat4")) {
      List<String> lines = Files.readAllLines(dir.resolve(file));
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty()) {
          continue;
        }
        String vector = line.substring(0, line.indexOf(" - "));
        String expected = line.substring(line.indexOf(" - ") + 3).replaceAll("[(),]", "").strip();
        double actual = Cvss.score(vector).score();
        checked++;
        if (Double.parseDouble(expected) != actual) {
          failures.add(
              file + ":" + (i + 1) + " " + vector + " expected " + expected + " got " + actual);
        }
      }
    }
    assertTrue(checked > 1_600, "checked " + checked);
    assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())));
  }

  /** All 104,976 CVSS 4.0 base vectors, scored by the FIRST calculator. */
  @Test
  void everyCvss40BaseVector_scoresAsTheFirstCalculator() throws IOException {
    Path file = data("cvss4-first-calculator-derived/cvss40-all-base-vectors.tsv.gz");
    List<String> failures = new ArrayList<>();
    int checked = 0;
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split("\t");
        CvssScore s = Cvss.score(f[0]);
        checked++;
        if (Double.parseDouble(f[1]) != s.score()
            || !f[2].equalsIgnoreCase(s.rating())
            || s.baseScore() != s.score()) {
          failures.add(line + " got " + s.score() + " " + s.rating());
        }
      }
    }
    assertEquals(104_976, checked);
    assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())));
  }
}
