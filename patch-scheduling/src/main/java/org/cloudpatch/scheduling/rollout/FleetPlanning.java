package org.cloudpatch.scheduling.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.rollout.ChangeRequest.ChangeType;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.cloudpatch.core.rollout.Wave;
import org.cloudpatch.scheduling.change.ChangePolicy;
import org.cloudpatch.scheduling.rollout.FleetPlan.GroupConflict;
import org.cloudpatch.scheduling.rollout.FleetPlan.Stage;
import org.cloudpatch.scheduling.rollout.FleetUnit.BudgetKey;
import org.cloudpatch.scheduling.rollout.FleetWindows.Allowed;
import org.cloudpatch.scheduling.rollout.FleetWindows.Span;
import org.jspecify.annotations.Nullable;

/**
 * The state of planning one {@link FleetRequest}: stage by stage, each unit into the earliest slot
 * with room under the concurrency limit and the disruption budgets; see {@link FleetPlanner} for
 * the guarantees.
 *
 * <p>Why it stays near-linear in the fleet: the load only ever grows, so a slot that is full for
 * the whole fleet, or for one value of a budget's label, stays full. Per schedule and zone the
 * planner keeps cursors before which every allowed start is known to be full — one for the fleet
 * and one per budget label value — and a unit starts its search at the latest cursor that binds it,
 * instead of walking again over nights that earlier units filled.
 */
final class FleetPlanning {
  /** Where a wave sits. */
  record Slot(Instant start, MaintenanceWindow window, Kind kind) {}

  /** Where a slot's window comes from. */
  enum Kind {
    REGULAR,
    APPROVED,
    EMERGENCY
  }

  /**
   * A cursor of one schedule and zone for scans from one earliest start: the fleet's ({@code
   * budget} null) or one budget label value's.
   */
  private record Cursor(FleetUnit.Key key, Instant earliest, @Nullable BudgetKey budget) {}

  private final boolean useCursors;
  private final FleetRequest request;
  private final RolloutPolicy policy;
  private final ChangePolicy change;
  private final Duration slot;
  private final Instant notBefore;
  private final long limit;
  private final long errorThreshold;
  private final FleetWindows windows;
  private final GroupConflicts groupConflicts;
  private final FleetDrafts drafts;
  private final Timeline load = new Timeline();
  private final Map<BudgetKey, Timeline> budgetLoad = new HashMap<>();
  private final Map<Cursor, Instant> cursorsAt = new HashMap<>();
  private final Map<AssetId, String> unplaced = new TreeMap<>();
  private final List<GroupConflict> conflicts = new ArrayList<>();

  FleetPlanning(FleetRequest request) {
    this(request, true);
  }

  /**
   * A planning; {@code useCursors} false searches every unit from its earliest start, which gives
   * the same plan more slowly (a test compares the two).
   */
  FleetPlanning(FleetRequest request, boolean useCursors) {
    this.useCursors = useCursors;
    this.request = request;
    this.policy = request.policy();
    this.change = policy.change();
    this.slot = policy.slot();
    this.notBefore = request.notBefore();
    this.limit = policy.maxConcurrency().resolve(request.targets().size());
    this.errorThreshold = policy.errorThreshold().resolve(request.targets().size());
    this.windows = new FleetWindows(request);
    this.groupConflicts = new GroupConflicts(windows);
    this.drafts = new FleetDrafts(policy);
  }

  FleetPlan run() {
    for (Wave w : request.existing()) {
      load.add(w.start(), w.end(), w.assets().size());
    }
    List<List<FleetUnit>> stages = FleetUnit.stages(FleetUnit.units(request), policy);
    List<Instant> gates = new ArrayList<>();
    Instant earliest = notBefore;
    for (int i = 0; i < stages.size(); i++) {
      gates.add(earliest);
      Instant stageEnd = null;
      for (FleetUnit unit : stages.get(i)) {
        unit.stage = i;
        place(unit, earliest);
        if (unit.slot != null) {
          Instant end = unit.slot.start().plus(slot);
          stageEnd = stageEnd == null || end.isAfter(stageEnd) ? end : stageEnd;
        }
      }
      if (stageEnd != null && stageEnd.plus(policy.bake()).isAfter(earliest)) {
        earliest = stageEnd.plus(policy.bake());
      }
    }
    List<Wave> waves = drafts.waves();
    List<Stage> stageValues = new ArrayList<>();
    for (int i = 0; i < stages.size(); i++) {
      int assets = stages.get(i).stream().mapToInt(u -> u.members.size()).sum();
      stageValues.add(
          new Stage(
              i,
              i == 0 ? "test ring" : "stage " + i,
              drafts.waveIndexes(i),
              assets,
              i == 0 ? Optional.empty() : Optional.of(gates.get(i))));
    }
    List<FleetUnit> all = stages.stream().flatMap(List::stream).toList();
    return new FleetPlan(
        waves,
        stageValues,
        unplaced,
        conflicts,
        new FleetForecast(request, windows, limit).forecast(all),
        drafts.changes(),
        limit,
        errorThreshold);
  }

