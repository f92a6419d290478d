package org.cloudpatch.scheduling.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.cloudpatch.core.rollout.RolloutPlan;
import org.cloudpatch.core.rollout.RolloutRequest;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.rollout.Wave;
import org.cloudpatch.scheduling.window.WeeklyWindow;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Properties of every plan over random fleets: zones (many with overlapping windows), patch groups,
 * limits, slots, horizons and existing waves.
 */
class WavePlannerPropertiesTest {
  /** Zones whose windows coincide, overlap by an hour or by a quarter of an hour, or cross DST. */
  private static final List<ZoneId> CROWDED =
      List.of(
              "Europe/Berlin",
              "Europe/Paris",
              "Europe/London",
              "Africa/Lagos",
              "Asia/Kolkata",
              "Asia/Kathmandu",
              "Asia/Colombo",
              "America/New_York",
              "America/Toronto",
              "Australia/Sydney",
              "Pacific/Chatham",
              "Etc/UTC")
          .stream()
          .map(ZoneId::of)
          .toList();

  private static final List<ZoneId> ALL =
      ZoneId.getAvailableZoneIds().stream().sorted().map(ZoneId::of).toList();

  private static final Gen<ZoneId> ZONE = Generate.pick(CROWDED).mix(Generate.pick(ALL), 30);

  private record AssetSpec(ZoneId zone, int group) {}

  private record ExistingSpec(ZoneId zone, int quarterHours, int size) {}

  private record Params(WeeklyWindow window, Duration slot, Duration horizon, int limit) {}

  /** One random request and the planner it goes to. */
  private record Scenario(WavePlanner planner, RolloutRequest request) {
    @Override
    public String toString() {
      return planner + "\n" + request;
    }
  }

  private static final Gen<WeeklyWindow> WINDOW =
      Generate.enumValues(DayOfWeek.class)
          .zip(
              Generate.range(0, 24 * 4 - 1)
                  .mix(Generate.range(0, 4 * 4 - 1), 50)
                  .map((Integer quarters) -> LocalTime.MIN.plusMinutes(15L * quarters)),
              Generate.range(2, 12).map((Integer halves) -> Duration.ofMinutes(30L * halves)),
              Generate.range(0, 100),
              (day, time, duration, cutoffPercent) ->
                  WeeklyWindow.builder()
                      .dayOfWeek(day)
                      .startTime(time)
                      .duration(duration)
                      .cutoffBeforeEnd(duration.multipliedBy(cutoffPercent).dividedBy(100))
                      .build());

  private static final Gen<Params> PARAMS =
      WINDOW.zip(
          Generate.pick(List.of(15, 30, 45, 60, 90)),
          Generate.range(1, 56),
          Generate.range(1, 6),
          (window, slotMinutes, horizonDays, limit) -> {
            Duration slot = Duration.ofMinutes(slotMinutes);
            return new Params(
                window,
                slot.compareTo(window.duration()) > 0 ? window.duration() : slot,
                Duration.ofDays(horizonDays),
                limit);
          });

  private static final Gen<Instant> NOT_BEFORE =
      Generate.longRange(
              Instant.parse("2024-01-01T00:00:00Z").getEpochSecond(),
              Instant.parse("2027-01-01T00:00:00Z").getEpochSecond())
          .map((Long seconds) -> Instant.ofEpochSecond(seconds));

  private static final Gen<List<AssetSpec>> ASSETS =
      lists().of(ZONE.zip(Generate.range(0, 4), AssetSpec::new)).ofSizeBetween(0, 30);

  private static final Gen<List<ExistingSpec>> EXISTING =
      lists()
          .of(ZONE.zip(Generate.range(0, 12), Generate.range(1, 4), ExistingSpec::new))
          .ofSizeBetween(0, 4);

  private static final Gen<Scenario> SCENARIO = scenarios(Generate.enumValues(TimingMode.class));

  private static Gen<Scenario> scenarios(Gen<TimingMode> mode) {
    return PARAMS.zip(mode, NOT_BEFORE, ASSETS, EXISTING, WavePlannerPropertiesTest::scenario);
  }

