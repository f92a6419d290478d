package org.cloudpatch.core.memory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.cloudpatch.core.PatchException;

/**
 * The simulated cloud's faults as a schedule drawn from its seed: whether a call fails, loses its
 * reply or is slow depends only on the seed, the operation, its key and how often that operation
 * was called with that key, so the same seed and the same calls give the same faults.
 */
final class FaultSchedule {
  private final long seed;
  private final FaultPlan faults;
  private final Clock clock;
  private final Map<String, Integer> calls = new HashMap<>();

  FaultSchedule(long seed, FaultPlan faults, Clock clock) {
    this.seed = seed;
    this.faults = faults;
    this.clock = clock;
  }

  /**
   * Runs one SPI call under the fault plan: a slow call moves a virtual clock; an exception fails
   * the call before its effect; a lost reply fails it after its effect.
   */
  <T> T guarded(String operation, String key, Supplier<T> call) {
    if (faults.injectsNothing()) {
      return call.get();
    }
    int attempt = calls.merge(operation + '\u0000' + key, 1, Integer::sum);
    boolean slow = draw(operation, key, attempt, 1) < faults.slowCall();
    if (draw(operation, key, attempt, 2) < faults.exception()) {
      slowDown(slow);
      throw new PatchException(
          "simulated fault: "
              + operation
              + " "
              + key
              + " failed (attempt "
              + attempt
              + "): 503 Service Unavailable");
    }
    T result = call.get();
    slowDown(slow);
    if (slow && faults.callTimeout().filter(t -> t.compareTo(faults.slowBy()) < 0).isPresent()) {
      throw new PatchException(
          "simulated fault: "
              + operation
              + " "
              + key
              + " timed out after "
              + faults.callTimeout().get()
              + " (attempt "
              + attempt
              + "); its effect may have happened");
    }
    if (draw(operation, key, attempt, 3) < faults.lostReply()) {
      throw new PatchException(
          "simulated fault: the reply to "
              + operation
              + " "
              + key
              + " was lost (attempt "
              + attempt
              + "): connection reset");
    }
    return result;
  }

  private void slowDown(boolean slow) {
    if (slow && clock instanceof VirtualClock virtual) {
      Duration took = faults.slowBy();
      if (faults.callTimeout().isPresent() && faults.callTimeout().get().compareTo(took) < 0) {
        took = faults.callTimeout().get(); // the client gave up at its bound
      }
      virtual.advance(took);
    }
  }

  /**
   * A number in [0, 1) that depends only on the seed, the operation, its key, the attempt and the
   * kind of fault: a fault schedule does not shift when an unrelated call is added.
   */
  double draw(String operation, String key, long attempt, int kind) {
    long h = mix(seed ^ 0x5DEECE66DL);
    h = mix(h ^ fnv(operation));
    h = mix(h ^ fnv(key));
    h = mix(h + attempt * 0x9E3779B97F4A7C15L);
    h = mix(h + kind * 0xC2B2AE3D27D4EB4FL);
    return (h >>> 11) * 0x1.0p-53;
  }

  private static long fnv(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
