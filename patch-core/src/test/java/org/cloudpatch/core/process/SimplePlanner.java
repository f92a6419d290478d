package org.cloudpatch.core.process;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.cloudpatch.core.rollout.RolloutPlan;
import org.cloudpatch.core.rollout.RolloutRequest;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.rollout.Wave;
import org.cloudpatch.core.spi.RolloutPlanner;

/**
 * A stand-in for patch-scheduling's planner: a daily UTC window from 02:00 to 06:00, half-hour
 * slots, each slot after the slots already taken; a patch group goes into one wave.
 */
final class SimplePlanner implements RolloutPlanner {
  static final Duration SLOT = Duration.ofMinutes(30);

  @Override
  public RolloutPlan plan(RolloutRequest request) {
    Instant latest = request.notBefore();
    for (Wave w : request.existing()) {
      if (w.end().isAfter(latest)) {
        latest = w.end();
      }
    }
    Map<String, List<AssetId>> groups = new TreeMap<>();
    for (Asset a : request.assets()) {
      String group =
          request.timingMode() == TimingMode.SAME_INSTANT
              ? a.patchGroup().orElse(a.id().value())
              : "wave";
      groups.computeIfAbsent(group, g -> new ArrayList<>()).add(a.id());
    }
    List<List<AssetId>> batches = new ArrayList<>();
    for (Map.Entry<String, List<AssetId>> g : groups.entrySet()) {
      List<AssetId> ids = g.getValue();
      if (request.timingMode() == TimingMode.SAME_INSTANT) {
        batches.add(ids);
      } else {
        for (int i = 0; i < ids.size(); i += request.maxConcurrency()) {
          batches.add(ids.subList(i, Math.min(ids.size(), i + request.maxConcurrency())));
        }
      }
    }
    RolloutPlan.Builder plan = RolloutPlan.builder();
    Instant slot = latest;
    int index = 0;
    for (List<AssetId> batch : batches) {
      MaintenanceWindow window = windowAtOrAfter(slot);
      if (!window.contains(slot)) {
        slot = window.start();
      }
      if (slot.plus(SLOT).isAfter(window.end())) {
        window = windowAtOrAfter(window.end());
        slot = window.start();
      }
      plan.addWaves(
          Wave.builder()
              .index(index++)
              .window(window)
              .start(slot)
              .end(slot.plus(SLOT))
              .assets(batch)
              .timingMode(request.timingMode())
              .build());
      slot = slot.plus(SLOT);
    }
    return plan.build();
  }

  static MaintenanceWindow windowAtOrAfter(Instant t) {
    Instant day = t.truncatedTo(ChronoUnit.DAYS);
    Instant start = day.plus(Duration.ofHours(2));
    Instant end = day.plus(Duration.ofHours(6));
    if (!t.isBefore(end)) {
      start = start.plus(Duration.ofDays(1));
      end = end.plus(Duration.ofDays(1));
    }
    return MaintenanceWindow.of(start, end, ZoneOffset.UTC);
  }
}
