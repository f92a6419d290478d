/**
 * In-memory implementations of every SPI and a simulated cloud, shipped in main code because the
 * test suites of host applications use them. Everything here is deterministic under a {@link
 * org.cloudpatch.core.memory.VirtualClock} and a seed.
 */
@NullMarked
package org.cloudpatch.core.memory;

import org.jspecify.annotations.NullMarked;
