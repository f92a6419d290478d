package org.cloudpatch.cli.demo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cloudpatch.audit.report.AssetFacts;
import org.cloudpatch.audit.report.ChangeFact;
import org.cloudpatch.audit.report.ComplianceInput;
import org.cloudpatch.audit.report.ComplianceSample;
import org.cloudpatch.audit.report.NotificationFact;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.asset.LifecycleEvent;
import org.cloudpatch.core.finding.FindingStatus;
import org.cloudpatch.core.memory.InMemoryChangeSystem;
import org.cloudpatch.core.memory.InMemoryNotifier;
import org.cloudpatch.core.process.PatchEngine;
import org.cloudpatch.core.process.TrackingRecord;

/**
 * The demo's facts for the library's compliance report, as a host would gather them: the cloud's
 * assets and lifecycle events, the engine's public views, the notifier's deliveries, the change
 * system's changes, the day-boundary samples, an independent applicability check of every VM's
 * current inventory, and each host's remediation as the cloud's ground truth tells it.
 */
final class DemoCompliance {
  private DemoCompliance() {}

  /** One sample per tenant, taken by the run loop at each day boundary. */
  static List<ComplianceSample> sample(Demo demo, PatchEngine engine) {
    return org.cloudpatch.audit.report.ComplianceReports.sample(
        demo.clock.instant(), demo.cloud.reliable().assets(), engine.trackingRecords());
  }

  static ComplianceInput input(
      Demo demo,
      PatchEngine engine,
      List<ComplianceSample> history,
      String journalVerification,
      List<DemoResult.HostEvacuation> hosts) {
    Instant now = demo.clock.instant();
    Set<AssetId> reverted = new HashSet<>();
    for (LifecycleEvent e : demo.cloud.reliable().lifecycleEvents(Optional.empty()).events()) {
      if (e.kind() == LifecycleEvent.Kind.REVERTED) {
        reverted.add(e.asset());
      }
    }
    Set<AssetId> held = engine.heldForCatchUp();
    ComplianceInput.Builder in =
        ComplianceInput.builder()
            .asOf(now)
            .title(
                String.format(
                    "cloudpatch demo: %d VMs, %d hosts, %d days, seed %d",
                    demo.options().vms(),
                    demo.options().hosts(),
                    demo.options().days(),
                    demo.options().seed()))
            .addEvidence(journalVerification);
    List<Advisory> active = demo.activeAdvisories();
    Map<AssetId, Set<AdvisoryId>> stillAffected = new TreeMap<>();
    for (Asset a : demo.cloud.reliable().assets()) {
      in.addAssets(
          AssetFacts.builder()
              .asset(a)
              .reverted(reverted.contains(a.id()))
              .heldForCatchUp(held.contains(a.id()))
              .build());
      Inventory inventory = demo.cloud.reliable().inventory(a.id()).orElseThrow();
      for (Advisory advisory : active) {
        if (demo.applicability.assess(advisory, inventory).stream()
            .anyMatch(f -> f.status() == FindingStatus.AFFECTED)) {
          stillAffected.computeIfAbsent(a.id(), x -> new TreeSet<>()).add(advisory.id());
        }
      }
    }
    List<TrackingRecord> records = engine.trackingRecords();
    in.records(records).risks(engine.riskItems());
    Set<AdvisoryId> advisories = new TreeSet<>();
    records.forEach(r -> advisories.add(r.advisory()));
    stillAffected.values().forEach(advisories::addAll);
    advisories.forEach(id -> engine.assessment(id).ifPresent(in::addAssessments));
    for (InMemoryNotifier.Delivery d : demo.notifier.deliveries()) {
      in.addNotifications(
          NotificationFact.builder()
              .tenant(d.notification().tenant())
              .advisory(d.notification().advisory())
              .assets(d.notification().assets())
              .recipients(d.accounts().size())
              .build());
    }
    List<ChangeFact> changes = new ArrayList<>();
    for (InMemoryChangeSystem.Change c : demo.changes.changes()) {
      changes.add(
          ChangeFact.builder()
              .from(ChangeFact.of(c.id().value(), c.request(), c.approval()))
              .closed(c.closed())
              .build());
    }
    List<AssetId> vms = demo.cloud.reliable().assets().stream().map(Asset::id).toList();
    in.hosts(HostEvacuations.facts(hosts, vms));
    return in.changes(changes)
        .history(history)
        .inventoryCheckedAt(now)
        .stillAffected(stillAffected)
        .build();
  }
}
