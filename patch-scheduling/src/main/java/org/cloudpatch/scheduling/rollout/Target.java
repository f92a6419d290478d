package org.cloudpatch.scheduling.rollout;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.severity.Priority;

/**
 * One asset as a rollout plan sees it: where and when it may be patched, what it shares with
 * others, and how urgent its patch is.
 *
 * @param id the asset
 * @param zone its time zone; its window follows this wall clock
 * @param image the image (or platform) it was built from, a test-ring stratum
 * @param labels label key to value, e.g. {@code service=web}, {@code az=eu-west-1a}; disruption
 *     budgets count by these
 * @param group its {@code SAME_INSTANT} patch group, if any
 * @param window the name of its window schedule in the request
 * @param priority the priority of its most urgent patch
 * @param due when that patch is due, if known
 * @param knownExploited whether the vulnerability is known to be exploited (e.g. in CISA KEV)
 */
public record Target(
    AssetId id,
    ZoneId zone,
    String image,
    Map<String, String> labels,
    Optional<String> group,
    String window,
    Priority priority,
    Optional<Instant> due,
    boolean knownExploited) {

  /** The schedule name a target uses unless it names another. */
  public static final String DEFAULT_WINDOW = "default";

  /** Validates and copies. */
  public Target {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(image, "image");
    labels = Map.copyOf(labels);
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(due, "due");
  }

  /** A P3 target in the default window with no labels, group or due date. */
  public static Target of(String id, ZoneId zone) {
    return new Target(
        AssetId.of(id),
        zone,
        "",
        Map.of(),
        Optional.empty(),
        DEFAULT_WINDOW,
        Priority.P3,
        Optional.empty(),
        false);
  }

  /**
   * The target for a core asset: its platform is the image, its tags {@code key:value} or {@code
   * key=value} are labels, its patch group is the group.
   */
  public static Target of(Asset asset, Priority priority, Optional<Instant> due) {
    Map<String, String> labels = new TreeMap<>();
    for (String tag : asset.tags()) {
      int at = tag.indexOf('=') >= 0 ? tag.indexOf('=') : tag.indexOf(':');
      if (at > 0) {
        labels.put(tag.substring(0, at), tag.substring(at + 1));
      }
    }
    return new Target(
        asset.id(),
        asset.zone(),
        asset.platform().toString(),
        labels,
        asset.patchGroup(),
        DEFAULT_WINDOW,
        priority,
        due,
        false);
  }

  /** This target in another group. */
  public Target inGroup(String patchGroup) {
    return new Target(
        id, zone, image, labels, Optional.of(patchGroup), window, priority, due, knownExploited);
  }

  /** This target with another image and labels. */
  public Target with(String imageName, Map<String, String> labelMap) {
    return new Target(id, zone, imageName, labelMap, group, window, priority, due, knownExploited);
  }

  /** This target using another window schedule. */
  public Target inWindow(String schedule) {
    return new Target(id, zone, image, labels, group, schedule, priority, due, knownExploited);
  }

  /** This target with another priority, due date and exploitation flag. */
  public Target urgency(Priority p, Optional<Instant> dueAt, boolean exploited) {
    return new Target(id, zone, image, labels, group, window, p, dueAt, exploited);
  }
}
