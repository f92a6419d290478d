package org.cloudpatch.core.process;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.severity.Assessment;
import org.cloudpatch.core.spi.HostRemediationPlanner;
import org.cloudpatch.core.spi.HypervisorAdapter;

/**
 * The patch process: carries every advisory from its feed to patched, verified and closed tracking
 * records with evidence, through the SPIs it is built with. It only wires the process steps (one
 * class per step, named after it) to the {@link Driver}, the one place that journals and calls
 * adapters.
 *
 * <p>Each {@link #tick()} looks at the world once, at the injected clock's instant, and does the
 * work that is due. It never waits: a patch job, an approval, a window or an unconfirmed effect is
 * state in the journal, looked at again on the next tick. The host decides which thread calls
 * {@code tick()} and how often; calls must not overlap (see the README, "Running the engine in
 * production").
 *
 * <p>Journal first, and only the truth: an effect on the world (snapshot, submit, hold, release,
 * revert, change close, notification) is journaled as requested, under an idempotency key, before
 * its adapter is called, and as confirmed or failed after; an unconfirmed request is retried with
 * backoff under the same key, and escalates with a risk item at its deadline. The events of one
 * decision commit all or nothing. An engine built on a journal that has entries first replays them
 * (with a {@link org.cloudpatch.core.spi.StateSnapshotStore}, from its latest image that verifies
 * against the journal, and only the entries after it), so that after a crash it continues where the
 * journal ends. An exception from an adapter or from host code (policy, grouping, intel) is
 * journaled and retried, never a crashed tick; only a failing journal stops a tick, because nothing
 * may happen that the journal does not hold.
 */
public final class PatchEngine {
  private final Driver d;

  PatchEngine(EngineBuilder b) {
    this.d = new Driver(b, List.copyOf(b.feeds));
    StateSnapshots.rebuild(d);
  }

  /** A builder; every collaborator but the feeds and the policy is required. */
  public static EngineBuilder builder() {
    return new EngineBuilder();
  }

  /**
   * Does all work that is due at the clock's instant.
   *
   * @throws org.cloudpatch.core.PatchException only when the journal cannot be written; the tick
   *     did nothing that the journal does not hold
   */
  public void tick() {
    Instant now = d.clock.instant();
    if (d.assets.isEmpty()) {
      d.refreshAssets(now);
    }
    CatchUpStep.pollLifecycle(d, now);
    SubscriptionStep.pollFeeds(d, now);
    AssessmentStep.processAdvisories(d, now);
    NotificationStep.deliver(d, now);
    PatchStep.advanceJobs(d, now);
    Effects.run(d, now);
    CatchUpStep.runCatchUps(d, now);
    RiskStep.review(d, now);
    RolloutStep.planAffectedItems(d, now);
    ChangeStep.pollApprovals(d, now);
    RolloutStep.startDueWaves(d, now);
    ClosureStep.settleRecords(d, now);
    ClosureStep.storeEvidence(d, now);
    ChangeStep.closeChanges(d, now);
    Effects.run(d, now);
    HostPatchStep.remediate(d, now);
    StateSnapshots.takeIfDue(d, now);
  }

  /**
   * Stores an image of the engine's whole state in the snapshot store, then journals it as {@code
   * state.snapshot} (the seq it covers, its SHA-256, its state's fingerprint hash), so that the
   * next build replays only the entries after it. Must not overlap {@link #tick()}.
   *
   * @return the seq the image covers: it holds every entry below it
   * @throws IllegalStateException when the engine was built without a snapshot store
   * @throws org.cloudpatch.core.PatchException when the store or the journal cannot be written (an
   *     image stored without its entry is ignored by the next build)
   */
  public long snapshotState() {
    if (d.snapshots == null) {
      throw new IllegalStateException(
          "snapshotState needs a snapshot store: see EngineBuilder.stateSnapshotStore");
    }
    return StateSnapshots.take(d, d.clock.instant());
  }

  // ---- views for hosts and reports -------------------------------------------------------

