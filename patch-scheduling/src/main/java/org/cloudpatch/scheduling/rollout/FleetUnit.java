package org.cloudpatch.scheduling.rollout;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.rollout.ChangeRequest.ChangeType;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.severity.Priority;
import org.jspecify.annotations.Nullable;

/**
 * What a fleet plan places whole: one asset, or a {@code SAME_INSTANT} group; and how a request's
 * targets become units and stages (the test ring first, then the widening stages in the order
 * {@link FleetPlanner} states).
 */
final class FleetUnit {
  /** A schedule in a zone: the windows of all targets that share it. */
  record Key(String schedule, ZoneId zone) {}

  /** One value of one disruption budget's label, e.g. budget 0 ({@code service}) = {@code web}. */
  record BudgetKey(int budget, String value) {}

  final List<Target> members;
  final Optional<String> group;
  final Priority priority;
  final boolean knownExploited;
  final Optional<Instant> due;
  final Map<BudgetKey, Integer> budgetCounts = new HashMap<>();
  int stage;
  Instant earliest = Instant.MIN;
  FleetPlanning.@Nullable Slot slot;
  @Nullable ChangeType type;

  private FleetUnit(List<Target> members, Optional<String> group) {
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

  /** The schedule and zone of the first member: a single asset's only key. */
  Key key() {
    Target t = members.get(0);
    return new Key(t.window(), t.zone());
  }

  /** Every member's schedule and zone, each once, in member order. */
  List<Key> keys() {
    Set<Key> keys = new LinkedHashSet<>();
    members.forEach(t -> keys.add(new Key(t.window(), t.zone())));
    return List.copyOf(keys);
  }

  String describe() {
    return group.isPresent()
        ? "patch group '" + group.get() + "' (" + members.size() + " assets)"
        : "asset " + first() + " (zone " + members.get(0).zone() + ")";
  }

  /** The request's targets as units, each with its counts per budget label value. */
  static List<FleetUnit> units(FleetRequest request) {
    RolloutPolicy policy = request.policy();
    Map<AssetId, Target> byId = new TreeMap<>();
    request.targets().forEach(t -> byId.put(t.id(), t));
    Map<String, List<Target>> groups = new TreeMap<>();
    List<FleetUnit> units = new ArrayList<>();
    for (Target t : byId.values()) {
      if (policy.timingMode() == TimingMode.SAME_INSTANT && t.group().isPresent()) {
        groups.computeIfAbsent(t.group().get(), g -> new ArrayList<>()).add(t);
      } else {
        units.add(new FleetUnit(List.of(t), Optional.empty()));
      }
    }
    groups.forEach((g, members) -> units.add(new FleetUnit(List.copyOf(members), Optional.of(g))));
    for (FleetUnit unit : units) {
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

  /**
   * The test ring (stage 0) and the widening stages, each in placement order.
   *
   * @throws IllegalArgumentException when the ring names an asset that is not a target
   */
  static List<List<FleetUnit>> stages(List<FleetUnit> units, RolloutPolicy policy) {
    Map<AssetId, FleetUnit> unitOf = new HashMap<>();
    units.forEach(u -> u.members.forEach(t -> unitOf.put(t.id(), u)));
    Set<FleetUnit> ring = new LinkedHashSet<>();
    TestRing testRing = policy.testRing();
    for (int i = 0; i < testRing.assets().size(); i++) {
      FleetUnit unit = unitOf.get(testRing.assets().get(i));
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
      Map<String, List<FleetUnit>> strata = new TreeMap<>();
      for (FleetUnit u : units) {
        if (u.group.isEmpty()) {
          Target t = u.members.get(0);
          strata
              .computeIfAbsent(t.image() + "\u0000" + t.zone().getId(), k -> new ArrayList<>())
              .add(u);
        }
      }
      for (List<FleetUnit> stratum : strata.values()) {
        stratum.sort(
            Comparator.comparingLong(
                    (FleetUnit u) -> mix(testRing.seed() ^ u.first().value().hashCode()))
                .thenComparing(FleetUnit::first));
        long already = stratum.stream().filter(ring::contains).count();
        stratum.stream()
            .filter(u -> !ring.contains(u))
            .limit(Math.max(0, testRing.perStratum() - already))
            .forEach(ring::add);
      }
    }
    List<FleetUnit> rest = new ArrayList<>();
    for (FleetUnit u : units) {
      if (!ring.contains(u)) {
        rest.add(u);
      }
    }
    Comparator<FleetUnit> order =
        Comparator.comparing((FleetUnit u) -> u.priority)
            .thenComparing(u -> !u.knownExploited)
            .thenComparing(u -> u.due.orElse(Instant.MAX))
            .thenComparing(u -> -u.members.size())
            .thenComparing(FleetUnit::first);
    rest.sort(order);
    List<FleetUnit> ringList = new ArrayList<>(ring);
    ringList.sort(order);
    List<List<FleetUnit>> stages = new ArrayList<>();
    stages.add(ringList);
    long total = rest.stream().mapToLong(u -> u.members.size()).sum();
    int next = 0;
    long cumulative = 0;
    for (int pct : policy.stages()) {
      long target = (pct * total + 99) / 100;
      List<FleetUnit> stage = new ArrayList<>();
      while (next < rest.size() && (cumulative < target || pct == 100)) {
        FleetUnit u = rest.get(next++);
        stage.add(u);
        cumulative += u.members.size();
      }
      stages.add(stage);
    }
    return stages;
  }

  /** Murmur3's 64-bit finalizer: a fixed, well-mixed order for the sample. */
  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb93fe1a85a53L;
    return z ^ (z >>> 33);
  }
}
