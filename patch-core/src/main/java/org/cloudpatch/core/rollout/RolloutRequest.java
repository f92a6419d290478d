package org.cloudpatch.core.rollout;

import java.time.Instant;
import java.util.List;
import org.cloudpatch.core.asset.Asset;
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
