package org.cloudpatch.audit.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cloudpatch.core.spi.JournalEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FileJournal#readFrom} across the positions {@code open} remembers (one every {@value
 * ReadMarks#EVERY} entries): the same entries as {@code readAll} from that seq, with the journal's
 * own checkpoint entries left out, for entries before and after the open; and a line changed behind
 * the journal's back in the part read is reported.
 */
class FileJournalReadFromTest {
  @TempDir Path dir;

  private static final int ENTRIES = 2 * ReadMarks.EVERY + 777;

  @Test
  void readFrom_anySeq_isReadAllFromThere_acrossMarks_beforeAndAfterReopen() {
    Path file = dir.resolve("journal.log");
    try (FileJournal journal = FileJournal.open(file, SignedJournals.options(100))) {
      append(journal, ENTRIES);
    }
    try (FileJournal journal = FileJournal.open(file, SignedJournals.options(100))) {
      append(journal, 300); // after the open: not marked, read from the last mark
      List<JournalEntry> all = journal.readAll();
      long end = journal.size();
      long mark = ReadMarks.EVERY;
      for (long seq :
          new long[] {
            0, 1, mark - 1, mark, mark + 1, 2 * mark, 2 * mark + 5, ENTRIES, end - 1, end
          }) {
        List<JournalEntry> expected = all.stream().filter(e -> e.seq() >= seq).toList();
        assertEquals(expected, journal.readFrom(seq), "readFrom(" + seq + ")");
      }
    }
  }

  @Test
  void readFrom_aLineChangedInThePartRead_isTampering() throws IOException {
    Path file = dir.resolve("journal.log");
    try (FileJournal journal = FileJournal.open(file)) {
      append(journal, ReadMarks.EVERY + 50);
      // change one character in the JSON of the second-to-last line
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
        long at = raf.length() - 2;
        int newlines = 0;
        while (newlines < 2) {
          raf.seek(--at);
          if (raf.read() == '\n') {
            newlines++;
          }
        }
        raf.seek(at - 5);
        int c = raf.read();
        raf.seek(at - 5);
        raf.write(c == 'x' ? 'y' : 'x');
      }
      assertThrows(JournalTamperedException.class, () -> journal.readFrom(ReadMarks.EVERY + 40));
    }
  }

  private static void append(FileJournal journal, int count) {
    List<JournalEntry.Draft> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ObjectNode data = JsonNodeFactory.instance.objectNode();
      data.put("text", "entry " + i + " é ✓"); // non-ASCII: offsets are bytes, not chars
      batch.add(
          JournalEntry.Draft.builder()
              .at(Instant.parse("2026-01-05T00:00:00Z").plusSeconds(i))
              .type("test.entry")
              .data(data)
              .build());
      if (batch.size() == 97) {
        journal.append(batch);
        batch.clear();
      }
    }
    journal.append(batch);
  }
}
