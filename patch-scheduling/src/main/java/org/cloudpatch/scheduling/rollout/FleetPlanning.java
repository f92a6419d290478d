package org.cloudpatch.scheduling.rollout;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.rollout.ChangeRequest.ChangeType;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.rollout.Wave;
import org.cloudpatch.core.severity.Priority;
import org.cloudpatch.scheduling.change.ChangePolicy;
import org.cloudpatch.scheduling.change.PlannedChange;
import org.cloudpatch.scheduling.change.PlannedChange.ZoneWindow;
import org.cloudpatch.scheduling.rollout.FleetPlan.Candidate;
import org.cloudpatch.scheduling.rollout.FleetPlan.DueMiss;
import org.cloudpatch.scheduling.rollout.FleetPlan.Extension;
import org.cloudpatch.scheduling.rollout.FleetPlan.Fix;
import org.cloudpatch.scheduling.rollout.FleetPlan.FixKind;
import org.cloudpatch.scheduling.rollout.FleetPlan.GroupConflict;
import org.cloudpatch.scheduling.rollout.FleetPlan.PriorityForecast;
import org.cloudpatch.scheduling.rollout.FleetPlan.Stage;
import org.cloudpatch.scheduling.window.WindowSchedule;
import org.jspecify.annotations.Nullable;

/** The state of planning one {@link FleetRequest}; see {@link FleetPlanner} for the guarantees. */
final class FleetPlanning {
  /** A schedule in a zone: the windows of all targets that share it. */
  record Key(String schedule, ZoneId zone) {}

  /** Closed span of allowed job starts. */
  record Span(Instant from, Instant to) {}

  /** The starts an occurrence allows for a job of one slot. */
  record Allowed(Span span, MaintenanceWindow occurrence) {}

  /** Where a wave sits. */
  record Slot(Instant start, MaintenanceWindow window, Kind kind) {}

  /** Where a slot's window comes from. */
  enum Kind {
    REGULAR,
    APPROVED,
    EMERGENCY
  }

  private record BudgetKey(int budget, String value) {}

  /** Single assets of one schedule, zone, start, change type and kind share a wave. */
  private record SharedKey(Key key, Instant start, ChangeType type, Kind kind) {}

  /** What is placed whole: one asset, or a {@code SAME_INSTANT} group. */
  private static final class Unit {
    final List<Target> members;
    final Optional<String> group;
    final Priority priority;
    final boolean knownExploited;
    final Optional<Instant> due;
    final Map<BudgetKey, Integer> budgetCounts = new HashMap<>();
    int stage;
    Instant earliest = Instant.MIN;
    @Nullable Slot slot;
    @Nullable ChangeType type;

    Unit(List<Target> members, Optional<String> group) {
      this.members = members;
      this.group = group;
      this.priority =
          members.stream().map(Target::priority).min(Comparator.naturalOrder()).orElseThrow();
      this.knownExploited = members.stream().anyMatch(Target::knownExploited);
      this.due = members.stream().flatMap(t -> t.due().stream()).min(Comparator.naturalOrder());
    }

    AssetId first() {
      return members.get(0).id();
    }

    Key key() {
      Target t = members.get(0);
      return new Key(t.window(), t.zone());
    }

    String describe() {
      return group.isPresent()
          ? "patch group '" + group.get() + "' (" + members.size() + " assets)"
          : "asset " + first() + " (zone " + members.get(0).zone() + ")";
    }
  }

  private static final class Draft {
    final MaintenanceWindow window;
    final Instant start;
    final Optional<String> group;
    final TreeSet<AssetId> assets = new TreeSet<>();
    final Set<ZoneId> zones = new TreeSet<>(Comparator.comparing(ZoneId::getId));
    final Set<Priority> priorities = new TreeSet<>();
    final int stage;
    final ChangeType type;
    final Kind kind;
    int index;

    Draft(Slot slot, Optional<String> group, int stage, ChangeType type) {
      this.window = slot.window();
      this.start = slot.start();
      this.kind = slot.kind();
      this.group = group;
      this.stage = stage;
      this.type = type;
    }
  }

