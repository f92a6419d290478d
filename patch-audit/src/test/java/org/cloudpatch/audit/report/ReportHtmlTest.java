package org.cloudpatch.audit.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cloudpatch.core.TenantId;
import org.junit.jupiter.api.Test;

class ReportHtmlTest {
  private static final List<TenantId> TENANTS =
      List.of(TenantId.of("acme"), TenantId.of("globex"), TenantId.of("initech"));

  @Test
  void page_atTenThousandVms_staysUnderOneMegabyte_whileTheCsvListsEveryVm() {
    ComplianceReport r = ComplianceReports.report(Fleets.input(10, 10_000, TENANTS));
    byte[] html = ComplianceReports.html(r).getBytes(UTF_8);
    assertTrue(html.length < 1_000_000, "report.html is " + html.length + " bytes");
    String csv = ComplianceReports.csv(r);
    for (int i = 1; i <= 10_000; i++) {
      assertTrue(csv.contains(String.format(",vm-%05d,", i)), "vm " + i + " missing from the CSV");
    }
  }

  @Test
  void page_isSelfContained_noScriptNoExternalAsset() {
    String html = ComplianceReports.html(ComplianceReports.report(Fleets.input(4, 400, TENANTS)));
    for (String banned :
        List.of("<script", "<link", "src=", "url(", "@import", "http:", "https:")) {
      assertFalse(html.contains(banned), "page contains " + banned);
    }
  }

  @Test
  void page_hasTheAnswer_threeCharts_andThePerAdvisoryTable() {
    ComplianceReport r = ComplianceReports.report(Fleets.input(4, 400, TENANTS));
    String html = ComplianceReports.html(r);
    assertTrue(html.contains("Have all VMs that require the update been patched?"));
    assertTrue(html.contains(ReportHtml.esc(r.answer().patchedAnswer())));
    assertTrue(html.contains(ReportHtml.esc(r.answer().validationAnswer())));
    for (String id : List.of("chart-history", "chart-overdue", "chart-ttr")) {
      assertTrue(html.contains("id=\"" + id + "\""), id);
    }
    assertEquals(3, count(html, "<polyline"), "one line per tenant");
    for (ComplianceReport.AdvisoryStatus a : r.advisories()) {
      assertTrue(html.contains("<b>" + a.advisory().value() + "</b>"), a.advisory().value());
    }
    assertTrue(html.contains("CR0000001"), "changes and their windows are shown");
    assertTrue(html.contains("team-web"), "resolver groups are shown");
  }

  @Test
  void everySuspendedOffHeldOrRevertedVm_isListedOnThePage() {
    ComplianceReport r = ComplianceReports.report(Fleets.input(5, 600, TENANTS));
    String html = ComplianceReports.html(r);
    String attention =
        html.substring(html.indexOf("id=\"attention\""), html.indexOf("VMs not compliant"));
    List<ComplianceReport.AssetStatus> expected =
        r.assets().stream().filter(ComplianceReport.AssetStatus::needsAttention).toList();
    assertFalse(expected.isEmpty());
    assertTrue(expected.size() <= ReportHtml.MAX_ROWS, "the fixture fits on one page");
    for (ComplianceReport.AssetStatus a : expected) {
      assertTrue(attention.contains("<td>" + a.asset().value() + "</td>"), a.asset().value());
    }
  }

  @Test
  void textFromTheInput_isEscaped() {
    ComplianceInput in =
        ComplianceInput.builder()
            .from(Fleets.input(6, 30, List.of(TenantId.of("a<b>&\"c"))))
            .title("<script>alert(1)</script>")
            .build();
    String html = ComplianceReports.html(ComplianceReports.report(in));
    assertFalse(html.contains("<script>"));
    assertFalse(html.contains("a<b>"));
    assertTrue(html.contains("a&lt;b&gt;&amp;&quot;c"));
  }

  private static int count(String s, String needle) {
    Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(s);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
