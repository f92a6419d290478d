package org.cloudpatch.core.process;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cloudpatch.core.spi.AdvisoryFeed;
import org.cloudpatch.core.spi.Applicability;
import org.cloudpatch.core.spi.ChangeSystem;
import org.cloudpatch.core.spi.EvidenceStore;
import org.cloudpatch.core.spi.HostRemediationPlanner;
import org.cloudpatch.core.spi.HypervisorAdapter;
import org.cloudpatch.core.spi.InventoryIndex;
import org.cloudpatch.core.spi.InventorySource;
import org.cloudpatch.core.spi.Journal;
import org.cloudpatch.core.spi.Notifier;
import org.cloudpatch.core.spi.PatchExecutor;
import org.cloudpatch.core.spi.RolloutPlanner;
import org.cloudpatch.core.spi.StateSnapshotStore;
import org.jspecify.annotations.Nullable;

/** Builds a {@link PatchEngine}. Not thread-safe. */
public final class EngineBuilder {
  private @Nullable Clock clock;
  final List<AdvisoryFeed> feeds = new ArrayList<>();
  private @Nullable InventorySource inventory;
  private @Nullable ChangeSystem changeSystem;
  private @Nullable HypervisorAdapter hypervisor;
  private @Nullable PatchExecutor executor;
  private @Nullable Notifier notifier;
  private @Nullable Applicability applicability;
  private @Nullable RolloutPlanner planner;
  private @Nullable Journal journal;
  private @Nullable EvidenceStore evidence;
  @Nullable HostRemediationPlanner hostPlanner;
  private ProcessPolicy policy = ProcessPolicy.defaults();
  @Nullable StateSnapshotStore snapshots;
  long snapshotEvery;

  EngineBuilder() {}

  /** The clock every instant comes from; a virtual one makes runs reproducible. */
  public EngineBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** Adds a feed; feeds are read in the order added. */
  public EngineBuilder addFeed(AdvisoryFeed feed) {
    this.feeds.add(Objects.requireNonNull(feed, "feed"));
    return this;
  }

  /** The assets and their inventories. */
  public EngineBuilder inventorySource(InventorySource inventory) {
    this.inventory = Objects.requireNonNull(inventory, "inventory");
    return this;
  }

  /** The change system. */
  public EngineBuilder changeSystem(ChangeSystem changeSystem) {
    this.changeSystem = Objects.requireNonNull(changeSystem, "changeSystem");
    return this;
  }

  /** The hypervisor. */
  public EngineBuilder hypervisor(HypervisorAdapter hypervisor) {
    this.hypervisor = Objects.requireNonNull(hypervisor, "hypervisor");
    return this;
  }

  /** The patch executor. */
  public EngineBuilder executor(PatchExecutor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
    return this;
  }

  /** The notifier. */
  public EngineBuilder notifier(Notifier notifier) {
    this.notifier = Objects.requireNonNull(notifier, "notifier");
    return this;
  }

  /**
   * The applicability port (patch-inventory's {@code OsvApplicability} by default). When it is an
   * {@link InventoryIndex} (patch-inventory's {@code IndexedApplicability}), the engine holds the
   * fleet's inventories in it and keeps them current from {@link InventorySource#changes}: a new
   * advisory reads only the inventories the feed says changed, and every inventory whenever the
   * feed cannot vouch. The findings, and the journal, are the same either way. The engine clears
   * the index when built: give each engine its own, or reuse one only across restarts.
   */
  public EngineBuilder applicability(Applicability applicability) {
    this.applicability = Objects.requireNonNull(applicability, "applicability");
    return this;
  }

  /** The rollout planner (patch-scheduling's {@code WavePlanner} by default). */
  public EngineBuilder planner(RolloutPlanner planner) {
    this.planner = Objects.requireNonNull(planner, "planner");
    return this;
  }

  /** The journal; when it holds entries, the engine replays them on build. */
  public EngineBuilder journal(Journal journal) {
    this.journal = Objects.requireNonNull(journal, "journal");
    return this;
  }

