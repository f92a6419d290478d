package org.cloudpatch.audit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cloudpatch.audit.report.ComplianceReport.AssetAdvisory;
import org.cloudpatch.audit.report.ComplianceReport.AssetStatus;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.process.RiskItem;
import org.cloudpatch.core.process.TrackingItem;
import org.cloudpatch.core.process.TrackingItem.ItemState;
import org.cloudpatch.core.process.TrackingRecord;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.severity.Priority;
import org.junit.jupiter.api.Test;

class ComplianceReportsTest {
  private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
  private static final Instant AS_OF = T0.plus(Duration.ofDays(20));
  private static final TenantId ACME = TenantId.of("acme");
  private static final AdvisoryId DSA = AdvisoryId.of("DSA-5600-1");
  private static final TrackingId TR = TrackingId.of("TR-00001");

  private static Asset vm(String id, Asset.PowerState power) {
    return Asset.builder()
        .id(AssetId.of(id))
        .tenant(ACME)
        .zone(ZoneId.of("Europe/Berlin"))
        .platform(Platform.parse("Debian:12"))
        .powerState(power)
        .build();
  }

  private static TrackingItem item(String vm, ItemState state, int attempts) {
    return TrackingItem.builder()
        .asset(AssetId.of(vm))
        .state(state)
        .attempts(attempts)
        .verifiedVersion(
            state == ItemState.VERIFIED ? Optional.of("3.0.15-1~deb12u1") : Optional.empty())
        .build();
  }

  private static TrackingRecord record(Instant due, TrackingItem... items) {
    TrackingRecord.Builder b =
        TrackingRecord.builder()
            .id(TR)
            .advisory(DSA)
            .tenant(ACME)
            .resolverGroup("team-web")
            .priority(Priority.P2)
            .due(due)
            .timingMode(TimingMode.LOCAL_TIME)
            .opened(T0)
            .status(TrackingRecord.Status.OPEN);
    for (TrackingItem i : items) {
      b.putItems(i.asset(), i);
    }
    return b.build();
  }

  private static RiskItem risk(String vm, Instant expires) {
    return RiskItem.builder()
        .id("RISK-0001")
        .record(TR)
        .asset(AssetId.of(vm))
        .addAdvisories(DSA)
        .owner("team-web")
        .reason("rolled back twice")
        .opened(T0.plus(Duration.ofDays(2)))
        .expires(expires)
        .build();
  }

  private static AssetAdvisory pair(ComplianceReport r, String vm) {
    return r.assets().stream()
        .filter(a -> a.asset().value().equals(vm))
        .findFirst()
        .orElseThrow()
        .advisories()
        .get(0);
  }

  @Test
  void answer_namesSuspendedPoweredOffAndRevertedVms_evenCompliantOrUntouchedOnes()
      throws Exception {
    ComplianceInput in =
        ComplianceInput.builder()
            .asOf(AS_OF)
            .addAssets(
                AssetFacts.of(vm("vm-run", Asset.PowerState.RUNNING)),
                AssetFacts.of(vm("vm-sleep", Asset.PowerState.SUSPENDED)),
                AssetFacts.of(vm("vm-off", Asset.PowerState.STOPPED)),
                AssetFacts.builder()
                    .asset(vm("vm-back", Asset.PowerState.RUNNING))
                    .reverted(true)
                    .build(),
                // not applicable to any advisory, and still named: nothing is passed over
                AssetFacts.of(vm("vm-idle", Asset.PowerState.STOPPED)))
            .addRecords(
                record(
                    AS_OF.plus(Duration.ofDays(1)),
                    item("vm-run", ItemState.VERIFIED, 1),
                    item("vm-sleep", ItemState.DEFERRED, 0),
                    item("vm-off", ItemState.VERIFIED, 1),
                    item("vm-back", ItemState.VERIFIED, 1)))
            .build();

    ComplianceReport r = ComplianceReports.report(in);
    ComplianceReport.Answer a = r.answer();

    assertEquals(List.of(AssetId.of("vm-sleep")), a.suspended());
    assertEquals(List.of(AssetId.of("vm-idle"), AssetId.of("vm-off")), a.poweredOff());
    assertEquals(List.of(AssetId.of("vm-back")), a.reverted());
    assertTrue(a.patchedAnswer().contains("1 suspended: vm-sleep"), a.patchedAnswer());
    assertTrue(a.patchedAnswer().contains("2 powered off: vm-idle, vm-off"), a.patchedAnswer());
    assertTrue(a.patchedAnswer().contains("1 reverted to a snapshot: vm-back"), a.patchedAnswer());
    com.fasterxml.jackson.databind.JsonNode json =
        ReportJson.MAPPER.readTree(ComplianceReports.json(r)).path("answer");
    assertEquals("[\"vm-sleep\"]", json.path("suspended").toString());
    assertEquals("[\"vm-idle\",\"vm-off\"]", json.path("poweredOff").toString());
    assertEquals("[\"vm-back\"]", json.path("reverted").toString());
    assertTrue(ComplianceReports.html(r).contains("vm-sleep"));
  }

