package org.cloudpatch.core.memory;

import java.time.Duration;
import java.time.Instant;
import org.cloudpatch.core.testkit.ChangeSystemContract;

class InMemoryChangeSystemContractTest extends ChangeSystemContract<InMemoryChangeSystem> {
  private final VirtualClock clock = VirtualClock.at(Instant.parse("2026-02-01T00:00:00Z"));

  @Override
  protected InMemoryChangeSystem newChangeSystem() {
    return InMemoryChangeSystem.create(clock, Duration.ofDays(2));
  }

  @Override
  protected void letTimePass(InMemoryChangeSystem system, Duration duration) {
    clock.advance(duration);
  }
}
