/**
 * In-memory implementations of every SPI and a simulated cloud, shipped in main code because the
 * test suites of host applications use them. Everything here is deterministic under a {@link
 * org.cloudpatch.core.memory.VirtualClock} and a seed; the simulated cloud can inject faults and
 * keeps its own ground truth of what really happened, for tests to check an engine against.
 */
@ValueStyle
@NullMarked
package org.cloudpatch.core.memory;

import org.cloudpatch.core.ValueStyle;
import org.jspecify.annotations.NullMarked;