  @Test
  void answer_ofAFleetThatAllRuns_namesNone() {
    ComplianceReport r =
        ComplianceReports.report(
            ComplianceInput.builder()
                .asOf(AS_OF)
                .addAssets(AssetFacts.of(vm("vm-run", Asset.PowerState.RUNNING)))
                .addRecords(
                    record(AS_OF.plus(Duration.ofDays(1)), item("vm-run", ItemState.VERIFIED, 1)))
                .build());

    assertEquals(List.of(), r.answer().suspended());
    assertEquals(List.of(), r.answer().poweredOff());
    assertEquals(List.of(), r.answer().reverted());
    assertEquals(
        "Yes: all 1 VMs that require an update are patched (1 VMs in scope).",
        r.answer().patchedAnswer());
  }

  @Test
  void eachItemState_mapsToItsComplianceStatus() {
    ComplianceInput in =
        ComplianceInput.builder()
            .asOf(AS_OF)
            .addAssets(
                AssetFacts.of(vm("ok", Asset.PowerState.RUNNING)),
                AssetFacts.builder()
                    .asset(vm("reboot", Asset.PowerState.RUNNING))
                    .pendingReboot(true)
                    .build(),
                AssetFacts.of(vm("excepted", Asset.PowerState.RUNNING)),
                AssetFacts.of(vm("failed", Asset.PowerState.RUNNING)),
                AssetFacts.of(vm("missing", Asset.PowerState.RUNNING)),
                AssetFacts.of(vm("untouched", Asset.PowerState.RUNNING)))
            .addRecords(
                record(
                    AS_OF.plus(Duration.ofDays(1)),
                    item("ok", ItemState.VERIFIED, 1),
                    item("reboot", ItemState.VERIFIED, 1),
                    item("excepted", ItemState.RISK_ACCEPTED, 2),
                    item("failed", ItemState.PLANNED, 1),
                    item("missing", ItemState.AFFECTED, 0)))
            .addRisks(risk("excepted", AS_OF.plus(Duration.ofDays(30))))
            .build();

    ComplianceReport r = ComplianceReports.report(in);

    assertEquals(ComplianceStatus.COMPLIANT, pair(r, "ok").status());
    assertEquals(ComplianceStatus.PENDING_REBOOT, pair(r, "reboot").status());
    assertEquals(ComplianceStatus.EXCEPTED, pair(r, "excepted").status());
    assertEquals(Optional.of("RISK-0001"), pair(r, "excepted").exception());
    assertEquals(ComplianceStatus.FAILED, pair(r, "failed").status());
    assertEquals(ComplianceStatus.MISSING, pair(r, "missing").status());
    AssetStatus untouched =
        r.assets().stream()
            .filter(a -> a.asset().value().equals("untouched"))
            .findFirst()
            .orElseThrow();
    assertEquals(ComplianceStatus.NOT_APPLICABLE, untouched.overall());
    assertEquals(5, r.answer().requiringUpdate());
    assertEquals(1, r.answer().patched());
    assertFalse(r.answer().allPatched());
    assertTrue(r.answer().patchedAnswer().startsWith("No: 1 of 5 VMs"), r.answer().patchedAnswer());
    ComplianceReport.ExceptionEntry e = r.exceptions().get(0);
    assertEquals("team-web", e.owner());
    assertEquals(AS_OF.plus(Duration.ofDays(30)), e.expires());
    assertFalse(e.expired());
  }

  @Test
  void expiredException_isFailed_notExcepted() {
    ComplianceInput in =
        ComplianceInput.builder()
            .asOf(AS_OF)
            .addAssets(AssetFacts.of(vm("vm-1", Asset.PowerState.RUNNING)))
            .addRecords(
                record(AS_OF.plus(Duration.ofDays(1)), item("vm-1", ItemState.RISK_ACCEPTED, 2)))
            .addRisks(risk("vm-1", AS_OF.minus(Duration.ofHours(1))))
            .build();

    ComplianceReport r = ComplianceReports.report(in);

    assertEquals(ComplianceStatus.FAILED, pair(r, "vm-1").status());
    assertTrue(pair(r, "vm-1").note().contains("RISK-0001 expired"), pair(r, "vm-1").note());
    assertTrue(r.exceptions().get(0).expired());
  }

