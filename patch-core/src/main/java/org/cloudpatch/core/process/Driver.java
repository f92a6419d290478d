package org.cloudpatch.core.process;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.spi.AdvisoryFeed;
import org.cloudpatch.core.spi.Applicability;
import org.cloudpatch.core.spi.ChangeSystem;
import org.cloudpatch.core.spi.EvidenceStore;
import org.cloudpatch.core.spi.HostRemediationPlanner;
import org.cloudpatch.core.spi.HypervisorAdapter;
import org.cloudpatch.core.spi.InventoryIndex;
import org.cloudpatch.core.spi.InventorySource;
import org.cloudpatch.core.spi.Journal;
import org.cloudpatch.core.spi.JournalEntry;
import org.cloudpatch.core.spi.Notifier;
import org.cloudpatch.core.spi.PatchExecutor;
import org.cloudpatch.core.spi.RolloutPlanner;
import org.cloudpatch.core.spi.StateSnapshotStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only code that touches the journal and the adapters: it commits each decision's events as one
 * all-or-nothing decision, applies them to the state, and runs adapter calls guarded and
 * time-bound, turning their results or failures into values the steps decide on.
 */
final class Driver {
  private static final Logger log = LoggerFactory.getLogger(Driver.class);

  final Clock clock;
  final List<AdvisoryFeed> feeds;
  final InventorySource inventory;
  final ChangeSystem changeSystem;
  final HypervisorAdapter hypervisor;
  final PatchExecutor executor;
  final Notifier notifier;
  final Applicability applicability;
  final RolloutPlanner planner;
  final Journal journal;
  final EvidenceStore evidence;
  final @Nullable HostRemediationPlanner hostPlanner;
  final @Nullable StateSnapshotStore snapshots;
  final long snapshotEvery;
  final ProcessPolicy policy;

  /** The inventories held for matching, when the applicability is an index; else null. */
  final @Nullable HeldInventories held;

  /** Replaced only while the engine is built, by a state restored from a snapshot image. */
  ProcessState state = new ProcessState();

  final Map<AssetId, Asset> assets = new TreeMap<>();
  private int risksPlanned;

  Driver(EngineBuilder b, List<AdvisoryFeed> feeds) {
    this.clock = b.clock();
    this.feeds = feeds;
    this.inventory = b.inventory();
    this.changeSystem = b.changeSystem();
    this.hypervisor = b.hypervisor();
    this.executor = b.executor();
    this.notifier = b.notifier();
    this.applicability = b.applicability();
    this.planner = b.planner();
    this.journal = b.journal();
    this.evidence = b.evidence();
    this.hostPlanner = b.hostPlanner;
    this.snapshots = b.snapshots;
    this.snapshotEvery = b.snapshotEvery;
    this.policy = b.policy();
    InventoryIndex index = b.inventoryIndex();
    this.held = index == null ? null : new HeldInventories(index);
  }

  /** An inventory the engine read (verification, catch-up): the index's copy from now on. */
  void observed(AssetId vm, Inventory inventory) {
    if (held != null) {
      held.observed(vm, Optional.of(inventory));
    }
  }

  /**
   * Rebuilds the state from the journal. A decision of several entries is applied only when all its
   * entries are there: a crash inside an append leaves a torn prefix, which is skipped.
   */
  void replay() {
    replay(journal.readAll());
  }

  /** Applies these entries, in order, to the state as it is (empty, or restored from an image). */
  void replay(List<JournalEntry> entries) {
    int i = 0;
    while (i < entries.size()) {
      JournalEntry first = entries.get(i);
      JsonNode decision = first.data().get(EventCodec.DECISION);
      if (decision == null) {
        state.apply(EventCodec.decode(first), first.at(), first.seq());
        i++;
        continue;
      }
      long start = decision.path("first").asLong(-1);
      int size = decision.path("size").asInt(0);
      int j = i;
      while (j < entries.size() && j - i < size && sameDecision(entries.get(j), start)) {
        j++;
      }
      // The marker's "first" names the decision; it is the seq the engine expected, which a
      // journal that interleaves entries of its own (checkpoints, recovery notes, left out of
      // readAll) may have shifted, so completeness is counted, not read off the seqs.
      if (j - i == size) {
        for (int k = i; k < j; k++) {
          JournalEntry e = entries.get(k);
          state.apply(EventCodec.decode(e), e.at(), e.seq());
        }
      } else {
        log.warn(
            "journal entries {} to {} are a torn decision of {} entries; ignored",
            first.seq(),
            entries.get(Math.max(i, j - 1)).seq(),
            size);
        state.tornDecisions++;
      }
      i = Math.max(j, i + 1);
    }
    if (!entries.isEmpty()) {
      state.nextSeq = entries.get(entries.size() - 1).seq() + 1;
      log.info("replayed {} journal entries", entries.size());
    }
  }

  private static boolean sameDecision(JournalEntry e, long start) {
    JsonNode d = e.data().get(EventCodec.DECISION);
    return d != null && d.path("first").asLong(-1) == start;
  }

