package org.cloudpatch.scheduling.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.rollout.ChangeRequest;
import org.cloudpatch.core.rollout.ChangeRequest.ChangeType;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.severity.Priority;
import org.cloudpatch.scheduling.rollout.FleetPlan;
import org.cloudpatch.scheduling.rollout.FleetPlanner;
import org.cloudpatch.scheduling.rollout.FleetRequest;
import org.cloudpatch.scheduling.rollout.Limit;
import org.cloudpatch.scheduling.rollout.RolloutPolicy;
import org.cloudpatch.scheduling.rollout.Target;
import org.cloudpatch.scheduling.window.RecurringWindow;
import org.junit.jupiter.api.Test;

/** Priority and agreed windows decide the change type; the change names each zone's windows. */
class ChangePolicyTest {
  static final ChangePolicy DEFAULTS = ChangePolicy.defaults();
  static final Instant MONDAY = Instant.parse("2025-01-13T00:00:00Z");

  @Test
  void p1_isAnEmergency_inAnyWindow() {
    assertEquals(ChangeType.EMERGENCY, DEFAULTS.classify(Priority.P1, false, true));
    assertEquals(ChangeType.EMERGENCY, DEFAULTS.classify(Priority.P1, false, false));
  }

  @Test
  void knownExploited_isAnEmergency_unlessThePolicySaysOtherwise() {
    assertEquals(ChangeType.EMERGENCY, DEFAULTS.classify(Priority.P4, true, true));
    ChangePolicy notForKev =
        new ChangePolicy(
            Set.of(Priority.P4),
            Duration.ofDays(5),
            Set.of(Priority.P1),
            false,
            Duration.ofHours(2),
            true,
            Duration.ofHours(4));
    assertEquals(ChangeType.STANDARD, notForKev.classify(Priority.P4, true, true));
  }

  @Test
  void preApprovedPriority_insideAnAgreedWindow_isStandard_outsideItNormal() {
    assertEquals(ChangeType.STANDARD, DEFAULTS.classify(Priority.P3, false, true));
    assertEquals(ChangeType.NORMAL, DEFAULTS.classify(Priority.P3, false, false));
  }

  @Test
  void leadTimes_areZeroForStandard_andThePolicysOtherwise() {
    assertEquals(Duration.ZERO, DEFAULTS.leadTime(ChangeType.STANDARD));
    assertEquals(Duration.ofDays(5), DEFAULTS.leadTime(ChangeType.NORMAL));
    assertEquals(
        MONDAY.plus(Duration.ofHours(2)), DEFAULTS.earliestStart(ChangeType.EMERGENCY, MONDAY));
  }

  @Test
  void negativeLeadTime_isRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new ChangePolicy(
                Set.of(),
                Duration.ofDays(-1),
                Set.of(),
                true,
                Duration.ZERO,
                true,
                Duration.ofHours(1)));
  }

  @Test
  void normalChange_startsAfterItsLeadTime_andNamesEveryZonesLocalWindow() {
    ChangePolicy p2Normal =
        new ChangePolicy(
            Set.of(Priority.P3, Priority.P4),
            Duration.ofDays(5),
            Set.of(Priority.P1),
            true,
            Duration.ofHours(2),
            true,
            Duration.ofHours(4));
    RecurringWindow nightly = RecurringWindow.parse("0 2 * * *").withDuration(Duration.ofHours(4));
    List<Target> targets =
        List.of(
            Target.of("berlin-1", ZoneId.of("Europe/Berlin"))
                .urgency(Priority.P2, Optional.empty(), false),
            Target.of("tokyo-1", ZoneId.of("Asia/Tokyo"))
                .urgency(Priority.P2, Optional.empty(), false));
    FleetPlan plan =
        FleetPlanner.create()
            .plan(
                FleetRequest.of(
                    targets,
                    nightly,
                    RolloutPolicy.simple(TimingMode.LOCAL_TIME, Limit.count(5))
                        .withChange(p2Normal),
                    MONDAY));

    PlannedChange change = plan.changes().get(0);
    assertEquals(ChangeType.NORMAL, change.type());
    // Five days' lead: not before Saturday 00:00 UTC. Berlin's Saturday 02:00 (01:00 UTC) is after
    // it; Tokyo's Saturday 02:00 (Friday 17:00 UTC) is not, so Tokyo waits for Sunday.
    assertFalse(plan.waves().get(0).start().isBefore(MONDAY.plus(Duration.ofDays(5))));
    assertFalse(change.requestBy().isBefore(MONDAY));
    assertEquals(
        List.of(
            "Europe/Berlin 2025-01-18T02:00+01:00 2025-01-18T06:00+01:00",
            "Asia/Tokyo 2025-01-19T02:00+09:00 2025-01-19T06:00+09:00"),
        change.zoneWindows().stream()
            .map(z -> z.zone() + " " + z.start() + " " + z.end())
            .toList());
    ChangeRequest request = change.toChangeRequest(List.of(AdvisoryId.of("DSA-5514-1")));
    assertEquals(change.assets(), request.scope());
    assertEquals(ChangeType.NORMAL, request.type());
  }
}
