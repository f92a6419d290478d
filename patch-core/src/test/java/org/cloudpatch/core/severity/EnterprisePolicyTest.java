package org.cloudpatch.core.severity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.SeverityScore;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.batch.ReadBatch;
import org.junit.jupiter.api.Test;

class EnterprisePolicyTest {
  private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");
  private static final String MEDIUM_V31 = "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N"; // 6.5

  private static Advisory advisory(String cve, String... vectors) {
    Advisory.Builder b =
        Advisory.builder()
            .id(AdvisoryId.of("A-1"))
            .source("T")
            .published(NOW)
            .modified(NOW)
            .summary("s")
            .addAliases(cve);
    for (String v : vectors) {
      b.addSeverities(SeverityScore.of(v.startsWith("CVSS:4") ? "CVSS_V4" : "CVSS_V3", v));
    }
    return b.build();
  }

  private static Asset asset(Asset.Criticality c, Asset.Exposure e) {
    return Asset.builder()
        .id(AssetId.of("vm-1"))
        .tenant(TenantId.of("acme"))
        .zone(ZoneId.of("UTC"))
        .platform(Platform.parse("Debian:12"))
        .criticality(c)
        .exposure(e)
        .build();
  }

  private static ThreatIntel intel(String kevDue, double epss) {
    return ThreatIntel.of(
        kevDue == null
            ? List.of()
            : List.of(
                KevEntry.builder()
                    .cve("CVE-2026-0001")
                    .vendorProject("v")
                    .product("p")
                    .dateAdded(LocalDate.parse("2026-02-20"))
                    .dueDate(LocalDate.parse(kevDue))
                    .knownRansomwareUse(false)
                    .build()),
        List.of(
            EpssScore.builder().cve("cve-2026-0001").probability(epss).percentile(0.9).build()));
  }

  @Test
  void cvssAlone_decidesByThreshold_andTheRuleSaysSo() {
    Assessment a =
        EnterprisePolicy.standard()
            .assess(advisory("CVE-2026-0001", MEDIUM_V31), ThreatIntel.none(), NOW);
    assertEquals(Priority.P3, a.priority());
    assertEquals(NOW.plus(Duration.ofDays(30)), a.due());
    assertTrue(a.rule().startsWith("CVSS 6.5 (MEDIUM) >= 4.0 -> P3"), a.rule());
  }

  @Test
  void kevMembership_makesItP1_dueNoLaterThanTheCatalog() {
    Assessment a =
        EnterprisePolicy.standard()
            .assess(advisory("CVE-2026-0001", MEDIUM_V31), intel("2026-03-02", 0.01), NOW);
    assertEquals(Priority.P1, a.priority());
    assertEquals(Instant.parse("2026-03-02T00:00:00Z"), a.due());
    assertTrue(a.rule().contains("CVE-2026-0001 is in CISA KEV -> P1"), a.rule());
    assertTrue(a.rule().contains("due by the KEV due date 2026-03-02"), a.rule());
  }

  @Test
  void epssAboveThreshold_beatsALowerCvssPriority_joinedByCveCaseInsensitively() {
    Assessment a =
        EnterprisePolicy.standard()
            .assess(advisory("CVE-2026-0001", MEDIUM_V31), intel(null, 0.7), NOW);
    assertEquals(Priority.P1, a.priority());
    assertTrue(a.rule().startsWith("EPSS 0.7 of cve-2026-0001 >= 0.5 -> P1"), a.rule());
  }

  @Test
  void criticalInternetFacingAsset_raisesByTwoLevels_lowCriticalityLowers() {
    EnterprisePolicy p = EnterprisePolicy.standard();
    Advisory adv = advisory("CVE-2026-0001", MEDIUM_V31);
    Assessment raised =
        p.assess(
            adv,
            Optional.of(asset(Asset.Criticality.CRITICAL, Asset.Exposure.INTERNET)),
            ThreatIntel.none(),
            Optional.empty(),
            NOW);
    assertEquals(Priority.P1, raised.priority());
    assertTrue(raised.rule().contains("raises it by 2 -> P1"), raised.rule());
    Assessment lowered =
        p.assess(
            adv,
            Optional.of(asset(Asset.Criticality.LOW, Asset.Exposure.INTERNAL)),
            ThreatIntel.none(),
            Optional.empty(),
            NOW);
    assertEquals(Priority.P4, lowered.priority());
  }

  @Test
  void ssvcDecision_decidesAlone() {
    Assessment a =
        EnterprisePolicy.standard()
            .assess(
                advisory("CVE-2026-0001", MEDIUM_V31),
                Optional.of(asset(Asset.Criticality.CRITICAL, Asset.Exposure.INTERNET)),
                intel(null, 0.9),
                Optional.of(SsvcDecision.parse("Defer")),
                NOW);
    assertEquals(Priority.P4, a.priority());
    assertTrue(a.rule().startsWith("SSVC deployer decision DEFER -> P4"), a.rule());
  }

