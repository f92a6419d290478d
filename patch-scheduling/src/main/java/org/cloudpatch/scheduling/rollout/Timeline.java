package org.cloudpatch.scheduling.rollout;

import java.time.Instant;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * How many patch jobs are planned to run at each instant: a step function over time, built from
 * half-open slots {@code [from, to)}.
 */
final class Timeline {
  /** The load from each key until the next key; zero before the first key. */
  private final NavigableMap<Instant, Long> steps = new TreeMap<>();

  /** The highest load at any instant in {@code [from, to)}. */
  long maxLoad(Instant from, Instant to) {
    Map.Entry<Instant, Long> atFrom = steps.floorEntry(from);
    long max = atFrom == null ? 0 : atFrom.getValue();
    for (long load : steps.subMap(from, false, to, false).values()) {
      max = Math.max(max, load);
    }
    return max;
  }

  /** Adds {@code jobs} to the load over {@code [from, to)}. */
  void add(Instant from, Instant to, long jobs) {
    split(from);
    split(to);
    steps.subMap(from, true, to, false).replaceAll((at, load) -> load + jobs);
  }

  private void split(Instant at) {
    if (!steps.containsKey(at)) {
      Map.Entry<Instant, Long> before = steps.floorEntry(at);
      steps.put(at, before == null ? 0 : before.getValue());
    }
  }
}
