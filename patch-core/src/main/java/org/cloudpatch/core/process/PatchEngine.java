package org.cloudpatch.core.process;

import static org.cloudpatch.core.process.ProcessState.known;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.ChangeId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.asset.LifecycleEvent;
import org.cloudpatch.core.finding.Finding;
import org.cloudpatch.core.finding.FindingStatus;
import org.cloudpatch.core.process.ProcessEvent.ItemRef;
import org.cloudpatch.core.process.ProcessState.CatchUp;
import org.cloudpatch.core.process.ProcessState.ChangeState;
import org.cloudpatch.core.process.ProcessState.PlannedWave;
import org.cloudpatch.core.process.TrackingItem.ItemState;
import org.cloudpatch.core.rollout.ChangeRequest;
import org.cloudpatch.core.rollout.PackageUpdate;
import org.cloudpatch.core.rollout.PatchJob;
import org.cloudpatch.core.rollout.PatchOutcome;
import org.cloudpatch.core.rollout.RolloutPlan;
import org.cloudpatch.core.rollout.RolloutRequest;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.rollout.Wave;
import org.cloudpatch.core.severity.Assessment;
import org.cloudpatch.core.severity.Priority;
import org.cloudpatch.core.spi.AdvisoryFeed;
import org.cloudpatch.core.spi.Applicability;
import org.cloudpatch.core.spi.ChangeSystem;
import org.cloudpatch.core.spi.EvidenceStore;
import org.cloudpatch.core.spi.HypervisorAdapter;
import org.cloudpatch.core.spi.InventorySource;
import org.cloudpatch.core.spi.Journal;
import org.cloudpatch.core.spi.JournalEntry;
import org.cloudpatch.core.spi.Notifier;
import org.cloudpatch.core.spi.PatchExecutor;
import org.cloudpatch.core.spi.RolloutPlanner;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver of the patch process: carries every advisory from its feed to patched, verified and
 * closed tracking records with evidence, through the SPIs it is built with.
 *
 * <p>Each {@link #tick()} looks at the world once, at the injected clock's instant, and does the
 * work that is due: it reads feeds and lifecycle events, opens and notifies tracking records, plans
 * waves and change requests, starts due patch jobs, polls running ones, verifies them by
 * re-inventory, rolls back and records risks, and closes what is settled. It never waits: a patch
 * job, an approval or a window is state, looked at again on the next tick. The host decides which
 * thread calls {@code tick()} and how often; calls must not overlap.
 *
 * <p>Every event is appended to the {@link Journal} before its effect; an engine built on a journal
 * that has entries first replays them, so that after a crash it continues where the journal ends
 * and nothing acknowledged is lost. An exception from an adapter becomes an {@code adapter.failed}
 * entry and a failed or retried step, never a crashed tick; only a failing journal stops a tick,
 * because nothing may happen that the journal does not hold.
 */
public final class PatchEngine {
  private static final Logger log = LoggerFactory.getLogger(PatchEngine.class);
  private static final int FEED_PAGE_SIZE = 200;
  private static final int MAX_PAGES_PER_TICK = 50;

  private final Clock clock;
  private final List<AdvisoryFeed> feeds;
  private final InventorySource inventory;
  private final ChangeSystem changeSystem;
  private final HypervisorAdapter hypervisor;
  private final PatchExecutor executor;
  private final Notifier notifier;
  private final Applicability applicability;
  private final RolloutPlanner planner;
  private final Journal journal;
  private final EvidenceStore evidence;
  private final ProcessPolicy policy;

  private final ProcessState state = new ProcessState();
  // Executor handles are not journaled: a submit is idempotent by job key, so after a restart
  // the handle is had again by submitting the journaled job once more.
  private final Map<String, String> handles = new HashMap<>();
  private final Map<AssetId, Asset> assets = new TreeMap<>();

  private PatchEngine(Builder b) {
    this.clock = Objects.requireNonNull(b.clock, "clock");
    this.feeds = List.copyOf(b.feeds);
    this.inventory = Objects.requireNonNull(b.inventory, "inventorySource");
    this.changeSystem = Objects.requireNonNull(b.changeSystem, "changeSystem");
    this.hypervisor = Objects.requireNonNull(b.hypervisor, "hypervisor");
    this.executor = Objects.requireNonNull(b.executor, "executor");
    this.notifier = Objects.requireNonNull(b.notifier, "notifier");
    this.applicability = Objects.requireNonNull(b.applicability, "applicability");
    this.planner = Objects.requireNonNull(b.planner, "planner");
    this.journal = Objects.requireNonNull(b.journal, "journal");
    this.evidence = Objects.requireNonNull(b.evidence, "evidenceStore");
    this.policy = Objects.requireNonNull(b.policy, "policy");
    replay();
  }

  /** A builder; every collaborator but the feeds and the policy is required. */
  public static Builder builder() {
    return new Builder();
  }

  private void replay() {
    List<JournalEntry> entries = journal.readAll();
    for (JournalEntry entry : entries) {
      state.apply(EventCodec.decode(entry), entry.at(), entry.seq());
    }
    if (!entries.isEmpty()) {
      log.info("replayed {} journal entries", entries.size());
    }
  }

  /**
   * Does all work that is due at the clock's instant.
   *
   * @throws org.cloudpatch.core.PatchException only when the journal cannot be written; the tick
   *     did nothing that the journal does not hold
   */
  public void tick() {
    Instant now = clock.instant();
    if (assets.isEmpty()) {
      refreshAssets(now);
    }
    pollLifecycle(now);
    pollFeeds(now);
    processAdvisories(now);
    deliverNotifications(now);
    pollJobs(now);
    runCatchUps(now);
    planAffectedItems(now);
    pollApprovals(now);
    startDueWaves(now);
    settleRecords(now);
    storeEvidence(now);
    closeChanges(now);
  }

  // ---- views for hosts and reports -------------------------------------------------------

  /** Every tracking record, by id; a snapshot. */
  public List<TrackingRecord> trackingRecords() {
    return List.copyOf(state.records.values());
  }

  /** Every risk item, by id; a snapshot. */
  public List<RiskItem> riskItems() {
    return List.copyOf(state.risks.values());
  }

  /** The VMs held from their users until they are caught up. */
  public Set<AssetId> heldForCatchUp() {
    return Collections.unmodifiableSet(new TreeSet<>(state.catchUps.keySet()));
  }

  /** The assessment of an advisory, once it is assessed. */
  public Optional<Assessment> assessment(AdvisoryId advisory) {
    return Optional.ofNullable(state.assessments.get(advisory));
  }

  /** How many journal entries of each type the engine has written or replayed. */
  public Map<String, Integer> entriesByType() {
    return Collections.unmodifiableMap(new TreeMap<>(state.entriesByType));
  }

  /** Whether nothing is running or waiting to run: no job, no planned wave, no held VM. */
  public boolean isIdle() {
    return state.jobsInFlight.isEmpty()
        && state.activeWaves().isEmpty()
        && state.catchUps.values().stream().allMatch(c -> c.givenUp)
        && state.records.values().stream().noneMatch(r -> r.status() == TrackingRecord.Status.OPEN);
  }

  // ---- journal first -----------------------------------------------------------------------

  private void emit(Instant at, List<ProcessEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    List<JournalEntry.Draft> drafts = new ArrayList<>(events.size());
    for (ProcessEvent e : events) {
      drafts.add(
          JournalEntry.Draft.builder()
              .at(at)
              .type(e.type())
              .tenant(tenantOf(e))
              .record(e.record())
              .data(EventCodec.encode(e))
              .build());
    }
    List<JournalEntry> written = journal.append(drafts);
    for (int i = 0; i < events.size(); i++) {
      state.apply(events.get(i), at, written.get(i).seq());
    }
    risksPlanned = 0;
  }

  private void emit(Instant at, ProcessEvent event) {
    emit(at, List.of(event));
  }

  private Optional<TenantId> tenantOf(ProcessEvent e) {
    Optional<TenantId> direct = e.tenant();
    if (direct.isPresent()) {
      return direct;
    }
    Optional<TrackingId> record = e.record();
    if (record.isPresent() && state.records.containsKey(record.get())) {
      return Optional.of(known(state.records, record.get()).tenant());
    }
    return e.asset().map(assets::get).map(Asset::tenant);
  }

  // ---- guarded adapter calls -----------------------------------------------------------------

  private <T> Optional<T> call(
      Instant now, String adapter, String operation, Optional<AssetId> vm, Supplier<T> call) {
    try {
      T result = call.get();
      if (result == null) {
        throw new IllegalStateException(adapter + "." + operation + " returned null");
      }
      return Optional.of(result);
    } catch (RuntimeException e) {
      String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
      log.warn(
          "{}.{} failed{}: {}", adapter, operation, vm.map(v -> " for " + v).orElse(""), reason);
      emit(now, new ProcessEvent.AdapterFailed(adapter, operation, vm, reason));
      return Optional.empty();
    }
  }

  private boolean run(
      Instant now, String adapter, String operation, Optional<AssetId> vm, Runnable call) {
    return call(
            now,
            adapter,
            operation,
            vm,
            () -> {
              call.run();
              return Boolean.TRUE;
            })
        .isPresent();
  }

  private void refreshAssets(Instant now) {
    call(now, "InventorySource", "assets", Optional.empty(), inventory::assets)
        .ifPresent(
            list -> {
              assets.clear();
              list.forEach(a -> assets.put(a.id(), a));
            });
  }

  // ---- steps 1 and 2: feeds and the subscription ------------------------------------------

  private void pollFeeds(Instant now) {
    for (AdvisoryFeed feed : feeds) {
      String name = feed.name();
      for (int page = 0; page < MAX_PAGES_PER_TICK; page++) {
        Optional<String> cursor = state.feedCursors.getOrDefault(name, Optional.empty());
        Optional<AdvisoryFeed.Page> fetched =
            call(
                now,
                "AdvisoryFeed:" + name,
                "fetch",
                Optional.empty(),
                () -> feed.fetch(cursor, FEED_PAGE_SIZE));
        if (fetched.isEmpty()) {
          break;
        }
        AdvisoryFeed.Page p = fetched.get();
        Optional<String> next = p.nextCursor().isPresent() ? p.nextCursor() : cursor;
        if (p.advisories().isEmpty() && p.quarantined().isEmpty() && next.equals(cursor)) {
          break;
        }
        List<ProcessEvent> events = new ArrayList<>();
        List<AdvisoryId> delivered = new ArrayList<>();
        List<AdvisoryId> duplicates = new ArrayList<>();
        Map<AdvisoryId, Advisory> seen = new HashMap<>();
        for (Advisory a : p.advisories()) {
          Advisory known = seen.getOrDefault(a.id(), state.advisories.get(a.id()));
          if (known != null && !a.modified().isAfter(known.modified())) {
            duplicates.add(a.id());
            continue;
          }
          seen.put(a.id(), a);
          events.add(new ProcessEvent.AdvisoryPublished(name, a));
          delivered.add(a.id());
        }
        events.add(
            new ProcessEvent.SubscriptionAdvanced(
                name, next, delivered, duplicates, p.quarantined()));
        emit(now, events);
        if (next.equals(cursor)) {
          break;
        }
      }
    }
  }

  // ---- steps 3 to 6: severity, applicability, tracking records, notifications -------------

  private void processAdvisories(Instant now) {
    for (AdvisoryId id : List.copyOf(state.unprocessed)) {
      Advisory advisory = known(state.advisories, id);
      if (advisory.withdrawn().isPresent()) {
        withdraw(now, advisory);
      } else {
        assess(now, advisory);
      }
    }
  }

  private void withdraw(Instant now, Advisory advisory) {
    List<ProcessEvent> events = new ArrayList<>();
    events.add(
        new ProcessEvent.AdvisoryWithdrawn(advisory.id(), advisory.withdrawn().orElseThrow()));
    for (TrackingRecord r : state.records.values()) {
      if (r.advisory().equals(advisory.id()) && r.status() == TrackingRecord.Status.OPEN) {
        events.add(
            new ProcessEvent.TrackingWithdrawn(
                r.id(),
                "the vendor withdrew " + advisory.id() + " at " + advisory.withdrawn().get()));
      }
    }
    emit(now, events);
  }

  private void assess(Instant now, Advisory advisory) {
    refreshAssets(now);
    List<Inventory> fleet = new ArrayList<>();
    for (AssetId id : assets.keySet()) {
      call(now, "InventorySource", "inventory", Optional.of(id), () -> inventory.inventory(id))
          .flatMap(o -> o)
          .ifPresent(fleet::add);
    }
    Optional<List<Finding>> matched =
        call(
            now,
            "Applicability",
            "assess",
            Optional.empty(),
            () -> applicability.assess(advisory, fleet));
    if (matched.isEmpty()) {
      return; // stays unprocessed; tried again on the next tick
    }
    Assessment assessment = policy.severity().assess(advisory, now);
    Map<AssetId, List<Finding>> affected = new TreeMap<>();
    int unknown = 0;
    Set<String> packages = new TreeSet<>();
    // An update re-runs applicability; only assets not yet tracked for the advisory become new
    // work, so that an update never doubles a record or a patch.
    Set<String> tracked = trackedFindings(advisory.id());
    Set<AssetId> affectedAssets = new TreeSet<>();
    for (Finding f : matched.get()) {
      if (f.status() == FindingStatus.AFFECTED && assets.containsKey(f.asset())) {
        affectedAssets.add(f.asset());
        packages.add(f.ecosystem() + "/" + f.packageName());
        if (!tracked.contains(findingKey(f.asset(), f))) {
          affected.computeIfAbsent(f.asset(), a -> new ArrayList<>()).add(f);
        }
      } else if (f.status() == FindingStatus.UNKNOWN) {
        unknown++;
      }
    }
    List<ProcessEvent> events = new ArrayList<>();
    events.add(new ProcessEvent.SeverityAssessed(assessment));
    events.add(
        new ProcessEvent.ApplicabilityMatched(
            advisory.id(), fleet.size(), affectedAssets.size(), unknown, List.copyOf(packages)));
    TimingMode mode =
        policy.sameInstant().test(advisory) ? TimingMode.SAME_INSTANT : TimingMode.LOCAL_TIME;
    // One record per (tenant, resolver group): the unit a team works and is audited on.
    Map<String, List<Finding>> byOwner = new TreeMap<>();
    Map<TenantId, List<AssetId>> byTenant = new TreeMap<>();
    for (Map.Entry<AssetId, List<Finding>> e : affected.entrySet()) {
      Asset asset = known(assets, e.getKey());
      String group = policy.resolverGroup().apply(asset);
      byOwner
          .computeIfAbsent(asset.tenant().value() + "\u0000" + group, k -> new ArrayList<>())
          .addAll(e.getValue());
      byTenant.computeIfAbsent(asset.tenant(), t -> new ArrayList<>()).add(asset.id());
    }
    for (Map.Entry<String, List<Finding>> e : byOwner.entrySet()) {
      String[] key = e.getKey().split("\u0000", 2);
      TenantId tenant = TenantId.of(key[0]);
      TrackingId base = TrackingId.of("TR-" + advisory.id() + "-" + tenant + "-" + key[1]);
      TrackingRecord open = state.records.get(base);
      List<Finding> fresh = e.getValue();
      if (open != null && open.status() == TrackingRecord.Status.OPEN) {
        // New findings join the open record unless their asset's item there is already settled:
        // a verified item keeps its evidence as it was, so that work needs a record of its own.
        List<Finding> join = new ArrayList<>();
        List<Finding> apart = new ArrayList<>();
        for (Finding f : fresh) {
          TrackingItem item = open.items().get(f.asset());
          (item != null && item.state().isSettled() ? apart : join).add(f);
        }
        if (!join.isEmpty()) {
          events.add(new ProcessEvent.TrackingExtended(base, join));
        }
        fresh = apart;
      }
      if (fresh.isEmpty()) {
        continue;
      }
      // A settled record keeps its evidence as it was; the update's new work gets its own record.
      TrackingId id = base;
      for (int n = 2; state.records.containsKey(id); n++) {
        id = TrackingId.of(base.value() + "-" + n);
      }
      events.add(
          new ProcessEvent.TrackingOpened(
              id,
              advisory.id(),
              tenant,
              key[1],
              assessment.priority(),
              assessment.due(),
              mode,
              fresh));
    }
    if (assessment.priority().compareTo(policy.notifyAtOrAbove()) <= 0) {
      byTenant.forEach(
          (tenant, list) ->
              events.add(
                  new ProcessEvent.NotificationQueued(
                      "N-" + advisory.id() + "-" + tenant + "-" + advisory.modified(),
                      tenant,
                      advisory.id(),
                      list)));
    }
    emit(now, events);
  }

  /** The (asset, package) findings that a record of the advisory already covers. */
  private Set<String> trackedFindings(AdvisoryId advisory) {
    Set<String> out = new TreeSet<>();
    for (TrackingRecord r : state.records.values()) {
      if (r.advisory().equals(advisory) && r.status() != TrackingRecord.Status.WITHDRAWN) {
        for (TrackingItem i : r.items().values()) {
          i.findings().forEach(f -> out.add(findingKey(i.asset(), f)));
        }
      }
    }
    return out;
  }

  private static String findingKey(AssetId asset, Finding f) {
    return asset.value() + "\u0000" + f.ecosystem() + "\u0000" + f.packageName();
  }

  private void deliverNotifications(Instant now) {
    for (ProcessEvent.NotificationQueued n : List.copyOf(state.pendingNotifications.values())) {
      Instant retryAt = state.notificationRetryAt.get(n.key());
      if (retryAt != null && now.isBefore(retryAt)) {
        continue;
      }
      Advisory advisory = known(state.advisories, n.advisory());
      Assessment assessment = known(state.assessments, n.advisory());
      Notifier.Notification message =
          Notifier.Notification.builder()
              .key(n.key())
              .tenant(n.to())
              .advisory(n.advisory())
              .assets(n.assets())
              .subject(
                  "["
                      + assessment.priority()
                      + "] "
                      + advisory.id()
                      + " affects "
                      + n.assets().size()
                      + " of your assets")
              .body(
                  advisory.summary()
                      + "\nDue: "
                      + assessment.due()
                      + "\nAffected assets: "
                      + n.assets())
              .build();
      try {
        notifier.deliver(message);
        emit(now, new ProcessEvent.NotificationSent(n.key(), n.to(), n.advisory(), n.assets()));
      } catch (RuntimeException e) {
        log.warn("notification {} to {} failed: {}", n.key(), n.to(), e.toString());
        emit(now, new ProcessEvent.NotificationFailed(n.key(), n.to(), e.toString()));
      }
    }
  }

  // ---- step 7: rollout plans and change requests ------------------------------------------

  private void planAffectedItems(Instant now) {
    for (TimingMode mode : TimingMode.values()) {
      Map<AssetId, List<ItemRef>> byAsset = new TreeMap<>();
      for (TrackingRecord r : state.records.values()) {
        if (r.status() != TrackingRecord.Status.OPEN || r.timingMode() != mode) {
          continue;
        }
        for (TrackingItem i : r.items().values()) {
          if (i.state() == ItemState.AFFECTED
              && !state.catchUps.containsKey(i.asset())
              && assets.containsKey(i.asset())) {
            byAsset
                .computeIfAbsent(i.asset(), a -> new ArrayList<>())
                .add(new ItemRef(r.id(), i.asset()));
          }
        }
      }
      if (!byAsset.isEmpty()) {
        plan(now, mode, byAsset);
      }
    }
  }

  private void plan(Instant now, TimingMode mode, Map<AssetId, List<ItemRef>> byAsset) {
    RolloutRequest request =
        RolloutRequest.builder()
            .assets(byAsset.keySet().stream().map(assets::get).toList())
            .timingMode(mode)
            .notBefore(now)
            .maxConcurrency(policy.maxConcurrency())
            .existing(state.activeWaves())
            .build();
    Optional<RolloutPlan> planned =
        call(now, "RolloutPlanner", "plan", Optional.empty(), () -> planner.plan(request));
    if (planned.isEmpty()) {
      return;
    }
    RolloutPlan plan = planned.get();
    List<ProcessEvent> events = new ArrayList<>();
    // One change request per maintenance window of the plan.
    Map<String, List<Wave>> byWindow = new TreeMap<>();
    for (Wave w : plan.waves()) {
      byWindow
          .computeIfAbsent(w.window().start() + " " + w.window().zone(), k -> new ArrayList<>())
          .add(w);
    }
    int changeNo = state.changes.size();
    int waveNo = state.waves.size();
    List<ChangeRequest> opened = new ArrayList<>();
    for (List<Wave> windowWaves : byWindow.values()) {
      String changeKey = String.format("CHG-%05d", ++changeNo);
      Set<AssetId> scope = new TreeSet<>();
      Set<AdvisoryId> advisories = new TreeSet<>();
      Priority mostUrgent = Priority.P4;
      List<ProcessEvent> waveEvents = new ArrayList<>();
      for (Wave w : windowWaves) {
        List<ItemRef> items = new ArrayList<>();
        for (AssetId a : w.assets()) {
          List<ItemRef> refs = byAsset.get(a);
          if (refs == null) {
            continue; // the planner may only place what it was asked to
          }
          items.addAll(refs);
          scope.add(a);
          for (ItemRef ref : refs) {
            TrackingRecord r = known(state.records, ref.record());
            advisories.add(r.advisory());
            if (r.priority().compareTo(mostUrgent) < 0) {
              mostUrgent = r.priority();
            }
          }
        }
        waveEvents.add(
            new ProcessEvent.RolloutPlanned(
                String.format("W-%05d", ++waveNo), w, changeKey, items));
      }
      Wave first = windowWaves.get(0);
      ChangeRequest change =
          ChangeRequest.builder()
              .key(changeKey)
              .type(policy.changeType().apply(mostUrgent))
              .window(first.window())
              .scope(scope)
              .advisories(advisories)
              .summary(
                  "Patch "
                      + scope.size()
                      + " assets for "
                      + advisories
                      + " in the "
                      + first.window().zone()
                      + " window at "
                      + first.window().start())
              .build();
      events.add(new ProcessEvent.ChangeRequested(change));
      events.addAll(waveEvents);
      opened.add(change);
    }
    for (Map.Entry<AssetId, String> u : plan.unplaced().entrySet()) {
      for (ItemRef ref : byAsset.getOrDefault(u.getKey(), List.of())) {
        events.add(new ProcessEvent.RolloutUnplaced(ref.record(), ref.asset(), u.getValue()));
        events.add(risk(now, ref, "could not be placed in a window: " + u.getValue()));
      }
    }
    emit(now, events);
    for (ChangeRequest change : opened) {
      openChange(now, change);
    }
  }

  private void openChange(Instant now, ChangeRequest request) {
    call(now, "ChangeSystem", "open", Optional.empty(), () -> changeSystem.open(request))
        .ifPresent(id -> emit(now, new ProcessEvent.ChangeOpened(request.key(), id)));
  }

  private void pollApprovals(Instant now) {
    for (ChangeState c : List.copyOf(state.changes.values())) {
      if (c.closed || c.approval != ChangeRequest.Approval.PENDING) {
        continue;
      }
      if (c.id.isEmpty()) {
        openChange(now, c.request); // open is idempotent by key
        continue;
      }
      ChangeId id = c.id.get();
      call(now, "ChangeSystem", "approval", Optional.empty(), () -> changeSystem.approval(id))
          .filter(a -> a != ChangeRequest.Approval.PENDING)
          .ifPresent(a -> emit(now, new ProcessEvent.ChangeDecided(c.request.key(), id, a)));
    }
  }

  // ---- step 8: patch jobs ------------------------------------------------------------------

  private void startDueWaves(Instant now) {
    List<PlannedWave> due = new ArrayList<>();
    for (PlannedWave w : state.waves.values()) {
      if (!w.done() && !w.wave.start().isAfter(now)) {
        due.add(w);
      }
    }
    due.sort((a, b) -> a.wave.start().compareTo(b.wave.start()));
    for (PlannedWave w : due) {
      ChangeState change = known(state.changes, w.changeKey);
      List<ItemRef> pendingItems = pendingItems(w);
      if (change.approval == ChangeRequest.Approval.REJECTED) {
        List<ProcessEvent> events = new ArrayList<>();
        events.add(
            new ProcessEvent.RolloutMissed(
                w.id, pendingItems, "change " + w.changeKey + " was rejected"));
        for (ItemRef ref : pendingItems) {
          events.add(risk(now, ref, "change " + w.changeKey + " was rejected"));
        }
        emit(now, events);
      } else if (now.isAfter(w.wave.window().cutoff())) {
        emit(
            now,
            new ProcessEvent.RolloutMissed(
                w.id,
                pendingItems,
                "window passed before wave "
                    + w.id
                    + " could run (change "
                    + w.changeKey
                    + " "
                    + change.approval
                    + ")"));
      } else if (change.approval == ChangeRequest.Approval.APPROVED) {
        startWave(now, w);
      }
    }
  }

  private List<ItemRef> pendingItems(PlannedWave w) {
    List<ItemRef> out = new ArrayList<>();
    for (AssetId a : w.pending) {
      out.addAll(w.itemsByAsset.get(a));
    }
    return out;
  }

  private void startWave(Instant now, PlannedWave w) {
    boolean canPatchSuspended =
        call(now, "HypervisorAdapter", "capabilities", Optional.empty(), hypervisor::capabilities)
            .map(HypervisorAdapter.Capabilities::canPatchSuspended)
            .orElse(false);
    List<AssetId> ready = new ArrayList<>();
    boolean allReady = true;
    for (AssetId vm : List.copyOf(w.pending)) {
      List<ItemRef> items = known(w.itemsByAsset, vm);
      if (state.catchUps.containsKey(vm)) {
        emit(
            now, new ProcessEvent.PatchDeferred(Optional.of(w.id), vm, items, "held for catch-up"));
        continue;
      }
      Optional<Asset.PowerState> power =
          call(
                  now,
                  "HypervisorAdapter",
                  "powerState",
                  Optional.of(vm),
                  () -> hypervisor.powerState(vm))
              .flatMap(p -> p);
      if (power.isEmpty()) {
        allReady = false; // unknown now; tried again next tick until the cutoff
        continue;
      }
      boolean patchable =
          power.get() == Asset.PowerState.RUNNING
              || (power.get() == Asset.PowerState.SUSPENDED && canPatchSuspended);
      if (!patchable) {
        emit(
            now,
            new ProcessEvent.PatchDeferred(
                Optional.of(w.id), vm, items, "VM is " + power.get() + " when its wave came"));
      } else if (state.busy(vm)) {
        allReady = false;
      } else {
        ready.add(vm);
      }
    }
    int free = policy.maxConcurrency() - state.inFlight();
    if (w.wave.timingMode() == TimingMode.SAME_INSTANT && (!allReady || ready.size() > free)) {
      // A group starts whole, at one instant: it waits for every member and for room, until its
      // cutoff, after which it is planned whole into a later window.
      return;
    }
    for (AssetId vm : ready) {
      if (state.inFlight() >= policy.maxConcurrency()) {
        break;
      }
      List<ItemRef> items = known(w.itemsByAsset, vm);
      int attempt = 1 + items.stream().mapToInt(ref -> item(ref).attempts()).max().orElse(0);
      startJob(now, vm, Optional.of(w.id), items, advisoriesOf(items), attempt, Optional.empty());
    }
  }

  private TrackingItem item(ItemRef ref) {
    return known(known(state.records, ref.record()).items(), ref.asset());
  }

  private List<AdvisoryId> advisoriesOf(List<ItemRef> items) {
    return items.stream()
        .map(ref -> known(state.records, ref.record()).advisory())
        .distinct()
        .sorted()
        .toList();
  }

  /**
   * Snapshots the VM (unless a retry reuses the first attempt's snapshot), journals the job and
   * submits it.
   */
  private void startJob(
      Instant now,
      AssetId vm,
      Optional<String> waveId,
      List<ItemRef> items,
      List<AdvisoryId> advisories,
      int attempt,
      Optional<String> snapshotToReuse) {
    String job = String.format("job-%08d-%s-a%d", state.nextSeq, vm, attempt);
    List<PackageUpdate> updates = updatesFor(vm, advisories);
    Optional<String> snapshot =
        snapshotToReuse.isPresent()
            ? snapshotToReuse
            : call(
                now,
                "HypervisorAdapter",
                "snapshot",
                Optional.of(vm),
                () -> hypervisor.snapshot(vm, "pre-patch " + job));
    if (snapshot.isEmpty()) {
      // Without a snapshot there is no way back: do not patch; the failure counts as an attempt.
      failJob(now, vm, waveId, items, attempt, Optional.empty(), "no pre-patch snapshot", job);
      return;
    }
    ProcessEvent.PatchStarted started =
        new ProcessEvent.PatchStarted(
            job, vm, waveId, items, advisories, attempt, snapshot.get(), updates);
    emit(now, started);
    submit(now, started);
  }

  /** Submits a journaled job; a job the executor does not take is a failed attempt. */
  private boolean submit(Instant now, ProcessEvent.PatchStarted started) {
    PatchJob job =
        PatchJob.builder()
            .key(started.job())
            .asset(started.vm())
            .updates(started.updates())
            .build();
    Optional<String> handle =
        call(now, "PatchExecutor", "submit", Optional.of(started.vm()), () -> executor.submit(job));
    if (handle.isPresent()) {
      handles.put(started.job(), handle.get());
      return true;
    }
    failJob(
        now,
        started.vm(),
        started.waveId(),
        started.items(),
        started.attempt(),
        Optional.of(started.snapshot()),
        "the executor did not take the job",
        started.job());
    return false;
  }

  private List<PackageUpdate> updatesFor(AssetId vm, List<AdvisoryId> advisories) {
    Map<String, String> target = new TreeMap<>();
    for (TrackingRecord r : state.records.values()) {
      TrackingItem i = r.items().get(vm);
      if (i == null || !advisories.contains(r.advisory())) {
        continue;
      }
      for (Finding f : i.findings()) {
        f.fixedVersion()
            .ifPresent(
                v -> f.binaryPackages().forEach(b -> target.merge(b, v, PatchEngine::later)));
      }
    }
    List<PackageUpdate> out = new ArrayList<>();
    target.forEach((name, version) -> out.add(PackageUpdate.of(name, version)));
    return out;
  }

  // Two advisories fixing one package name the same fixed version in practice; when they do
  // not, the executor takes "at least" literally, so either target verifies the other.
  private static String later(String a, String b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private void pollJobs(Instant now) {
    for (ProcessEvent.PatchStarted job : List.copyOf(state.jobsInFlight.values())) {
      if (!handles.containsKey(job.job()) && !submit(now, job)) {
        continue; // after a restart the same key gives the same handle; no handle is a failure
      }
      String handle = known(handles, job.job());
      Optional<Optional<PatchOutcome>> polled =
          call(now, "PatchExecutor", "poll", Optional.of(job.vm()), () -> executor.poll(handle));
      if (polled.isPresent() && polled.get().isEmpty()) {
        continue; // still running
      }
      PatchOutcome outcome =
          polled
              .flatMap(o -> o)
              .orElseGet(
                  () ->
                      PatchOutcome.builder()
                          .succeeded(false)
                          .finishedAt(now)
                          .message("the executor could not report the outcome")
                          .build());
      handles.remove(job.job());
      emit(now, new ProcessEvent.PatchApplied(job.job(), job.vm(), outcome));
      verify(now, job, outcome);
    }
  }

  /** Re-inventory decides, not the executor's word: a patch is done when the fix is installed. */
  private void verify(Instant now, ProcessEvent.PatchStarted job, PatchOutcome outcome) {
    Optional<Inventory> observed =
        call(
                now,
                "InventorySource",
                "inventory",
                Optional.of(job.vm()),
                () -> inventory.inventory(job.vm()))
            .flatMap(o -> o);
    List<ProcessEvent> verified = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    Set<AdvisoryId> stillAffected = new TreeSet<>();
    for (AdvisoryId advisoryId : job.advisories()) {
      Optional<String> problem =
          observed.isEmpty()
              ? Optional.of("re-inventory failed")
              : check(now, advisoryId, observed.get(), job, verified);
      problem.ifPresent(
          p -> {
            failures.add(advisoryId + ": " + p);
            stillAffected.add(advisoryId);
          });
    }
    if (!outcome.succeeded() && !stillAffected.isEmpty()) {
      failures.add(0, "executor: " + outcome.message());
    }
    emit(now, verified);
    if (stillAffected.isEmpty()) {
      if (job.catchUp()) {
        release(now, job.vm(), job.advisories());
      }
      return;
    }
    List<ItemRef> failedItems =
        job.items().stream()
            .filter(ref -> stillAffected.contains(known(state.records, ref.record()).advisory()))
            .toList();
    failJob(
        now,
        job.vm(),
        job.waveId(),
        failedItems,
        job.attempt(),
        Optional.of(job.snapshot()),
        String.join("; ", failures),
        job.job());
  }

  /** Verifies one advisory on the observed inventory; adds the verified events, or says why not. */
  private Optional<String> check(
      Instant now,
      AdvisoryId advisoryId,
      Inventory observed,
      ProcessEvent.PatchStarted job,
      List<ProcessEvent> verified) {
    Advisory advisory = known(state.advisories, advisoryId);
    Optional<List<Finding>> findings =
        call(
            now,
            "Applicability",
            "assess",
            Optional.of(job.vm()),
            () -> applicability.assess(advisory, observed));
    if (findings.isEmpty()) {
      return Optional.of("applicability failed");
    }
    for (Finding f : findings.get()) {
      if (f.status() == FindingStatus.AFFECTED || f.status() == FindingStatus.UNKNOWN) {
        return Optional.of(f.status() + ": " + f.evidence());
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
        job.items().stream()
            .filter(ref -> known(state.records, ref.record()).advisory().equals(advisoryId))
            .toList();
    if (refs.isEmpty()) {
      verified.add(
          new ProcessEvent.PatchVerified(Optional.empty(), job.vm(), advisoryId, installed, proof));
    }
    for (ItemRef ref : refs) {
      verified.add(
          new ProcessEvent.PatchVerified(
              Optional.of(ref.record()), job.vm(), advisoryId, installed, proof));
    }
    return Optional.empty();
  }

  // ---- step 9: failure, retry, rollback, risk ----------------------------------------------

  private void failJob(
      Instant now,
      AssetId vm,
      Optional<String> waveId,
      List<ItemRef> items,
      int attempt,
      Optional<String> snapshot,
      String reason,
      String job) {
    List<ProcessEvent> events = new ArrayList<>();
    events.add(new ProcessEvent.PatchFailed(job, vm, waveId, items, attempt, reason));
    boolean lastAttempt = attempt > policy.retries();
    Optional<PlannedWave> wave = waveId.map(state.waves::get);
    boolean sameInstant =
        wave.map(w -> w.wave.timingMode() == TimingMode.SAME_INSTANT).orElse(false);
    // A retry starts at once while its window lets it: until the cutoff, or for a member of a
    // same-instant group until the window ends, because the group must not leave its window.
    boolean retryNow =
        !lastAttempt
            && !items.isEmpty()
            && wave.isPresent()
            && now.isBefore(
                sameInstant ? wave.get().wave.window().end() : wave.get().wave.window().cutoff())
            && state.inFlight() < policy.maxConcurrency();
    if (!lastAttempt && (retryNow || !sameInstant)) {
      // Otherwise the items go back to be planned into a later window; a catch-up retries on
      // the next tick.
      emit(now, events);
      if (retryNow) {
        startJob(now, vm, waveId, items, advisoriesOf(items), attempt + 1, snapshot);
      }
      return;
    }
    snapshot.ifPresent(s -> events.add(new ProcessEvent.PatchRolledBack(job, vm, s)));
    String why =
        (lastAttempt
                ? "patch failed " + attempt + " times, rolled back: "
                : "patch failed and its same-instant group's window is over, rolled back: ")
            + reason;
    if (items.isEmpty()) {
      events.add(catchUpRisk(now, vm, why));
    }
    for (ItemRef ref : items) {
      events.add(risk(now, ref, why));
    }
    if (waveId.isEmpty() && !items.isEmpty()) {
      events.add(catchUpRisk(now, vm, why));
    }
    emit(now, events);
    snapshot.ifPresent(
        s ->
            run(
                now,
                "HypervisorAdapter",
                "revert",
                Optional.of(vm),
                () -> hypervisor.revert(vm, s, "rollback-" + s)));
  }

  private ProcessEvent.RiskOpened risk(Instant now, ItemRef ref, String reason) {
    TrackingRecord r = known(state.records, ref.record());
    return new ProcessEvent.RiskOpened(
        RiskItem.builder()
            .id(nextRiskId())
            .record(ref.record())
            .asset(ref.asset())
            .addAdvisories(r.advisory())
            .owner(r.resolverGroup())
            .reason(reason)
            .opened(now)
            .expires(now.plus(policy.riskAcceptance()))
            .build());
  }

  private int risksPlanned;

  private String nextRiskId() {
    // Ids come from the state plus those handed out in the batch being built, so that a batch
    // with several risks gives each its own id and replay gives the same ids.
    risksPlanned++;
    return String.format("RISK-%05d", state.risks.size() + risksPlanned);
  }

  private ProcessEvent.RiskOpened catchUpRisk(Instant now, AssetId vm, String reason) {
    Asset asset = assets.get(vm);
    return new ProcessEvent.RiskOpened(
        RiskItem.builder()
            .id(nextRiskId())
            .asset(vm)
            .advisories(activeAdvisories())
            .owner(asset == null ? "ops" : policy.resolverGroup().apply(asset))
            .reason("catch-up: " + reason + "; the VM stays held from its users")
            .opened(now)
            .expires(now.plus(policy.riskAcceptance()))
            .build());
  }

  private List<AdvisoryId> activeAdvisories() {
    List<AdvisoryId> out = new ArrayList<>();
    for (Advisory a : state.advisories.values()) {
      if (a.withdrawn().isEmpty() && state.assessments.containsKey(a.id())) {
        out.add(a.id());
      }
    }
    return out;
  }

  // ---- lifecycle and catch-up -----------------------------------------------------------------

  private void pollLifecycle(Instant now) {
    Optional<String> cursor = state.lifecycleCursor;
    Optional<HypervisorAdapter.LifecyclePage> page =
        call(
            now,
            "HypervisorAdapter",
            "lifecycleEvents",
            Optional.empty(),
            () -> hypervisor.lifecycleEvents(cursor));
    if (page.isEmpty() || page.get().events().isEmpty()) {
      return;
    }
    if (page.get().events().stream().anyMatch(e -> !assets.containsKey(e.asset()))) {
      refreshAssets(now); // a VM created since the last look: its tenant names its entries
    }
    List<ProcessEvent> events = new ArrayList<>();
    Set<AssetId> toHold = new TreeSet<>();
    for (LifecycleEvent e : page.get().events()) {
      events.add(new ProcessEvent.VmLifecycle(e, page.get().nextCursor()));
      AssetId vm = e.asset();
      Optional<String> holdReason = holdReason(e);
      if (holdReason.isPresent()) {
        if (!state.catchUps.containsKey(vm) && toHold.add(vm)) {
          events.add(new ProcessEvent.CatchUpHeld(vm, holdReason.get()));
        }
      } else if (e.kind() == LifecycleEvent.Kind.RESUMED) {
        List<ItemRef> deferred = itemsIn(vm, ItemState.DEFERRED);
        if (!deferred.isEmpty()) {
          events.add(
              new ProcessEvent.ItemsRequeued(deferred, "VM resumed; patched in its next window"));
        }
      }
    }
    emit(now, events);
    for (AssetId vm : toHold) {
      run(
          now,
          "HypervisorAdapter",
          "holdForCatchUp",
          Optional.of(vm),
          () -> hypervisor.holdForCatchUp(vm, "hold-" + vm + "-" + state.nextSeq));
    }
  }

  private Optional<String> holdReason(LifecycleEvent e) {
    return switch (e.kind()) {
      case RESUMED -> {
        if (e.suspendedSince().isPresent()) {
          Duration away = Duration.between(e.suspendedSince().get(), e.at());
          if (away.compareTo(policy.catchUpAfterSuspension()) >= 0) {
            yield Optional.of("resumed after " + away.toHours() + " hours suspended");
          }
        }
        yield Optional.empty();
      }
      case REVERTED ->
          Optional.of(
              "reverted to a snapshot" + e.snapshotTakenAt().map(t -> " taken at " + t).orElse(""));
      case CREATED_FROM_IMAGE -> Optional.of("created from an image");
      default -> Optional.empty();
    };
  }

  private List<ItemRef> itemsIn(AssetId vm, ItemState... states) {
    Set<ItemState> wanted = Set.of(states);
    List<ItemRef> out = new ArrayList<>();
    for (TrackingRecord r : state.records.values()) {
      TrackingItem i = r.items().get(vm);
      if (r.status() == TrackingRecord.Status.OPEN && i != null && wanted.contains(i.state())) {
        out.add(new ItemRef(r.id(), vm));
      }
    }
    return out;
  }

  private void runCatchUps(Instant now) {
    for (CatchUp c : List.copyOf(state.catchUps.values())) {
      if (c.givenUp || state.busy(c.asset)) {
        continue;
      }
      AssetId vm = c.asset;
      Optional<Inventory> observed =
          call(now, "InventorySource", "inventory", Optional.of(vm), () -> inventory.inventory(vm))
              .flatMap(o -> o);
      if (observed.isEmpty()) {
        continue;
      }
      List<ProcessEvent> verified = new ArrayList<>();
      List<AdvisoryId> behind = new ArrayList<>();
      List<AdvisoryId> active = activeAdvisories();
      List<ItemRef> open =
          itemsIn(
              vm, ItemState.AFFECTED, ItemState.PLANNED, ItemState.DEFERRED, ItemState.PATCHING);
      ProcessEvent.PatchStarted probe =
          new ProcessEvent.PatchStarted(
              "catch-up-check", vm, Optional.empty(), open, active, 0, "", List.of());
      for (AdvisoryId a : active) {
        if (check(now, a, observed.get(), probe, verified).isPresent()) {
          behind.add(a);
        }
      }
      if (behind.isEmpty()) {
        emit(now, verified);
        release(now, vm, active);
      } else if (c.attempts <= policy.retries() && state.inFlight() < policy.maxConcurrency()) {
        List<ItemRef> items =
            open.stream()
                .filter(ref -> behind.contains(known(state.records, ref.record()).advisory()))
                .toList();
        startJob(now, vm, Optional.empty(), items, behind, c.attempts + 1, c.snapshot);
      }
    }
  }

  private void release(Instant now, AssetId vm, List<AdvisoryId> verified) {
    if (!state.catchUps.containsKey(vm)) {
      return;
    }
    emit(now, new ProcessEvent.CatchUpReleased(vm, verified));
    run(
        now,
        "HypervisorAdapter",
        "release",
        Optional.of(vm),
        () -> hypervisor.release(vm, "release-" + vm + "-" + state.nextSeq));
  }

  // ---- step 10: closure and evidence -------------------------------------------------------

  private void settleRecords(Instant now) {
    List<ProcessEvent> events = new ArrayList<>();
    for (TrackingId id : List.copyOf(state.touched)) {
      TrackingRecord r = known(state.records, id);
      if (r.status() != TrackingRecord.Status.OPEN || !r.allItemsSettled()) {
        continue;
      }
      int verified = 0;
      int risky = 0;
      for (TrackingItem i : r.items().values()) {
        if (i.state() == ItemState.VERIFIED) {
          verified++;
        } else if (i.state() == ItemState.RISK_ACCEPTED) {
          risky++;
        }
      }
      TrackingRecord.Status outcome =
          risky == 0 ? TrackingRecord.Status.CLOSED : TrackingRecord.Status.RISK_ACCEPTED;
      events.add(new ProcessEvent.TrackingClosed(id, outcome, verified, risky));
    }
    state.touched.clear();
    emit(now, events);
  }

  private void storeEvidence(Instant now) {
    for (TrackingId id : List.copyOf(state.evidencePending)) {
      EvidenceStore.EvidenceBundle bundle = bundle(id);
      if (run(now, "EvidenceStore", "store", Optional.empty(), () -> evidence.store(bundle))) {
        emit(now, new ProcessEvent.EvidenceStored(id));
      }
    }
  }

  private EvidenceStore.EvidenceBundle bundle(TrackingId id) {
    TrackingRecord r = known(state.records, id);
    Advisory advisory = known(state.advisories, r.advisory());
    ObjectNode content = EventCodec.MAPPER.createObjectNode();
    ObjectNode adv = content.putObject("advisory");
    adv.put("id", advisory.id().value());
    adv.set("aliases", EventCodec.MAPPER.valueToTree(advisory.aliases()));
    adv.put("source", advisory.source());
    adv.put("summary", advisory.summary());
    adv.put("published", advisory.published().toString());
    adv.put("modified", advisory.modified().toString());
    content.set("assessment", EventCodec.MAPPER.valueToTree(state.assessments.get(r.advisory())));
    content.put("status", r.status().name());
    content.put("resolverGroup", r.resolverGroup());
    content.put("opened", r.opened().toString());
    r.closed().ifPresent(c -> content.put("closed", c.toString()));
    content.set("items", EventCodec.MAPPER.valueToTree(List.copyOf(r.items().values())));
    ArrayNode risks = content.putArray("risks");
    for (RiskItem risk : state.risks.values()) {
      if (risk.record().equals(Optional.of(id))) {
        risks.add(EventCodec.MAPPER.valueToTree(risk));
      }
    }
    ArrayNode changes = content.putArray("changes");
    Map<String, ChangeState> used = new LinkedHashMap<>();
    for (PlannedWave w : state.waves.values()) {
      for (List<ItemRef> refs : w.itemsByAsset.values()) {
        if (refs.stream().anyMatch(ref -> ref.record().equals(id))) {
          used.putIfAbsent(w.changeKey, known(state.changes, w.changeKey));
        }
      }
    }
    used.forEach(
        (key, c) -> {
          ObjectNode n = changes.addObject();
          n.put("key", key);
          n.put("change", c.id.map(ChangeId::value).orElse(null));
          n.put("type", c.request.type().name());
          n.put("approval", c.approval.name());
          n.put("windowStart", c.request.window().start().toString());
          n.put("windowZone", c.request.window().zone().getId());
        });
    return EvidenceStore.EvidenceBundle.builder()
        .record(id)
        .tenant(r.tenant())
        .advisory(r.advisory())
        .closedAt(r.closed().orElseThrow())
        .journalSeqs(state.seqsByRecord.getOrDefault(id, List.of()))
        .content(content)
        .build();
  }

  private void closeChanges(Instant now) {
    for (ChangeState c : List.copyOf(state.changes.values())) {
      if (c.closed || c.id.isEmpty() || c.approval == ChangeRequest.Approval.PENDING) {
        continue;
      }
      String key = c.request.key();
      List<PlannedWave> waves =
          state.waves.values().stream().filter(w -> w.changeKey.equals(key)).toList();
      Set<String> waveIds = new TreeSet<>();
      waves.forEach(w -> waveIds.add(w.id));
      boolean running =
          state.jobsInFlight.values().stream()
              .anyMatch(j -> j.waveId().isPresent() && waveIds.contains(j.waveId().get()));
      if (running || !waves.stream().allMatch(PlannedWave::done)) {
        continue;
      }
      int verified = 0;
      int risky = 0;
      int other = 0;
      for (PlannedWave w : waves) {
        for (List<ItemRef> refs : w.itemsByAsset.values()) {
          for (ItemRef ref : refs) {
            ItemState s = item(ref).state();
            if (s == ItemState.VERIFIED) {
              verified++;
            } else if (s == ItemState.RISK_ACCEPTED) {
              risky++;
            } else {
              other++;
            }
          }
        }
      }
      boolean successful = c.approval == ChangeRequest.Approval.APPROVED && risky == 0;
      String summary =
          c.approval == ChangeRequest.Approval.REJECTED
              ? "rejected; " + risky + " items covered by risk items"
              : verified
                  + " items verified, "
                  + risky
                  + " rolled back under risk items, "
                  + other
                  + " moved to a later window";
      ChangeId id = c.id.get();
      emit(now, new ProcessEvent.ChangeClosed(key, id, successful, summary));
      run(
          now,
          "ChangeSystem",
          "recordImplementation",
          Optional.empty(),
          () -> changeSystem.recordImplementation(id, summary));
      run(
          now,
          "ChangeSystem",
          "close",
          Optional.empty(),
          () -> changeSystem.close(id, successful, summary));
    }
  }

  /** Builds a {@link PatchEngine}. Not thread-safe. */
  public static final class Builder {
    private @Nullable Clock clock;
    private final List<AdvisoryFeed> feeds = new ArrayList<>();
    private @Nullable InventorySource inventory;
    private @Nullable ChangeSystem changeSystem;
    private @Nullable HypervisorAdapter hypervisor;
    private @Nullable PatchExecutor executor;
    private @Nullable Notifier notifier;
    private @Nullable Applicability applicability;
    private @Nullable RolloutPlanner planner;
    private @Nullable Journal journal;
    private @Nullable EvidenceStore evidence;
    private ProcessPolicy policy = ProcessPolicy.defaults();

    private Builder() {}

    /** The clock every instant comes from; a virtual one makes runs reproducible. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Adds a feed; feeds are read in the order added. */
    public Builder addFeed(AdvisoryFeed feed) {
      this.feeds.add(Objects.requireNonNull(feed, "feed"));
      return this;
    }

    /** The assets and their inventories. */
    public Builder inventorySource(InventorySource inventory) {
      this.inventory = Objects.requireNonNull(inventory, "inventory");
      return this;
    }

    /** The change system. */
    public Builder changeSystem(ChangeSystem changeSystem) {
      this.changeSystem = Objects.requireNonNull(changeSystem, "changeSystem");
      return this;
    }

    /** The hypervisor. */
    public Builder hypervisor(HypervisorAdapter hypervisor) {
      this.hypervisor = Objects.requireNonNull(hypervisor, "hypervisor");
      return this;
    }

    /** The patch executor. */
    public Builder executor(PatchExecutor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** The notifier. */
    public Builder notifier(Notifier notifier) {
      this.notifier = Objects.requireNonNull(notifier, "notifier");
      return this;
    }

    /** The applicability port (patch-inventory's {@code OsvApplicability} by default). */
    public Builder applicability(Applicability applicability) {
      this.applicability = Objects.requireNonNull(applicability, "applicability");
      return this;
    }

    /** The rollout planner (patch-scheduling's {@code WavePlanner} by default). */
    public Builder planner(RolloutPlanner planner) {
      this.planner = Objects.requireNonNull(planner, "planner");
      return this;
    }

    /** The journal; when it holds entries, the engine replays them on build. */
    public Builder journal(Journal journal) {
      this.journal = Objects.requireNonNull(journal, "journal");
      return this;
    }

    /** Where evidence bundles go. */
    public Builder evidenceStore(EvidenceStore evidence) {
      this.evidence = Objects.requireNonNull(evidence, "evidence");
      return this;
    }

    /** The enterprise's policy; {@link ProcessPolicy#defaults()} if not set. */
    public Builder policy(ProcessPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Builds the engine, replaying the journal's entries.
     *
     * @throws NullPointerException naming the first required collaborator that is missing
     * @throws org.cloudpatch.core.PatchException when the journal holds an entry it cannot read
     */
    public PatchEngine build() {
      return new PatchEngine(this);
    }
  }
}
