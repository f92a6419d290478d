package org.cloudpatch.core.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.spi.AdvisoryFeed;
import org.junit.jupiter.api.Test;

/**
 * The contract of an {@link AdvisoryFeed}: what the engine's subscription relies on when it pages
 * through a feed and stores the cursor in its journal.
 *
 * <p>A vendor extends this class with its feed type and implements {@link #newFeed()} and {@link
 * #publish}. The kit publishes advisories whose {@code published} and {@code modified} instants lie
 * in early January 2026; a feed that releases advisories by time must show them.
 *
 * @param <F> the feed type under test
 */
public abstract class AdvisoryFeedContract<F extends AdvisoryFeed> {
  /** For subclasses. */
  protected AdvisoryFeedContract() {}

  /**
   * A new feed with nothing published; called once per test.
   *
   * @return the feed under test, never null
   */
  protected abstract F newFeed();

  /**
   * Publishes an advisory on the feed, as the vendor would: a new one, or a new version of one
   * already published (same id, later {@code modified}).
   *
   * @param feed a feed from {@link #newFeed()}
   * @param advisory the advisory to publish
   */
  protected abstract void publish(F feed, Advisory advisory);

  /** The name keys the feed's cursor in the journal, so it is not blank and never changes. */
  @Test
  public void name_isNotBlankAndStable() {
    F feed = newFeed();
    assertFalse(feed.name().isBlank(), "name is blank");
    assertEquals(feed.name(), feed.name(), "name changed between calls");
  }

  /** Read from the start, a feed gives every published advisory, in publication order. */
  @Test
  public void fetch_fromStart_givesEveryAdvisoryInPublicationOrder() {
    F feed = newFeed();
    publishAll(feed, "KIT-1", "KIT-2", "KIT-3");
    assertEquals(List.of("KIT-1", "KIT-2", "KIT-3"), ids(drain(feed, Optional.empty(), 10).seen));
  }

  /** A page holds at most {@code max} advisories, and paging on through cursors misses none. */
  @Test
  public void fetch_pagesOfMax_neverExceedMaxAndMissNothing() {
    F feed = newFeed();
    publishAll(feed, "KIT-1", "KIT-2", "KIT-3", "KIT-4", "KIT-5");
    Drained drained = drain(feed, Optional.empty(), 2);
    assertTrue(drained.largestPage <= 2, "a page held " + drained.largestPage + " advisories");
    assertEquals(List.of("KIT-1", "KIT-2", "KIT-3", "KIT-4", "KIT-5"), ids(drained.seen));
  }

  /** At the end of a feed, a fetch gives nothing new and returns the cursor it was given. */
  @Test
  public void fetch_atEnd_givesNothingAndKeepsTheCursor() {
    F feed = newFeed();
    publishAll(feed, "KIT-1", "KIT-2");
    Optional<String> end = drain(feed, Optional.empty(), 10).cursor;
    AdvisoryFeed.Page page = feed.fetch(end, 10);
    assertEquals(List.of(), ids(page.advisories()), "advisories after the end");
    assertEquals(end, page.nextCursor(), "the cursor moved although nothing was new");
  }

  /**
   * Cursors only move forward: from a cursor saved earlier (as the engine saves it in its journal)
   * the feed resumes with what was published since, and never goes back before it.
   */
  @Test
  public void fetch_fromSavedCursor_resumesWithLaterPublicationsOnly() {
    F feed = newFeed();
    publishAll(feed, "KIT-1", "KIT-2");
    Optional<String> saved = drain(feed, Optional.empty(), 10).cursor;
    publishAll(feed, "KIT-3");
    assertEquals(List.of("KIT-3"), ids(drain(feed, saved, 10).seen));
  }

  /** Fetching from the same cursor again gives the same advisories or more (at-least-once). */
  @Test
  public void fetch_sameCursorTwice_givesTheSameAdvisoriesOrMore() {
    F feed = newFeed();
    publishAll(feed, "KIT-1", "KIT-2");
    List<String> first = ids(feed.fetch(Optional.empty(), 10).advisories());
    List<String> again = ids(feed.fetch(Optional.empty(), 10).advisories());
    assertTrue(again.containsAll(first), "first " + first + ", again " + again);
  }

  /** An advisory that changes comes again, with its later {@code modified}. */
  @Test
  public void fetch_changedAdvisory_comesAgainWithLaterModified() {
    F feed = newFeed();
    publish(feed, KitData.advisory("KIT-1", KitData.EPOCH));
    Optional<String> saved = drain(feed, Optional.empty(), 10).cursor;
    Advisory changed = KitData.advisory("KIT-1", KitData.EPOCH.plusSeconds(3600));
    publish(feed, changed);
    List<Advisory> again = drain(feed, saved, 10).seen;
    assertTrue(
        again.stream()
            .anyMatch(a -> a.id().equals(changed.id()) && a.modified().equals(changed.modified())),
        "the new version did not come again: " + again);
  }

  /** Bad input: a page size below 1 is rejected with {@link IllegalArgumentException}. */
  @Test
  public void fetch_maxBelowOne_isRejected() {
    F feed = newFeed();
    assertThrows(IllegalArgumentException.class, () -> feed.fetch(Optional.empty(), 0));
  }

  /**
   * Bad input: a cursor this feed never issued is rejected with {@link IllegalArgumentException}.
   */
  @Test
  public void fetch_cursorTheFeedNeverIssued_isRejected() {
    F feed = newFeed();
    publishAll(feed, "KIT-1");
    assertThrows(
        IllegalArgumentException.class, () -> feed.fetch(Optional.of("not a cursor: ~!@#"), 10));
  }

  /** Bad input: a null cursor fails fast with {@link NullPointerException}. */
  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  public void fetch_nullCursor_failsFast() {
    F feed = newFeed();
    assertThrows(NullPointerException.class, () -> feed.fetch(null, 10));
  }

  private void publishAll(F feed, String... ids) {
    for (String id : ids) {
      publish(feed, KitData.advisory(id, KitData.EPOCH));
    }
  }

  private static List<String> ids(List<Advisory> advisories) {
    List<String> out = new ArrayList<>();
    for (Advisory a : advisories) {
      out.add(a.id().value());
    }
    return out;
  }

  /** What paging to the end of a feed saw: advisories in order of first sight, the last cursor. */
  private static final class Drained {
    final List<Advisory> seen = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    int largestPage;
  }

  private static Drained drain(AdvisoryFeed feed, Optional<String> from, int max) {
    Drained d = new Drained();
    d.cursor = from;
    Set<String> keys = new LinkedHashSet<>();
    // Bounded, so that a feed whose cursor never settles fails the test instead of hanging it.
    for (int i = 0; i < 100; i++) {
      AdvisoryFeed.Page page = feed.fetch(d.cursor, max);
      d.largestPage = Math.max(d.largestPage, page.advisories().size());
      for (Advisory a : page.advisories()) {
        if (keys.add(a.id() + "@" + a.modified())) {
          d.seen.add(a);
        }
      }
      Optional<String> next = page.nextCursor().isPresent() ? page.nextCursor() : d.cursor;
      if (page.advisories().isEmpty() && next.equals(d.cursor)) {
        return d;
      }
      d.cursor = next;
    }
    throw new AssertionError("the feed did not reach its end in 100 pages");
  }
}