  // ---- placement ----

  private void place(FleetUnit unit, Instant stageEarliest) {
    if (unit.members.size() > limit) {
      reject(
          unit,
          unit.describe()
              + " is larger than maxConcurrency "
              + limit
              + ": a SAME_INSTANT group is patched whole at one instant or not at all");
      return;
    }
    for (Map.Entry<FleetUnit.BudgetKey, Integer> e : unit.budgetCounts.entrySet()) {
      DisruptionBudget budget = policy.budgets().get(e.getKey().budget());
      if (e.getValue() > budget.max()) {
        reject(
            unit,
            unit.describe()
                + " has "
                + e.getValue()
                + " assets with "
                + budget.key()
                + "="
                + e.getKey().value()
                + ", more than its disruption budget of "
                + budget.max()
                + " at one instant");
        return;
      }
    }
    boolean emergency = change.isEmergency(unit.priority, unit.knownExploited);
    Optional<MaintenanceWindow> approved =
        unit.group.map(g -> request.approvedGroupWindows().get(g));
    if (approved.isPresent()) {
      unit.type = emergency ? ChangeType.EMERGENCY : ChangeType.NORMAL;
      unit.earliest = FleetWindows.later(stageEarliest, notBefore);
      Optional<Slot> found =
          findIn(
              unit, windows.spansOf(approved.get(), unit.earliest), Kind.APPROVED, approved.get());
      if (found.isPresent()) {
        commit(unit, found.get());
      } else {
        reject(
            unit,
            unit.describe()
                + ": no slot with room in its approved group window "
                + approved.get().start()
                + " to "
                + approved.get().end());
      }
      return;
    }
    unit.type = change.classify(unit.priority, unit.knownExploited, true);
    unit.earliest = FleetWindows.later(stageEarliest, change.earliestStart(unit.type, notBefore));
    Optional<Slot> regular;
    List<Span> common = List.of();
    if (unit.group.isPresent()) {
      common = windows.commonStarts(unit, unit.earliest);
      regular = common.isEmpty() ? Optional.empty() : findIn(unit, common, Kind.REGULAR, null);
    } else {
      regular = findSingle(unit, unit.earliest);
    }
    boolean inTime =
        regular.isPresent()
            && (unit.due.isEmpty() || !regular.get().start().plus(slot).isAfter(unit.due.get()));
    if (!inTime && emergency && change.emergencyWindows()) {
      Optional<Slot> out = findEmergency(unit, stageEarliest);
      if (out.isPresent()
          && (regular.isEmpty() || out.get().start().isBefore(regular.get().start()))) {
        commit(unit, out.get());
        return;
      }
    }
    if (regular.isPresent()) {
      commit(unit, regular.get());
    } else if (unit.group.isPresent() && common.isEmpty()) {
      GroupConflict conflict = groupConflicts.conflict(unit);
      conflicts.add(conflict);
      reject(
          unit,
          unit.describe()
              + ": its members' windows share no instant between "
              + unit.earliest
              + " and the horizon "
              + windows.horizonEnd()
              + " (conflicting: "
              + conflict.conflicting()
              + "); it needs an approved group window covering every member");
    } else {
      reject(
          unit,
          unit.describe()
              + ": no "
              + slot
              + " slot with room under maxConcurrency "
              + limit
              + (policy.budgets().isEmpty() ? "" : " and the disruption budgets")
              + " in its windows between "
              + unit.earliest
              + " and the horizon "
              + windows.horizonEnd());
    }
  }

