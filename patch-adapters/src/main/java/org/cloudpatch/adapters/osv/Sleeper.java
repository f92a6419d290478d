package org.cloudpatch.adapters.osv;

import java.time.Duration;

/** Waits between attempts; tests record the waits instead of spending them. */
@FunctionalInterface
interface Sleeper {
  void sleep(Duration d) throws InterruptedException;

  static Sleeper system() {
    return d -> Thread.sleep(d.toMillis());
  }
}
