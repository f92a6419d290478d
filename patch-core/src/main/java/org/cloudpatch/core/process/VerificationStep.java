package org.cloudpatch.core.process;

import static org.cloudpatch.core.process.ProcessState.known;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.finding.Finding;
import org.cloudpatch.core.finding.FindingStatus;
import org.cloudpatch.core.process.EffectEvents.JobCall;
import org.cloudpatch.core.process.InFlight.Job;
import org.cloudpatch.core.process.ProcessEvent.ItemRef;
import org.cloudpatch.core.rollout.PatchOutcome;

/**
 * Step 8, verification: re-inventory decides, not the executor's word. A re-inventory (or
 * applicability) that fails is retried with backoff, the job staying in flight; it is never read as
 * a failed patch. Verified advisories and the failure of the rest commit as one decision.
 */
final class VerificationStep {
  private VerificationStep() {}

  /** Why an advisory is not verified on an inventory, or empty with its verified events added. */
  sealed interface Check permits Verified, Behind, NoFixAvailable, CannotTell {}

  record Verified(List<ProcessEvent> events) implements Check {}

  /** Not verified: why, and the advisory's findings on the inventory that are not fixed. */
  record Behind(String why, List<Finding> findings) implements Check {}

  /**
   * Affected, but the advisory names no fix: nothing a job can install. It neither fails a job nor
   * keeps a VM held; the exposure stays on its record's NO_FIX_AVAILABLE item until a fix comes.
   */
  record NoFixAvailable(String why) implements Check {}

  record CannotTell(String why) implements Check {}

  static void verify(Driver d, Instant now, Job job) {
    EffectEvents.PatchRequested r = job.request;
    Driver.Result<Optional<Inventory>> observed =
        d.attempt("InventorySource", "inventory", () -> d.inventory.inventory(r.vm()));
    if (!observed.ok() || observed.get().isEmpty()) {
      d.emit(
          now,
          new EffectEvents.JobCallFailed(
              r.job(),
              r.vm(),
              JobCall.VERIFY,
              observed.ok() ? "the VM's inventory is unavailable" : observed.failure()));
      return;
    }
    d.observed(r.vm(), observed.get().get());
    List<ProcessEvent> events = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    Set<AdvisoryId> stillAffected = new TreeSet<>();
    for (AdvisoryId advisoryId : r.advisories()) {
      Check c = check(d, advisoryId, observed.get().get(), r.vm(), r.items());
      if (c instanceof CannotTell t) {
        d.emit(now, new EffectEvents.JobCallFailed(r.job(), r.vm(), JobCall.VERIFY, t.why()));
        return;
      } else if (c instanceof Behind b) {
        failures.add(advisoryId + ": " + b.why());
        stillAffected.add(advisoryId);
      } else if (c instanceof Verified v) {
        events.addAll(v.events());
      }
    }
    PatchOutcome outcome = job.outcome.orElse(null);
    if (stillAffected.isEmpty()) {
      // A held VM is not released here: this job verified only its own advisories, and one
      // published while it ran may be missing. Catch-up checks every active advisory first.
      d.emit(now, events);
      return;
    }
    if (outcome == null) {
      failures.add(0, "executor: no outcome reported by the job's deadline");
    } else if (!outcome.succeeded()) {
      failures.add(0, "executor: " + outcome.message());
    }
    List<ItemRef> failedItems =
        r.items().stream()
            .filter(ref -> stillAffected.contains(d.state.records.advisory(ref.record())))
            .toList();
    RiskStep.failJob(
        d,
        now,
        r,
        Optional.ofNullable(job.started).map(ProcessEvent.PatchStarted::snapshot),
        events,
        failedItems,
        String.join("; ", failures));
  }

  /** Verifies one advisory on an observed inventory. */
  static Check check(
      Driver d, AdvisoryId advisoryId, Inventory observed, AssetId vm, List<ItemRef> items) {
    Advisory advisory = known(d.state.advisories, advisoryId);
    Driver.Result<List<Finding>> findings =
        d.attempt("Applicability", "assess", () -> d.applicability.assess(advisory, observed));
    if (!findings.ok()) {
      return new CannotTell("applicability failed: " + findings.failure());
    }
    List<Finding> behind =
        findings.get().stream()
            .filter(
                f ->
                    f.status() == FindingStatus.UNKNOWN
                        || (f.status() == FindingStatus.AFFECTED && f.fixedVersion().isPresent()))
            .toList();
    if (!behind.isEmpty()) {
      return new Behind(behind.get(0).status() + ": " + behind.get(0).evidence(), behind);
    }
    for (Finding f : findings.get()) {
      if (f.status() == FindingStatus.AFFECTED) {
        return new NoFixAvailable(f.packageName() + ": " + f.evidence());
      }
    }
    String installed =
        findings.get().stream()
            .map(f -> f.packageName() + " " + f.installedVersion())
            .reduce((a, b) -> a + ", " + b)
            .orElse("package no longer installed");
    String proof =
        findings.get().stream()
            .map(Finding::evidence)
            .reduce((a, b) -> a + "; " + b)
            .orElse(installed);
    List<ItemRef> refs =
        items.stream()
            .filter(ref -> d.state.records.advisory(ref.record()).equals(advisoryId))
            .toList();
    List<ProcessEvent> verified = new ArrayList<>();
    if (refs.isEmpty()) {
      verified.add(
          new ProcessEvent.PatchVerified(Optional.empty(), vm, advisoryId, installed, proof));
    }
    for (ItemRef ref : refs) {
      verified.add(
          new ProcessEvent.PatchVerified(
              Optional.of(ref.record()), vm, advisoryId, installed, proof));
    }
    return new Verified(verified);
  }
}