  /**
   * The earliest start of the single asset's own windows from {@code earliest} with room, starting
   * at the latest cursor that binds it and moving the cursors over the full slots it finds while
   * everything before them is full too.
   */
  private Optional<Slot> findSingle(FleetUnit unit, Instant earliest) {
    FleetUnit.Key key = unit.key();
    List<Allowed> allowed = windows.allowed(key);
    // Cursors are sound only where a start's slot holds no start of another occurrence.
    boolean cursors = useCursors && windows.disjoint(key);
    int n = unit.budgetCounts.size();
    BudgetKey[] budgets = unit.budgetCounts.keySet().toArray(new BudgetKey[0]);
    // Cursors for scans from this earliest start (units of a stage and change type share it): the
    // fleet's at index n, each budget label value's before it. A cursor says every allowed start
    // from `earliest` up to it is full, so a scan may begin at the latest of them.
    Cursor[] cursorKeys = new Cursor[n + 1];
    Instant[] cursorAt = new Instant[n + 1];
    Instant from = earliest;
    for (int b = 0; b <= n; b++) {
      cursorKeys[b] = new Cursor(key, earliest, b < n ? budgets[b] : null);
      cursorAt[b] = cursors ? cursorsAt.getOrDefault(cursorKeys[b], earliest) : earliest;
      from = FleetWindows.later(from, cursorAt[b]);
    }
    // A cursor moves only while every start before the scan's position is known to be full.
    boolean[] advancing = new boolean[n + 1];
    for (int b = 0; b <= n; b++) {
      advancing[b] = cursors && !cursorAt[b].isBefore(from);
    }
    int size = unit.members.size();
    for (int i = FleetWindows.firstReaching(allowed, from); i < allowed.size(); i++) {
      Allowed a = allowed.get(i);
      MaintenanceWindow occ = a.occurrence();
      for (Instant s = windows.gridStart(occ.start(), from);
          !s.isAfter(a.span().to());
          s = s.plus(slot)) {
        Instant e = s.plus(slot);
        long global = load.maxLoad(s, e);
        boolean fits = global + size <= limit;
        advance(advancing, n, global >= limit, cursorKeys, e);
        for (int b = 0; b < n; b++) {
          Timeline t = budgetLoad.get(budgets[b]);
          long used = t == null ? 0 : t.maxLoad(s, e);
          int max = policy.budgets().get(budgets[b].budget()).max();
          advance(advancing, b, used >= max, cursorKeys, e);
          if (used + Objects.requireNonNull(unit.budgetCounts.get(budgets[b])) > max) {
            fits = false;
          }
        }
        if (fits) {
          return Optional.of(new Slot(s, occ, Kind.REGULAR));
        }
      }
    }
    return Optional.empty();
  }

  /** Moves cursor {@code b} past a full slot ending at {@code end}, or stops it at a free one. */
  private void advance(boolean[] advancing, int b, boolean full, Cursor[] keys, Instant end) {
    if (!full) {
      advancing[b] = false;
    } else if (advancing[b]) {
      cursorsAt.put(keys[b], end);
    }
  }

  /** Tries the slot grid of each span, from its first start; {@code fixed} is the window to use. */
  private Optional<Slot> findIn(
      FleetUnit unit, List<Span> spans, Kind kind, @Nullable MaintenanceWindow fixed) {
    for (Span span : spans) {
      for (Instant s = span.from(); !s.isAfter(span.to()); s = s.plus(slot)) {
        if (fits(unit, s, load.maxLoad(s, s.plus(slot)))) {
          return Optional.of(
              new Slot(s, fixed != null ? fixed : windows.groupWindow(unit, s), kind));
        }
      }
    }
    return Optional.empty();
  }

  private Optional<Slot> findEmergency(FleetUnit unit, Instant stageEarliest) {
    Instant open =
        FleetWindows.later(stageEarliest, change.earliestStart(ChangeType.EMERGENCY, notBefore));
    MaintenanceWindow window =
        MaintenanceWindow.of(
            open, open.plus(change.emergencyWindowDuration()), unit.members.get(0).zone());
    return findIn(unit, windows.spansOf(window, open), Kind.EMERGENCY, window);
  }

  private boolean fits(FleetUnit unit, Instant s, long globalLoad) {
    if (globalLoad + unit.members.size() > limit) {
      return false;
    }
    Instant e = s.plus(slot);
    for (Map.Entry<BudgetKey, Integer> entry : unit.budgetCounts.entrySet()) {
      Timeline t = budgetLoad.get(entry.getKey());
      long used = t == null ? 0 : t.maxLoad(s, e);
      if (used + entry.getValue() > policy.budgets().get(entry.getKey().budget()).max()) {
        return false;
      }
    }
    return true;
  }

  private void commit(FleetUnit unit, Slot at) {
    unit.slot = at;
    ChangeType type =
        at.kind() == Kind.EMERGENCY ? ChangeType.EMERGENCY : Objects.requireNonNull(unit.type);
    unit.type = type;
    Instant e = at.start().plus(slot);
    load.add(at.start(), e, unit.members.size());
    unit.budgetCounts.forEach(
        (k, n) -> budgetLoad.computeIfAbsent(k, x -> new Timeline()).add(at.start(), e, n));
    drafts.add(unit, at, type);
  }

  private void reject(FleetUnit unit, String reason) {
    unit.members.forEach(t -> unplaced.put(t.id(), reason));
  }
}
