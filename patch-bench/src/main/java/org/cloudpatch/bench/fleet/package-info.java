/**
 * Benchmarks of assessing a fleet against a large advisory set: a synthetic fleet cloned from a few
 * images with per-VM drift, as clouds are. Each is measured against a floor in the same run —
 * merely iterating the installed rows, or the naive loop the index replaces.
 */
@NullMarked
package org.cloudpatch.bench.fleet;

import org.jspecify.annotations.NullMarked;
