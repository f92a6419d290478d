/**
 * Figures for the engine at fleet scale: how long rebuilding its state from a journal takes and
 * what the rebuilt state holds (small programs), and what a tick that handles a new advisory costs
 * with and without an inventory index (a JMH benchmark). Not timed in unit tests.
 */
@NullMarked
package org.cloudpatch.bench.engine;

import org.jspecify.annotations.NullMarked;
