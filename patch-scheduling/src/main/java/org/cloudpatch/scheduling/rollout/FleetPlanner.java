package org.cloudpatch.scheduling.rollout;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans a fleet's rollout: a test ring, a bake and a health gate, then widening stages, inside each
 * asset's own window schedule, under a fleet-wide concurrency limit and per-label disruption
 * budgets, with the change requests the plan needs and a due-date forecast.
 *
 * <p>Every {@link FleetPlan} it returns guarantees:
 *
 * <ul>
 *   <li><b>Completeness.</b> Every target is in exactly one wave or in {@link FleetPlan#unplaced()}
 *       with a reason.
 *   <li><b>Concurrency.</b> A job occupies {@code [wave start, wave start + slot)}; at no instant
 *       do more than {@link FleetPlan#maxConcurrency()} jobs run, whatever zones their windows
 *       belong to.
 *   <li><b>Disruption budgets.</b> For every budget and every value of its label, at no instant do
 *       more than its {@code max} jobs on assets with that value run. A unit that alone exceeds a
 *       budget (a {@code SAME_INSTANT} group with three {@code service=db} members under a budget
 *       of two) is unplaced with a reason naming the budget.
 *   <li><b>Windows and cutoffs.</b> A single asset's wave starts inside an occurrence of its own
 *       schedule in its own zone, on the occurrence's slot grid, never after the occurrence's
 *       cutoff, and its slot ends by the occurrence's end. Nothing starts before the request's
 *       {@code notBefore}, and only occurrences opening before {@code notBefore + horizon} are
 *       used.
 *   <li><b>{@code SAME_INSTANT}.</b> A patch group is placed whole in one wave of its own, at one
 *       instant that lies inside an occurrence of every member's own schedule in that member's zone
 *       (not before any of their cutoffs, the slot ending before any of them closes); the wave's
 *       window is the intersection. Where the members' windows have no common instant within the
 *       horizon, no member is placed, and {@link FleetPlan#conflicts()} names the conflicting
 *       members, the nearest candidates and the smallest extension of one zone's window that would
 *       make one — unless the request carries an approved window for the group: then the group is
 *       placed inside it, and its change request names every member zone's local time.
 *   <li><b>Stages.</b> The test ring is stage 0; then the stages of the policy. No job of a stage
 *       starts before the previous stage's last planned job has ended plus the bake time ({@link
 *       FleetPlan.Stage#gate()}); {@link RolloutRun} also asks the {@link HealthCheck} there.
 *   <li><b>Change lead time.</b> A unit's first job starts no earlier than its change type's lead
 *       time after {@code notBefore} ({@link org.cloudpatch.scheduling.change.ChangePolicy}). A P1
 *       (or known exploited) unit that its windows would bring in after its due date is put in an
 *       out-of-cycle emergency window when the change policy allows.
 *   <li><b>Determinism.</b> The plan depends only on the request's content. Within a stage, units
 *       go by priority, known exploitation, due date, size (larger first) and id, each into the
 *       earliest slot with room.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class FleetPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(FleetPlanner.class);

  private FleetPlanner() {}

  /** A planner. */
  public static FleetPlanner create() {
    return new FleetPlanner();
  }

  /**
   * Plans the request.
   *
   * @param request never null
   * @return the plan, never null
   * @throws IllegalArgumentException when the test ring names an asset that is not a target
   */
  public FleetPlan plan(FleetRequest request) {
    Objects.requireNonNull(request, "request");
    FleetPlan plan = new FleetPlanning(request).run();
    LOG.debug(
        "planned {} targets in {} waves, {} unplaced, {} group conflicts",
        request.targets().size(),
        plan.waves().size(),
        plan.unplaced().size(),
        plan.conflicts().size());
    return plan;
  }
}
