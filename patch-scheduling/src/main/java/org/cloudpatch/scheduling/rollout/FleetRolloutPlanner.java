package org.cloudpatch.scheduling.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.rollout.RolloutPlan;
import org.cloudpatch.core.rollout.RolloutRequest;
import org.cloudpatch.core.severity.Priority;
import org.cloudpatch.core.spi.RolloutPlanner;
import org.cloudpatch.scheduling.rollout.FleetPlan.Candidate;
import org.cloudpatch.scheduling.rollout.FleetPlan.GroupConflict;
import org.cloudpatch.scheduling.window.WindowSchedule;

/**
 * The engine's port onto {@link FleetPlanner}: each {@link RolloutRequest} is planned as a fleet
 * plan, so the engine's rollouts keep every guarantee {@link FleetPlanner} states. In the engine's
 * terms:
 *
 * <ul>
 *   <li><b>Windows.</b> Each asset is patched inside an occurrence of its own window schedule in
 *       its own zone ({@link Builder#schedule} for every asset, or {@link Builder#schedules} with
 *       {@link Builder#windowOf} naming each asset's).
 *   <li><b>{@code SAME_INSTANT}.</b> A patch group goes to one instant inside every member's window
 *       (their intersection), never to one member's window alone. A group whose members' windows
 *       share no instant within the horizon is unplaced whole, each member's reason naming the
 *       conflicting members, the nearest candidate times and the smallest extension of one zone's
 *       window that would give the group a common instant.
 *   <li><b>Limits.</b> The request's {@link RolloutRequest#maxConcurrency()} and its {@link
 *       RolloutRequest#existing()} waves bound the plan (the policy's own concurrency limit is not
 *       used), and the request's timing mode replaces the policy's. Test ring, bake, stages,
 *       disruption budgets (counted by asset tags {@code key:value} or {@code key=value}), slot,
 *       horizon and change policy come from the policy.
 *   <li><b>Urgency.</b> The request's {@link RolloutRequest#priorities()} and {@link
 *       RolloutRequest#dueDates()} order the work, and P1 work (or what the change policy makes an
 *       emergency) that its windows would bring in after its due date goes into an out-of-cycle
 *       emergency window when the change policy allows it.
 * </ul>
 *
 * <p>The engine decides each change's type itself ({@code ProcessPolicy.changeType()}) and opens
 * one change per window; the policy's change policy should classify priorities the same way, so
 * that the lead times this planner keeps (a normal change's wait for the change board) are those of
 * the changes the engine opens.
 *
 * <p>Every fleet plan made is handed to the {@link Builder#onPlan observer}, which is how a host
 * reads its forecast (the work that will miss its due date, and what would fix it). Stateless apart
 * from the observer; thread-safe when the observer is.
 */
public final class FleetRolloutPlanner implements RolloutPlanner {
  private final Map<String, WindowSchedule> schedules;
  private final Function<Asset, String> windowOf;
  private final RolloutPolicy policy;
  private final Consumer<FleetPlan> observer;

  private FleetRolloutPlanner(Builder b) {
    this.schedules = Map.copyOf(b.schedules);
    this.windowOf = b.windowOf;
    this.policy = b.policy;
    this.observer = b.observer;
  }

  /** A builder; a schedule is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The policy every request is planned under (timing mode and concurrency from the request). */
  public RolloutPolicy policy() {
    return policy;
  }

  /**
   * Plans the request.
   *
   * @param request never null
   * @return the waves and the unplaced assets with their reasons, never null
   * @throws IllegalArgumentException when an asset's window names no schedule of this planner
   */
  @Override
  public RolloutPlan plan(RolloutRequest request) {
    Objects.requireNonNull(request, "request");
    FleetPlan plan = FleetPlanner.create().plan(fleetRequest(request));
    observer.accept(plan);
    Map<AssetId, String> unplaced = new TreeMap<>(plan.unplaced());
    Map<String, String> details = new TreeMap<>();
    plan.conflicts().forEach(c -> details.put(c.group(), describe(c)));
    for (Asset asset : request.assets()) {
      String detail = asset.patchGroup().map(details::get).orElse(null);
      if (detail != null) {
        unplaced.computeIfPresent(asset.id(), (vm, reason) -> reason + detail);
      }
    }
    return RolloutPlan.builder().waves(plan.waves()).unplaced(unplaced).build();
  }

