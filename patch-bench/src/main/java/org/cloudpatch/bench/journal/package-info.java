/**
 * Benchmarks of the journal: group-commit appends against raw writes of the same bytes with the
 * same fsync policy, and full verification against raw SHA-256 of the same bytes. The ratios of one
 * run are the figures that matter.
 */
@NullMarked
package org.cloudpatch.bench.journal;

import org.jspecify.annotations.NullMarked;
