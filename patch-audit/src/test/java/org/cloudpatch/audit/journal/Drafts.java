package org.cloudpatch.audit.journal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.spi.JournalEntry;

/** Drafts and journals for the tests: varied enough to exercise nulls, nesting and non-ASCII. */
final class Drafts {
  static final Instant T0 = Instant.parse("2025-03-30T01:30:00Z");

  private Drafts() {}

  static JournalEntry.Draft draft(int i) {
    return draft(i, "patch " + i + " — größe ✓ \u2028 \"quoted\"");
  }

  static JournalEntry.Draft draft(int i, String text) {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("n", i);
    data.put("note", text);
    data.putArray("packages").add("openssl").add(i).add(1.5);
    data.putObject("nested").put("z", true).putNull("a");
    JournalEntry.Draft.Builder draft =
        JournalEntry.Draft.builder()
            .at(T0.plusSeconds(i))
            .type(i % 2 == 0 ? "finding.opened" : "patch.verified")
            .data(data);
    if (i % 3 != 0) {
      draft.tenant(TenantId.of("tenant-" + (i % 2))).record(TrackingId.of("TR-" + i));
    }
    return draft.build();
  }

  static List<JournalEntry.Draft> drafts(int from, int count) {
    return IntStream.range(from, from + count).mapToObj(Drafts::draft).toList();
  }

  /**
   * Writes a journal of {@code count} entries, in batches of up to three, and returns its bytes.
   */
  static byte[] journal(Path file, int count) {
    try (FileJournal journal = FileJournal.open(file)) {
      for (int i = 0; i < count; i += 3) {
        journal.append(drafts(i, Math.min(3, count - i)));
      }
    }
    return read(file);
  }

  static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The byte offsets at which each line starts, plus the file length at the end. */
  static List<Integer> lineStarts(byte[] bytes) {
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        starts.add(i + 1);
      }
    }
    return starts;
  }

  /** The file without line {@code index} (0-based). */
  static byte[] withoutLine(byte[] bytes, int index) {
    List<Integer> starts = lineStarts(bytes);
    byte[] out = new byte[bytes.length - (starts.get(index + 1) - starts.get(index))];
    System.arraycopy(bytes, 0, out, 0, starts.get(index));
    System.arraycopy(
        bytes, starts.get(index + 1), out, starts.get(index), bytes.length - starts.get(index + 1));
    return out;
  }

  /** The index of the line holding byte {@code offset}; a newline belongs to the line it ends. */
  static int lineOf(byte[] bytes, int offset) {
    int line = 0;
    for (int i = 0; i < offset; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    return line;
  }

  static byte[] flipped(byte[] bytes, int offset, int mask) {
    byte[] out = bytes.clone();
    out[offset] ^= (byte) mask;
    return out;
  }
}