  /** Every tracking record, by id; a snapshot. */
  public List<TrackingRecord> trackingRecords() {
    return List.copyOf(d.state.records.values());
  }

  /** Every risk item, by id; a snapshot (expired ones too: see {@link #expiredRisks()}). */
  public List<RiskItem> riskItems() {
    return List.copyOf(d.state.risks.values());
  }

  /** The ids of risk items whose acceptance expired, re-opening their items. */
  public Set<String> expiredRisks() {
    return Collections.unmodifiableSet(new TreeSet<>(d.state.expiredRisks));
  }

  /**
   * The VMs held from their users until they are caught up: those whose hold the hypervisor
   * confirmed.
   */
  public Set<AssetId> heldForCatchUp() {
    Set<AssetId> out = new TreeSet<>();
    d.state.catchUps.forEach(
        (vm, c) -> {
          if (c.held) {
            out.add(vm);
          }
        });
    return Collections.unmodifiableSet(out);
  }

  /**
   * The VMs that should be held for catch-up but whose hold the hypervisor has not confirmed yet:
   * the hold is retried, and escalated with a risk item at its deadline.
   */
  public Set<AssetId> holdsNotConfirmed() {
    Set<AssetId> out = new TreeSet<>();
    d.state.catchUps.forEach(
        (vm, c) -> {
          if (!c.held) {
            out.add(vm);
          }
        });
    return Collections.unmodifiableSet(out);
  }

  /** The requested effects not yet confirmed, by idempotency key, with their kind and target. */
  public Map<String, String> pendingEffects() {
    Map<String, String> out = new TreeMap<>();
    d.state.effects.forEach(
        (key, p) ->
            out.put(
                key,
                p.request.type()
                    + p.request.vm().map(v -> " " + v).orElse("")
                    + (p.overdue ? " (overdue)" : "")));
    return Collections.unmodifiableMap(out);
  }

  /** The work parked because host code threw, with the instant it is tried again. */
  public Map<String, Instant> parkedWork() {
    return Collections.unmodifiableMap(new TreeMap<>(d.state.parkedUntil));
  }

  /** The assessment of an advisory, once it is assessed. */
  public Optional<Assessment> assessment(AdvisoryId advisory) {
    return Optional.ofNullable(d.state.assessments.get(advisory));
  }

  /** How many journal entries of each type the engine has written or replayed. */
  public Map<String, Integer> entriesByType() {
    return Collections.unmodifiableMap(new TreeMap<>(d.state.entriesByType));
  }

  /**
   * Whether nothing is running or waiting to run: no job, no planned wave, no held VM, no
   * unconfirmed effect.
   */
  public boolean isIdle() {
    return d.state.jobs.isEmpty()
        && d.state.effects.isEmpty()
        && d.state.activeWaves().isEmpty()
        && d.state.catchUps.values().stream().allMatch(c -> c.givenUp)
        && d.state.hosts.idle()
        && d.state.records.live().stream().noneMatch(r -> r.status() == TrackingRecord.Status.OPEN);
  }

  // ---- host remediation (issue 13) ---------------------------------------------------------

  /**
   * Asks for hosts to be patched: journaled now, carried out by the following ticks. Each host is
   * drained (maintenance mode on, its VMs live-migrated where the {@link HostRemediationPlanner}
   * proves capacity and anti-affinity hold), patched through {@link HypervisorAdapter#patchHost},
   * and taken out of maintenance mode; at most {@link ProcessPolicy#maxHostsInMaintenance()} at
   * once. A VM's anti-affinity group is the value of its first {@code anti-affinity:} tag. A host
   * that cannot be drained (a VM that cannot move, no room elsewhere), does not enter maintenance
   * mode by the effect deadline, or whose drain failed three times, is skipped with its reason
   * ({@link #hostsSkipped()}) and never put into, or left in, maintenance mode. A host already
   * waiting or being remediated is left as it is. Must not overlap {@link #tick()}.
   *
   * @param hosts the hosts, never null
   * @param reason why they are patched (an advisory, a baseline), for the journal; never null
   * @throws IllegalStateException when the engine was built without a host remediation planner
   * @throws org.cloudpatch.core.PatchException when the journal cannot be written
   */
  public void remediateHosts(java.util.Collection<HostId> hosts, String reason) {
    Objects.requireNonNull(hosts, "hosts");
    Objects.requireNonNull(reason, "reason");
    if (d.hostPlanner == null) {
      throw new IllegalStateException(
          "remediateHosts needs a host remediation planner: see EngineBuilder.hostRemediationPlanner");
    }
    HostPatchStep.request(d, d.clock.instant(), hosts, reason);
  }

