package org.cloudpatch.core.process;

import static org.cloudpatch.core.process.ProcessState.known;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.finding.Finding;
import org.cloudpatch.core.process.EffectEvents.JobCall;
import org.cloudpatch.core.process.InFlight.Job;
import org.cloudpatch.core.process.ProcessEvent.ItemRef;
import org.cloudpatch.core.rollout.PackageUpdate;
import org.cloudpatch.core.rollout.PatchJob;
import org.cloudpatch.core.rollout.PatchOutcome;
import org.cloudpatch.core.rollout.TimingMode;

/**
 * Step 8, patch jobs, one per VM at a time: requested (journaled before the snapshot), started with
 * its snapshot (journaled before the submit), submitted (the executor's handle journaled), applied
 * (the executor's word), then verified by re-inventory. A failed snapshot, submit or poll is
 * journaled and retried with backoff, the job staying in flight; a job without an outcome at its
 * deadline becomes unknown and is resolved by re-inventory before anything else runs on the VM.
 */
final class PatchStep {
  private PatchStep() {}

  static TrackingItem item(ProcessState state, ItemRef ref) {
    return state.records.item(ref);
  }

  static List<AdvisoryId> advisoriesOf(ProcessState state, List<ItemRef> items) {
    return items.stream()
        .map(ref -> state.records.advisory(ref.record()))
        .distinct()
        .sorted()
        .toList();
  }

  /** Requests a wave job for the VM's items. */
  static void request(
      Driver d,
      Instant now,
      AssetId vm,
      Optional<String> waveId,
      List<ItemRef> items,
      int attempt,
      Optional<String> reuseSnapshot) {
    request(d, now, vm, waveId, items, advisoriesOf(d.state, items), attempt, reuseSnapshot);
  }

  /** Requests a job for the updates its items name, and drives it as far as it goes now. */
  static void request(
      Driver d,
      Instant now,
      AssetId vm,
      Optional<String> waveId,
      List<ItemRef> items,
      List<AdvisoryId> advisories,
      int attempt,
      Optional<String> reuseSnapshot) {
    request(
        d,
        now,
        vm,
        waveId,
        items,
        advisories,
        updatesFor(d.state, vm, advisories),
        attempt,
        reuseSnapshot);
  }

  /** Requests a job for these updates and drives it as far as it goes now. */
  static void request(
      Driver d,
      Instant now,
      AssetId vm,
      Optional<String> waveId,
      List<ItemRef> items,
      List<AdvisoryId> advisories,
      List<PackageUpdate> updates,
      int attempt,
      Optional<String> reuseSnapshot) {
    String job = String.format("job-%08d-%s-a%d", d.state.nextSeq, vm, attempt);
    d.emit(
        now,
        new EffectEvents.PatchRequested(
            job, vm, waveId, items, advisories, attempt, updates, reuseSnapshot));
    advance(d, now, known(d.state.jobs, job));
  }

  static void advanceJobs(Driver d, Instant now) {
    for (Job job : List.copyOf(d.state.jobs.values())) {
      if (d.state.jobs.get(job.request.job()) == job && !now.isBefore(job.retryAt)) {
        advance(d, now, job);
      }
    }
  }

