package org.cloudpatch.core.memory;

import java.time.Instant;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.testkit.AdvisoryFeedContract;

class InMemoryAdvisoryFeedContractTest extends AdvisoryFeedContract<InMemoryAdvisoryFeed> {
  @Override
  protected InMemoryAdvisoryFeed newFeed() {
    return InMemoryAdvisoryFeed.create(
        "kit", VirtualClock.at(Instant.parse("2026-02-01T00:00:00Z")));
  }

  @Override
  protected void publish(InMemoryAdvisoryFeed feed, Advisory advisory) {
    feed.publish(advisory);
  }
}
