package org.cloudpatch.core.severity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.SeverityScore;
import org.junit.jupiter.api.Test;

class SeverityPolicyTest {
  private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");

  private static Advisory withVectors(String... vectors) {
    Advisory.Builder b =
        Advisory.builder()
            .id(AdvisoryId.of("A-1"))
            .source("T")
            .published(NOW)
            .modified(NOW)
            .summary("s");
    for (String v : vectors) {
      b.addSeverities(SeverityScore.of(v.startsWith("CVSS:4") ? "CVSS_V4" : "CVSS_V3", v));
    }
    return b.build();
  }

  @Test
  void criticalScore_isP1DueInThreeDays_andSaysWhichRuleDecided() {
    Assessment a =
        SeverityPolicy.standard()
            .assess(withVectors("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), NOW);
    assertEquals(Priority.P1, a.priority());
    assertEquals(NOW.plus(Duration.ofDays(3)), a.due());
    assertTrue(a.rule().contains("9.8"), a.rule());
  }

  @Test
  void highestScorableVector_wins_andBadVectorsAreIgnored() {
    Assessment a =
        SeverityPolicy.standard()
            .assess(
                withVectors(
                    "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N",
                    "CVSS:3.1/garbage",
                    "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N"),
                NOW);
    assertEquals(6.5, a.score().orElseThrow());
    assertEquals(Priority.P3, a.priority());
  }

  @Test
  void noScorableVector_getsTheDefaultPriority() {
    Assessment a = SeverityPolicy.standard().assess(withVectors(), NOW);
    assertEquals(Priority.P3, a.priority());
    assertTrue(a.score().isEmpty());
  }

  @Test
  void timeToRemediate_canBeChangedPerPriority() {
    Assessment a =
        SeverityPolicy.standard()
            .withTimeToRemediate(Priority.P1, Duration.ofHours(24))
            .assess(withVectors("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), NOW);
    assertEquals(NOW.plus(Duration.ofHours(24)), a.due());
  }

  @Test
  void enterprisePolicyBehindTheEnginesSeverityPolicy_usesTheThreatIntelSuppliedAtEachAssessment() {
    java.util.concurrent.atomic.AtomicReference<ThreatIntel> intel =
        new java.util.concurrent.atomic.AtomicReference<>(ThreatIntel.none());
    SeverityPolicy p = SeverityPolicy.of(EnterprisePolicy.standard(), intel::get);
    Advisory medium =
        Advisory.builder()
            .from(withVectors("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N"))
            .addAliases("CVE-2026-0009")
            .build();
    assertEquals(Priority.P3, p.assess(medium, NOW).priority());
    intel.set(
        ThreatIntel.of(
            java.util.List.of(),
            java.util.List.of(
                EpssScore.builder()
                    .cve("CVE-2026-0009")
                    .probability(0.9)
                    .percentile(0.99)
                    .build())));
    Assessment a = p.assess(medium, NOW);
    assertEquals(Priority.P1, a.priority());
    assertTrue(a.rule().startsWith("EPSS 0.9"), a.rule());
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalStateException.class, () -> p.withTimeToRemediate(Priority.P1, Duration.ofDays(1)));
  }
}
