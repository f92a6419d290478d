package org.cloudpatch.audit.journal;

import org.cloudpatch.core.PatchException;

/**
 * A journal file fails verification somewhere other than a torn last line: an entry was changed,
 * removed or inserted after it was written. The journal is not opened; nothing is repaired.
 */
public final class JournalTamperedException extends PatchException {
  private static final long serialVersionUID = 1L;

  /** The seq the first bad entry should have had. */
  private final long seq;

  /** The 1-based line of the first bad entry. */
  private final long line;

  JournalTamperedException(String journal, long seq, long line, String reason) {
    super("journal " + journal + " is tampered at seq " + seq + ": " + reason);
    this.seq = seq;
    this.line = line;
  }

  /** The seq of the first bad entry: the seq the entry at that position should have had. */
  public long seq() {
    return seq;
  }

  /** The 1-based line number of the first bad entry. */
  public long line() {
    return line;
  }
}
