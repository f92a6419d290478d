package org.cloudpatch.scheduling.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import org.junit.jupiter.api.Test;

/**
 * The cursors that keep planning near-linear (per schedule and zone, the start before which every
 * slot is full for the fleet or for one budget label value) skip only slots no unit could take: on
 * the random fleets, schedules, groups, budgets and policies of {@link FleetPlannerModelTest}, the
 * plan with cursors equals the plan that searches every unit from its earliest start.
 */
class FleetPlanningCursorsTest {
  private static final long SEED = 0x0C0C_5052L;
  private static final int EXAMPLES = Integer.getInteger("cloudpatch.rollout.examples", 120);

  @Test
  void planWithCursors_equalsPlanSearchingFromEachUnitsEarliestStart() {
    qt().withFixedSeed(SEED)
        .withExamples(EXAMPLES)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              FleetRequest request = FleetPlannerModelTest.scenario(seed).request();
              assertEquals(
                  new FleetPlanning(request, false).run(),
                  new FleetPlanning(request, true).run(),
                  "seed " + seed);
            });
  }

  @Test
  void crowdedFleetUnderTightBudgets_plansAlike() {
    // Many assets of few services and zones: later units meet nights their budgets filled.
    for (long seed = 1; seed <= 20; seed++) {
      FleetRequest base = FleetPlannerModelTest.scenario(seed).request();
      java.util.List<Target> targets = new java.util.ArrayList<>();
      for (int i = 0; i < 400; i++) {
        Target t = base.targets().get(i % base.targets().size());
        String suffix = "-" + (i % 40);
        targets.add(
            new Target(
                org.cloudpatch.core.AssetId.of("vm-" + i),
                t.zone(),
                t.image(),
                java.util.Map.of("service", "s" + (i % 3), "az", "az" + (i % 2)),
                t.group().map(g -> g + suffix),
                t.window(),
                t.priority(),
                t.due(),
                t.knownExploited()));
      }
      RolloutPolicy policy =
          base.policy()
              .withBudgets(
                  java.util.List.of(
                      new DisruptionBudget("service", 2), new DisruptionBudget("az", 3)));
      FleetRequest request =
          new FleetRequest(targets, base.schedules(), policy, base.notBefore(), java.util.Map.of());
      assertEquals(
          new FleetPlanning(request, false).run(),
          new FleetPlanning(request, true).run(),
          "seed " + seed);
    }
  }
}
