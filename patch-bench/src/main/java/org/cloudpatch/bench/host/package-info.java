/**
 * Benchmarks of host evacuation planning: the exact planner against a greedy baseline that drains
 * one host at a time with first fit, on generated clusters of 16 to 256 hosts.
 */
@NullMarked
package org.cloudpatch.bench.host;

import org.jspecify.annotations.NullMarked;
