package org.cloudpatch.core.spi;

import java.util.List;

/**
 * The append-only journal: the audit trail and the engine's source of truth (a port: patch-audit
 * ships the file journal of wire format v1).
 *
 * <p>Contract: {@link #append} is durable when it returns and assigns consecutive {@code seq}
 * numbers from {@link #size()}; {@link #readAll()} returns every appended entry in order. An empty
 * batch appends nothing. Implementations are used by one engine at a time; arguments and results
 * are never null.
 *
 * <p>Crashes inside a batch: an append interrupted by a crash may leave a prefix of its batch (a
 * file journal writes entry by entry), never more, never reordered, and never changes an entry it
 * acknowledged; the next append continues the seqs after what was kept. A journal need not make a
 * batch atomic, and it keeps each entry's data exactly as given. Atomic decisions are the engine's
 * rule on top of that: every entry of a decision of several entries carries a {@code decision}
 * object ({@code first}: the seq of its first entry, {@code size}: how many entries it has) in its
 * data, and replay ignores a decision of which fewer than {@code size} entries are there (a torn
 * batch); a single-entry decision is committed by its own entry.
 *
 * @see org.cloudpatch.core.testkit.JournalContract
 */
public interface Journal {
  /** Appends the drafts as one batch, durably, and returns them as entries with their seq. */
  List<JournalEntry> append(List<JournalEntry.Draft> drafts);

  /** Every entry, in seq order. */
  List<JournalEntry> readAll();

  /**
   * Every entry whose seq is {@code seq} or more, in seq order: what {@link #readAll()} gives from
   * there on (empty when {@code seq} is at or past the end). The engine reads the tail after a
   * state snapshot with it; a journal that can find a seq without reading everything before it
   * should override this default, which reads everything.
   *
   * @param seq the first seq wanted, not negative
   * @throws IllegalArgumentException if {@code seq} is negative
   */
  default List<JournalEntry> readFrom(long seq) {
    if (seq < 0) {
      throw new IllegalArgumentException("seq " + seq + " is negative");
    }
    List<JournalEntry> all = readAll();
    int low = 0;
    int high = all.size();
    while (low < high) { // the first entry at or above seq: entries are in seq order
      int mid = (low + high) >>> 1;
      if (all.get(mid).seq() < seq) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return List.copyOf(all.subList(low, all.size()));
  }

  /** How many entries the journal holds; the next seq. */
  long size();
}
