/**
 * Figures for the engine at fleet scale: how long rebuilding its state from a journal takes and
 * what the rebuilt state holds. Printed by small programs, not timed in unit tests.
 */
@NullMarked
package org.cloudpatch.bench.engine;

import org.jspecify.annotations.NullMarked;
