package org.cloudpatch.scheduling.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.rollout.Wave;
import org.jspecify.annotations.Nullable;

/**
 * Carries out a {@link FleetPlan} as time passes: asked at any moment which jobs may start, given
 * the state of the jobs so far, it answers under the plan's gates and limits.
 *
 * <p>Rules of {@link #next(Instant, Map)}, exactly:
 *
 * <ul>
 *   <li><b>Error threshold.</b> A job counts as failed once it is {@link JobState#FAILED}; a job in
 *       flight ({@link JobState#RUNNING}) counts neither as failed nor as succeeded. When the
 *       failed count reaches {@link FleetPlan#errorThreshold()} the run halts: no further job
 *       starts. Jobs in flight at that moment are not stopped; their failures are counted when they
 *       are reported, so a halted run may end with up to (threshold − 1 + jobs then in flight)
 *       failures.
 *   <li><b>Concurrency.</b> Jobs start only while the jobs in flight plus the new ones stay within
 *       {@link FleetPlan#maxConcurrency()}.
 *   <li><b>Windows and cutoffs.</b> A wave's jobs start no earlier than its planned start, and
 *       never after its window's cutoff or so late that its slot would run past the window's end.
 *       Jobs of a wave whose time has passed unstarted are reported as missed (to plan again),
 *       never started late.
 *   <li><b>{@code SAME_INSTANT}.</b> A group's wave starts whole or not at all.
 *   <li><b>Gates.</b> A stage after the first starts only at or after its gate instant, once every
 *       job of the earlier stages has finished or been missed, and once the {@link HealthCheck} has
 *       passed for it (it is asked once per stage; a reported problem halts the run for good).
 * </ul>
 *
 * <p>Holds the health verdicts it has received; not thread-safe.
 */
public final class RolloutRun {
  private final FleetPlan plan;
  private final HealthCheck health;
  private final Map<Integer, Integer> stageOfWave = new java.util.HashMap<>();
  private final Set<Integer> passedGates = new HashSet<>();
  private @Nullable String healthProblem;

  /**
   * A run of {@code plan} gated by {@code health}.
   *
   * @param plan never null
   * @param health never null
   */
  public RolloutRun(FleetPlan plan, HealthCheck health) {
    this.plan = Objects.requireNonNull(plan, "plan");
    this.health = Objects.requireNonNull(health, "health");
    for (FleetPlan.Stage stage : plan.stages()) {
      stage.waves().forEach(w -> stageOfWave.put(w, stage.index()));
    }
  }

  /** Where a job stands. An asset absent from the map has not started. */
  public enum JobState {
    /** Started and not yet finished: in flight. */
    RUNNING,
    /** Finished and verified. */
    SUCCEEDED,
    /** Finished with an error. */
    FAILED
  }

  /**
   * What the run does now.
   *
   * @param start the assets whose jobs start now, sorted
   * @param halted why the run is halted, if it is
   * @param missed assets whose wave's time passed unstarted, sorted
   */
  public record Step(List<AssetId> start, Optional<String> halted, List<AssetId> missed) {
    /** Copies. */
    public Step {
      start = List.copyOf(start);
      missed = List.copyOf(missed);
    }
  }

  /**
   * The jobs to start at {@code now}.
   *
   * @param now the current instant, never null
   * @param jobs the state of every started job, never null
   * @return never null
   */
  public Step next(Instant now, Map<AssetId, JobState> jobs) {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(jobs, "jobs");
    long failed = jobs.values().stream().filter(s -> s == JobState.FAILED).count();
    long running = jobs.values().stream().filter(s -> s == JobState.RUNNING).count();
    List<AssetId> missed = new ArrayList<>();
    for (Wave w : plan.waves()) {
      if (tooLate(w, now)) {
        w.assets().stream().filter(a -> !jobs.containsKey(a)).forEach(missed::add);
      }
    }
    missed.sort(null);
    if (healthProblem != null) {
      return new Step(List.of(), Optional.of(healthProblem), missed);
    }
    if (failed >= plan.errorThreshold()) {
      return new Step(
          List.of(),
          Optional.of(failed + " failed jobs reached the error threshold " + plan.errorThreshold()),
          missed);
    }
    List<AssetId> start = new ArrayList<>();
    long room = plan.maxConcurrency() - running;
    for (Wave w : plan.waves()) {
      if (room <= 0 || now.isBefore(w.start()) || tooLate(w, now)) {
        continue;
      }
      List<AssetId> pending = w.assets().stream().filter(a -> !jobs.containsKey(a)).toList();
      if (pending.isEmpty() || !gateOpen(stageOfWave.getOrDefault(w.index(), 0), now, jobs)) {
        if (healthProblem != null) {
          return new Step(List.of(), Optional.of(healthProblem), missed);
        }
        continue;
      }
      if (w.patchGroup().isPresent()) {
        if (pending.size() == w.assets().size() && pending.size() <= room) {
          start.addAll(pending);
          room -= pending.size();
        }
      } else {
        for (AssetId a : pending) {
          if (room <= 0) {
            break;
          }
          start.add(a);
          room--;
        }
      }
    }
    start.sort(null);
    return new Step(start, Optional.empty(), missed);
  }

  private static boolean tooLate(Wave w, Instant now) {
    Duration slot = Duration.between(w.start(), w.end());
    return now.isAfter(w.window().cutoff()) || now.plus(slot).isAfter(w.window().end());
  }

  private boolean gateOpen(int stage, Instant now, Map<AssetId, JobState> jobs) {
    if (stage == 0 || passedGates.contains(stage)) {
      return true;
    }
    FleetPlan.Stage s = plan.stages().get(stage);
    if (s.gate().isPresent() && now.isBefore(s.gate().get())) {
      return false;
    }
    List<AssetId> patched = new ArrayList<>();
    for (FleetPlan.Stage earlier : plan.stages().subList(0, stage)) {
      for (int index : earlier.waves()) {
        Wave w = plan.waves().get(index);
        for (AssetId a : w.assets()) {
          JobState state = jobs.get(a);
          if (state == JobState.RUNNING || (state == null && !tooLate(w, now))) {
            return false;
          }
          if (state == JobState.SUCCEEDED) {
            patched.add(a);
          }
        }
      }
    }
    patched.sort(null);
    Optional<String> problem = health.problem(stage, List.copyOf(patched));
    if (problem.isPresent()) {
      healthProblem = "health check before stage " + stage + ": " + problem.get();
      return false;
    }
    passedGates.add(stage);
    return true;
  }
}
