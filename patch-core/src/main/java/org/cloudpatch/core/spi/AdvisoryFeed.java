package org.cloudpatch.core.spi;

import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.batch.Quarantined;
import org.immutables.value.Value;

/**
 * A source of vendor advisories, read in pages from a cursor.
 *
 * <p>Contract: cursors are opaque and only move forward; fetching from the same cursor again
 * returns the same advisories or a superset (at-least-once); an advisory that changes comes again
 * with a later {@code modified}. The engine stores the cursor in its journal, so a restart resumes
 * where it left off. A cursor the feed never issued, or {@code max < 1}, is rejected with {@link
 * IllegalArgumentException}; arguments and results are never null. The engine calls a feed from one
 * thread at a time.
 *
 * @see org.cloudpatch.core.testkit.AdvisoryFeedContract
 */
public interface AdvisoryFeed {
  /** A stable name for the feed, used to key its cursor; never null. */
  String name();

  /**
   * Advisories after {@code cursor} (from the start when empty), at most {@code max} of them.
   *
   * @param cursor the cursor a previous page returned, or empty
   * @param max at least 1
   */
  Page fetch(Optional<String> cursor, int max);

  /** One page of a feed. */
  @Value.Immutable
  interface Page {
    /** The advisories, in feed order. */
    List<Advisory> advisories();

    /** Records the feed could not read, with the reason. */
    List<Quarantined> quarantined();

    /** The cursor after this page; equal to the request's cursor when nothing is new. */
    Optional<String> nextCursor();

    /** A builder. */
    static Builder builder() {
      return new Builder();
    }

    /** Builds a {@link Page}. */
    final class Builder extends ImmutablePage.Builder {}
  }
}
