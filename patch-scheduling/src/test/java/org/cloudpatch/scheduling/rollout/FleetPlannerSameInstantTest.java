package org.cloudpatch.scheduling.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.rollout.ChangeRequest.ChangeType;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.rollout.Wave;
import org.cloudpatch.scheduling.change.PlannedChange;
import org.cloudpatch.scheduling.rollout.FleetPlan.GroupConflict;
import org.cloudpatch.scheduling.window.RecurringWindow;
import org.junit.jupiter.api.Test;

/**
 * A {@code SAME_INSTANT} group is patched at one instant inside every member's own window (DESIGN
 * §6), or, when their windows share none, not at all until an approved group window is given.
 */
class FleetPlannerSameInstantTest {
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final ZoneId LONDON = ZoneId.of("Europe/London");
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final Instant MONDAY = Instant.parse("2025-01-13T00:00:00Z");

  /** Every night 02:00 to 06:00 local time. */
  static final RecurringWindow NIGHTLY =
      RecurringWindow.parse("0 2 * * *").withDuration(Duration.ofHours(4));

  static FleetRequest request(List<Target> targets) {
    // Standard changes need no lead time, so the first night is usable.
    return FleetRequest.of(
        targets, NIGHTLY, RolloutPolicy.simple(TimingMode.SAME_INSTANT, Limit.count(10)), MONDAY);
  }

  static Target member(String id, ZoneId zone) {
    return Target.of(id, zone).inGroup("db");
  }

  @Test
  void group_acrossZones_isPlacedInTheIntersectionOfItsMembersWindows_notTheAnchorZones() {
    // Berlin 02:00-06:00 is 01:00-05:00 UTC, London's is 02:00-06:00 UTC: they share 02:00-05:00.
    FleetPlan plan =
        FleetPlanner.create()
            .plan(request(List.of(member("a-berlin", BERLIN), member("b-london", LONDON))));

    assertEquals(1, plan.waves().size(), plan.toString());
    Wave wave = plan.waves().get(0);
    assertEquals(Instant.parse("2025-01-13T02:00:00Z"), wave.start());
    assertEquals(Instant.parse("2025-01-13T02:00:00Z"), wave.window().start());
    assertEquals(Instant.parse("2025-01-13T05:00:00Z"), wave.window().end());
    assertEquals(List.of(AssetId.of("a-berlin"), AssetId.of("b-london")), wave.assets());
    assertEquals("db", wave.patchGroup().orElseThrow());
    assertTrue(plan.conflicts().isEmpty());
  }

  @Test
  void group_withoutCommonInstant_isAValueNamingConflictCandidatesAndSmallestExtension() {
    // Berlin's nights are 01:00-05:00 UTC, New York's 07:00-11:00 UTC: never at once.
    FleetPlan plan =
        FleetPlanner.create()
            .plan(
                request(
                    List.of(
                        member("a-berlin", BERLIN),
                        member("b-berlin", BERLIN),
                        member("c-newyork", NEW_YORK))));

    assertTrue(plan.waves().isEmpty(), "no member may be placed: " + plan.waves());
    assertEquals(3, plan.unplaced().size());
    assertTrue(plan.unplaced().get(AssetId.of("c-newyork")).contains("share no instant"));
    GroupConflict conflict = plan.conflicts().get(0);
    assertEquals("db", conflict.group());
    assertEquals(
        List.of(AssetId.of("a-berlin"), AssetId.of("b-berlin"), AssetId.of("c-newyork")),
        conflict.conflicting());
    // The nearest candidates cover the largest part of the group: the Berlin pair, or New York.
    assertFalse(conflict.candidates().isEmpty());
    assertEquals(Instant.parse("2025-01-13T01:00:00Z"), conflict.candidates().get(0).from());
    assertEquals(List.of(AssetId.of("c-newyork")), conflict.candidates().get(0).missing());
    // Last Berlin start 04:30Z, first New York start 07:00Z: 2h30 either way; the earlier instant
    // wins, which opens New York's window earlier.
    FleetPlan.Extension ext = conflict.extension().orElseThrow();
    assertEquals(Duration.ofMinutes(150), ext.by());
    assertEquals(NEW_YORK, ext.zone());
    assertTrue(ext.earlier());
    assertEquals(Instant.parse("2025-01-13T04:30:00Z"), ext.at());
  }

  @Test
  void
      conflictingGroup_withApprovedGroupWindow_isPlacedThere_andItsChangeNamesEveryZonesLocalTime() {
    MaintenanceWindow approved =
        MaintenanceWindow.of(
            Instant.parse("2025-01-14T05:00:00Z"), Instant.parse("2025-01-14T08:00:00Z"), BERLIN);
    FleetPlan plan =
        FleetPlanner.create()
            .plan(
                request(List.of(member("a-berlin", BERLIN), member("c-newyork", NEW_YORK)))
                    .approve("db", approved));

    assertTrue(plan.conflicts().isEmpty());
    assertTrue(plan.unplaced().isEmpty());
    assertEquals(Instant.parse("2025-01-14T05:00:00Z"), plan.waves().get(0).start());
    assertEquals(approved, plan.waves().get(0).window());
    PlannedChange change = plan.changes().get(0);
    assertEquals(ChangeType.NORMAL, change.type());
    Set<String> local =
        change.zoneWindows().stream()
            .map(z -> z.zone() + " " + z.start() + " " + z.end())
            .collect(Collectors.toSet());
    assertEquals(
        Set.of(
            "Europe/Berlin 2025-01-14T06:00+01:00 2025-01-14T09:00+01:00",
            "America/New_York 2025-01-14T00:00-05:00 2025-01-14T03:00-05:00"),
        local);
    assertEquals(
        OffsetDateTime.parse("2025-01-14T00:00-05:00"), change.zoneWindows().get(0).start());
  }

  @Test
  void group_largerThanConcurrency_isUnplacedWhole() {
    FleetRequest r =
        FleetRequest.of(
            List.of(member("a", BERLIN), member("b", BERLIN), member("c", BERLIN)),
            NIGHTLY,
            RolloutPolicy.simple(TimingMode.SAME_INSTANT, Limit.count(2)),
            MONDAY);
    FleetPlan plan = FleetPlanner.create().plan(r);
    assertTrue(plan.waves().isEmpty());
    assertTrue(plan.unplaced().get(AssetId.of("a")).contains("larger than maxConcurrency 2"));
  }

  @Test
  void groupMembers_inDifferentSchedules_meetWhereBothSchedulesAreOpen() {
    // Berlin patches nightly 02:00-06:00; New York agreed Sundays 20:00 to Monday 02:00 local,
    // which is Monday 01:00-07:00 UTC (12 January 2025 is a Sunday); Berlin's Monday night is
    // 01:00-05:00 UTC.
    RecurringWindow sundayEvening =
        RecurringWindow.parse("0 20 * * 0").withDuration(Duration.ofHours(6));
    FleetRequest r =
        new FleetRequest(
            List.of(member("a-berlin", BERLIN), member("c-newyork", NEW_YORK).inWindow("ny")),
            java.util.Map.of(Target.DEFAULT_WINDOW, NIGHTLY, "ny", sundayEvening),
            RolloutPolicy.simple(TimingMode.SAME_INSTANT, Limit.count(10)),
            MONDAY,
            java.util.Map.of());
    FleetPlan plan = FleetPlanner.create().plan(r);
    assertEquals(Instant.parse("2025-01-13T01:00:00Z"), plan.waves().get(0).start(), "" + plan);
    assertEquals(Instant.parse("2025-01-13T05:00:00Z"), plan.waves().get(0).window().end());
  }
}
