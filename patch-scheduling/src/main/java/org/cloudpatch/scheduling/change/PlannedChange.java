package org.cloudpatch.scheduling.change;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.rollout.ChangeRequest;
import org.cloudpatch.core.rollout.ChangeRequest.ChangeType;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.cloudpatch.core.severity.Priority;

/**
 * A change request a rollout plan needs: its type, the whole span it runs in, and the window of
 * every zone it covers in that zone's local time, so that each site's change board sees its own
 * clock.
 *
 * @param key unique within its plan, stable for the same plan input
 * @param type the change type under the plan's {@link ChangePolicy}
 * @param stage the rollout stage it implements (0 is the test ring)
 * @param window from the first job's start to the last job's end, in UTC
 * @param zoneWindows per zone and window occurrence used, in that zone's local time, sorted
 * @param assets the assets it touches, sorted
 * @param priorities the priorities of the work it carries
 * @param requestBy the latest instant at which it may be requested so that its lead time holds
 * @param summary one line for the change board
 */
public record PlannedChange(
    String key,
    ChangeType type,
    int stage,
    MaintenanceWindow window,
    List<ZoneWindow> zoneWindows,
    List<AssetId> assets,
    Set<Priority> priorities,
    Instant requestBy,
    String summary) {

  /** Validates and copies. */
  public PlannedChange {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(window, "window");
    zoneWindows = List.copyOf(zoneWindows);
    assets = List.copyOf(assets);
    priorities = Set.copyOf(priorities);
    Objects.requireNonNull(requestBy, "requestBy");
    Objects.requireNonNull(summary, "summary");
  }

  /** The core change request for the change system, remediating {@code advisories}. */
  public ChangeRequest toChangeRequest(List<AdvisoryId> advisories) {
    return ChangeRequest.builder()
        .key(key)
        .type(type)
        .window(window)
        .scope(assets)
        .advisories(advisories)
        .summary(summary)
        .build();
  }

  /**
   * One zone's view of a window a change covers.
   *
   * @param zone the zone
   * @param start the window's opening in the zone's local time, with its offset
   * @param end the window's close in the zone's local time, with its offset
   */
  public record ZoneWindow(ZoneId zone, OffsetDateTime start, OffsetDateTime end) {
    /** Validates. */
    public ZoneWindow {
      Objects.requireNonNull(zone, "zone");
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(end, "end");
    }

    /** The window {@code [start, end)} seen from {@code zone}. */
    public static ZoneWindow of(ZoneId zone, Instant start, Instant end) {
      return new ZoneWindow(
          zone, OffsetDateTime.ofInstant(start, zone), OffsetDateTime.ofInstant(end, zone));
    }
  }
}