  private final FleetRequest request;
  private final RolloutPolicy policy;
  private final ChangePolicy change;
  private final Duration slot;
  private final Instant notBefore;
  private final Instant horizonEnd;
  private final long limit;
  private final long errorThreshold;
  private final Timeline load = new Timeline();
  private final Map<BudgetKey, Timeline> budgetLoad = new HashMap<>();
  private final Map<Key, List<Allowed>> allowedByKey = new HashMap<>();
  private final Map<Key, Instant> fullBefore = new HashMap<>();
  private final Map<SharedKey, Draft> shared = new HashMap<>();
  private final List<Draft> drafts = new ArrayList<>();
  private final Map<AssetId, String> unplaced = new TreeMap<>();
  private final List<GroupConflict> conflicts = new ArrayList<>();

  FleetPlanning(FleetRequest request) {
    this.request = request;
    this.policy = request.policy();
    this.change = policy.change();
    this.slot = policy.slot();
    this.notBefore = request.notBefore();
    this.horizonEnd = notBefore.plus(policy.horizon());
    this.limit = policy.maxConcurrency().resolve(request.targets().size());
    this.errorThreshold = policy.errorThreshold().resolve(request.targets().size());
  }

  FleetPlan run() {
    for (Wave w : request.existing()) {
      load.add(w.start(), w.end(), w.assets().size());
    }
    List<List<Unit>> stages = stages(units());
    List<Instant> gates = new ArrayList<>();
    Instant earliest = notBefore;
    for (int i = 0; i < stages.size(); i++) {
      gates.add(earliest);
      Instant stageEnd = null;
      for (Unit unit : stages.get(i)) {
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
    List<Wave> waves = waves();
    List<Stage> stageValues = new ArrayList<>();
    for (int i = 0; i < stages.size(); i++) {
      int index = i;
      List<Integer> waveIndexes =
          drafts.stream().filter(d -> d.stage == index).map(d -> d.index).sorted().toList();
      int assets = stages.get(i).stream().mapToInt(u -> u.members.size()).sum();
      stageValues.add(
          new Stage(
              i,
              i == 0 ? "test ring" : "stage " + i,
              waveIndexes,
              assets,
              i == 0 ? Optional.empty() : Optional.of(gates.get(i))));
    }
    List<Unit> all = stages.stream().flatMap(List::stream).toList();
    return new FleetPlan(
        waves, stageValues, unplaced, conflicts, forecast(all), changes(), limit, errorThreshold);
  }

  // ---- units, ring and stages ----

  private List<Unit> units() {
    Map<AssetId, Target> byId = new TreeMap<>();
    request.targets().forEach(t -> byId.put(t.id(), t));
    Map<String, List<Target>> groups = new TreeMap<>();
    List<Unit> units = new ArrayList<>();
    for (Target t : byId.values()) {
      if (policy.timingMode() == TimingMode.SAME_INSTANT && t.group().isPresent()) {
        groups.computeIfAbsent(t.group().get(), g -> new ArrayList<>()).add(t);
      } else {
        units.add(new Unit(List.of(t), Optional.empty()));
      }
    }
    groups.forEach((g, members) -> units.add(new Unit(List.copyOf(members), Optional.of(g))));
    for (Unit unit : units) {
      for (Target t : unit.members) {
        for (int b = 0; b < policy.budgets().size(); b++) {
          String value = t.labels().get(policy.budgets().get(b).key());
          if (value != null) {
            unit.budgetCounts.merge(new BudgetKey(b, value), 1, Integer::sum);
          }
        }
      }
    }
    return units;
  }

  private List<List<Unit>> stages(List<Unit> units) {
    Map<AssetId, Unit> unitOf = new HashMap<>();
    units.forEach(u -> u.members.forEach(t -> unitOf.put(t.id(), u)));
    Set<Unit> ring = new LinkedHashSet<>();
    TestRing testRing = policy.testRing();
    for (int i = 0; i < testRing.assets().size(); i++) {
      Unit unit = unitOf.get(testRing.assets().get(i));
      if (unit == null) {
        throw new IllegalArgumentException(
            "testRing.assets["
                + i
                + "]: "
                + testRing.assets().get(i)
                + " is not among the request's targets");
      }
      ring.add(unit);
    }
    if (testRing.perStratum() > 0) {
      Map<String, List<Unit>> strata = new TreeMap<>();
      for (Unit u : units) {
        if (u.group.isEmpty()) {
          Target t = u.members.get(0);
          strata
              .computeIfAbsent(t.image() + "\u0000" + t.zone().getId(), k -> new ArrayList<>())
              .add(u);
        }
      }
      for (List<Unit> stratum : strata.values()) {
        stratum.sort(
            Comparator.comparingLong(
                    (Unit u) -> mix(testRing.seed() ^ u.first().value().hashCode()))
                .thenComparing(Unit::first));
        stratum.stream()
            .filter(u -> !ring.contains(u))
            .limit(Math.max(0, testRing.perStratum() - countIn(stratum, ring)))
            .forEach(ring::add);
      }
    }
    List<Unit> rest = new ArrayList<>();
    for (Unit u : units) {
      if (!ring.contains(u)) {
        rest.add(u);
      }
    }
    Comparator<Unit> order =
        Comparator.comparing((Unit u) -> u.priority)
            .thenComparing(u -> !u.knownExploited)
            .thenComparing(u -> u.due.orElse(Instant.MAX))
            .thenComparing(u -> -u.members.size())
            .thenComparing(Unit::first);
    rest.sort(order);
    List<Unit> ringList = new ArrayList<>(ring);
    ringList.sort(order);
    List<List<Unit>> stages = new ArrayList<>();
    stages.add(ringList);
    long total = rest.stream().mapToLong(u -> u.members.size()).sum();
    int next = 0;
    long cumulative = 0;
    for (int pct : policy.stages()) {
      long target = (pct * total + 99) / 100;
      List<Unit> stage = new ArrayList<>();
      while (next < rest.size() && (cumulative < target || pct == 100)) {
        Unit u = rest.get(next++);
        stage.add(u);
        cumulative += u.members.size();
      }
      stages.add(stage);
    }
    return stages;
  }

  private static long countIn(List<Unit> stratum, Set<Unit> ring) {
    return stratum.stream().filter(ring::contains).count();
  }

  /** Murmur3's 64-bit finalizer: a fixed, well-mixed order for the sample. */
  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb93fe1a85a53L;
    return z ^ (z >>> 33);
  }

  // ---- placement ----

  private void place(Unit unit, Instant stageEarliest) {
    if (unit.members.size() > limit) {
      reject(
          unit,
          unit.describe()
              + " is larger than maxConcurrency "
              + limit
              + ": a SAME_INSTANT group is patched whole at one instant or not at all");
      return;
    }
    for (Map.Entry<BudgetKey, Integer> e : unit.budgetCounts.entrySet()) {
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
      unit.earliest = later(stageEarliest, notBefore);
      Optional<Slot> found =
          findIn(unit, spansOf(approved.get(), unit.earliest), Kind.APPROVED, approved.get());
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
    unit.earliest = later(stageEarliest, change.earliestStart(unit.type, notBefore));
    Optional<Slot> regular;
    List<Span> common = List.of();
    if (unit.group.isPresent()) {
      common = commonStarts(unit, unit.earliest);
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
      GroupConflict conflict = conflict(unit);
      conflicts.add(conflict);
      reject(
          unit,
          unit.describe()
              + ": its members' windows share no instant between "
              + unit.earliest
              + " and the horizon "
              + horizonEnd
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
              + horizonEnd);
    }
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private Optional<Slot> findSingle(Unit unit, Instant earliest) {
    Key key = unit.key();
    Instant cursor = fullBefore.getOrDefault(key, Instant.MIN);
    boolean advancing = !earliest.isAfter(cursor);
    Instant from = later(earliest, cursor);
    for (Allowed a : allowed(key)) {
      if (a.span().to().isBefore(from)) {
        continue;
      }
      MaintenanceWindow occ = a.occurrence();
      for (Instant s = gridStart(occ.start(), from); !s.isAfter(a.span().to()); s = s.plus(slot)) {
        long global = load.maxLoad(s, s.plus(slot));
        if (advancing && global >= limit) {
          fullBefore.put(key, s.plus(slot));
          continue;
        }
        advancing = false;
        if (fits(unit, s, global)) {
          return Optional.of(new Slot(s, occ, Kind.REGULAR));
        }
      }
    }
    return Optional.empty();
  }

  /** The first start on the grid {@code origin + k × slot} at or after {@code from}. */
  private Instant gridStart(Instant origin, Instant from) {
    if (!origin.isBefore(from)) {
      return origin;
    }
    long k = Duration.between(origin, from).dividedBy(slot);
    Instant s = origin.plus(slot.multipliedBy(k));
    return s.isBefore(from) ? s.plus(slot) : s;
  }

  /** Tries the slot grid of each span, from its first start; {@code fixed} is the window to use. */
  private Optional<Slot> findIn(
      Unit unit, List<Span> spans, Kind kind, @Nullable MaintenanceWindow fixed) {
    for (Span span : spans) {
      for (Instant s = span.from(); !s.isAfter(span.to()); s = s.plus(slot)) {
        if (fits(unit, s, load.maxLoad(s, s.plus(slot)))) {
          return Optional.of(new Slot(s, fixed != null ? fixed : groupWindow(unit, s), kind));
        }
      }
    }
    return Optional.empty();
  }

  private Optional<Slot> findEmergency(Unit unit, Instant stageEarliest) {
    Instant open = later(stageEarliest, change.earliestStart(ChangeType.EMERGENCY, notBefore));
    MaintenanceWindow window =
        MaintenanceWindow.of(
            open, open.plus(change.emergencyWindowDuration()), unit.members.get(0).zone());
    return findIn(unit, spansOf(window, open), Kind.EMERGENCY, window);
  }

  /** The starts a fixed window allows from {@code earliest} on. */
  private List<Span> spansOf(MaintenanceWindow w, Instant earliest) {
    Instant from = later(w.start(), later(notBefore, earliest));
    Instant to = w.cutoff().isBefore(w.end().minus(slot)) ? w.cutoff() : w.end().minus(slot);
    return from.isAfter(to) ? List.of() : List.of(new Span(from, to));
  }

  private boolean fits(Unit unit, Instant s, long globalLoad) {
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

  private void commit(Unit unit, Slot at) {
    unit.slot = at;
    ChangeType type =
        at.kind() == Kind.EMERGENCY
            ? ChangeType.EMERGENCY
            : java.util.Objects.requireNonNull(unit.type);
    unit.type = type;
    Instant e = at.start().plus(slot);
    load.add(at.start(), e, unit.members.size());
    unit.budgetCounts.forEach(
        (k, n) -> budgetLoad.computeIfAbsent(k, x -> new Timeline()).add(at.start(), e, n));
    Draft draft;
    if (unit.group.isPresent()) {
      draft = new Draft(at, unit.group, unit.stage, type);
      drafts.add(draft);
    } else {
      draft =
          shared.computeIfAbsent(
              new SharedKey(unit.key(), at.start(), type, at.kind()),
              k -> {
                Draft d = new Draft(at, Optional.empty(), unit.stage, type);
                drafts.add(d);
                return d;
              });
    }
    for (Target t : unit.members) {
      draft.assets.add(t.id());
      draft.zones.add(t.zone());
      draft.priorities.add(t.priority());
    }
  }

  private void reject(Unit unit, String reason) {
    unit.members.forEach(t -> unplaced.put(t.id(), reason));
  }

  // ---- windows ----

  /** The starts each occurrence of the key's schedule allows, from {@code notBefore} on. */
  List<Allowed> allowed(Key key) {
    return allowedByKey.computeIfAbsent(
        key,
        k -> {
          WindowSchedule schedule =
              java.util.Objects.requireNonNull(request.schedules().get(k.schedule()));
          List<Allowed> result = new ArrayList<>();
          Instant from = notBefore;
          // Occurrences come in batches; a schedule with more than this many in the horizon
          // (every few minutes for months) is cut off here rather than exhausting memory.
          while (result.size() < 20_000) {
            List<MaintenanceWindow> batch = schedule.occurrences(k.zone(), from, 64);
            boolean more = batch.size() == 64;
            for (MaintenanceWindow occ : batch) {
              if (!occ.start().isBefore(horizonEnd)) {
                more = false;
                break;
              }
              Instant a = later(occ.start(), notBefore);
              Instant lastEnd = occ.end().minus(slot);
              Instant b = occ.cutoff().isBefore(lastEnd) ? occ.cutoff() : lastEnd;
              if (!a.isAfter(b)) {
                result.add(new Allowed(new Span(a, b), occ));
              }
              from = occ.cutoff().plusNanos(1);
            }
            if (!more) {
              break;
            }
          }
          return result;
        });
  }

  private List<Key> keys(Unit unit) {
    Set<Key> keys = new LinkedHashSet<>();
    unit.members.forEach(t -> keys.add(new Key(t.window(), t.zone())));
    return List.copyOf(keys);
  }

  /** Allowed starts of the key from {@code earliest}, merged into disjoint sorted spans. */
  private List<Span> startsOf(Key key, Instant earliest) {
    List<Span> spans = new ArrayList<>();
    for (Allowed a : allowed(key)) {
      if (a.span().to().isBefore(earliest)) {
        continue;
      }
      Instant from = gridStart(a.occurrence().start(), earliest);
      Span s = new Span(later(a.span().from(), from), a.span().to());
      if (s.from().isAfter(s.to())) {
        continue;
      }
      if (!spans.isEmpty() && !s.from().isAfter(spans.get(spans.size() - 1).to())) {
        Span last = spans.remove(spans.size() - 1);
        spans.add(new Span(last.from(), later(last.to(), s.to())));
      } else {
        spans.add(s);
      }
    }
    return spans;
  }

  static List<Span> intersect(List<Span> a, List<Span> b) {
    List<Span> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.size() && j < b.size()) {
      Instant from = later(a.get(i).from(), b.get(j).from());
      Instant to = a.get(i).to().isBefore(b.get(j).to()) ? a.get(i).to() : b.get(j).to();
      if (!from.isAfter(to)) {
        out.add(new Span(from, to));
      }
      if (a.get(i).to().isBefore(b.get(j).to())) {
        i++;
      } else {
        j++;
      }
    }
    return out;
  }

  private List<Span> commonStarts(Unit unit, Instant earliest) {
    List<Span> common = null;
    for (Key key : keys(unit)) {
      List<Span> starts = startsOf(key, earliest);
      common = common == null ? starts : intersect(common, starts);
    }
    return common == null ? List.of() : common;
  }

  /** The intersection of the members' occurrences that allow a start at {@code s}. */
  private MaintenanceWindow groupWindow(Unit unit, Instant s) {
    Instant start = Instant.MIN;
    Instant end = Instant.MAX;
    Instant cutoff = Instant.MAX;
    for (Key key : keys(unit)) {
      for (Allowed a : allowed(key)) {
        if (!s.isBefore(a.span().from()) && !s.isAfter(a.span().to())) {
          MaintenanceWindow o = a.occurrence();
          start = later(start, o.start());
          end = end.isBefore(o.end()) ? end : o.end();
          cutoff = cutoff.isBefore(o.cutoff()) ? cutoff : o.cutoff();
          break;
        }
      }
    }
    return MaintenanceWindow.builder()
        .start(start)
        .end(end)
        .cutoff(cutoff)
        .zone(unit.members.get(0).zone())
        .build();
  }

  // ---- conflicts ----

  private GroupConflict conflict(Unit unit) {
    List<Key> keys = keys(unit);
    Map<Key, List<Span>> starts = new HashMap<>();
    keys.forEach(k -> starts.put(k, startsOf(k, unit.earliest)));
    Set<Key> conflicting = new LinkedHashSet<>();
    for (int i = 0; i < keys.size(); i++) {
      for (int j = i + 1; j < keys.size(); j++) {
        if (intersect(
                starts.getOrDefault(keys.get(i), List.of()),
                starts.getOrDefault(keys.get(j), List.of()))
            .isEmpty()) {
          conflicting.add(keys.get(i));
          conflicting.add(keys.get(j));
        }
      }
      if (keys.size() == 1 || starts.getOrDefault(keys.get(i), List.of()).isEmpty()) {
        conflicting.add(keys.get(i));
      }
    }
    if (conflicting.isEmpty()) {
      conflicting.addAll(keys);
    }
    List<AssetId> conflictingMembers =
        unit.members.stream()
            .filter(t -> conflicting.contains(new Key(t.window(), t.zone())))
            .map(Target::id)
            .toList();
    return new GroupConflict(
        unit.group.orElseThrow(),
        conflictingMembers,
        candidates(unit, keys, starts),
        extension(keys, starts, unit.earliest));
  }

  /** The spans covered by the most keys' windows: the three earliest of them. */
  private List<Candidate> candidates(Unit unit, List<Key> keys, Map<Key, List<Span>> starts) {
    TreeSet<Instant> points = new TreeSet<>();
    starts.values().forEach(l -> l.forEach(s -> points.add(s.from())));
    int best = 0;
    List<Candidate> result = new ArrayList<>();
    for (Instant p : points) {
      List<Key> missing = new ArrayList<>();
      Instant to = Instant.MAX;
      for (Key k : keys) {
        Span covering = null;
        for (Span s : starts.getOrDefault(k, List.of())) {
          if (!p.isBefore(s.from()) && !p.isAfter(s.to())) {
            covering = s;
            break;
          }
        }
        if (covering == null) {
          missing.add(k);
        } else if (covering.to().isBefore(to)) {
          to = covering.to();
        }
      }
      int covered = keys.size() - missing.size();
      if (covered < best || covered == 0) {
        continue;
      }
      if (covered > best) {
        best = covered;
        result.clear();
      }
      if (result.size() < 3) {
        List<AssetId> missingMembers =
            unit.members.stream()
                .filter(t -> missing.contains(new Key(t.window(), t.zone())))
                .map(Target::id)
                .toList();
        result.add(new Candidate(p, to, missingMembers));
      }
    }
    return result;
  }

  /** The smallest extension of one key's occurrence that creates a common start. */
  private Optional<Extension> extension(
      List<Key> keys, Map<Key, List<Span>> starts, Instant earliest) {
    Extension best = null;
    for (Key k : keys) {
      List<Span> others = null;
      for (Key o : keys) {
        if (!o.equals(k)) {
          others =
              others == null
                  ? starts.getOrDefault(o, List.of())
                  : intersect(others, starts.getOrDefault(o, List.of()));
        }
      }
      if (others == null || others.isEmpty()) {
        continue;
      }
      for (Allowed a : allowed(k)) {
        if (a.span().to().isBefore(earliest)) {
          continue;
        }
        for (Span s : others) {
          Extension candidate;
          if (s.to().isBefore(a.span().from())) {
            candidate =
                new Extension(
                    k.zone(),
                    k.schedule(),
                    a.occurrence(),
                    true,
                    Duration.between(s.to(), a.span().from()),
                    s.to());
          } else if (s.from().isAfter(a.span().to())) {
            candidate =
                new Extension(
                    k.zone(),
                    k.schedule(),
                    a.occurrence(),
                    false,
                    Duration.between(a.span().to(), s.from()),
                    s.from());
          } else {
            continue;
          }
          if (best == null
              || candidate.by().compareTo(best.by()) < 0
              || (candidate.by().equals(best.by()) && candidate.at().isBefore(best.at()))) {
            best = candidate;
          }
        }
      }
    }
    return Optional.ofNullable(best);
  }

  // ---- output ----

  private List<Wave> waves() {
    drafts.sort(
        Comparator.comparing((Draft d) -> d.start)
            .thenComparing(d -> d.window.zone().getId())
            .thenComparing(d -> d.assets.first()));
    List<Wave> waves = new ArrayList<>(drafts.size());
    for (Draft d : drafts) {
      d.index = waves.size();
      waves.add(
          Wave.builder()
              .index(d.index)
              .window(d.window)
              .start(d.start)
              .end(d.start.plus(slot))
              .assets(d.assets)
              .timingMode(policy.timingMode())
              .patchGroup(d.group)
              .build());
    }
    return waves;
  }

  private List<PlannedChange> changes() {
    Map<String, List<Draft>> byChange = new TreeMap<>();
    for (Draft d : drafts) {
      String key =
          d.group.isPresent()
              ? "stage" + d.stage + "-group-" + d.group.get()
              : "stage"
                  + d.stage
                  + "-"
                  + d.type.name().toLowerCase(java.util.Locale.ROOT)
                  + (d.kind == Kind.EMERGENCY ? "-out-of-cycle" : "");
      byChange.computeIfAbsent(key, k -> new ArrayList<>()).add(d);
    }
    List<PlannedChange> result = new ArrayList<>();
    byChange.forEach(
        (key, ds) -> {
          Draft first = ds.get(0);
          TreeSet<AssetId> assets = new TreeSet<>();
          Set<Priority> priorities = new TreeSet<>();
          Set<ZoneWindow> zoneWindows = new LinkedHashSet<>();
          Instant start = Instant.MAX;
          Instant end = Instant.MIN;
          for (Draft d : ds) {
            assets.addAll(d.assets);
            priorities.addAll(d.priorities);
            start = d.window.start().isBefore(start) ? d.window.start() : start;
            end = later(end, d.window.end());
            if (d.group.isPresent()) {
              for (ZoneId z : d.zones) {
                zoneWindows.add(ZoneWindow.of(z, d.window.start(), d.window.end()));
              }
            } else {
              zoneWindows.add(ZoneWindow.of(d.window.zone(), d.window.start(), d.window.end()));
            }
          }
          List<ZoneWindow> sorted = new ArrayList<>(zoneWindows);
          sorted.sort(
              Comparator.comparing((ZoneWindow z) -> z.start().toInstant())
                  .thenComparing(z -> z.zone().getId()));
          Instant firstStart = ds.stream().map(d -> d.start).min(Comparator.naturalOrder()).get();
          Duration lead = first.kind == Kind.APPROVED ? Duration.ZERO : change.leadTime(first.type);
          String where =
              first.kind == Kind.APPROVED
                  ? "in the approved group window"
                  : first.kind == Kind.EMERGENCY
                      ? "in an out-of-cycle window"
                      : "in agreed windows";
          result.add(
              new PlannedChange(
                  key,
                  first.type,
                  first.stage,
                  MaintenanceWindow.of(start, end, ZoneId.of("UTC")),
                  sorted,
                  List.copyOf(assets),
                  priorities,
                  firstStart.minus(lead),
                  first.type
                      + " change, "
                      + (first.stage == 0 ? "test ring" : "stage " + first.stage)
                      + (first.group.isPresent() ? ", patch group '" + first.group.get() + "'" : "")
                      + ": "
                      + assets.size()
                      + " assets "
                      + where
                      + " across "
                      + sorted.stream().map(ZoneWindow::zone).distinct().count()
                      + " zones"));
        });
    return result;
  }

  // ---- forecast ----

  private Map<Priority, PriorityForecast> forecast(List<Unit> units) {
    Map<Priority, int[]> counts = new EnumMap<>(Priority.class);
    Map<Priority, List<DueMiss>> late = new EnumMap<>(Priority.class);
    for (Unit unit : units) {
      List<Fix> fixes = null;
      for (Target t : unit.members) {
        int[] c = counts.computeIfAbsent(t.priority(), p -> new int[2]);
        c[0]++;
        if (t.due().isEmpty()) {
          continue;
        }
        c[1]++;
        Instant due = t.due().get();
        Optional<Instant> finish =
            unit.slot == null ? Optional.empty() : Optional.of(unit.slot.start().plus(slot));
        if (finish.isPresent() && !finish.get().isAfter(due)) {
          continue;
        }
        if (fixes == null) {
          fixes = fixes(unit, due);
        }
        late.computeIfAbsent(t.priority(), p -> new ArrayList<>())
            .add(new DueMiss(t.id(), due, finish, fixes));
      }
    }
    Map<Priority, PriorityForecast> result = new EnumMap<>(Priority.class);
    counts.forEach(
        (p, c) -> {
          List<DueMiss> misses = new ArrayList<>(late.getOrDefault(p, List.of()));
          misses.sort(Comparator.comparing(DueMiss::asset));
          result.put(p, new PriorityForecast(c[0], c[1], misses));
        });
    return result;
  }

  private List<Fix> fixes(Unit unit, Instant due) {
    List<Fix> fixes = new ArrayList<>();
    ChangeType type =
        unit.type != null ? unit.type : change.classify(unit.priority, unit.knownExploited, true);
    Instant typeEarliest = change.earliestStart(type, notBefore);
    Optional<Instant> inTime = startInTime(unit, typeEarliest, due);
    Optional<Instant> inStage = startInTime(unit, later(typeEarliest, unit.earliest), due);
    if (inStage.isPresent()) {
      fixes.add(
          new Fix(
              FixKind.MORE_CONCURRENCY,
              "its window has a slot at "
                  + inStage.get()
                  + " that ends in time, taken by other jobs under maxConcurrency "
                  + limit
                  + (policy.budgets().isEmpty() ? "" : " and the disruption budgets")
                  + ": raise them"));
    } else if (inTime.isPresent()) {
      fixes.add(
          new Fix(
              FixKind.EARLIER_STAGE,
              "its stage "
                  + unit.stage
                  + " opens at "
                  + unit.earliest
                  + ", but a slot at "
                  + inTime.get()
                  + " would end in time: put it in an earlier stage or shorten the bake"));
    } else {
      fixes.add(
          new Fix(
              FixKind.ANOTHER_WINDOW,
              (unit.group.isPresent()
                      ? "the members' windows share no "
                      : "its window in zone " + unit.members.get(0).zone() + " has no ")
                  + slot
                  + " slot between "
                  + typeEarliest
                  + " and the due date "
                  + due
                  + ": agree another window before it"));
    }
    if (change.isEmergency(unit.priority, unit.knownExploited)) {
      Instant asap = change.earliestStart(ChangeType.EMERGENCY, notBefore);
      Instant open = later(unit.earliest, asap);
      if (open.plus(slot).isAfter(due) && !asap.plus(slot).isAfter(due)) {
        fixes.add(
            new Fix(
                FixKind.EARLIER_STAGE,
                "an out-of-cycle window from "
                    + asap
                    + " would end in time, but its stage "
                    + unit.stage
                    + " opens at "
                    + unit.earliest
                    + ": put it in the test ring or roll it out on its own"));
      }
      if (!open.plus(slot).isAfter(due)) {
        fixes.add(
            new Fix(
                FixKind.EMERGENCY_WINDOW,
                change.emergencyWindows()
                    ? "an out-of-cycle window from "
                        + open
                        + " is allowed, but had no room: raise maxConcurrency there"
                    : "an out-of-cycle window from "
                        + open
                        + " would end in time; the change policy does not allow emergency"
                        + " windows"));
      }
    }
    return fixes;
  }

  /** The first start in the unit's own windows from {@code from} whose slot ends by {@code due}. */
  private Optional<Instant> startInTime(Unit unit, Instant from, Instant due) {
    List<Span> spans =
        unit.group.isPresent() ? commonStarts(unit, from) : startsOf(unit.key(), from);
    for (Span s : spans) {
      if (!s.from().plus(slot).isAfter(due)) {
        return Optional.of(s.from());
      }
    }
    return Optional.empty();
  }

  @SuppressWarnings("unused")
  private static <T> List<T> sortedCopy(List<T> list, Comparator<T> order) {
    List<T> copy = new ArrayList<>(list);
    Collections.sort(copy, order);
    return copy;
  }
}
