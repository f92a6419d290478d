package org.cloudpatch.scheduling.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.scheduling.rollout.FleetPlan.Candidate;
import org.cloudpatch.scheduling.rollout.FleetPlan.Extension;
import org.cloudpatch.scheduling.rollout.FleetPlan.GroupConflict;
import org.cloudpatch.scheduling.rollout.FleetWindows.Allowed;
import org.cloudpatch.scheduling.rollout.FleetWindows.Span;

/**
 * Explains a {@code SAME_INSTANT} group whose members' windows never meet: which members conflict,
 * the nearest times most of them share, and the smallest extension of one zone's window that would
 * give the group a common start.
 */
final class GroupConflicts {
  private final FleetWindows windows;

  GroupConflicts(FleetWindows windows) {
    this.windows = windows;
  }

  /** Why the unit's members' windows share no start from its earliest on, and what would help. */
  GroupConflict conflict(FleetUnit unit) {
    List<FleetUnit.Key> keys = unit.keys();
    Map<FleetUnit.Key, List<Span>> starts = new HashMap<>();
    keys.forEach(k -> starts.put(k, windows.startsOf(k, unit.earliest)));
    Set<FleetUnit.Key> conflicting = new LinkedHashSet<>();
    for (int i = 0; i < keys.size(); i++) {
      for (int j = i + 1; j < keys.size(); j++) {
        if (FleetWindows.intersect(
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
            .filter(t -> conflicting.contains(new FleetUnit.Key(t.window(), t.zone())))
            .map(Target::id)
            .toList();
    return new GroupConflict(
        unit.group.orElseThrow(),
        conflictingMembers,
        candidates(unit, keys, starts),
        extension(keys, starts, unit.earliest));
  }

  /** The spans covered by the most keys' windows: the three earliest of them. */
  private List<Candidate> candidates(
      FleetUnit unit, List<FleetUnit.Key> keys, Map<FleetUnit.Key, List<Span>> starts) {
    TreeSet<Instant> points = new TreeSet<>();
    starts.values().forEach(l -> l.forEach(s -> points.add(s.from())));
    int best = 0;
    List<Candidate> result = new ArrayList<>();
    for (Instant p : points) {
      List<FleetUnit.Key> missing = new ArrayList<>();
      Instant to = Instant.MAX;
      for (FleetUnit.Key k : keys) {
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
                .filter(t -> missing.contains(new FleetUnit.Key(t.window(), t.zone())))
                .map(Target::id)
                .toList();
        result.add(new Candidate(p, to, missingMembers));
      }
    }
    return result;
  }

  /** The smallest extension of one key's occurrence that creates a common start. */
  private Optional<Extension> extension(
      List<FleetUnit.Key> keys, Map<FleetUnit.Key, List<Span>> starts, Instant earliest) {
    Extension best = null;
    for (FleetUnit.Key k : keys) {
      List<Span> others = null;
      for (FleetUnit.Key o : keys) {
        if (!o.equals(k)) {
          others =
              others == null
                  ? starts.getOrDefault(o, List.of())
                  : FleetWindows.intersect(others, starts.getOrDefault(o, List.of()));
        }
      }
      if (others == null || others.isEmpty()) {
        continue;
      }
      for (Allowed a : windows.allowed(k)) {
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
}