  /**
   * Commits one decision: its events are appended as one batch, each entry of a batch of several
   * marked with the decision's first seq and size, then applied to the state.
   */
  void emit(Instant at, List<ProcessEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    long first = state.nextSeq;
    List<JournalEntry.Draft> drafts = new ArrayList<>(events.size());
    for (ProcessEvent e : events) {
      drafts.add(
          JournalEntry.Draft.builder()
              .at(at)
              .type(e.type())
              .tenant(tenantOf(e))
              .record(e.record())
              .data(EventCodec.encode(e, first, events.size()))
              .build());
    }
    List<JournalEntry> written = journal.append(drafts);
    for (int i = 0; i < events.size(); i++) {
      state.apply(events.get(i), at, written.get(i).seq());
    }
    risksPlanned = 0;
  }

  void emit(Instant at, ProcessEvent event) {
    emit(at, List.of(event));
  }

  private Optional<TenantId> tenantOf(ProcessEvent e) {
    Optional<TenantId> direct = e.tenant();
    if (direct.isPresent()) {
      return direct;
    }
    Optional<TrackingId> record = e.record();
    if (record.isPresent() && state.records.containsKey(record.get())) {
      return Optional.of(state.records.fields(record.get()).tenant());
    }
    Optional<AssetId> asset = e.asset();
    if (asset.isEmpty()) {
      return Optional.empty();
    }
    Asset known = assets.get(asset.get());
    if (known != null) {
      return Optional.of(known.tenant());
    }
    // Not read since a restart (the inventory's list failed): the tenant its tracking items were
    // journaled under, so that the entry still counts for that tenant alone.
    return state.anyRecordOf(asset.get()).map(TrackingRecord::tenant);
  }

  /** The next risk id: from the journal's count plus those handed out in the decision built. */
  String nextRiskId() {
    risksPlanned++;
    return String.format("RISK-%05d", state.risksOpened + risksPlanned);
  }

  /** What an adapter call gave: its value, or why it failed. */
  record Result<T>(@Nullable T value, String failure, @Nullable RuntimeException thrown) {
    Result(@Nullable T value, String failure) {
      this(value, failure, null);
    }

    boolean ok() {
      return value != null;
    }

    T get() {
      if (value == null) {
        throw new IllegalStateException("no value: " + failure);
      }
      return value;
    }

    Optional<T> optional() {
      return Optional.ofNullable(value);
    }
  }

  /**
   * Calls an adapter within its time bound, journaling nothing: an exception, a null, or a reply
   * that came after the bound is a failure (for an effect, failed-unknown: confirmed later by
   * repeating its key).
   */
  <T> Result<T> attempt(String adapter, String operation, Supplier<T> call) {
    Instant before = clock.instant();
    try {
      T result = call.get();
      if (result == null) {
        return new Result<>(null, adapter + "." + operation + " returned null");
      }
      Duration took = Duration.between(before, clock.instant());
      Duration bound = policy.timeout(adapter);
      if (took.compareTo(bound) > 0) {
        return new Result<>(
            null,
            adapter
                + "."
                + operation
                + " answered after "
                + took
                + ", over its bound of "
                + bound
                + "; treated as failed, confirmed later by its key");
      }
      return new Result<>(result, "");
    } catch (RuntimeException e) {
      String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
      Throwable cause = e.getCause();
      if (cause != null && cause != e) {
        // A wrapper's message rarely says what the far side answered; its cause does.
        reason += " (cause " + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
      }
      log.warn("{}.{} failed: {}", adapter, operation, reason);
      return new Result<>(null, reason, e);
    }
  }

  /** {@link #attempt} for a call without a value. */
  Result<Boolean> attemptRun(String adapter, String operation, Runnable call) {
    return attempt(
        adapter,
        operation,
        () -> {
          call.run();
          return Boolean.TRUE;
        });
  }

  /** A read whose failure is journaled as {@code adapter.failed} and tried again next tick. */
  <T> Optional<T> call(
      Instant now, String adapter, String operation, Optional<AssetId> vm, Supplier<T> call) {
    Result<T> r = attempt(adapter, operation, call);
    if (!r.ok()) {
      emit(now, new ProcessEvent.AdapterFailed(adapter, operation, vm, r.failure()));
    }
    return r.optional();
  }

  /**
   * Runs host code (policy, grouping, intel) for {@code subject}: an exception parks the subject
   * with a journaled reason, to be tried again later, and gives empty.
   */
  <T> Optional<T> host(Instant now, String subject, String what, Supplier<T> code) {
    try {
      T value = code.get();
      if (value == null) {
        throw new IllegalStateException(what + " returned null");
      }
      return Optional.of(value);
    } catch (RuntimeException e) {
      String reason = what + " threw " + e.getClass().getSimpleName() + ": " + e.getMessage();
      log.warn("{} parked: {}", subject, reason);
      emit(now, new EffectEvents.WorkParked(subject, reason));
      return Optional.empty();
    }
  }

  /** Reads the inventory's assets again; false (journaled as adapter.failed) if the read failed. */
  boolean refreshAssets(Instant now) {
    Optional<List<Asset>> read =
        call(now, "InventorySource", "assets", Optional.empty(), inventory::assets);
    read.ifPresent(
        list -> {
          assets.clear();
          list.forEach(a -> assets.put(a.id(), a));
        });
    return read.isPresent();
  }
}
