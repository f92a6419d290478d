package org.cloudpatch.scheduling.rollout;

import java.util.List;
import org.cloudpatch.core.AssetId;

/**
 * The assets patched first, before the bake time and the health gate: the named ones, plus a sample
 * of {@code perStratum} assets from every stratum of image and zone.
 *
 * <p>The sample is drawn from assets outside {@code SAME_INSTANT} groups (a group is never split,
 * and pulling whole groups into the ring would make it as large as the groups), in the order of a
 * hash of {@code seed} and the asset id, so that it is reproducible and not biased by naming. A
 * named asset that belongs to a {@code SAME_INSTANT} group brings its whole group into the ring.
 *
 * @param assets assets always in the ring
 * @param perStratum how many assets to sample per (image, zone), zero or more
 * @param seed the sample's seed
 */
public record TestRing(List<AssetId> assets, int perStratum, long seed) {
  /** Validates and copies. */
  public TestRing {
    assets = List.copyOf(assets);
    if (perStratum < 0) {
      throw new IllegalArgumentException("perStratum must not be negative: " + perStratum);
    }
  }

  /** No test ring. */
  public static TestRing none() {
    return new TestRing(List.of(), 0, 0);
  }
}