  @Test
  void policyFromJson_overridesTheDefaults() {
    EnterprisePolicy p =
        EnterprisePolicy.fromJson(
            """
            {"timeToRemediate": {"P2": "P7D"},
             "cvss": [{"atLeast": 6.0, "priority": "P2"}, {"atLeast": 0, "priority": "P4"}],
             "kev": {"priority": null}, "assets": {"exposure": {"INTERNET": 0}},
             "ssvc": {"Out-of-Cycle": "P1"}}
            """);
    Advisory adv = advisory("CVE-2026-0001", MEDIUM_V31);
    Assessment a = p.assess(adv, intel("2026-12-01", 0.0), NOW);
    assertEquals(Priority.P2, a.priority());
    assertEquals(NOW.plus(Duration.ofDays(7)), a.due());
    assertEquals(
        Priority.P1,
        p.assess(
                adv,
                Optional.empty(),
                ThreatIntel.none(),
                Optional.of(SsvcDecision.OUT_OF_CYCLE),
                NOW)
            .priority());
  }

  @Test
  void badPolicy_isRejectedNamingTheJsonPointer() {
    for (String[] c :
        List.of(
            new String[] {
              "{\"cvss\": [{\"atLeast\": 11, \"priority\": \"P1\"}]}", "/cvss/0/atLeast"
            },
            new String[] {
              "{\"cvss\": [{\"atLeast\": 1, \"priority\": \"P9\"}]}", "/cvss/0/priority"
            },
            new String[] {"{\"timeToRemediate\": {\"P1\": \"3 days\"}}", "/timeToRemediate/P1"},
            new String[] {"{\"ssvc\": {\"Later\": \"P1\"}}", "/ssvc/Later"},
            new String[] {"{\"sevrity\": {}}", "/sevrity"})) {
      var e = assertThrows(IllegalArgumentException.class, () -> EnterprisePolicy.fromJson(c[0]));
      assertTrue(e.getMessage().contains(c[1]), e.getMessage());
    }
  }

  @Test
  void epssCsv_readsScoresAndDate_andQuarantinesBadLines() {
    ReadBatch<EpssScore> b =
        ThreatIntel.readEpss(
            stream(
                "#model_version:v2023.03.01,score_date:2025-02-20T00:00:00+0000\n"
                    + "cve,epss,percentile\nCVE-1999-0001,0.00383,0.73075\nCVE-1999-0002,x,0.1\n"
                    + "CVE-1999-0003,1.5,0.1\n"),
            "epss.csv");
    assertEquals(1, b.accepted().size());
    assertEquals(LocalDate.parse("2025-02-20"), b.accepted().get(0).scoreDate().orElseThrow());
    assertEquals(
        List.of("line 4", "line 5"), b.quarantined().stream().map(q -> q.position()).toList());
  }

  @Test
  void sharedKevCatalogAndEpssFixtures_readAndJoinByCve() throws IOException {
    Path dir = ConformanceAccess.dir();
    Path kev = dir.resolve("cisa-kev/known_exploited_vulnerabilities.json");
    Path epss = dir.resolve("vunnel/tests/unit/providers/epss/test-fixtures");
    assumeTrue(Files.exists(kev) && Files.exists(epss), "conformance data not found at " + dir);
    ReadBatch<KevEntry> catalog;
    try (InputStream in = Files.newInputStream(kev)) {
      catalog = ThreatIntel.readKev(in, kev.toString());
    }
    assertEquals(List.of(), catalog.quarantined());
    assertEquals(1404, catalog.accepted().size());
    ReadBatch<EpssScore> scores;
    try (InputStream in = Files.newInputStream(epss.resolve("example-1.csv"))) {
      scores = ThreatIntel.readEpss(in, "example-1.csv");
    }
    assertEquals(List.of(), scores.quarantined());
    try (InputStream in = Files.newInputStream(epss.resolve("invalid-header.csv"))) {
      assertTrue(
          ThreatIntel.readEpss(in, "invalid-header.csv")
              .quarantined()
              .get(0)
              .reason()
              .contains("header"));
    }
    ThreatIntel intel = ThreatIntel.of(catalog.accepted(), scores.accepted());
    assertEquals(
        LocalDate.parse("2025-09-15"), intel.kev("CVE-2025-48384").orElseThrow().dueDate());
    assertEquals(0.00383, intel.epss("CVE-1999-0001").orElseThrow().probability());
  }

  private static InputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }
}
