package org.cloudpatch.core.rollout;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.severity.Priority;
import org.immutables.value.Value;

/** What a rollout planner is asked: place these assets into waves, no earlier than a moment. */
@Value.Immutable
public interface RolloutRequest {
  /** The assets to patch. */
  List<Asset> assets();

  /** How to place them in time. */
  TimingMode timingMode();

  /** No wave starts before this instant. */
  Instant notBefore();

  /** At most this many patch jobs run at once across the whole plan. */
  int maxConcurrency();

  /**
   * Waves already planned by earlier requests: their slots count against {@link #maxConcurrency()},
   * so that plans made at different times never overload the fleet together.
   */
  List<Wave> existing();

  /**
   * Per asset, the priority of its most urgent work in this request. A planner may place urgent
   * work first, or in an out-of-cycle emergency window; an asset not named here has no known
   * urgency.
   */
  Map<AssetId, Priority> priorities();

  /**
   * Per asset, the earliest due date of its work in this request; a planner may place work that
   * would otherwise miss it differently, and say so. An asset not named here has no due date.
   */
  Map<AssetId, Instant> dueDates();

  /**
   * Rejects a value that breaks the invariants stated above; the builder calls it, so no such value
   * exists.
   */
  @Value.Check
  default void check() {
    if (maxConcurrency() < 1) {
      throw new IllegalStateException("maxConcurrency must be at least 1: " + maxConcurrency());
    }
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link RolloutRequest}. */
  final class Builder extends ImmutableRolloutRequest.Builder {}
}
