/**
 * Rollout planning: {@link org.cloudpatch.scheduling.rollout.WavePlanner}, the default {@link
 * org.cloudpatch.core.spi.RolloutPlanner}, places assets into waves inside weekly maintenance
 * windows under one fleet-wide concurrency limit, in each asset's own zone ({@code LOCAL_TIME}) or
 * at one instant per patch group ({@code SAME_INSTANT}).
 */
@NullMarked
package org.cloudpatch.scheduling.rollout;

import org.jspecify.annotations.NullMarked;