  @Test
  void outstandingPastDue_isOverdue_byPriority_andRecordIsLate() {
    ComplianceInput in =
        ComplianceInput.builder()
            .asOf(AS_OF)
            .addAssets(
                AssetFacts.of(vm("vm-1", Asset.PowerState.RUNNING)),
                AssetFacts.of(vm("vm-2", Asset.PowerState.RUNNING)))
            .addRecords(
                record(
                    AS_OF.minus(Duration.ofDays(1)),
                    item("vm-1", ItemState.AFFECTED, 0),
                    item("vm-2", ItemState.VERIFIED, 1)))
            .build();

    ComplianceReport r = ComplianceReports.report(in);

    assertTrue(pair(r, "vm-1").overdue());
    assertFalse(pair(r, "vm-2").overdue(), "a verified VM is never overdue");
    assertEquals(1, r.overdueByPriority().get(Priority.P2));
    assertEquals(0, r.overdueByPriority().get(Priority.P1));
    assertTrue(r.records().get(0).late());
    assertEquals(Optional.empty(), r.records().get(0).timeToRemediate());
  }

  @Test
  void closedRecord_hasItsTimeToRemediate() {
    TrackingRecord closed =
        TrackingRecord.builder()
            .from(record(AS_OF, item("vm-1", ItemState.VERIFIED, 1)))
            .status(TrackingRecord.Status.CLOSED)
            .closed(T0.plus(Duration.ofDays(3)))
            .build();
    ComplianceInput in =
        ComplianceInput.builder()
            .asOf(AS_OF)
            .addAssets(AssetFacts.of(vm("vm-1", Asset.PowerState.RUNNING)))
            .addRecords(closed)
            .build();

    ComplianceReport.RecordStatus s = ComplianceReports.report(in).records().get(0);

    assertEquals(Optional.of(Duration.ofDays(3)), s.timeToRemediate());
    assertFalse(s.late());
  }

  @Test
  void suspendedAndRevertedVms_areListed_withWhyTheyAreNotPatched() {
    ComplianceInput in =
        ComplianceInput.builder()
            .asOf(AS_OF)
            .addAssets(
                AssetFacts.of(vm("sleeper", Asset.PowerState.SUSPENDED)),
                AssetFacts.of(vm("off", Asset.PowerState.STOPPED)),
                AssetFacts.builder()
                    .asset(vm("reverted", Asset.PowerState.RUNNING))
                    .reverted(true)
                    .heldForCatchUp(true)
                    .build())
            .addRecords(
                record(
                    AS_OF.plus(Duration.ofDays(1)),
                    item("sleeper", ItemState.DEFERRED, 0),
                    item("reverted", ItemState.AFFECTED, 0)))
            .build();

    ComplianceReport r = ComplianceReports.report(in);

    assertEquals(3, r.assets().stream().filter(AssetStatus::needsAttention).count());
    assertTrue(pair(r, "sleeper").note().startsWith("suspended"), pair(r, "sleeper").note());
    assertTrue(pair(r, "reverted").note().contains("held for catch-up; reverted"));
    ComplianceReport.TenantSummary t = r.tenants().get(0);
    assertEquals(2, t.notRunning());
    assertEquals(1, t.held());
    assertEquals(1, t.reverted());
    String html = ComplianceReports.html(r);
    for (String vm : List.of("sleeper", "off", "reverted")) {
      assertTrue(html.contains("<td>" + vm + "</td>"), vm);
    }
  }

  @Test
  void inventoryCheck_agreeingWithEveryRecord_validatesTheAnswer() {
    ComplianceInput in =
        ComplianceInput.builder()
            .asOf(AS_OF)
            .addAssets(AssetFacts.of(vm("vm-1", Asset.PowerState.RUNNING)))
            .addRecords(record(AS_OF, item("vm-1", ItemState.VERIFIED, 1)))
            .inventoryCheckedAt(AS_OF)
            .build();

    ComplianceReport.Answer a = ComplianceReports.report(in).answer();

    assertTrue(a.allPatched());
    assertTrue(a.validated());
    assertTrue(a.patchedAnswer().startsWith("Yes: all 1 VMs"), a.patchedAnswer());
    assertTrue(a.validationAnswer().contains("agrees with every record"), a.validationAnswer());
  }

  @Test
  void withoutAnInventoryCheck_theAnswerIsNotValidated() {
    ComplianceInput in =
        ComplianceInput.builder()
            .asOf(AS_OF)
            .addAssets(AssetFacts.of(vm("vm-1", Asset.PowerState.RUNNING)))
            .addRecords(record(AS_OF, item("vm-1", ItemState.VERIFIED, 1)))
            .build();

    ComplianceReport.Answer a = ComplianceReports.report(in).answer();

    assertTrue(a.allPatched());
    assertFalse(a.validated());
    assertTrue(a.validationAnswer().contains("no independent inventory check"));
  }

