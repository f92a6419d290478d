package org.cloudpatch.scheduling.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cloudpatch.core.rollout.ChangeRequest.ChangeType;
import org.cloudpatch.core.severity.Priority;
import org.cloudpatch.scheduling.change.ChangePolicy;
import org.cloudpatch.scheduling.rollout.FleetPlan.DueMiss;
import org.cloudpatch.scheduling.rollout.FleetPlan.Fix;
import org.cloudpatch.scheduling.rollout.FleetPlan.FixKind;
import org.cloudpatch.scheduling.rollout.FleetPlan.PriorityForecast;

/**
 * A fleet plan's due-date forecast: per priority, the work that will finish after its due date and
 * what would bring it in time — more concurrency, an earlier stage, another window, or an
 * out-of-cycle emergency window — each remedy checked against the unit's own windows.
 */
final class FleetForecast {
  private final FleetWindows windows;
  private final ChangePolicy change;
  private final RolloutPolicy policy;
  private final Duration slot;
  private final Instant notBefore;
  private final long limit;

  FleetForecast(FleetRequest request, FleetWindows windows, long limit) {
    this.windows = windows;
    this.policy = request.policy();
    this.change = policy.change();
    this.slot = policy.slot();
    this.notBefore = request.notBefore();
    this.limit = limit;
  }

  /** Per priority: how many assets, how many with a due date, and those that will miss it. */
  Map<Priority, PriorityForecast> forecast(List<FleetUnit> units) {
    Map<Priority, int[]> counts = new EnumMap<>(Priority.class);
    Map<Priority, List<DueMiss>> late = new EnumMap<>(Priority.class);
    for (FleetUnit unit : units) {
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

  private List<Fix> fixes(FleetUnit unit, Instant due) {
    List<Fix> fixes = new ArrayList<>();
    ChangeType type =
        unit.type != null ? unit.type : change.classify(unit.priority, unit.knownExploited, true);
    Instant typeEarliest = change.earliestStart(type, notBefore);
    Optional<Instant> inTime = startInTime(unit, typeEarliest, due);
    Optional<Instant> inStage =
        startInTime(unit, FleetWindows.later(typeEarliest, unit.earliest), due);
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
      Instant open = FleetWindows.later(unit.earliest, asap);
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
  private Optional<Instant> startInTime(FleetUnit unit, Instant from, Instant due) {
    List<FleetWindows.Span> spans =
        unit.group.isPresent()
            ? windows.commonStarts(unit, from)
            : windows.startsOf(unit.key(), from);
    for (FleetWindows.Span s : spans) {
      if (!s.from().plus(slot).isAfter(due)) {
        return Optional.of(s.from());
      }
    }
    return Optional.empty();
  }
}
