package org.cloudpatch.audit.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.TenantId;
import org.junit.jupiter.api.Test;

/**
 * The host remediation part of the report: skipped hosts first, naming the VM that blocked each;
 * each host's evacuation collapsed with its migrations; escaped; and scoped per tenant so that no
 * other tenant's VM is named.
 */
class HostEvacuationReportTest {
  private static final List<TenantId> TENANTS = List.of(TenantId.of("acme"), TenantId.of("globex"));

  private static ComplianceInput cluster(int vms, int hosts) {
    return Fleets.withHosts(Fleets.input(11, vms, TENANTS), hosts);
  }

  /** The page's entry for one host: its collapsed details element. */
  private static String entry(String html, HostId host) {
    int start = html.indexOf("<details class=\"host\" id=\"host-" + host.value() + "\"");
    assertTrue(start >= 0, "no entry for " + host);
    return html.substring(start, html.indexOf("</details>", start));
  }

  @Test
  void skippedHost_isListedFirst_namingTheVmThatBlockedIt() {
    ComplianceInput in = cluster(60, 5);
    AssetId blocker = in.hosts().get(0).blockingVms().get(0);
    String html = ComplianceReports.html(ComplianceReports.report(in));
    String skipped =
        html.substring(html.indexOf("id=\"hosts-skipped\""), html.indexOf("id=\"host-list\""));
    assertTrue(skipped.contains("<b>host-00</b>"), skipped);
    assertTrue(skipped.contains("<b>" + blocker.value() + "</b>"), "names the blocking VM");
    assertTrue(skipped.contains("cannot be live-migrated: " + blocker.value()), "and the reason");
    assertTrue(skipped.contains("<b>host-01</b>") && skipped.contains("unverified"), skipped);
    assertFalse(skipped.contains("host-02"), "a patched host is not among the skipped");
    assertTrue(
        html.indexOf("id=\"host-host-00\"") < html.indexOf("id=\"host-host-02\"")
            && html.indexOf("id=\"host-host-01\"") < html.indexOf("id=\"host-host-02\""),
        "hosts not patched come first in the list too");
    assertTrue(
        html.contains(
            "<p id=\"hosts-summary\"><b>5 hosts: 3 patched, 1 skipped, 1 unverified</b> · 48 VMs"
                + " live-migrated"),
        html.substring(html.indexOf("id=\"hosts\"")));
    assertTrue(html.contains("5 hosts: 3 patched, 1 skipped, 1 unverified</a>"), "in the header");
  }

  @Test
  void eachHost_isCollapsed_withWhenItWasInMaintenance_andWhichVmWentWhereWhen() {
    ComplianceInput in = cluster(60, 5);
    String html = ComplianceReports.html(ComplianceReports.report(in));
    assertEquals(5, count(html, "<details class=\"host\""));
    assertFalse(html.contains("<details open"), "collapsed");
    HostEvacuationFact fact = in.hosts().get(2);
    String e = entry(html, fact.host());
    assertTrue(e.contains("maintenance 2026-03-12 02:00:00Z → 2026-03-12 02:35:00Z"), e);
    assertTrue(e.contains("patched 2026-03-12 02:30:00Z · 12 VMs moved</summary>"), e);
    assertEquals(12, fact.migrations().size());
    for (HostEvacuationFact.Migration m : fact.migrations()) {
      assertTrue(
          e.contains(
              "<tr><td>"
                  + m.at().toString().replace("T", " ")
                  + "</td><td>"
                  + m.vm().value()
                  + "</td><td>host-02</td><td>host-03</td></tr>"),
          m.toString());
    }
    assertTrue(entry(html, HostId.of("host-00")).contains("No VM was migrated off it."));
  }

  @Test
  void fortyHostsWithTwentyFiveMigrationsEach_stayCollapsed_andThePageSmall() {
    ComplianceInput in = cluster(1000, 40);
    String html = ComplianceReports.html(ComplianceReports.report(in));
    assertEquals(40, count(html, "<details class=\"host\""));
    Matcher rows =
        Pattern.compile("</td><td>host-\\d\\d</td><td>host-\\d\\d</td></tr>").matcher(html);
    int n = 0;
    while (rows.find()) {
      n++;
    }
    assertEquals(975, n, "39 drained hosts (one skipped) × 25 migrations, each a row");
    assertTrue(html.getBytes(UTF_8).length < 1_000_000, html.length() + " characters");
  }

  @Test
  void textFromTheHostAdapter_isEscaped() {
    HostId host = HostId.of("h<b>&\"1'");
    AssetId vm = AssetId.of("vm<script>alert(1)</script>");
    ComplianceInput in =
        ComplianceInput.builder()
            .from(Fleets.input(6, 30, TENANTS))
            .addHosts(
                HostEvacuationFact.builder()
                    .host(host)
                    .outcome(HostEvacuationFact.Outcome.SKIPPED)
                    .addBlockingVms(vm)
                    .reason("pinned: <img src=x onerror=alert(1)>")
                    .build(),
                HostEvacuationFact.builder()
                    .host(HostId.of("ok"))
                    .outcome(HostEvacuationFact.Outcome.PATCHED)
                    .enteredMaintenance(Fleets.AS_OF.minusSeconds(600))
                    .addMigrations(
                        HostEvacuationFact.Migration.of(Fleets.AS_OF.minusSeconds(500), vm, host))
                    .patched(Fleets.AS_OF.minusSeconds(300))
                    .exitedMaintenance(Fleets.AS_OF.minusSeconds(200))
                    .build())
            .build();
    String html = ComplianceReports.html(ComplianceReports.report(in));
    assertFalse(html.contains("<script"), "a VM id is text, not markup");
    assertFalse(html.contains("<img"), "a reason is text, not markup");
    assertFalse(html.contains("h<b>"), "a host id is text, not markup");
    assertTrue(html.contains("id=\"host-h&lt;b&gt;&amp;&quot;1&#39;\""), "escaped in attributes");
    assertTrue(html.contains("<b>vm&lt;script&gt;alert(1)&lt;/script&gt;</b>"), "names the VM");
    assertTrue(html.contains("pinned: &lt;img src=x onerror=alert(1)&gt;"));
  }

