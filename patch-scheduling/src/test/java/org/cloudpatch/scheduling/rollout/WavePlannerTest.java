package org.cloudpatch.scheduling.rollout;

import static java.time.DayOfWeek.SUNDAY;
import static org.cloudpatch.scheduling.rollout.Fleet.asset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.cloudpatch.core.rollout.RolloutPlan;
import org.cloudpatch.core.rollout.RolloutRequest;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.rollout.Wave;
import org.cloudpatch.scheduling.window.WeeklyWindow;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The wave planner as a specification. */
class WavePlannerTest {
  /** Sunday 02:00 for 4h, no new wave after 05:00: seven 30-minute slots, 02:00 to 05:00. */
  private static final WeeklyWindow SUNDAY_NIGHT =
      WeeklyWindow.builder()
          .dayOfWeek(SUNDAY)
          .startTime(LocalTime.of(2, 0))
          .duration(Duration.ofHours(4))
          .cutoffBeforeEnd(Duration.ofHours(1))
          .build();

  /** A Wednesday: the next Sunday is 12 January 2025. */
  private static final Instant WEDNESDAY = Instant.parse("2025-01-08T00:00:00Z");

  private static final WavePlanner PLANNER = WavePlanner.builder().window(SUNDAY_NIGHT).build();

  private static Instant at(String isoOffsetDateTime) {
    return OffsetDateTime.parse(isoOffsetDateTime).toInstant();
  }

  private static RolloutRequest.Builder request(TimingMode mode, int limit, Asset... assets) {
    return RolloutRequest.builder()
        .timingMode(mode)
        .maxConcurrency(limit)
        .notBefore(WEDNESDAY)
        .addAssets(assets);
  }

  private static List<String> ids(Wave wave) {
    return wave.assets().stream().map(AssetId::value).toList();
  }

  private static String local(Instant instant, String zone) {
    return ZonedDateTime.ofInstant(instant, ZoneId.of(zone)).toOffsetDateTime().toString();
  }

  @Nested
  class LocalTimeMode {
    @Test
    void localTime_eachAssetIsPatchedInTheWindowOfItsOwnZone() {
      RolloutPlan plan =
          PLANNER.plan(
              request(
                      TimingMode.LOCAL_TIME,
                      10,
                      asset("vm-berlin", "Europe/Berlin"),
                      asset("vm-newyork", "America/New_York"))
                  .build());

      assertEquals(2, plan.waves().size());
      Wave berlin = plan.waves().get(0);
      Wave newYork = plan.waves().get(1);
      assertEquals(List.of("vm-berlin"), ids(berlin));
      assertEquals("2025-01-12T02:00+01:00", local(berlin.start(), "Europe/Berlin"));
      assertEquals(ZoneId.of("Europe/Berlin"), berlin.window().zone());
      assertEquals(List.of("vm-newyork"), ids(newYork));
      assertEquals("2025-01-12T02:00-05:00", local(newYork.start(), "America/New_York"));
      assertEquals(TimingMode.LOCAL_TIME, berlin.timingMode());
      assertEquals(Optional.empty(), berlin.patchGroup());
      assertEquals(Map.of(), plan.unplaced());
    }

    @Test
    void localTime_assetsOfOneZone_fillWavesOfAtMostMaxConcurrency_inIdOrder() {
      RolloutPlan plan =
          PLANNER.plan(
              request(
                      TimingMode.LOCAL_TIME,
                      2,
                      asset("vm-5", "Europe/Berlin"),
                      asset("vm-3", "Europe/Berlin"),
                      asset("vm-1", "Europe/Berlin"),
                      asset("vm-4", "Europe/Berlin"),
                      asset("vm-2", "Europe/Berlin"))
                  .build());

      assertEquals(
          List.of(List.of("vm-1", "vm-2"), List.of("vm-3", "vm-4"), List.of("vm-5")),
          plan.waves().stream().map(WavePlannerTest::ids).toList());
      assertEquals(
          List.of(
              at("2025-01-12T02:00:00+01:00"),
              at("2025-01-12T02:30:00+01:00"),
              at("2025-01-12T03:00:00+01:00")),
          plan.waves().stream().map(Wave::start).toList());
      assertEquals(List.of(0, 1, 2), plan.waves().stream().map(Wave::index).toList());
    }