  private static void advance(Driver d, Instant now, Job job) {
    EffectEvents.PatchRequested r = job.request;
    boolean pastDeadline = !now.isBefore(job.requestedAt.plus(d.policy.jobDeadline()));
    if (job.started == null) {
      if (pastDeadline) {
        // Nothing was submitted: without a snapshot there is no way back, so it never ran.
        RiskStep.failJob(
            d,
            now,
            r,
            Optional.empty(),
            List.of(),
            r.items(),
            "no pre-patch snapshot by the job's deadline");
        return;
      }
      Driver.Result<String> snapshot =
          r.reuseSnapshot().isPresent()
              ? new Driver.Result<>(r.reuseSnapshot().get(), "")
              : d.attempt(
                  "HypervisorAdapter",
                  "snapshot",
                  () -> d.hypervisor.snapshot(r.vm(), "pre-patch " + r.job()));
      if (!snapshot.ok()) {
        d.emit(
            now,
            new EffectEvents.JobCallFailed(r.job(), r.vm(), JobCall.SNAPSHOT, snapshot.failure()));
        return;
      }
      d.emit(
          now,
          new ProcessEvent.PatchStarted(
              r.job(),
              r.vm(),
              r.waveId(),
              r.items(),
              r.advisories(),
              r.attempt(),
              snapshot.get(),
              r.updates()));
    }
    if (!job.verifying() && pastDeadline) {
      d.emit(
          now,
          new EffectEvents.PatchUnknown(
              r.job(),
              r.vm(),
              (job.handle.isEmpty() ? "never confirmed submitted" : "no outcome reported")
                  + " by the job's deadline; re-inventory decides"));
    }
    if (job.handle.isEmpty() && !job.verifying()) {
      PatchJob patch =
          PatchJob.builder()
              .key(r.job())
              .asset(r.vm())
              .updates(r.updates())
              .group(sameInstantGroup(d, r))
              .build();
      Driver.Result<String> handle =
          d.attempt("PatchExecutor", "submit", () -> d.executor.submit(patch));
      if (!handle.ok()) {
        d.emit(
            now, new EffectEvents.JobCallFailed(r.job(), r.vm(), JobCall.SUBMIT, handle.failure()));
        return;
      }
      d.emit(now, new EffectEvents.PatchSubmitted(r.job(), r.vm(), handle.get()));
      return; // polled from the next tick on
    }
    if (!job.verifying()) {
      String handle = job.handle.orElseThrow();
      Driver.Result<Optional<PatchOutcome>> polled =
          d.attempt("PatchExecutor", "poll", () -> d.executor.poll(handle));
      if (!polled.ok()) {
        d.emit(
            now, new EffectEvents.JobCallFailed(r.job(), r.vm(), JobCall.POLL, polled.failure()));
        return;
      }
      if (polled.get().isEmpty()) {
        return; // still running
      }
      d.emit(now, new ProcessEvent.PatchApplied(r.job(), r.vm(), polled.get().get()));
    }
    VerificationStep.verify(d, now, job);
  }

  /**
   * The SAME_INSTANT group a job belongs to, told to the executor so that it (and a simulated
   * cloud's ground truth) can see the group's members patched together.
   */
  private static Optional<String> sameInstantGroup(Driver d, EffectEvents.PatchRequested r) {
    boolean sameInstant =
        r.items().stream()
            .anyMatch(
                ref ->
                    d.state.records.fields(ref.record()).timingMode() == TimingMode.SAME_INSTANT);
    return sameInstant
        ? Optional.of(RolloutStep.group(d.assets.get(r.vm()), r.vm()))
        : Optional.empty();
  }

  static List<PackageUpdate> updatesFor(
      ProcessState state, AssetId vm, List<AdvisoryId> advisories) {
    List<Finding> findings = new ArrayList<>();
    for (TrackingRecord r : state.records.live()) {
      TrackingItem i = r.items().get(vm);
      if (i != null && advisories.contains(r.advisory()) && !i.state().isSettled()) {
        findings.addAll(i.findings());
      }
    }
    return updatesFor(findings);
  }

  /** The package updates that bring each finding's binary packages to its fixed version. */
  static List<PackageUpdate> updatesFor(List<Finding> findings) {
    Map<String, String> target = new TreeMap<>();
    for (Finding f : findings) {
      f.fixedVersion()
          .ifPresent(v -> f.binaryPackages().forEach(b -> target.merge(b, v, PatchStep::later)));
    }
    List<PackageUpdate> out = new ArrayList<>();
    target.forEach((name, version) -> out.add(PackageUpdate.of(name, version)));
    return out;
  }

  // Two advisories in one job usually name the same fixed version of a package. When they do
  // not, core has no version scheme to order them (those live in patch-inventory), so this pick
  // may be the lower one: verification then fails only the advisory whose fix is higher, and its
  // retry targets that advisory's own fix alone.
  private static String later(String a, String b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