  private static Scenario scenario(
      Params params,
      TimingMode mode,
      Instant notBefore,
      List<AssetSpec> assetSpecs,
      List<ExistingSpec> existingSpecs) {
    WavePlanner planner =
        WavePlanner.builder()
            .window(params.window())
            .slot(params.slot())
            .horizon(params.horizon())
            .build();
    RolloutRequest.Builder request =
        RolloutRequest.builder()
            .timingMode(mode)
            .notBefore(notBefore)
            .maxConcurrency(params.limit());
    for (int i = 0; i < assetSpecs.size(); i++) {
      AssetSpec spec = assetSpecs.get(i);
      request.addAssets(
          Fleet.asset(
              String.format("asset-%02d", i),
              spec.zone(),
              spec.group() == 0 ? Optional.empty() : Optional.of("group-" + spec.group())));
    }
    for (int i = 0; i < existingSpecs.size(); i++) {
      ExistingSpec spec = existingSpecs.get(i);
      // Earlier plans' waves: anywhere in the next window of some zone, off this plan's grid.
      MaintenanceWindow window = params.window().next(spec.zone(), notBefore);
      Instant start = window.start().plus(Duration.ofMinutes(15L * spec.quarterHours()));
      // Wave requires a start inside [window start, window end) and no later than the cutoff.
      Instant latest =
          window.cutoff().isBefore(window.end())
              ? window.cutoff()
              : window.end().minus(Duration.ofMinutes(15));
      if (start.isAfter(latest)) {
        start = latest;
      }
      Wave.Builder wave =
          Wave.builder()
              .index(i)
              .window(window)
              .start(start)
              .end(start.plus(Duration.ofMinutes(45)))
              .timingMode(TimingMode.LOCAL_TIME);
      for (int j = 0; j < spec.size(); j++) {
        wave.addAssets(AssetId.of("existing-" + i + "-" + j));
      }
      request.addExisting(wave.build());
    }
    return new Scenario(planner, request.build());
  }

  @Test
  void concurrency_isNeverAboveTheLimit_atAnyInstant() {
    qt().withExamples(1500)
        .forAll(SCENARIO)
        .checkAssert(
            scenario -> {
              RolloutRequest request = scenario.request();
              RolloutPlan plan = scenario.planner().plan(request);
              List<Wave> all = new ArrayList<>(request.existing());
              all.addAll(plan.waves());
              for (Wave wave : plan.waves()) {
                assertTrue(
                    maxLoad(all, wave.start(), wave.end()) <= request.maxConcurrency(),
                    () -> "over the limit during wave " + wave.index() + " of " + plan);
              }
            });
  }

  @Test
  void everyAsset_isInExactlyOneWave_orUnplacedWithAReason() {
    qt().withExamples(1500)
        .forAll(SCENARIO)
        .checkAssert(
            scenario -> {
              RolloutPlan plan = scenario.planner().plan(scenario.request());
              List<AssetId> seen = new ArrayList<>();
              plan.waves().forEach(wave -> seen.addAll(wave.assets()));
              seen.addAll(plan.unplaced().keySet());
              Set<AssetId> requested =
                  scenario.request().assets().stream().map(Asset::id).collect(Collectors.toSet());

              assertEquals(requested.size(), seen.size(), "an asset twice or missing");
              assertEquals(requested, new HashSet<>(seen));
              plan.unplaced().values().forEach(reason -> assertFalse(reason.isBlank()));
              plan.waves().forEach(wave -> assertFalse(wave.assets().isEmpty()));
            });
  }

  @Test
  void everyWave_isInsideItsWindow_onTheSlotGrid_andStartsNoLaterThanTheCutoff() {
    qt().withExamples(1500)
        .forAll(SCENARIO)
        .checkAssert(
            scenario -> {
              WavePlanner planner = scenario.planner();
              RolloutRequest request = scenario.request();
              RolloutPlan plan = planner.plan(request);
              Instant horizonEnd = request.notBefore().plus(planner.horizon());
              for (int i = 0; i < plan.waves().size(); i++) {
                Wave wave = plan.waves().get(i);
                MaintenanceWindow window = wave.window();
                assertEquals(i, wave.index());
                if (i > 0) {
                  assertFalse(wave.start().isBefore(plan.waves().get(i - 1).start()));
                }
                assertEquals(request.timingMode(), wave.timingMode());
                assertFalse(wave.start().isBefore(request.notBefore()), "before notBefore");
                assertFalse(wave.start().isBefore(window.start()), "before the window");
                assertFalse(wave.start().isAfter(window.cutoff()), "after the cutoff");
                assertEquals(wave.start().plus(planner.slot()), wave.end());
                assertFalse(wave.end().isAfter(window.end()), "slot runs past the window");
                assertTrue(window.start().isBefore(horizonEnd), "beyond the horizon");
                long offset = Duration.between(window.start(), wave.start()).toNanos();
                assertEquals(0, offset % planner.slot().toNanos(), "off the slot grid");
                // The window is a real occurrence of the weekly window in its zone.
                assertEquals(planner.window().next(window.zone(), window.cutoff()), window);
              }
            });
  }