    @Test
    void localTime_waveSlotIsStartPlusSlot_insideTheWindow() {
      Wave wave =
          PLANNER
              .plan(request(TimingMode.LOCAL_TIME, 1, asset("vm", "Europe/Berlin")).build())
              .waves()
              .get(0);

      assertEquals(Duration.ofMinutes(30), Duration.between(wave.start(), wave.end()));
      assertEquals(SUNDAY_NIGHT.next(ZoneId.of("Europe/Berlin"), WEDNESDAY), wave.window());
    }

    @Test
    void localTime_zonesSharingAnInstant_shareTheLimit() {
      // Berlin and Paris open at the same instant: their waves count together.
      RolloutPlan plan =
          PLANNER.plan(
              request(
                      TimingMode.LOCAL_TIME,
                      3,
                      asset("berlin-1", "Europe/Berlin"),
                      asset("berlin-2", "Europe/Berlin"),
                      asset("paris-1", "Europe/Paris"),
                      asset("paris-2", "Europe/Paris"))
                  .build());

      assertEquals(
          List.of(List.of("berlin-1", "berlin-2"), List.of("paris-1"), List.of("paris-2")),
          plan.waves().stream().map(WavePlannerTest::ids).toList());
      Instant two = at("2025-01-12T02:00:00+01:00");
      assertEquals(
          List.of(two, two, two.plus(Duration.ofMinutes(30))),
          plan.waves().stream().map(Wave::start).toList());
      assertEquals(ZoneId.of("Europe/Paris"), plan.waves().get(1).window().zone());
    }

    @Test
    void localTime_zonesAQuarterHourApart_overlapPartly_andCountTogether() {
      // Sunday 02:00 in Kathmandu (+05:45) is 20:15Z, in Kolkata (+05:30) 20:30Z: a slot in one
      // overlaps two slots of the other by a quarter of an hour each.
      RolloutPlan plan =
          PLANNER.plan(
              request(
                      TimingMode.LOCAL_TIME,
                      1,
                      asset("a-kathmandu", "Asia/Kathmandu"),
                      asset("b-kolkata", "Asia/Kolkata"))
                  .build());

      assertEquals(at("2025-01-11T20:15:00Z"), plan.waves().get(0).start());
      // 20:30Z would overlap 20:15-20:45Z: Kolkata takes its next slot, 02:30 local.
      assertEquals(at("2025-01-11T21:00:00Z"), plan.waves().get(1).start());
      assertEquals("2025-01-12T02:30+05:30", local(plan.waves().get(1).start(), "Asia/Kolkata"));
    }

    @Test
    void localTime_windowAlreadyOpen_isUsedForItsRemainingSlots() {
      RolloutPlan plan =
          PLANNER.plan(
              request(TimingMode.LOCAL_TIME, 1, asset("vm", "Europe/Berlin"))
                  .notBefore(at("2025-01-12T03:10:00+01:00"))
                  .build());

      // The next slot of the 30-minute grid after 03:10.
      assertEquals(at("2025-01-12T03:30:00+01:00"), plan.waves().get(0).start());
    }

    @Test
    void localTime_afterTheCutoff_movesToNextWeek() {
      RolloutPlan plan =
          PLANNER.plan(
              request(TimingMode.LOCAL_TIME, 1, asset("vm", "Europe/Berlin"))
                  .notBefore(at("2025-01-12T05:00:01+01:00"))
                  .build());

      assertEquals(at("2025-01-19T02:00:00+01:00"), plan.waves().get(0).start());
    }

