package org.cloudpatch.scheduling.rollout;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.cloudpatch.core.rollout.Wave;
import org.cloudpatch.scheduling.window.WindowSchedule;

/**
 * What {@link FleetPlanner} is asked: these targets, their window schedules, this policy, no job
 * before {@code notBefore} (the moment the changes are requested).
 *
 * @param targets the assets, each id once
 * @param schedules window schedules by name; each target's {@link Target#window()} must be one
 * @param policy the rollout policy
 * @param notBefore the plan's start: the moment changes are requested
 * @param approvedGroupWindows per {@code SAME_INSTANT} group, a window an approved change covers
 *     for every member's zone; it is used for that group instead of the members' own windows
 * @param existing waves of earlier plans still to run: their jobs count against the concurrency
 *     limit (not against disruption budgets, whose labels they do not carry)
 */
public record FleetRequest(
    List<Target> targets,
    Map<String, WindowSchedule> schedules,
    RolloutPolicy policy,
    Instant notBefore,
    Map<String, MaintenanceWindow> approvedGroupWindows,
    List<Wave> existing) {

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException naming the target when an id repeats or a window is unknown
   */
  public FleetRequest {
    targets = List.copyOf(targets);
    schedules = Map.copyOf(schedules);
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(notBefore, "notBefore");
    approvedGroupWindows = Map.copyOf(approvedGroupWindows);
    existing = List.copyOf(existing);
    Set<Object> seen = new HashSet<>();
    for (int i = 0; i < targets.size(); i++) {
      Target t = targets.get(i);
      if (!seen.add(t.id())) {
        throw new IllegalArgumentException("targets[" + i + "]: asset " + t.id() + " is repeated");
      }
      if (!schedules.containsKey(t.window())) {
        throw new IllegalArgumentException(
            "targets["
                + i
                + "]: asset "
                + t.id()
                + " names window '"
                + t.window()
                + "', which is not among the schedules "
                + new java.util.TreeSet<>(schedules.keySet()));
      }
    }
  }

  /** A request without existing waves. */
  public FleetRequest(
      List<Target> targets,
      Map<String, WindowSchedule> schedules,
      RolloutPolicy policy,
      Instant notBefore,
      Map<String, MaintenanceWindow> approvedGroupWindows) {
    this(targets, schedules, policy, notBefore, approvedGroupWindows, List.of());
  }

  /** A request with one schedule as {@link Target#DEFAULT_WINDOW} and no approved windows. */
  public static FleetRequest of(
      List<Target> targets, WindowSchedule schedule, RolloutPolicy policy, Instant notBefore) {
    return new FleetRequest(
        targets, Map.of(Target.DEFAULT_WINDOW, schedule), policy, notBefore, Map.of());
  }

  /** This request with an approved window for {@code group}. */
  public FleetRequest approve(String group, MaintenanceWindow window) {
    Map<String, MaintenanceWindow> approved = new java.util.HashMap<>(approvedGroupWindows);
    approved.put(group, window);
    return new FleetRequest(targets, schedules, policy, notBefore, approved, existing);
  }

  /** This request with waves of earlier plans whose jobs count against the concurrency limit. */
  public FleetRequest withExisting(List<Wave> earlierWaves) {
    return new FleetRequest(
        targets, schedules, policy, notBefore, approvedGroupWindows, earlierWaves);
  }
}
