/**
 * Contract kits: one abstract JUnit 5 test class per SPI that states, as runnable tests, what the
 * engine relies on from an adapter. A vendor extends the kit with a few lines that create its
 * adapter; the in-memory adapters of {@link org.cloudpatch.core.memory} pass every kit. JUnit
 * Jupiter is an optional dependency of patch-core, so these classes need it on the test classpath.
 */
@NullMarked
package org.cloudpatch.core.testkit;

import org.jspecify.annotations.NullMarked;
