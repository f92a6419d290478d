package org.cloudpatch.scheduling.rollout;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
import org.cloudpatch.scheduling.rollout.FleetPlanning.Kind;
import org.cloudpatch.scheduling.rollout.FleetPlanning.Slot;

/**
 * The waves of a fleet plan as they are built, and what they become: {@link Wave} values in start
 * order and the change requests that cover them. Single assets of one schedule, zone, start, change
 * type and kind of window share a wave; a {@code SAME_INSTANT} group has a wave of its own.
 */
final class FleetDrafts {
  /** A wave being built. */
  static final class Draft {
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

  /** Where single assets share a wave. */
  private record SharedKey(FleetUnit.Key key, Instant start, ChangeType type, Kind kind) {}

  private final Duration slot;
  private final TimingMode mode;
  private final ChangePolicy change;
  private final Map<SharedKey, Draft> shared = new HashMap<>();
  private final List<Draft> drafts = new ArrayList<>();

  FleetDrafts(RolloutPolicy policy) {
    this.slot = policy.slot();
    this.mode = policy.timingMode();
    this.change = policy.change();
  }

  /** Puts the unit's members into the wave at {@code at}: its own for a group, shared otherwise. */
  void add(FleetUnit unit, Slot at, ChangeType type) {
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

  /** The indexes of the stage's waves, once {@link #waves()} has numbered them. */
  List<Integer> waveIndexes(int stage) {
    return drafts.stream().filter(d -> d.stage == stage).map(d -> d.index).sorted().toList();
  }

  /** The waves in start order, numbering each draft by its wave. */
  List<Wave> waves() {
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
              .timingMode(mode)
              .patchGroup(d.group)
              .build());
    }
    return waves;
  }

  /** The change requests, one per stage and change type (and kind of window), or per group. */
  List<PlannedChange> changes() {
    Map<String, List<Draft>> byChange = new TreeMap<>();
    for (Draft d : drafts) {
      String key =
          d.group.isPresent()
              ? "stage" + d.stage + "-group-" + d.group.get()
              : "stage"
                  + d.stage
                  + "-"
                  + d.type.name().toLowerCase(Locale.ROOT)
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
            end = FleetWindows.later(end, d.window.end());
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
}