    @Test
    void localTime_lastSlotStartsAtTheCutoff() {
      RolloutPlan plan =
          PLANNER.plan(
              request(TimingMode.LOCAL_TIME, 1, asset("vm", "Europe/Berlin"))
                  .notBefore(at("2025-01-12T04:40:00+01:00"))
                  .build());

      Wave wave = plan.waves().get(0);
      assertEquals(wave.window().cutoff(), wave.start());
    }

    @Test
    void localTime_fullWindow_movesToNextWeeksWindow() {
      WavePlanner twoHourSlots =
          WavePlanner.builder()
              .window(WeeklyWindow.of(SUNDAY, LocalTime.of(2, 0), Duration.ofHours(4)))
              .slot(Duration.ofHours(2))
              .build();

      RolloutPlan plan =
          twoHourSlots.plan(
              request(
                      TimingMode.LOCAL_TIME,
                      1,
                      asset("vm-1", "Europe/Berlin"),
                      asset("vm-2", "Europe/Berlin"),
                      asset("vm-3", "Europe/Berlin"))
                  .build());

      assertEquals(
          List.of(
              at("2025-01-12T02:00:00+01:00"),
              at("2025-01-12T04:00:00+01:00"),
              at("2025-01-19T02:00:00+01:00")),
          plan.waves().stream().map(Wave::start).toList());
    }

    @Test
    void localTime_noRoomBeforeTheHorizon_isUnplacedWithReason() {
      WavePlanner oneWeek =
          WavePlanner.builder()
              .window(WeeklyWindow.of(SUNDAY, LocalTime.of(2, 0), Duration.ofHours(4)))
              .slot(Duration.ofHours(2))
              .horizon(Duration.ofDays(7))
              .build();

      RolloutPlan plan =
          oneWeek.plan(
              request(
                      TimingMode.LOCAL_TIME,
                      1,
                      asset("vm-1", "Europe/Berlin"),
                      asset("vm-2", "Europe/Berlin"),
                      asset("vm-3", "Europe/Berlin"))
                  .build());

      assertEquals(2, plan.waves().size());
      String reason = plan.unplaced().get(AssetId.of("vm-3"));
      assertTrue(reason.contains("vm-3") && reason.contains("horizon"), reason);
      assertTrue(reason.contains("maxConcurrency 1"), reason);
    }

    @Test
    void localTime_inDstGap_startsWhereTheWindowMovedTo() {
      WavePlanner twoThirty =
          WavePlanner.builder()
              .window(WeeklyWindow.of(SUNDAY, LocalTime.of(2, 30), Duration.ofHours(4)))
              .build();

      RolloutPlan plan =
          twoThirty.plan(
              request(TimingMode.LOCAL_TIME, 1, asset("vm", "Europe/Berlin"))
                  .notBefore(Instant.parse("2025-03-26T00:00:00Z"))
                  .build());

      assertEquals("2025-03-30T03:30+02:00", local(plan.waves().get(0).start(), "Europe/Berlin"));
    }

    @Test
    void localTime_patchGroupsPlayNoPart() {
      RolloutPlan plan =
          PLANNER.plan(
              request(
                      TimingMode.LOCAL_TIME,
                      1,
                      asset("db-1", "Europe/Berlin", "db"),
                      asset("db-2", "America/New_York", "db"))
                  .build());

      assertEquals(2, plan.waves().size());
      assertTrue(plan.waves().stream().allMatch(wave -> wave.patchGroup().isEmpty()));
    }
  }

  @Nested
  class ExistingWaves {
    private Wave existing(String start, String end, String... assets) {
      MaintenanceWindow window = SUNDAY_NIGHT.next(ZoneId.of("Europe/Berlin"), WEDNESDAY);
      return Wave.builder()
          .index(0)
          .window(window)
          .start(at(start))
          .end(at(end))
          .timingMode(TimingMode.LOCAL_TIME)
          .addAssets(List.of(assets).stream().map(AssetId::of).toArray(AssetId[]::new))
          .build();
    }

