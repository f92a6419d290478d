package org.cloudpatch.core.memory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.spi.AdvisoryFeed;

/**
 * A feed of advisories kept in memory. An advisory is visible once the clock reaches its {@code
 * modified} time, in the order they were published to the feed; the cursor is the count of
 * advisories delivered. Thread-safe.
 */
public final class InMemoryAdvisoryFeed implements AdvisoryFeed {
  private final String name;
  private final Clock clock;
  private final List<Advisory> advisories = new ArrayList<>();
  private final List<Quarantined> quarantined = new ArrayList<>();

  private InMemoryAdvisoryFeed(String name, Clock clock) {
    this.name = name;
    this.clock = clock;
  }

  /** An empty feed. */
  public static InMemoryAdvisoryFeed create(String name, Clock clock) {
    return new InMemoryAdvisoryFeed(
        Objects.requireNonNull(name, "name"), Objects.requireNonNull(clock, "clock"));
  }

  /** Appends an advisory (a new one, or a new version of one already published). */
  public synchronized InMemoryAdvisoryFeed publish(Advisory advisory) {
    advisories.add(Objects.requireNonNull(advisory, "advisory"));
    return this;
  }

  /**
   * Reports a record the feed could not read; it comes with the next page, once, as a feed reports
   * what it had to skip.
   */
  public synchronized InMemoryAdvisoryFeed quarantine(Quarantined record) {
    quarantined.add(Objects.requireNonNull(record, "record"));
    return this;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized Page fetch(Optional<String> cursor, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1: " + max);
    }
    int from = cursor.map(InMemoryAdvisoryFeed::parse).orElse(0);
    if (from > advisories.size()) {
      throw new IllegalArgumentException("cursor " + cursor.get() + " is beyond the feed");
    }
    List<Advisory> page = new ArrayList<>();
    int i = from;
    // Feed order is publication order; an advisory not yet due holds back those after it.
    while (i < advisories.size() && page.size() < max) {
      Advisory a = advisories.get(i);
      if (a.modified().isAfter(clock.instant())) {
        break;
      }
      page.add(a);
      i++;
    }
    Page result =
        Page.builder()
            .advisories(page)
            .quarantined(quarantined)
            .nextCursor(Integer.toString(i))
            .build();
    quarantined.clear();
    return result;
  }

  private static int parse(String cursor) {
    try {
      int n = Integer.parseInt(cursor);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a cursor of this feed: '" + cursor + "'", e);
    }
  }
}
