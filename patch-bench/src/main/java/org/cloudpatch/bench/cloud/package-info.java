/**
 * Benchmarks of the simulated cloud that the demo and the model-based tests run on: how building a
 * fleet and its per-call bookkeeping grow with the fleet, measured against a floor in the same run.
 */
@NullMarked
package org.cloudpatch.bench.cloud;

import org.jspecify.annotations.NullMarked;