    @Test
    void existingWaves_countAgainstTheLimit() {
      RolloutPlan plan =
          PLANNER.plan(
              request(TimingMode.LOCAL_TIME, 2, asset("vm", "Europe/Paris"))
                  .addExisting(
                      existing("2025-01-12T02:00:00+01:00", "2025-01-12T02:30:00+01:00", "x", "y"))
                  .build());

      assertEquals(at("2025-01-12T02:30:00+01:00"), plan.waves().get(0).start());
    }

    @Test
    void existingWaves_overlappingPartly_blockEverySlotTheyTouch() {
      RolloutPlan plan =
          PLANNER.plan(
              request(TimingMode.LOCAL_TIME, 1, asset("vm", "Europe/Berlin"))
                  .addExisting(
                      existing("2025-01-12T02:15:00+01:00", "2025-01-12T02:45:00+01:00", "x"))
                  .build());

      assertEquals(at("2025-01-12T03:00:00+01:00"), plan.waves().get(0).start());
    }

    @Test
    void waveIndices_countFromZeroInThisPlan_whateverTheExistingWavesAreNumbered() {
      Wave earlier =
          Wave.builder()
              .from(existing("2025-01-12T02:00:00+01:00", "2025-01-12T02:30:00+01:00", "x"))
              .index(7)
              .build();

      RolloutPlan plan =
          PLANNER.plan(
              request(
                      TimingMode.LOCAL_TIME,
                      1,
                      asset("vm-1", "Europe/Berlin"),
                      asset("vm-2", "Europe/Berlin"))
                  .addExisting(earlier)
                  .build());

      assertEquals(List.of(0, 1), plan.waves().stream().map(Wave::index).toList());
    }
  }

  @Nested
  class SameInstantMode {
    @Test
    void sameInstant_groupIsPatchedInOneWave_inTheWindowOfItsAnchorZone() {
      // The anchor is the asset with the smallest id: db-1, in Berlin.
      RolloutPlan plan =
          PLANNER.plan(
              request(
                      TimingMode.SAME_INSTANT,
                      5,
                      asset("db-3", "Asia/Tokyo", "db"),
                      asset("db-2", "America/New_York", "db"),
                      asset("db-1", "Europe/Berlin", "db"))
                  .build());

      assertEquals(1, plan.waves().size());
      Wave wave = plan.waves().get(0);
      assertEquals(List.of("db-1", "db-2", "db-3"), ids(wave));
      assertEquals(Optional.of("db"), wave.patchGroup());
      assertEquals(TimingMode.SAME_INSTANT, wave.timingMode());
      assertEquals(ZoneId.of("Europe/Berlin"), wave.window().zone());
      assertEquals(at("2025-01-12T02:00:00+01:00"), wave.start());
    }

    @Test
    void sameInstant_groupLargerThanTheLimit_isUnplaced_naming_theGroupAndTheLimit() {
      RolloutPlan plan =
          PLANNER.plan(
              request(
                      TimingMode.SAME_INSTANT,
                      2,
                      asset("db-1", "Europe/Berlin", "db"),
                      asset("db-2", "Europe/Berlin", "db"),
                      asset("db-3", "Europe/Berlin", "db"),
                      asset("web-1", "Europe/Berlin"))
                  .build());

      assertEquals(List.of("web-1"), ids(plan.waves().get(0)));
      assertEquals(3, plan.unplaced().size());
      for (String reason : plan.unplaced().values()) {
        assertTrue(reason.contains("'db'") && reason.contains("maxConcurrency 2"), reason);
      }
    }