  /**
   * Pins the patch baseline as approved at {@code asOf}: an advisory publication (new, updated or
   * withdrawn) modified after it is journaled as received but not worked on until the baseline
   * moves, so that every wave of a rollout and every VM caught up after a resume or a revert gets
   * the content approved, however long the rollout takes. Publications up to {@code asOf} that
   * waited under an earlier pin are worked on from the next tick. Journaled as {@code
   * baseline.pinned}.
   *
   * @param asOf the approval instant; never before the instant the baseline is pinned at now (a
   *     baseline moves forward only: content already worked on cannot be taken back)
   * @param reason why (the approval, the change), for the journal; never null
   * @throws IllegalArgumentException if {@code asOf} is before the current pin
   */
  public void pinBaseline(Instant asOf, String reason) {
    Objects.requireNonNull(asOf, "asOf");
    Objects.requireNonNull(reason, "reason");
    Optional<Instant> now = d.state.baselineAsOf;
    if (now.isPresent() && asOf.isBefore(now.get())) {
      throw new IllegalArgumentException(
          "the baseline is pinned at " + now.get() + "; it cannot move back to " + asOf);
    }
    d.emit(d.clock.instant(), new ProcessEvent.BaselinePinned(asOf, reason));
  }

  /**
   * Lets the baseline follow the feeds again: every publication that waited is worked on from the
   * next tick. Journaled as {@code baseline.unpinned}; does nothing if the baseline is not pinned.
   *
   * @param reason why, for the journal; never null
   */
  public void unpinBaseline(String reason) {
    Objects.requireNonNull(reason, "reason");
    if (d.state.baselineAsOf.isPresent()) {
      d.emit(d.clock.instant(), new ProcessEvent.BaselineUnpinned(reason));
    }
  }

  /** The instant the baseline is pinned at, or empty while it follows the feeds. */
  public Optional<Instant> baselineAsOf() {
    return d.state.baselineAsOf;
  }

  /**
   * The advisories whose latest publication waits for the pinned baseline to move, each with the
   * instant that publication was modified: known to the engine, not yet worked on.
   */
  public Map<AdvisoryId, Instant> awaitingBaseline() {
    Map<AdvisoryId, Instant> out = new TreeMap<>();
    d.state.awaitingBaseline.forEach((id, a) -> out.put(id, a.modified()));
    return Collections.unmodifiableMap(out);
  }

  /** The hosts remediated (patched and out of maintenance mode), since last asked for. */
  public Set<HostId> hostsRemediated() {
    return Collections.unmodifiableSet(new TreeSet<>(d.state.hosts.remediated));
  }

  /** The hosts skipped since last asked for, each with the reason. */
  public Map<HostId, String> hostsSkipped() {
    return Collections.unmodifiableMap(new TreeMap<>(d.state.hosts.skipped));
  }

  /**
   * The hosts whose patch was confirmed but not verified (the hypervisor still reports the patch
   * level they had before it), each with the reason: they are left in maintenance mode, empty and
   * out of service, for an operator; asking for them again clears the entry.
   */
  public Map<HostId, String> hostsUnverified() {
    return Collections.unmodifiableMap(new TreeMap<>(d.state.hosts.unverified));
  }

  /** The state's fingerprint, for tests that compare a replayed engine with a live one. */
  String stateFingerprint() {
    return StateFingerprint.of(d.state);
  }
}
