package org.cloudpatch.core.spi;

import org.cloudpatch.core.rollout.RolloutPlan;
import org.cloudpatch.core.rollout.RolloutRequest;

/**
 * Places assets into waves inside maintenance windows (a port: patch-scheduling ships the default).
 * The guarantees a plan gives are those of {@link RolloutPlan}.
 */
public interface RolloutPlanner {
  /** Plans the request; never null. */
  RolloutPlan plan(RolloutRequest request);
}