    @Test
    void sameInstant_groupsNeverShareAWave() {
      RolloutPlan plan =
          PLANNER.plan(
              request(
                      TimingMode.SAME_INSTANT,
                      4,
                      asset("a-1", "Europe/Berlin", "a"),
                      asset("a-2", "Europe/Berlin", "a"),
                      asset("b-1", "Europe/Berlin", "b"),
                      asset("b-2", "Europe/Berlin", "b"))
                  .build());

      assertEquals(
          List.of(Optional.of("a"), Optional.of("b")),
          plan.waves().stream().map(Wave::patchGroup).toList());
      assertEquals(plan.waves().get(0).start(), plan.waves().get(1).start());
    }

    @Test
    void sameInstant_groupNeedsItsWholeSizeFreeInOneSlot() {
      Wave existing =
          Wave.builder()
              .index(0)
              .window(SUNDAY_NIGHT.next(ZoneId.of("Europe/Berlin"), WEDNESDAY))
              .start(at("2025-01-12T02:00:00+01:00"))
              .end(at("2025-01-12T02:30:00+01:00"))
              .timingMode(TimingMode.SAME_INSTANT)
              .addAssets(AssetId.of("x"), AssetId.of("y"))
              .build();

      RolloutPlan plan =
          PLANNER.plan(
              request(
                      TimingMode.SAME_INSTANT,
                      3,
                      asset("db-1", "Europe/Berlin", "db"),
                      asset("db-2", "Europe/Berlin", "db"))
                  .addExisting(existing)
                  .build());

      assertEquals(at("2025-01-12T02:30:00+01:00"), plan.waves().get(0).start());
    }

    @Test
    void sameInstant_largerGroupsArePlacedFirst() {
      RolloutPlan plan =
          PLANNER.plan(
              request(
                      TimingMode.SAME_INSTANT,
                      3,
                      asset("a-1", "Europe/Berlin", "small"),
                      asset("b-1", "Europe/Berlin", "big"),
                      asset("b-2", "Europe/Berlin", "big"),
                      asset("b-3", "Europe/Berlin", "big"))
                  .build());

      assertEquals(
          List.of(Optional.of("big"), Optional.of("small")),
          plan.waves().stream().map(Wave::patchGroup).toList());
    }

    @Test
    void sameInstant_assetWithoutGroup_isAGroupOfItsOwn_andSharesAWaveWithOtherSingles() {
      RolloutPlan plan =
          PLANNER.plan(
              request(
                      TimingMode.SAME_INSTANT,
                      3,
                      asset("web-1", "Europe/Berlin"),
                      asset("web-2", "Europe/Berlin"),
                      asset("db-1", "Europe/Berlin", "db"))
                  .build());

      assertEquals(2, plan.waves().size());
      Wave singles =
          plan.waves().stream().filter(w -> w.patchGroup().isEmpty()).findFirst().orElseThrow();
      assertEquals(List.of("web-1", "web-2"), ids(singles));
    }

    @Test
    void sameInstant_groupThatFindsNoRoom_isUnplacedWhole_withAReasonNamingTheGroup() {
      WavePlanner oneSlot =
          WavePlanner.builder()
              .window(WeeklyWindow.of(SUNDAY, LocalTime.of(2, 0), Duration.ofHours(1)))
              .slot(Duration.ofHours(1))
              .horizon(Duration.ofDays(7))
              .build();

      RolloutPlan plan =
          oneSlot.plan(
              request(
                      TimingMode.SAME_INSTANT,
                      2,
                      asset("a-1", "Europe/Berlin", "a"),
                      asset("a-2", "Europe/Berlin", "a"),
                      asset("b-1", "Europe/Berlin", "b"),
                      asset("b-2", "Europe/Berlin", "b"))
                  .build());

      assertEquals(Optional.of("a"), plan.waves().get(0).patchGroup());
      assertEquals(
          List.of(AssetId.of("b-1"), AssetId.of("b-2")), List.copyOf(plan.unplaced().keySet()));
      assertTrue(plan.unplaced().get(AssetId.of("b-1")).contains("patch group 'b'"));
    }
  }

