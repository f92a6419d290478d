package org.cloudpatch.core.rollout;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.List;
import org.cloudpatch.core.AssetId;
import org.immutables.value.Value;

/**
 * A set of assets patched together: all of its jobs start at {@link #start()}, inside {@link
 * #window()}, and none is still planned to run at {@link #end()}.
 */
@Value.Immutable
@JsonSerialize(as = ImmutableWave.class)
@JsonDeserialize(as = ImmutableWave.class)
public interface Wave {
  /** The wave's position in its plan, from 0. */
  int index();

  /** The maintenance window it runs in. */
  MaintenanceWindow window();

  /** When its jobs start. */
  Instant start();

  /** When its slot ends: the next wave that would exceed the concurrency limit starts then. */
  Instant end();

  /** The assets, sorted. */
  List<AssetId> assets();

  /** The timing mode it was planned under. */
  TimingMode timingMode();

  /** The patch group it patches at one instant, for {@link TimingMode#SAME_INSTANT}. */
  java.util.Optional<String> patchGroup();

  /**
   * Rejects a value that breaks the invariants stated above; the builder calls it, so no such value
   * exists.
   */
  @Value.Check
  default void check() {
    if (!window().contains(start()) || start().isAfter(window().cutoff())) {
      throw new IllegalStateException("wave " + index() + " starts outside its window");
    }
    if (!end().isAfter(start())) {
      throw new IllegalStateException("wave " + index() + " ends before it starts");
    }
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Wave}. */
  final class Builder extends ImmutableWave.Builder {}
}