  @Test
  void localTime_wavesStartAtTheSameWallClockTimeInEachAssetsZone() {
    qt().withExamples(1500)
        .forAll(scenarios(Generate.constant(TimingMode.LOCAL_TIME)))
        .checkAssert(
            scenario -> {
              WeeklyWindow weekly = scenario.planner().window();
              Map<AssetId, Asset> assets = byId(scenario.request());
              RolloutPlan plan = scenario.planner().plan(scenario.request());
              for (Wave wave : plan.waves()) {
                ZoneId zone = wave.window().zone();
                assertEquals(Optional.empty(), wave.patchGroup());
                for (AssetId id : wave.assets()) {
                  assertEquals(assets.get(id).zone(), zone, "patched outside its own zone");
                }
                LocalDateTime opening = nominal(wave.window().start(), zone, weekly.startTime());
                assertEquals(weekly.dayOfWeek(), opening.getDayOfWeek());
                assertEquals(weekly.startTime(), opening.toLocalTime());
              }
            });
  }

  @Test
  void sameInstant_everyGroupIsInOneWave_whole_inItsAnchorZone() {
    qt().withExamples(1500)
        .forAll(scenarios(Generate.constant(TimingMode.SAME_INSTANT)))
        .checkAssert(
            scenario -> {
              RolloutRequest request = scenario.request();
              RolloutPlan plan = scenario.planner().plan(request);
              Map<AssetId, Asset> assets = byId(request);
              Map<String, TreeSet<AssetId>> groups = groups(request);

              groups.forEach(
                  (group, members) -> {
                    List<Wave> waves =
                        plan.waves().stream()
                            .filter(wave -> wave.assets().stream().anyMatch(members::contains))
                            .toList();
                    if (waves.isEmpty()) {
                      assertTrue(plan.unplaced().keySet().containsAll(members), group);
                      if (members.size() > request.maxConcurrency()) {
                        String reason = plan.unplaced().get(members.first());
                        assertTrue(reason.contains("'" + group + "'"), reason);
                        assertTrue(
                            reason.contains("maxConcurrency " + request.maxConcurrency()), reason);
                      }
                    } else {
                      assertEquals(1, waves.size(), group + " split over waves");
                      Wave wave = waves.get(0);
                      assertEquals(List.copyOf(members), wave.assets(), group + " not whole");
                      assertEquals(Optional.of(group), wave.patchGroup());
                      assertEquals(assets.get(members.first()).zone(), wave.window().zone());
                    }
                  });
              for (Wave wave : plan.waves()) {
                if (wave.patchGroup().isEmpty()) {
                  for (AssetId id : wave.assets()) {
                    assertEquals(Optional.empty(), assets.get(id).patchGroup());
                    assertEquals(assets.get(id).zone(), wave.window().zone());
                  }
                }
              }
            });
  }

  @Test
  void unplaced_onlyWhenEverySlotBeforeTheHorizonIsFull() {
    qt().withExamples(1500)
        .forAll(SCENARIO)
        .checkAssert(
            scenario -> {
              WavePlanner planner = scenario.planner();
              RolloutRequest request = scenario.request();
              RolloutPlan plan = planner.plan(request);
              List<Wave> all = new ArrayList<>(request.existing());
              all.addAll(plan.waves());
              Map<AssetId, Asset> assets = byId(request);
              Map<String, TreeSet<AssetId>> groups = groups(request);

              for (AssetId id : plan.unplaced().keySet()) {
                Asset asset = assets.get(id);
                int size = 1;
                ZoneId zone = asset.zone();
                if (request.timingMode() == TimingMode.SAME_INSTANT
                    && asset.patchGroup().isPresent()) {
                  TreeSet<AssetId> members = groups.get(asset.patchGroup().get());
                  size = members.size();
                  zone = assets.get(members.first()).zone();
                }
                if (size > request.maxConcurrency()) {
                  continue;
                }
                // Loads only grow while planning, so a slot that was full then is full now.
                for (Instant start : eligibleSlots(planner, request, zone)) {
                  long load = maxLoad(all, start, start.plus(planner.slot()));
                  assertTrue(
                      load + size > request.maxConcurrency(),
                      () -> id + " unplaced but the slot at " + start + " has room");
                }
              }
            });
  }

