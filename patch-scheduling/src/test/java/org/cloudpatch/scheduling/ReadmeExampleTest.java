package org.cloudpatch.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.cloudpatch.core.rollout.RolloutPlan;
import org.cloudpatch.core.rollout.RolloutRequest;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.spi.RolloutPlanner;
import org.cloudpatch.scheduling.rollout.WavePlanner;
import org.cloudpatch.scheduling.window.WeeklyWindow;
import org.junit.jupiter.api.Test;

/** The example of README.md, kept compiling and running. */
class ReadmeExampleTest {
  @Test
  void readmeExample_runs() {
    List<Asset> assets =
        List.of(
            Asset.builder()
                .id(AssetId.of("vm-1"))
                .tenant(TenantId.of("acme"))
                .zone(ZoneId.of("Europe/Berlin"))
                .platform(Platform.parse("Debian:12"))
                .build());
    Instant now = Instant.parse("2025-01-08T00:00:00Z");

    // --- as in README.md, with Instant.now() replaced by a fixed instant ---
    WeeklyWindow sundayNight =
        WeeklyWindow.builder()
            .dayOfWeek(DayOfWeek.SUNDAY)
            .startTime(LocalTime.of(2, 0))
            .duration(Duration.ofHours(4))
            .cutoffBeforeEnd(Duration.ofHours(1))
            .build(); // no new job after 05:00
    MaintenanceWindow next = sundayNight.next(ZoneId.of("Europe/Berlin"), now);

    RolloutPlanner planner =
        WavePlanner.builder()
            .window(sundayNight)
            .slot(Duration.ofMinutes(30))
            .horizon(Duration.ofDays(56))
            .build();
    RolloutPlan plan =
        planner.plan(
            RolloutRequest.builder()
                .addAllAssets(assets)
                .timingMode(TimingMode.LOCAL_TIME)
                .notBefore(now)
                .maxConcurrency(20)
                .build());
    // ---

    assertEquals(Instant.parse("2025-01-12T01:00:00Z"), next.start());
    assertEquals(next, plan.waves().get(0).window());
    assertEquals(List.of(AssetId.of("vm-1")), plan.waves().get(0).assets());
  }
}
