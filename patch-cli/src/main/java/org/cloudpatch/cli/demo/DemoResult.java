package org.cloudpatch.cli.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.cloudpatch.audit.journal.Verification;
import org.cloudpatch.audit.report.ComplianceReport;
import org.cloudpatch.audit.report.ComplianceReports;
import org.cloudpatch.audit.report.ComplianceSample;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.process.PatchEngine;
import org.cloudpatch.core.process.RiskItem;
import org.cloudpatch.core.process.TrackingRecord;

/**
 * What a demo run did: per process step the journal entries it wrote, per tenant the compliance
 * before and after, the records, the risks and the story VMs. Computed from the engine, the cloud
 * and the journal at the end of the run; {@link #compliance()} is the library's compliance report
 * of the run; {@link #hosts()} is each host's remediation for the demo's host advisory.
 */
public record DemoResult(
    Demo.Options options,
    int zones,
    List<Step> steps,
    List<TenantCompliance> tenants,
    Map<String, Integer> records,
    List<RiskItem> risks,
    List<Quarantined> quarantined,
    List<String> stories,
    int changes,
    int patchJobs,
    int maxConcurrentJobs,
    Verification journal,
    Path journalFile,
    ComplianceReport compliance,
    Duration engineTime,
    int ticks,
    List<String> forecast,
    List<HostEvacuation> hosts) {

  /** How a host of the cluster ended the run. */
  public enum HostOutcome {
    /** Patched and out of maintenance mode. */
    PATCHED,
    /** Skipped by the engine with a reason; never patched. */
    SKIPPED,
    /**
     * Its patch was confirmed but did not change its patch level: left in maintenance mode, out of
     * service, with the reason.
     */
    UNVERIFIED,
    /** Neither: still being remediated, or never asked for. */
    NOT_PATCHED
  }

  /** One live migration off a host being drained: when, which VM, to which host. */
  public record Move(Instant at, AssetId vm, HostId to) {}

  /**
   * One host's remediation as the simulated cloud's ground truth tells it: when it entered
   * maintenance mode, the VMs evacuated from it, when it was patched and came back; for a skipped
   * host the engine's reason, which names the VM that blocked it.
   */
  public record HostEvacuation(
      HostId host,
      HostOutcome outcome,
      Optional<String> reason,
      Optional<Instant> enteredMaintenance,
      List<Move> evacuated,
      Optional<Instant> patched,
      Optional<Instant> exitedMaintenance) {
    /** Copies the list. */
    public HostEvacuation {
      evacuated = List.copyOf(evacuated);
    }
  }

  /** One step of the process and the journal entries that show it. */
  public record Step(int number, String name, Map<String, Integer> entries) {
    /** How many entries show the step. */
    public int total() {
      return entries.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /** One tenant's VMs and how many were compliant before and after the run. */
  public record TenantCompliance(
      TenantId tenant, int vms, int compliantBefore, int compliantAfter, int riskItems, int held) {}

  private static final List<Object[]> STEPS =
      List.of(
          new Object[] {1, "vendor publishes advisory", List.of("advisory.published")},
          new Object[] {2, "subscription delivers it", List.of("subscription.advanced")},
          new Object[] {3, "severity assessed", List.of("severity.assessed")},
          new Object[] {4, "applicability matched", List.of("applicability.matched")},
          new Object[] {5, "tracking records opened", List.of("tracking.opened")},
          new Object[] {
            6, "tenants notified", List.of("notification.sent", "notification.dead-lettered")
          },
          new Object[] {
            7,
            "change requested and approved",
            List.of("change.requested", "change.approved", "rollout.planned")
          },
          new Object[] {
            8, "patched and verified", List.of("patch.started", "patch.applied", "patch.verified")
          },
          new Object[] {
            9,
            "failures, rollback, risk",
            List.of(
                "patch.failed",
                "patch.rolledback",
                "risk.opened",
                "risk.expired",
                "tracking.overdue",
                "tracking.risk-accepted")
          },
          new Object[] {
            10,
            "closed with evidence",
            List.of("tracking.closed", "tracking.closed-with-exceptions", "evidence.stored")
          });

  static DemoResult of(
      Demo demo,
      PatchEngine engine,
      Verification journal,
      Path journalFile,
      List<ComplianceSample> history) {
    Map<String, Integer> counts = engine.entriesByType();
    List<Step> steps = new ArrayList<>();
    for (Object[] s : STEPS) {
      Map<String, Integer> entries = new LinkedHashMap<>();
      @SuppressWarnings("unchecked")
      List<String> types = (List<String>) s[2];
      types.forEach(t -> entries.put(t, counts.getOrDefault(t, 0)));
      steps.add(new Step((Integer) s[0], (String) s[1], entries));
    }
    List<Advisory> active = demo.activeAdvisories();
    Map<TenantId, int[]> perTenant = new TreeMap<>();
    for (Asset asset : demo.cloud.reliable().assets()) {
      int[] c = perTenant.computeIfAbsent(asset.tenant(), t -> new int[5]);
      c[0]++;
      if (demo.compliant(Objects.requireNonNull(demo.initialInventories.get(asset.id())), active)) {
        c[1]++;
      }
      Inventory now = demo.cloud.reliable().inventory(asset.id()).orElseThrow();
      if (demo.compliant(now, active)) {
        c[2]++;
      }
      if (engine.heldForCatchUp().contains(asset.id())) {
        c[4]++;
      }
    }
    Map<AssetId, TenantId> tenantOf = new TreeMap<>();
    demo.cloud.reliable().assets().forEach(a -> tenantOf.put(a.id(), a.tenant()));
    for (RiskItem risk : engine.riskItems()) {
      Objects.requireNonNull(perTenant.get(tenantOf.get(risk.asset())))[3]++;
    }
    List<TenantCompliance> tenants = new ArrayList<>();
    perTenant.forEach((t, c) -> tenants.add(new TenantCompliance(t, c[0], c[1], c[2], c[3], c[4])));
    Map<String, Integer> records = new TreeMap<>();
    for (TrackingRecord r : engine.trackingRecords()) {
      records.merge(r.status().name(), 1, Integer::sum);
    }
    List<String> stories = new ArrayList<>();
    for (Demo.Scripted s : demo.script) {
      stories.add(s.at() + " " + s.subject() + " " + s.what());
    }
    demo.storyVms.forEach(
        (story, vm) ->
            stories.add(
                vm
                    + " ("
                    + story
                    + ") ends "
                    + (engine.heldForCatchUp().contains(vm)
                        ? "held for catch-up"
                        : "released to its users")
                    + ", "
                    + (demo.compliant(demo.cloud.reliable().inventory(vm).orElseThrow(), active)
                        ? "compliant"
                        : "not compliant")));
    // Computed once: report.json, report.html and the summary all show these.
    List<HostEvacuation> hosts =
        HostEvacuations.of(
            demo.cloud.truth(),
            engine.hostsRemediated(),
            engine.hostsSkipped(),
            engine.hostsUnverified());
    return new DemoResult(
        demo.options(),
        Demo.ZONES.size(),
        steps,
        tenants,
        records,
        engine.riskItems(),
        demo.quarantined,
        stories,
        demo.changes.changes().size(),
        demo.cloud.jobs().size(),
        demo.cloud.maxConcurrentJobs(),
        journal,
        journalFile,
        ComplianceReports.report(
            DemoCompliance.input(
                demo,
                engine,
                history,
                journalFile.getFileName() + ": " + journal.describe(),
                hosts)),
        Duration.ofNanos(demo.engineNanos),
        demo.ticks,
        demo.rollout.forecast(),
        hosts);
  }
}
