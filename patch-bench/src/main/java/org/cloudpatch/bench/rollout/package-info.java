/**
 * Benchmarks of fleet rollout planning: the planner on 1,000 to 100,000 VMs in 40 zones against a
 * floor of reading the same windows and visiting every VM once.
 */
@NullMarked
package org.cloudpatch.bench.rollout;

import org.jspecify.annotations.NullMarked;
