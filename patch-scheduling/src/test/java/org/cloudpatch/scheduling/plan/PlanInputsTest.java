package org.cloudpatch.scheduling.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.scheduling.rollout.DisruptionBudget;
import org.cloudpatch.scheduling.rollout.FleetPlanner;
import org.cloudpatch.scheduling.rollout.RolloutPolicy;
import org.junit.jupiter.api.Test;

/**
 * The plan inputs of {@code docs/plan-formats.md} read by the library: the worked example in {@code
 * examples/}, and bad input rejected with the source and the position named.
 */
class PlanInputsTest {
  private static final Path EXAMPLES = Path.of("..", "examples");

  private static IllegalArgumentException fleetError(String json) {
    return assertThrows(
        IllegalArgumentException.class, () -> PlanInputs.parseFleet("fleet.json", json));
  }

  private static IllegalArgumentException policyError(String json) {
    return assertThrows(
        IllegalArgumentException.class, () -> PlanInputs.parsePolicy("policy.json", json));
  }

  @Test
  void workedExample_readsAsDocumented_andPlans() {
    RolloutPolicy policy = PlanInputs.readPolicy(EXAMPLES.resolve("plan-policy.json"));
    assertEquals(TimingMode.SAME_INSTANT, policy.timingMode());
    assertEquals(Duration.ofHours(24), policy.bake());
    assertEquals(List.of(50, 100), policy.stages());
    assertEquals(
        List.of(new DisruptionBudget("service", 2), new DisruptionBudget("az", 1)),
        policy.budgets());
    assertEquals(Duration.ofDays(2), policy.change().normalLeadTime());

    PlanInputs.Fleet fleet = PlanInputs.readFleet(EXAMPLES.resolve("plan-fleet.json"));
    assertEquals(12, fleet.targets().size());
    assertEquals(java.util.Set.of("default", "us-weekend"), fleet.schedules().keySet());
    assertEquals(java.util.Set.of("search"), fleet.approvedGroupWindows().keySet());
    assertEquals(
        12,
        FleetPlanner.create()
            .plan(fleet.request(policy, Instant.parse("2025-03-10T00:00:00Z")))
            .stages()
            .stream()
            .mapToInt(s -> s.assets())
            .sum());
  }

  @Test
  void endlessInput_isRefusedAtItsBound_notReadWhole() {
    java.nio.file.Path zero = java.nio.file.Path.of("/dev/zero");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.Files.isReadable(zero), "no /dev/zero on this system");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PlanInputs.read(zero, 1 << 20));
    assertTrue(e.getMessage().startsWith("/dev/zero: longer than"), e.getMessage());
  }

  @Test
  void syntaxError_namesTheSourceLineAndColumn() {
    IllegalArgumentException e = fleetError("{\n  \"assets\": [\n    {\"id\": \"a\",, }\n  ]\n}");
    assertTrue(
        e.getMessage().startsWith("fleet.json: invalid JSON at line 3, column"), e.getMessage());
  }

  @Test
  void invalidZone_namesTheSourceAndThePointer() {
    IllegalArgumentException e =
        fleetError(
            "{\"windows\": {\"default\": {\"schedule\": \"0 2 * * *\"}}, \"assets\": ["
                + "{\"id\": \"a\", \"zone\": \"UTC\"}, {\"id\": \"b\", \"zone\": \"Mars/Base\"}]}");
    assertTrue(
        e.getMessage().startsWith("fleet.json: /assets/1/zone: \"Mars/Base\""), e.getMessage());
  }

  @Test
  void badSchedule_namesItsWindow() {
    IllegalArgumentException e =
        fleetError("{\"windows\": {\"nightly\": {\"schedule\": \"0 25 * * *\"}}, \"assets\": []}");
    assertTrue(e.getMessage().startsWith("fleet.json: /windows/nightly"), e.getMessage());
  }

  @Test
  void unknownWindowName_namesTheAssetByItsPointer() {
    PlanInputs.Fleet fleet =
        PlanInputs.parseFleet(
            "fleet.json",
            "{\"windows\": {\"default\": {\"schedule\": \"0 2 * * *\"}},"
                + " \"assets\": [{\"id\": \"a\", \"zone\": \"UTC\", \"window\": \"weekend\"}]}");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                fleet.request(
                    RolloutPolicy.simple(
                        TimingMode.LOCAL_TIME, org.cloudpatch.scheduling.rollout.Limit.count(1)),
                    Instant.EPOCH));
    assertTrue(
        e.getMessage().startsWith("fleet.json: /assets/0: asset a names window 'weekend'"),
        e.getMessage());
  }

  @Test
  void policyErrors_nameTheirPointer() {
    assertTrue(
        policyError("{\"stages\": [50, 40, 100]}").getMessage().startsWith("policy.json: /:"),
        "stages out of order are a policy-wide error");
    assertTrue(
        policyError("{\"maxConcurrency\": \"lots\"}")
            .getMessage()
            .startsWith("policy.json: /maxConcurrency: "));
    assertTrue(
        policyError("{\"change\": {\"emergencyPriorities\": [\"P9\"]}}")
            .getMessage()
            .startsWith("policy.json: /change/emergencyPriorities/0: \"P9\" is invalid"));
    assertTrue(
        policyError("{\"disruptionBudgets\": [{\"max\": 2}]}")
            .getMessage()
            .startsWith("policy.json: /disruptionBudgets/0/key: is required"));
  }

  @Test
  void instant_acceptsInstantOffsetDateTimeAndDate_andNamesWhatItRejects() {
    assertEquals(Instant.parse("2025-03-10T00:00:00Z"), PlanInputs.instant("2025-03-10"));
    assertEquals(
        Instant.parse("2025-03-10T01:00:00Z"), PlanInputs.instant("2025-03-10T02:00:00+01:00"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> PlanInputs.instant("soon"))
            .getMessage()
            .contains("\"soon\""));
  }
}