  /** The fleet request the engine's request becomes. */
  FleetRequest fleetRequest(RolloutRequest request) {
    List<Target> targets = new ArrayList<>(request.assets().size());
    for (Asset asset : request.assets()) {
      Priority priority = request.priorities().getOrDefault(asset.id(), Priority.P3);
      Target t =
          Target.of(asset, priority, Optional.ofNullable(request.dueDates().get(asset.id())));
      String window = windowOf.apply(asset);
      targets.add(window.equals(Target.DEFAULT_WINDOW) ? t : t.inWindow(window));
    }
    RolloutPolicy p =
        policy.withTiming(request.timingMode(), Limit.count(request.maxConcurrency()));
    return new FleetRequest(targets, schedules, p, request.notBefore(), Map.of())
        .withExisting(request.existing());
  }

  private static String describe(GroupConflict c) {
    StringBuilder out = new StringBuilder();
    if (!c.candidates().isEmpty()) {
      Candidate nearest = c.candidates().get(0);
      out.append("; nearest common time ")
          .append(nearest.from())
          .append(" to ")
          .append(nearest.to())
          .append(" leaves out ")
          .append(nearest.missing());
    }
    c.extension()
        .ifPresent(
            e ->
                out.append("; ")
                    .append(e.earlier() ? "opening" : "closing")
                    .append(" the ")
                    .append(e.zone())
                    .append(" window of ")
                    .append(e.occurrence().start())
                    .append(' ')
                    .append(e.by())
                    .append(e.earlier() ? " earlier" : " later")
                    .append(" would give a common start at ")
                    .append(e.at()));
    return out.toString();
  }

  @Override
  public String toString() {
    return "FleetRolloutPlanner{schedules=" + schedules.keySet() + ", policy=" + policy + "}";
  }

  /** Builds a {@link FleetRolloutPlanner}. */
  public static final class Builder {
    private final Map<String, WindowSchedule> schedules = new TreeMap<>();
    private Function<Asset, String> windowOf = a -> Target.DEFAULT_WINDOW;
    private RolloutPolicy policy =
        RolloutPolicy.simple(org.cloudpatch.core.rollout.TimingMode.LOCAL_TIME, Limit.count(1));
    private Consumer<FleetPlan> observer = plan -> {};

    private Builder() {}

    /** The window schedule of every asset (the schedule named {@link Target#DEFAULT_WINDOW}). */
    public Builder schedule(WindowSchedule schedule) {
      schedules.put(Target.DEFAULT_WINDOW, Objects.requireNonNull(schedule, "schedule"));
      return this;
    }

    /** Window schedules by name, added to those already set; {@link #windowOf} picks an asset's. */
    public Builder schedules(Map<String, WindowSchedule> byName) {
      schedules.putAll(Map.copyOf(byName));
      return this;
    }

    /**
     * The name of an asset's window schedule; by default {@link Target#DEFAULT_WINDOW} for every
     * asset. It must be pure and fast: the engine calls the planner while it decides.
     */
    public Builder windowOf(Function<Asset, String> names) {
      this.windowOf = Objects.requireNonNull(names, "names");
      return this;
    }

    /**
     * Test ring, bake, stages, budgets, slot, horizon and change policy; by default {@link
     * RolloutPolicy#simple} (no ring, one stage, no budgets, {@link
     * org.cloudpatch.scheduling.change.ChangePolicy#defaults()}).
     */
    public Builder policy(RolloutPolicy rolloutPolicy) {
      this.policy = Objects.requireNonNull(rolloutPolicy, "rolloutPolicy");
      return this;
    }

    /**
     * Receives every fleet plan made, e.g. to report its forecast; called on the engine's thread.
     */
    public Builder onPlan(Consumer<FleetPlan> planObserver) {
      this.observer = Objects.requireNonNull(planObserver, "planObserver");
      return this;
    }

    /**
     * The planner.
     *
     * @throws IllegalStateException when no schedule was given
     */
    public FleetRolloutPlanner build() {
      if (schedules.isEmpty()) {
        throw new IllegalStateException("a FleetRolloutPlanner needs a window schedule");
      }
      return new FleetRolloutPlanner(this);
    }
  }
}
