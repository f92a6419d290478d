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
 * @see org.cloudpatch.core.testkit.JournalContract
 */
public interface Journal {
  /** Appends the drafts as one batch, durably, and returns them as entries with their seq. */
  List<JournalEntry> append(List<JournalEntry.Draft> drafts);

  /** Every entry, in seq order. */
  List<JournalEntry> readAll();

  /** How many entries the journal holds; the next seq. */
  long size();
}