  @Nested
  class Contract {
    @Test
    void plan_isDeterministic_andIndependentOfTheOrderOfAssets() {
      List<Asset> assets = new ArrayList<>();
      String[] zones = {"Europe/Berlin", "Europe/Paris", "Asia/Kolkata", "America/New_York"};
      for (int i = 0; i < 40; i++) {
        assets.add(
            Fleet.asset(
                "vm-" + i,
                ZoneId.of(zones[i % zones.length]),
                i % 3 == 0 ? Optional.of("g" + (i % 4)) : Optional.empty()));
      }
      for (TimingMode mode : TimingMode.values()) {
        RolloutPlan plan = PLANNER.plan(request(mode, 3).addAllAssets(assets).build());
        List<Asset> shuffled = new ArrayList<>(assets);
        Collections.shuffle(shuffled, new java.util.Random(42));

        assertEquals(plan, PLANNER.plan(request(mode, 3).addAllAssets(assets).build()));
        assertEquals(plan, PLANNER.plan(request(mode, 3).addAllAssets(shuffled).build()));
      }
    }

    @Test
    void plan_emptyRequest_isAnEmptyPlan() {
      RolloutPlan plan = PLANNER.plan(request(TimingMode.LOCAL_TIME, 1).build());

      assertEquals(List.of(), plan.waves());
      assertEquals(Map.of(), plan.unplaced());
    }

    @Test
    void plan_sameAssetTwice_isRejected() {
      RolloutRequest twice =
          request(
                  TimingMode.LOCAL_TIME,
                  1,
                  asset("vm", "Europe/Berlin"),
                  asset("vm", "Europe/Paris"))
              .build();

      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> PLANNER.plan(twice));
      assertTrue(e.getMessage().contains("vm"), e.getMessage());
    }

    @Test
    void plan_null_isRejected() {
      assertThrows(NullPointerException.class, () -> PLANNER.plan(null));
    }

    @Test
    void builder_defaults_areAHalfHourSlotAndAnEightWeekHorizon() {
      assertEquals(Duration.ofMinutes(30), PLANNER.slot());
      assertEquals(Duration.ofDays(56), PLANNER.horizon());
      assertEquals(SUNDAY_NIGHT, PLANNER.window());
    }

    @Test
    void builder_withoutWindow_isRejected() {
      assertThrows(IllegalStateException.class, () -> WavePlanner.builder().build());
    }

    @Test
    void builder_slotLongerThanTheWindow_isRejected() {
      WavePlanner.Builder builder =
          WavePlanner.builder().window(SUNDAY_NIGHT).slot(Duration.ofHours(5));

      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
      assertTrue(e.getMessage().contains("PT5H"), e.getMessage());
    }

    @Test
    void builder_nonPositiveSlotOrHorizon_isRejected() {
      assertThrows(
          IllegalArgumentException.class,
          () -> WavePlanner.builder().window(SUNDAY_NIGHT).slot(Duration.ZERO).build());
      assertThrows(
          IllegalArgumentException.class,
          () -> WavePlanner.builder().window(SUNDAY_NIGHT).horizon(Duration.ofDays(-1)).build());
    }

    @Test
    void plan_largeFleet_accountsForEveryAsset() {
      List<Asset> assets = new ArrayList<>();
      List<String> zones = ZoneId.getAvailableZoneIds().stream().sorted().limit(40).toList();
      for (int i = 0; i < 5000; i++) {
        assets.add(
            Fleet.asset(
                String.format("vm-%05d", i),
                ZoneId.of(zones.get(i % zones.size())),
                Optional.empty()));
      }

      RolloutPlan plan =
          PLANNER.plan(request(TimingMode.LOCAL_TIME, 50).addAllAssets(assets).build());

      // Forty African zones share four offsets, so some windows fill up for all eight weeks.
      assertEquals(
          5000,
          plan.waves().stream().mapToInt(w -> w.assets().size()).sum() + plan.unplaced().size());
      assertTrue(plan.waves().stream().allMatch(w -> w.assets().size() <= 50));
    }
  }
}