  @Test
  void plan_isDeterministic_whateverTheOrderOfAssetsAndExistingWaves() {
    qt().withExamples(500)
        .forAll(SCENARIO, Generate.longRange(0, Long.MAX_VALUE))
        .checkAssert(
            (scenario, seed) -> {
              RolloutRequest request = scenario.request();
              List<Asset> assets = new ArrayList<>(request.assets());
              List<Wave> existing = new ArrayList<>(request.existing());
              Random random = new Random(seed);
              Collections.shuffle(assets, random);
              Collections.shuffle(existing, random);
              RolloutRequest shuffled =
                  RolloutRequest.builder().from(request).assets(assets).existing(existing).build();

              assertEquals(scenario.planner().plan(request), scenario.planner().plan(shuffled));
            });
  }

  /** Every slot a unit in {@code zone} could have taken, computed without the planner. */
  private static List<Instant> eligibleSlots(
      WavePlanner planner, RolloutRequest request, ZoneId zone) {
    Instant horizonEnd = request.notBefore().plus(planner.horizon());
    List<Instant> result = new ArrayList<>();
    int weeks = (int) planner.horizon().toDays() / 7 + 2;
    for (MaintenanceWindow window :
        planner.window().occurrences(zone, request.notBefore(), weeks)) {
      if (!window.start().isBefore(horizonEnd)) {
        break;
      }
      for (Instant start = window.start();
          !start.isAfter(window.cutoff()) && !start.plus(planner.slot()).isAfter(window.end());
          start = start.plus(planner.slot())) {
        if (!start.isBefore(request.notBefore())) {
          result.add(start);
        }
      }
    }
    return result;
  }

  /** The highest number of assets in slots at any instant of {@code [from, to)}. */
  private static long maxLoad(List<Wave> waves, Instant from, Instant to) {
    Set<Instant> points = new TreeSet<>();
    points.add(from);
    for (Wave wave : waves) {
      for (Instant edge : List.of(wave.start(), wave.end())) {
        if (edge.isAfter(from) && edge.isBefore(to)) {
          points.add(edge);
        }
      }
    }
    long max = 0;
    for (Instant point : points) {
      long load = 0;
      for (Wave wave : waves) {
        if (!point.isBefore(wave.start()) && point.isBefore(wave.end())) {
          load += wave.assets().size();
        }
      }
      max = Math.max(max, load);
    }
    return max;
  }

  private static Map<AssetId, Asset> byId(RolloutRequest request) {
    Map<AssetId, Asset> result = new TreeMap<>();
    request.assets().forEach(asset -> result.put(asset.id(), asset));
    return result;
  }

  private static Map<String, TreeSet<AssetId>> groups(RolloutRequest request) {
    Map<String, TreeSet<AssetId>> result = new TreeMap<>();
    for (Asset asset : request.assets()) {
      asset
          .patchGroup()
          .ifPresent(group -> result.computeIfAbsent(group, g -> new TreeSet<>()).add(asset.id()));
    }
    return result;
  }

  /** The wall-clock time a window opening stands for, undoing a move out of a DST gap. */
  private static LocalDateTime nominal(Instant start, ZoneId zone, LocalTime startTime) {
    LocalDateTime local = LocalDateTime.ofInstant(start, zone);
    if (local.toLocalTime().equals(startTime)) {
      return local;
    }
    ZoneOffsetTransition last = zone.getRules().previousTransition(start.plusNanos(1));
    if (last != null && last.isGap()) {
      LocalDateTime unshifted = local.minus(last.getDuration());
      if (last.equals(zone.getRules().getTransition(unshifted))) {
        return unshifted;
      }
    }
    return local;
  }
}