  @Test
  void inventoryCheck_contradictingAVerifiedRecord_makesItMissing_andIsCounted() {
    ComplianceInput in =
        ComplianceInput.builder()
            .asOf(AS_OF)
            .addAssets(
                AssetFacts.builder()
                    .asset(vm("vm-1", Asset.PowerState.RUNNING))
                    .reverted(true)
                    .build(),
                AssetFacts.of(vm("vm-2", Asset.PowerState.RUNNING)))
            .addRecords(record(AS_OF, item("vm-1", ItemState.VERIFIED, 1)))
            .inventoryCheckedAt(AS_OF)
            .stillAffected(Map.of(AssetId.of("vm-1"), Set.of(DSA), AssetId.of("vm-2"), Set.of(DSA)))
            .build();

    ComplianceReport r = ComplianceReports.report(in);

    assertEquals(ComplianceStatus.MISSING, pair(r, "vm-1").status());
    assertTrue(pair(r, "vm-1").note().contains("the record says compliant"));
    assertEquals(ComplianceStatus.MISSING, pair(r, "vm-2").status(), "affected, yet untracked");
    assertEquals(Optional.empty(), pair(r, "vm-2").record());
    assertEquals(2, r.answer().discrepancies());
    assertFalse(r.answer().validated());
    assertFalse(r.answer().allPatched());
  }

  @Test
  void withdrawnAdvisory_isNotApplicable() {
    TrackingRecord withdrawn =
        TrackingRecord.builder()
            .from(record(AS_OF, item("vm-1", ItemState.WITHDRAWN, 0)))
            .status(TrackingRecord.Status.WITHDRAWN)
            .build();
    ComplianceInput in =
        ComplianceInput.builder()
            .asOf(AS_OF)
            .addAssets(AssetFacts.of(vm("vm-1", Asset.PowerState.RUNNING)))
            .addRecords(withdrawn)
            .build();

    ComplianceReport r = ComplianceReports.report(in);

    assertEquals(ComplianceStatus.NOT_APPLICABLE, pair(r, "vm-1").status());
    assertEquals(0, r.answer().requiringUpdate());
  }

  @Test
  void sample_countsAssetsWithoutAnOpenItem_perTenant() {
    Asset a = vm("vm-1", Asset.PowerState.RUNNING);
    Asset b = vm("vm-2", Asset.PowerState.RUNNING);
    List<ComplianceSample> s =
        ComplianceReports.sample(
            AS_OF, List.of(a, b), List.of(record(AS_OF, item("vm-1", ItemState.PATCHING, 1))));

    assertEquals(List.of(ComplianceSample.of(AS_OF, ACME, 2, 1)), s);
  }

  @Test
  void input_listingAnAssetTwice_isRejected_namingIt() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                ComplianceInput.builder()
                    .asOf(AS_OF)
                    .addAssets(
                        AssetFacts.of(vm("vm-1", Asset.PowerState.RUNNING)),
                        AssetFacts.of(vm("vm-1", Asset.PowerState.STOPPED)))
                    .build());
    assertTrue(e.getMessage().contains("vm-1"));
  }

  @Test
  void csv_hasOneRowPerAssetAndAdvisory_andQuotesCellsWithCommas() {
    ComplianceInput in =
        ComplianceInput.builder()
            .asOf(AS_OF)
            .addAssets(
                AssetFacts.of(vm("vm-1", Asset.PowerState.SUSPENDED)),
                AssetFacts.of(vm("vm-2", Asset.PowerState.RUNNING)))
            .addRecords(
                record(
                    AS_OF,
                    TrackingItem.builder()
                        .asset(AssetId.of("vm-1"))
                        .state(ItemState.DEFERRED)
                        .note("window missed, \"suspended\"")
                        .build()))
            .build();

    String[] lines = ComplianceReports.csv(ComplianceReports.report(in)).split("\r\n");

    assertEquals(3, lines.length);
    assertTrue(lines[0].startsWith("tenant,asset,power_state"));
    assertTrue(
        lines[1].startsWith("acme,vm-1,SUSPENDED,false,false,DSA-5600-1,MISSING,P2,"), lines[1]);
    assertTrue(lines[1].endsWith(",\"suspended; window missed, \"\"suspended\"\"\""), lines[1]);
    assertTrue(lines[2].startsWith("acme,vm-2,RUNNING,false,false,,NOT_APPLICABLE,"), lines[2]);
  }
}
