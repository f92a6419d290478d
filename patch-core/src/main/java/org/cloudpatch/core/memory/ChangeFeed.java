package org.cloudpatch.core.memory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.spi.InventoryChanges;

/**
 * The {@link SimulatedCloud}'s inventory change feed: a log of the assets whose inventory or
 * membership changed, and the answers of {@code changes(cursor)} drawn from it under the fault
 * plan's {@link FaultPlan#changeFeedFailure()} and {@link FaultPlan#changeFeedExpired()}.
 *
 * <p>A cursor is the log's length when it was given, prefixed by the cloud's incarnation so that a
 * cursor of another cloud is refused as expired rather than misread. {@link #forget()} drops the
 * log, as a real feed's retention does: every cursor given before then expires. Faults are drawn
 * from the seed, the cursor and how often it was asked, so a run is reproducible and the draws of
 * other operations do not move.
 */
final class ChangeFeed {
  private enum Kind {
    ADDED,
    CHANGED,
    REMOVED
  }

  private record Entry(AssetId asset, Kind kind) {}

  private final String incarnation;
  private final FaultSchedule schedule;
  private final FaultPlan faults;
  private final List<Entry> log = new ArrayList<>();

  /** How many entries were forgotten before {@link #log}'s first. */
  private long forgotten;

  private final Map<String, Integer> asked = new HashMap<>();

  ChangeFeed(long seed, FaultSchedule schedule, FaultPlan faults) {
    this.incarnation = "sim" + Long.toHexString(seed) + ":";
    this.schedule = schedule;
    this.faults = faults;
  }

  void added(AssetId asset) {
    log.add(new Entry(asset, Kind.ADDED));
  }

  void changed(AssetId asset) {
    log.add(new Entry(asset, Kind.CHANGED));
  }

  void removed(AssetId asset) {
    log.add(new Entry(asset, Kind.REMOVED));
  }

  /** Forgets every change logged so far: every cursor given before expires. */
  void forget() {
    forgotten += log.size();
    log.clear();
  }

  /**
   * The answer to {@code changes(since)}; {@code member} tells whether an asset is managed now.
   *
   * @throws PatchException for a drawn {@link FaultPlan#changeFeedFailure()}
   */
  InventoryChanges since(Optional<String> since, Predicate<AssetId> member) {
    String key = since.orElse("");
    int attempt = asked.merge(key, 1, Integer::sum);
    if (faults.changeFeedFailure() > 0
        && schedule.draw("changes", key, attempt, 12) < faults.changeFeedFailure()) {
      throw new PatchException(
          "simulated fault: changes since '" + key + "' failed (attempt " + attempt + ")");
    }
    long now = forgotten + log.size();
    InventoryChanges.Builder out = InventoryChanges.builder().next(incarnation + now);
    if (since.isEmpty()) {
      return out.build();
    }
    long from = position(since.get());
    if (from < forgotten
        || from > now
        || (faults.changeFeedExpired() > 0
            && schedule.draw("changes", key, attempt, 13) < faults.changeFeedExpired())) {
      return InventoryChanges.cannotVouch(InventoryChanges.CannotVouch.CURSOR_EXPIRED);
    }
    Map<AssetId, Kind> net = new TreeMap<>();
    for (Entry e : log.subList((int) (from - forgotten), log.size())) {
      net.merge(e.asset(), e.kind(), (a, b) -> a == Kind.ADDED || b == Kind.ADDED ? Kind.ADDED : b);
    }
    // An asset's net change is judged by whether it is managed now: one that left is removed
    // (even if it joined inside the window: removing what the caller never held is harmless), one
    // that joined inside the window is added, any other changed.
    net.forEach(
        (asset, kind) -> {
          if (!member.test(asset)) {
            out.addRemoved(asset);
          } else if (kind == Kind.ADDED) {
            out.addAdded(asset);
          } else {
            out.addChanged(asset);
          }
        });
    return out.build();
  }

  /** The log position a cursor names; -1 (expired) for one that is not this cloud's. */
  private long position(String cursor) {
    if (!cursor.startsWith(incarnation)) {
      return -1;
    }
    try {
      return Long.parseLong(cursor.substring(incarnation.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
