package org.cloudpatch.core.process;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.spi.AdvisoryFeed;

/**
 * Steps 1 and 2, the subscription: reads each feed from its journaled cursor and publishes every
 * advisory version it has not seen, with the cursor move, as one decision.
 */
final class SubscriptionStep {
  private static final int FEED_PAGE_SIZE = 200;
  private static final int MAX_PAGES_PER_TICK = 50;

  private SubscriptionStep() {}

  static void pollFeeds(Driver d, Instant now) {
    for (AdvisoryFeed feed : d.feeds) {
      String name = feed.name();
      for (int page = 0; page < MAX_PAGES_PER_TICK; page++) {
        Optional<String> cursor = d.state.feedCursors.getOrDefault(name, Optional.empty());
        Optional<AdvisoryFeed.Page> fetched =
            d.call(
                now,
                "AdvisoryFeed:" + name,
                "fetch",
                Optional.empty(),
                () -> feed.fetch(cursor, FEED_PAGE_SIZE));
        if (fetched.isEmpty()) {
          break;
        }
        AdvisoryFeed.Page p = fetched.get();
        Optional<String> next = p.nextCursor().isPresent() ? p.nextCursor() : cursor;
        if (p.advisories().isEmpty() && p.quarantined().isEmpty() && next.equals(cursor)) {
          break;
        }
        d.emit(now, decide(d.state, name, p, next));
        if (next.equals(cursor)) {
          break;
        }
      }
    }
  }

  /** The publications and the cursor move of one page: pure. */
  static List<ProcessEvent> decide(
      ProcessState state, String feed, AdvisoryFeed.Page p, Optional<String> next) {
    List<ProcessEvent> events = new ArrayList<>();
    List<AdvisoryId> delivered = new ArrayList<>();
    List<AdvisoryId> duplicates = new ArrayList<>();
    Map<AdvisoryId, Advisory> seen = new HashMap<>();
    for (Advisory a : p.advisories()) {
      Advisory known = seen.get(a.id());
      if (known == null) {
        known = state.latest(a.id());
      }
      if (known != null && !a.modified().isAfter(known.modified())) {
        duplicates.add(a.id());
        continue;
      }
      seen.put(a.id(), a);
      events.add(new ProcessEvent.AdvisoryPublished(feed, a));
      delivered.add(a.id());
    }
    events.add(
        new ProcessEvent.SubscriptionAdvanced(feed, next, delivered, duplicates, p.quarantined()));
    return events;
  }
}
