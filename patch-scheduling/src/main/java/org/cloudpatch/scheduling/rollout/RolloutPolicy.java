package org.cloudpatch.scheduling.rollout;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.scheduling.change.ChangePolicy;

/**
 * How a fleet is rolled out: test ring, bake, widening stages, rate control, disruption budgets and
 * the change process.
 *
 * @param timingMode {@code LOCAL_TIME}, or {@code SAME_INSTANT} for patch groups at one instant
 * @param slot the time one job is allowed to take; waves start on a grid of slots
 * @param horizon how far after the plan's start a window may open and still be used
 * @param maxConcurrency jobs running at once across the fleet (count or percent of the fleet)
 * @param errorThreshold failed jobs after which {@link RolloutRun} halts (count or percent of the
 *     planned jobs)
 * @param bake how long after the last job of a stage ends the next stage may start
 * @param testRing the first stage
 * @param stages the widening stages after the ring, as cumulative percentages of the rest of the
 *     fleet, increasing and ending at 100 (e.g. {@code [10, 50, 100]})
 * @param budgets the disruption budgets, each holding at every instant
 * @param change the change process
 */
public record RolloutPolicy(
    TimingMode timingMode,
    Duration slot,
    Duration horizon,
    Limit maxConcurrency,
    Limit errorThreshold,
    Duration bake,
    TestRing testRing,
    List<Integer> stages,
    List<DisruptionBudget> budgets,
    ChangePolicy change) {

  /** Validates and copies. */
  public RolloutPolicy {
    Objects.requireNonNull(timingMode, "timingMode");
    Objects.requireNonNull(maxConcurrency, "maxConcurrency");
    Objects.requireNonNull(errorThreshold, "errorThreshold");
    Objects.requireNonNull(testRing, "testRing");
    Objects.requireNonNull(change, "change");
    positive("slot", slot);
    positive("horizon", horizon);
    if (bake.isNegative()) {
      throw new IllegalArgumentException("bake must not be negative: " + bake);
    }
    stages = List.copyOf(stages);
    if (stages.isEmpty() || stages.get(stages.size() - 1) != 100) {
      throw new IllegalArgumentException("stages must end at 100 (percent): " + stages);
    }
    for (int i = 0; i < stages.size(); i++) {
      int pct = stages.get(i);
      if (pct < 1 || (i > 0 && pct <= stages.get(i - 1))) {
        throw new IllegalArgumentException(
            "stages must be increasing percentages from 1 to 100: " + stages);
      }
    }
    budgets = List.copyOf(budgets);
  }

  /**
   * A policy with the given timing mode and limits, no test ring, no bake, one stage, no budgets,
   * {@link ChangePolicy#defaults()}, a 30-minute slot and an eight-week horizon.
   */
  public static RolloutPolicy simple(TimingMode mode, Limit maxConcurrency) {
    return new RolloutPolicy(
        mode,
        Duration.ofMinutes(30),
        Duration.ofDays(56),
        maxConcurrency,
        Limit.percent(5),
        Duration.ZERO,
        TestRing.none(),
        List.of(100),
        List.of(),
        ChangePolicy.defaults());
  }

  /** This policy with another test ring and bake. */
  public RolloutPolicy withTestRing(TestRing ring, Duration bakeTime) {
    return new RolloutPolicy(
        timingMode,
        slot,
        horizon,
        maxConcurrency,
        errorThreshold,
        bakeTime,
        ring,
        stages,
        budgets,
        change);
  }

  /** This policy with other stages. */
  public RolloutPolicy withStages(List<Integer> cumulativePercentages) {
    return new RolloutPolicy(
        timingMode,
        slot,
        horizon,
        maxConcurrency,
        errorThreshold,
        bake,
        testRing,
        cumulativePercentages,
        budgets,
        change);
  }

  /** This policy with other disruption budgets. */
  public RolloutPolicy withBudgets(List<DisruptionBudget> disruptionBudgets) {
    return new RolloutPolicy(
        timingMode,
        slot,
        horizon,
        maxConcurrency,
        errorThreshold,
        bake,
        testRing,
        stages,
        disruptionBudgets,
        change);
  }

  /** This policy with another change policy. */
  public RolloutPolicy withChange(ChangePolicy changePolicy) {
    return new RolloutPolicy(
        timingMode,
        slot,
        horizon,
        maxConcurrency,
        errorThreshold,
        bake,
        testRing,
        stages,
        budgets,
        changePolicy);
  }

  /** This policy with another slot and horizon. */
  public RolloutPolicy withSlot(Duration jobSlot, Duration planHorizon) {
    return new RolloutPolicy(
        timingMode,
        jobSlot,
        planHorizon,
        maxConcurrency,
        errorThreshold,
        bake,
        testRing,
        stages,
        budgets,
        change);
  }

  /** This policy with another timing mode and concurrency limit. */
  public RolloutPolicy withTiming(TimingMode mode, Limit concurrency) {
    return new RolloutPolicy(
        mode, slot, horizon, concurrency, errorThreshold, bake, testRing, stages, budgets, change);
  }

  /** This policy with another error threshold. */
  public RolloutPolicy withErrorThreshold(Limit threshold) {
    return new RolloutPolicy(
        timingMode,
        slot,
        horizon,
        maxConcurrency,
        threshold,
        bake,
        testRing,
        stages,
        budgets,
        change);
  }

  private static void positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}
