package org.cloudpatch.scheduling.rollout;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.cloudpatch.core.rollout.RolloutPlan;
import org.cloudpatch.core.rollout.Wave;
import org.cloudpatch.core.severity.Priority;
import org.cloudpatch.scheduling.change.PlannedChange;

/**
 * A fleet's rollout plan as a value: waves grouped into stages, what could not be placed and why,
 * the {@code SAME_INSTANT} groups whose windows conflict, the due-date forecast, and the change
 * requests the plan needs. {@link FleetPlanner} states the guarantees.
 *
 * @param waves the waves in start order, numbered from 0
 * @param stages the test ring (stage 0) and the widening stages, in order
 * @param unplaced assets that are in no wave, each with the reason
 * @param conflicts {@code SAME_INSTANT} groups whose members' windows have no common instant
 * @param forecast per priority, the work that will miss its due date and what would fix it
 * @param changes the change requests, by stage and key
 * @param maxConcurrency the concurrency limit the plan holds, as a count
 * @param errorThreshold the failed-job count at which {@link RolloutRun} halts
 */
public record FleetPlan(
    List<Wave> waves,
    List<Stage> stages,
    Map<AssetId, String> unplaced,
    List<GroupConflict> conflicts,
    Map<Priority, PriorityForecast> forecast,
    List<PlannedChange> changes,
    long maxConcurrency,
    long errorThreshold) {

  /** Copies. */
  public FleetPlan {
    waves = List.copyOf(waves);
    stages = List.copyOf(stages);
    unplaced = Map.copyOf(unplaced);
    conflicts = List.copyOf(conflicts);
    forecast = Map.copyOf(forecast);
    changes = List.copyOf(changes);
  }

  /** The plan in the engine's terms: its waves and unplaced assets. */
  public RolloutPlan toRolloutPlan() {
    return RolloutPlan.builder().waves(waves).unplaced(unplaced).build();
  }

  /**
   * One stage: the test ring (index 0) or a widening stage, with the gate before it.
   *
   * @param index 0 for the test ring
   * @param name {@code test ring} or {@code stage N}
   * @param waves the indexes of its waves in {@link FleetPlan#waves()}
   * @param assets how many assets it patches
   * @param gate for a stage after another: no job of it starts before this instant (the previous
   *     stage's last planned end plus the bake), and only after the health check passed
   */
  public record Stage(
      int index, String name, List<Integer> waves, int assets, Optional<Instant> gate) {
    /** Copies. */
    public Stage {
      waves = List.copyOf(waves);
    }
  }

  /**
   * A {@code SAME_INSTANT} group none of whose members is placed because their windows have no
   * common instant within the horizon, and no approved group window was given.
   *
   * @param group the patch group
   * @param conflicting the members whose windows conflict: those of zones that share no instant
   *     with another member's zone (all members when only three or more conflict together)
   * @param candidates the nearest candidates: the times covered by the most members' windows,
   *     earliest first
   * @param extension the smallest extension of one zone's window that makes a common instant, if
   *     extending one zone is enough
   */
  public record GroupConflict(
      String group,
      List<AssetId> conflicting,
      List<Candidate> candidates,
      Optional<Extension> extension) {
    /** Copies. */
    public GroupConflict {
      conflicting = List.copyOf(conflicting);
      candidates = List.copyOf(candidates);
    }
  }

  /**
   * A span of job starts in which most, but not all, members of a group are inside their windows.
   *
   * @param from the first start
   * @param to the last start
   * @param missing the members outside their windows at those starts
   */
  public record Candidate(Instant from, Instant to, List<AssetId> missing) {
    /** Copies. */
    public Candidate {
      missing = List.copyOf(missing);
    }
  }

  /**
   * Extending one occurrence of one zone's window by {@code by} (its opening earlier, or its close
   * and cutoff later) gives the group a common start at {@code at}.
   *
   * @param zone the zone whose window to extend
   * @param window the schedule name
   * @param occurrence the occurrence to extend
   * @param earlier whether to open it earlier (otherwise to close it later)
   * @param by how much
   * @param at the common start this makes possible
   */
  public record Extension(
      ZoneId zone,
      String window,
      MaintenanceWindow occurrence,
      boolean earlier,
      Duration by,
      Instant at) {}

  /**
   * The forecast for one priority.
   *
   * @param assets assets of that priority
   * @param withDueDate of those, assets with a due date
   * @param late the assets that will miss their due date, by id
   */
  public record PriorityForecast(int assets, int withDueDate, List<DueMiss> late) {
    /** Copies. */
    public PriorityForecast {
      late = List.copyOf(late);
    }
  }

  /**
   * An asset that will miss its due date.
   *
   * @param asset the asset
   * @param due its due date
   * @param finish when its job is planned to end, empty if unplaced
   * @param fixes what would bring it in time
   */
  public record DueMiss(AssetId asset, Instant due, Optional<Instant> finish, List<Fix> fixes) {
    /** Copies. */
    public DueMiss {
      fixes = List.copyOf(fixes);
    }
  }

  /**
   * One way to bring late work in time.
   *
   * @param kind the kind of remedy
   * @param detail what exactly, in words
   */
  public record Fix(FixKind kind, String detail) {}

  /** Remedies for late work. */
  public enum FixKind {
    /** Its windows have room in time, taken by other jobs: raise the concurrency or a budget. */
    MORE_CONCURRENCY,
    /** Its windows have room in time, but its stage opens too late: ring, bake or stages. */
    EARLIER_STAGE,
    /** None of its windows lets a job finish in time: agree another window. */
    ANOTHER_WINDOW,
    /** An out-of-cycle emergency window would bring it in time. */
    EMERGENCY_WINDOW
  }
}
