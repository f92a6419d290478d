package org.cloudpatch.audit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TenantId;
import org.junit.jupiter.api.Test;

/**
 * A report for one tenant never contains another tenant's assets or name, in any of its forms,
 * whatever the tenants are called; of the shared hosts it names only the tenant's own VMs.
 */
class TenantIsolationTest {
  @Test
  void reportForOneTenant_neverContainsAnotherTenantsAssets_forRandomTenantNames() {
    qt().withExamples(25)
        .forAll(
            lists()
                .of(strings().betweenCodePoints(0xA1, 0x24F).ofLengthBetween(1, 12))
                .ofSizeBetween(2, 5),
            integers().between(0, 1_000_000))
        .assuming((names, seed) -> names.stream().noneMatch(String::isBlank))
        .checkAssert(TenantIsolationTest::onlyItsOwn);
  }

  private static void onlyItsOwn(List<String> names, int seed) {
    List<TenantId> tenants = new ArrayList<>();
    new LinkedHashSet<>(names).forEach(n -> tenants.add(TenantId.of(n.strip())));
    if (new LinkedHashSet<>(tenants).size() < 2) {
      return;
    }
    // Latin-1 and Latin Extended letters and signs: no control character, which TenantId rejects.
    // Asset ids that name no tenant, so that finding one in a report can only mean a leak.
    // A shared cluster too: every host has VMs of several tenants; one is blocked by one of them.
    ComplianceInput in =
        Fleets.withHosts(
            Fleets.input(
                seed,
                90,
                tenants,
                (t, i) -> AssetId.of("vm-" + i + "-" + Integer.toHexString(seed))),
            3 + seed % 4);
    TenantId own = tenants.get(seed % tenants.size());
    ComplianceReport r = ComplianceReports.report(in, own);
    Set<String> foreign = new LinkedHashSet<>();
    in.assets().stream()
        .filter(a -> !a.asset().tenant().equals(own))
        .forEach(a -> foreign.add(a.asset().id().value()));
    List<String> outputs =
        List.of(
            ComplianceReports.json(r),
            ComplianceReports.csv(r),
            ComplianceReports.html(r),
            ComplianceReports.oscalAssessmentResults(r),
            ComplianceReports.oscalPoam(r));
    for (String out : outputs) {
      for (String id : foreign) {
        assertFalse(
            out.contains(id + ",")
                || out.contains(id + "\"")
                || out.contains(id + "<")
                || out.contains(id + " "),
            "another tenant's asset " + id + " in the report of " + own);
      }
    }
    assertTrue(r.assets().stream().allMatch(a -> a.tenant().equals(own)));
    assertEquals(in.hosts().size(), r.hosts().size(), "hosts are shared: all of them are listed");
    for (ComplianceReport.HostEvacuation h : r.hosts()) {
      h.migrations().forEach(m -> assertFalse(foreign.contains(m.vm().value()), m.toString()));
      h.blockingVms().forEach(v -> assertFalse(foreign.contains(v.value()), v.value()));
    }
    assertEquals(List.of(own), r.tenants().stream().map(t -> t.tenant()).toList());
    try {
      JsonNode json = ReportJson.MAPPER.readTree(ComplianceReports.json(r));
      for (JsonNode node : json.findValues("tenant")) {
        assertEquals(own.value(), node.asText());
      }
      for (JsonNode list : json.findValues("notifiedTenants")) {
        list.forEach(t -> assertEquals(own.value(), t.asText()));
      }
      JsonNode poam = ReportJson.MAPPER.readTree(ComplianceReports.oscalPoam(r));
      for (JsonNode prop : poam.findValues("props")) {
        for (JsonNode p : prop) {
          if (p.path("name").asText().equals("tenant")) {
            assertEquals(own.value(), p.path("value").asText());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String line : ComplianceReports.csv(r).split("\r\n")) {
      if (!line.startsWith("tenant,")) {
        assertTrue(line.startsWith(csvCell(own.value()) + ","), line);
      }
    }
    String html = ComplianceReports.html(r);
    for (TenantId t : tenants) {
      if (!t.equals(own)) {
        assertFalse(html.contains("<td>" + ReportHtml.esc(t.value()) + "</td>"), t.value());
      }
    }
  }

  private static String csvCell(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
