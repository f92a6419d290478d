package org.cloudpatch.core.rollout;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import org.cloudpatch.core.AssetId;
import org.immutables.value.Value;

/**
 * Waves in start order, and the assets that could not be placed with the reason.
 *
 * <p>A planner guarantees: every requested asset is in exactly one wave or in {@link #unplaced()};
 * at no instant do the waves' slots hold more assets than the request's concurrency limit; a {@code
 * SAME_INSTANT} patch group is in one wave, whole.
 */
@Value.Immutable
@JsonSerialize(as = ImmutableRolloutPlan.class)
@JsonDeserialize(as = ImmutableRolloutPlan.class)
public interface RolloutPlan {
  /** The waves, by start. */
  List<Wave> waves();

  /** Assets the planner could not place, each with the reason. */
  java.util.Map<AssetId, String> unplaced();

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link RolloutPlan}. */
  final class Builder extends ImmutableRolloutPlan.Builder {}
}