  /** Where evidence bundles go. */
  public EngineBuilder evidenceStore(EvidenceStore evidence) {
    this.evidence = Objects.requireNonNull(evidence, "evidence");
    return this;
  }

  /**
   * The host remediation planner (patch-scheduling's {@code EvacuationRemediationPlanner} by
   * default); optional: without it {@link PatchEngine#remediateHosts} is refused.
   */
  public EngineBuilder hostRemediationPlanner(HostRemediationPlanner hostPlanner) {
    this.hostPlanner = Objects.requireNonNull(hostPlanner, "hostPlanner");
    return this;
  }

  /** The enterprise's policy; {@link ProcessPolicy#defaults()} if not set. */
  public EngineBuilder policy(ProcessPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * Where images of the engine's state go ({@link PatchEngine#snapshotState()}); optional. With it,
   * the engine is built from the store's latest image and the journal's entries after it, instead
   * of the whole journal, when the image verifies against the journal: its {@code state.snapshot}
   * entry is there, the image's SHA-256 and its state's fingerprint are the ones journaled. An
   * image that does not verify (an orphan without its entry, corrupt, truncated, of another
   * journal) is journaled as {@code state.snapshot.ignored} with the reason, and the whole journal
   * is replayed: never a wrong state, at worst a slow start.
   */
  public EngineBuilder stateSnapshotStore(StateSnapshotStore store) {
    this.snapshots = Objects.requireNonNull(store, "store");
    return this;
  }

  /**
   * Snapshots the state at the end of a tick once {@code entries} journal entries have been written
   * since the latest snapshot (0, the default: only when asked for). A store that fails is
   * journaled as {@code adapter.failed} and tried again after the next tick. Needs {@link
   * #stateSnapshotStore}.
   *
   * @param entries how many entries between snapshots, not negative
   * @throws IllegalArgumentException if {@code entries} is negative
   */
  public EngineBuilder snapshotEvery(long entries) {
    if (entries < 0) {
      throw new IllegalArgumentException("snapshotEvery " + entries + " is negative");
    }
    this.snapshotEvery = entries;
    return this;
  }

  /**
   * Builds the engine, replaying the journal's entries (from a verified snapshot image, if a store
   * is set).
   *
   * @throws NullPointerException naming the first required collaborator that is missing
   * @throws IllegalStateException if {@link #snapshotEvery} is set without a snapshot store
   * @throws org.cloudpatch.core.PatchException when the journal holds an entry it cannot read
   */
  public PatchEngine build() {
    if (snapshotEvery > 0 && snapshots == null) {
      throw new IllegalStateException("snapshotEvery needs a stateSnapshotStore");
    }
    return new PatchEngine(this);
  }

  Clock clock() {
    return Objects.requireNonNull(clock, "clock");
  }

  InventorySource inventory() {
    return Objects.requireNonNull(inventory, "inventorySource");
  }

  ChangeSystem changeSystem() {
    return Objects.requireNonNull(changeSystem, "changeSystem");
  }

  HypervisorAdapter hypervisor() {
    return Objects.requireNonNull(hypervisor, "hypervisor");
  }

  PatchExecutor executor() {
    return Objects.requireNonNull(executor, "executor");
  }

  Notifier notifier() {
    return Objects.requireNonNull(notifier, "notifier");
  }

  Applicability applicability() {
    return Objects.requireNonNull(applicability, "applicability");
  }

  /** The applicability, when it is an index the engine should keep current; else null. */
  @Nullable InventoryIndex inventoryIndex() {
    return applicability() instanceof InventoryIndex index ? index : null;
  }

  RolloutPlanner planner() {
    return Objects.requireNonNull(planner, "planner");
  }

  Journal journal() {
    return Objects.requireNonNull(journal, "journal");
  }

  EvidenceStore evidence() {
    return Objects.requireNonNull(evidence, "evidenceStore");
  }

  ProcessPolicy policy() {
    return policy;
  }
}
