package org.cloudpatch.core.severity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Cvss3Test {

  @Test
  void networkUnauthenticatedFullImpact_is98Critical() {
    double score = Cvss3.baseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    assertEquals(9.8, score);
    assertEquals("CRITICAL", Cvss3.rating(score));
  }

  @Test
  void scopeChange_raisesToTen() {
    assertEquals(10.0, Cvss3.baseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"));
  }

  @Test
  void noImpact_isZero() {
    assertEquals(0.0, Cvss3.baseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"));
    assertEquals("NONE", Cvss3.rating(0.0));
  }

  @Test
  void metricsInAnyOrder_scoreTheSame() {
    assertEquals(
        Cvss3.baseScore("CVSS:3.0/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N"),
        Cvss3.baseScore("CVSS:3.0/S:U/AV:N/AC:L/PR:H/UI:N/C:L/I:L/A:N"));
  }

  @Test
  void malformedVectors_areRejectedWithTheReason() {
    assertThrows(IllegalArgumentException.class, () -> Cvss3.baseScore("CVSS:2.0/AV:N"));
    var missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> Cvss3.baseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H"));
    assertTrue(missing.getMessage().contains("missing base metric 'A'"));
    var duplicate =
        assertThrows(
            IllegalArgumentException.class,
            () -> Cvss3.baseScore("CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
    assertTrue(duplicate.getMessage().contains("duplicate metric 'AV'"));
    var unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> Cvss3.baseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y"));
    assertTrue(unknown.getMessage().contains("unknown metric 'XX'"));
    assertThrows(
        IllegalArgumentException.class,
        () -> Cvss3.baseScore("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
  }

  /** Every v3 vector of Red Hat's cvss library test data scores the base score it expects. */
  @Test
  void redHatConformanceVectors_baseScoresMatch() throws IOException {
    Path dir = ConformanceAccess.dir().resolve("redhat-cvss/tests");
    assumeTrue(Files.isDirectory(dir), "conformance data not found at " + dir);
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
        String scores = line.substring(line.indexOf('(') + 1, line.indexOf(')'));
        double expected = Double.parseDouble(scores.split(",")[0].strip());
        double actual = Cvss3.baseScore(vector);
        checked++;
        if (actual != expected) {
          failures.add(
              file + ":" + (i + 1) + " " + vector + " expected " + expected + " got " + actual);
        }
      }
    }
    assertTrue(checked > 2000, "checked " + checked);
    assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())));
  }
}
