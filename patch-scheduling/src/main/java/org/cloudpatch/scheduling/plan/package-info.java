/**
 * Plan inputs as files: {@link org.cloudpatch.scheduling.plan.PlanInputs} reads a rollout policy
 * and a fleet (window schedules, assets, approved group windows) from the JSON formats of {@code
 * docs/plan-formats.md}, naming the file and the position of anything it rejects.
 */
@NullMarked
package org.cloudpatch.scheduling.plan;

import org.jspecify.annotations.NullMarked;
