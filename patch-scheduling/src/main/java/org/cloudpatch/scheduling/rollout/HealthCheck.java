package org.cloudpatch.scheduling.rollout;

import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AssetId;

/**
 * The gate between rollout stages, implemented by the host: after a stage has baked, are the assets
 * it patched healthy (monitoring, synthetic checks, error rates)? {@link RolloutRun} asks it once
 * per gate and widens the rollout only on a pass.
 */
@FunctionalInterface
public interface HealthCheck {
  /**
   * Judges the assets patched so far.
   *
   * @param stage the stage about to start (1 is the first after the test ring)
   * @param patched every asset whose job succeeded in the earlier stages
   * @return empty when healthy, otherwise the reason to halt
   */
  Optional<String> problem(int stage, List<AssetId> patched);

  /** A check that always passes. */
  static HealthCheck alwaysHealthy() {
    return (stage, patched) -> Optional.empty();
  }
}
