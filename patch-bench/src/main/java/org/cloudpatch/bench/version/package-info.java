/**
 * Benchmarks of version comparison, the innermost loop of advisory matching. Each is measured
 * against {@code String.compareTo} on the same pairs, so the figure that matters is the ratio.
 */
@NullMarked
package org.cloudpatch.bench.version;

import org.jspecify.annotations.NullMarked;