  @Test
  void withoutHostRemediation_thePageSaysSo() {
    String html = ComplianceReports.html(ComplianceReports.report(Fleets.input(6, 30, TENANTS)));
    assertTrue(html.contains("No host remediation in this period."));
    assertFalse(html.contains("hosts-summary"));
    assertFalse(html.contains("href=\"#hosts\""), "the header does not mention hosts");
  }

  @Test
  void tenantReport_namesOnlyItsOwnVms_countsTheOthers_andWithholdsAReasonNamingAnother() {
    ComplianceInput in = cluster(60, 5);
    AssetId blocker = in.hosts().get(0).blockingVms().get(0);
    TenantId blockersTenant = tenantOf(in, blocker);
    TenantId other = TENANTS.stream().filter(t -> !t.equals(blockersTenant)).findFirst().get();

    ComplianceReport own = ComplianceReports.report(in, blockersTenant);
    assertEquals(List.of(blocker), own.hosts().get(0).blockingVms());
    assertTrue(own.hosts().get(0).reason().orElseThrow().contains(blocker.value()));

    ComplianceReport r = ComplianceReports.report(in, other);
    assertEquals(5, r.hosts().size(), "hosts are shared: every host is listed");
    ComplianceReport.HostEvacuation skipped = r.hosts().get(0);
    assertEquals(List.of(), skipped.blockingVms());
    assertEquals(1, skipped.otherBlockingVms());
    assertTrue(skipped.reason().isEmpty(), "the reason names the other tenant's VM");
    Set<AssetId> foreign = new TreeSet<>();
    in.assets().stream()
        .filter(a -> !a.asset().tenant().equals(other))
        .forEach(a -> foreign.add(a.asset().id()));
    for (int h = 0; h < 5; h++) {
      HostEvacuationFact fact = in.hosts().get(h);
      ComplianceReport.HostEvacuation seen = r.hosts().get(h);
      long theirs = fact.migrations().stream().filter(m -> foreign.contains(m.vm())).count();
      assertEquals(theirs, seen.otherMigrations(), fact.host().value());
      assertEquals(fact.migrations().size(), seen.totalMigrations());
      assertTrue(seen.migrations().stream().noneMatch(m -> foreign.contains(m.vm())));
    }
    String html = ComplianceReports.html(r);
    String json = ComplianceReports.json(r);
    for (AssetId id : foreign) {
      assertFalse(html.contains(id.value()), id + " of another tenant in the page");
      assertFalse(json.contains(id.value()), id + " of another tenant in the JSON");
    }
    String list = html.substring(html.indexOf("id=\"hosts-skipped\""));
    assertTrue(list.contains("1 VM of another tenant"), list);
    assertTrue(list.contains("withheld: it names a VM of another tenant"), list);
    assertTrue(
        entry(html, HostId.of("host-02")).contains(" VMs of other tenants migrated off it"),
        "counted, not named");
  }

  @Test
  void json_carriesEachHost_withItsMigrationsAndBlockers() throws Exception {
    ComplianceInput in = cluster(60, 5);
    JsonNode hosts =
        ReportJson.MAPPER
            .readTree(ComplianceReports.json(ComplianceReports.report(in)))
            .get("hosts");
    assertEquals(5, hosts.size());
    assertEquals("SKIPPED", hosts.get(0).get("outcome").asText());
    assertEquals(
        in.hosts().get(0).blockingVms().get(0).value(),
        hosts.get(0).get("blockingVms").get(0).asText());
    HostEvacuationFact.Migration first = in.hosts().get(2).migrations().get(0);
    JsonNode move = hosts.get(2).get("evacuated").get(0);
    assertEquals(first.vm().value(), move.get("vm").asText());
    assertEquals("host-03", move.get("to").asText());
    assertEquals(first.at(), Instant.parse(move.get("at").asText()));
  }

  @Test
  void facts_thatContradictThemselves_areRejected() {
    HostEvacuationFact.Builder skippedWithoutReason =
        HostEvacuationFact.builder()
            .host(HostId.of("host-01"))
            .outcome(HostEvacuationFact.Outcome.SKIPPED);
    assertThrows(IllegalStateException.class, skippedWithoutReason::build);
    HostEvacuationFact.Builder blockedButPatched =
        HostEvacuationFact.builder()
            .host(HostId.of("host-01"))
            .outcome(HostEvacuationFact.Outcome.PATCHED)
            .addBlockingVms(AssetId.of("vm-1"));
    assertThrows(IllegalStateException.class, blockedButPatched::build);
    HostEvacuationFact notPatched =
        HostEvacuationFact.builder()
            .host(HostId.of("host-01"))
            .outcome(HostEvacuationFact.Outcome.NOT_PATCHED)
            .build();
    ComplianceInput.Builder twice =
        ComplianceInput.builder()
            .from(Fleets.input(6, 10, TENANTS))
            .addHosts(notPatched, notPatched);
    IllegalStateException e = assertThrows(IllegalStateException.class, twice::build);
    assertTrue(e.getMessage().contains("host-01"), e.getMessage());
  }

  private static TenantId tenantOf(ComplianceInput in, AssetId vm) {
    return in.assets().stream()
        .filter(a -> a.asset().id().equals(vm))
        .findFirst()
        .orElseThrow()
        .asset()
        .tenant();
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
