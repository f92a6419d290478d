package org.cloudpatch.core.severity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CvssTest {
  private static final String V4_BASE =
      "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";

  @Test
  void cvss4BaseVector_isCvssB_withTheCalculatorsScore() {
    CvssScore s = Cvss.score(V4_BASE);
    assertEquals("4.0", s.version());
    assertEquals("CVSS-B", s.nomenclature());
    assertEquals(9.3, s.score());
    assertEquals(9.3, s.baseScore());
    assertEquals("CRITICAL", s.rating());
  }

  @Test
  void cvss4ThreatMetric_makesItCvssBT_andLowersTheScore() {
    CvssScore s = Cvss.score(V4_BASE + "/E:U");
    assertEquals("CVSS-BT", s.nomenclature());
    assertEquals(9.3, s.baseScore());
    assertTrue(s.score() < s.baseScore(), "unreported exploitation lowers " + s.score());
    CvssScore poc = Cvss.score(V4_BASE + "/E:P"); // the README's example
    assertEquals(8.9, poc.score());
    assertEquals("CVSS-BT", poc.nomenclature());
    assertEquals("HIGH", poc.rating());
  }

  @Test
  void cvss4EnvironmentalMetrics_makeItCvssBE_orCvssBTE() {
    assertEquals("CVSS-BE", Cvss.score(V4_BASE + "/MAV:L").nomenclature());
    assertEquals("CVSS-BTE", Cvss.score(V4_BASE + "/E:P/CR:L").nomenclature());
    // X means "not defined": it does not change the nomenclature.
    assertEquals("CVSS-B", Cvss.score(V4_BASE + "/E:X/MAV:X").nomenclature());
  }

  @Test
  void cvss4SupplementalMetrics_areKeptButDoNotChangeTheScore() {
    CvssScore s = Cvss.score(V4_BASE + "/S:P/AU:Y/R:I/V:C/RE:H/U:Red");
    assertEquals(9.3, s.score());
    assertEquals("CVSS-B", s.nomenclature());
    assertEquals("Red", s.metrics().get("U"));
  }

  @Test
  void cvss4SafetyOnlyAsModifiedSubsequentIntegrity() {
    assertEquals(10.0, Cvss.score(V4_BASE + "/MSI:S").score());
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> Cvss.score(V4_BASE.replace("SI:N", "SI:S")));
    assertTrue(e.getMessage().contains("metric SI cannot be 'S'"), e.getMessage());
  }

  @Test
  void cvss3MostSpecificScore_isEnvironmentalThenTemporalThenBase() {
    String base = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
    CvssScore b = Cvss.score(base);
    assertEquals("base", b.nomenclature());
    assertEquals(Optional.empty(), b.temporalScore());
    CvssScore t = Cvss.score(base + "/E:U/RL:O/RC:U");
    assertEquals("temporal", t.nomenclature());
    assertEquals(7.8, t.score()); // 9.8 x 0.91 x 0.95 x 0.92, rounded up
    CvssScore e = Cvss.score(base + "/E:U/RL:O/RC:U/CR:L/IR:L/AR:L");
    assertEquals("environmental", e.nomenclature());
    assertEquals(e.environmentalScore().orElseThrow(), e.score());
    assertTrue(e.score() < t.score());
  }

  @Test
  void cvss4MetricsInAnotherOrder_scoreTheSame() {
    assertEquals(
        Cvss.score(V4_BASE).score(),
        Cvss.score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/SC:N/VI:H/SI:N/VA:H/SA:N").score());
  }

  @Test
  void badVectors_areRejectedNamingTheReason() {
    assertReason("CVSS:2.0/AV:N", "not a CVSS 3.0, 3.1 or 4.0 vector");
    assertReason("AV:N/AC:L/Au:N/C:P/I:P/A:P", "not a CVSS 3.0, 3.1 or 4.0 vector");
    assertReason(V4_BASE.replace("/SA:N", ""), "missing base metric 'SA'");
    assertReason(V4_BASE + "/AV:L", "duplicate metric 'AV'");
    assertReason(V4_BASE + "/XX:Y", "unknown metric 'XX'");
    assertReason(V4_BASE + "/E:Q", "metric E cannot be 'Q'");
    assertReason(V4_BASE + "/", "malformed metric ''");
    assertReason(V4_BASE + "/E", "malformed metric 'E'");
    assertReason(V4_BASE.replace("AV:N", "AV:N:N"), "malformed metric 'AV:N:N'");
  }

  private static void assertReason(String vector, String reason) {
    var e = assertThrows(IllegalArgumentException.class, () -> Cvss.score(vector));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }
}
