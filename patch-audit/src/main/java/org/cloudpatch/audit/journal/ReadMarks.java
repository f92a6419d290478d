package org.cloudpatch.audit.journal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Positions in a journal file that a read may start from without reading what comes before: every
 * {@value #EVERY} entries, where the entry's line starts and the chain hash it chains to.
 * Remembered while {@link FileJournal#open} verifies the whole chain, so a position is only ever
 * one the chain vouched for; a read from it verifies the chain again from there.
 */
final class ReadMarks {
  /** How often a position is remembered. */
  static final int EVERY = 4096;

  private final List<Mark> marks = new ArrayList<>(List.of(new Mark(0, 0, new byte[32])));
  private long offset;

  /** Takes note of a line the chain check accepted; lines come in seq order from the file start. */
  void see(ChainReader.VerifiedLine line) {
    long next = line.seq() + 1;
    offset += line.length() + 1; // a verified line always ends with its newline
    if (next % EVERY == 0) {
      // A verified line starts with its own chain hash: what the next line chains to.
      byte[] hash =
          HexFormat.of()
              .parseHex(
                  new String(
                      line.bytes(),
                      line.jsonOffset() - WireFormat.HASH_HEX - 1,
                      WireFormat.HASH_HEX,
                      StandardCharsets.US_ASCII));
      marks.add(new Mark(next, offset, hash));
    }
  }

  /** The last position at or before {@code seq}; the file's start at worst. */
  Mark from(long seq) {
    int at = (int) Math.min(seq / EVERY, marks.size() - 1);
    return marks.get(at);
  }

  /** Where the line of entry {@code seq} starts, and the hash it chains to. */
  static final class Mark {
    private final long seq;
    private final long offset;
    private final byte[] head;

    Mark(long seq, long offset, byte[] head) {
      this.seq = seq;
      this.offset = offset;
      this.head = head.clone();
    }

    long seq() {
      return seq;
    }

    long offset() {
      return offset;
    }

    byte[] head() {
      return head.clone();
    }
  }
}
