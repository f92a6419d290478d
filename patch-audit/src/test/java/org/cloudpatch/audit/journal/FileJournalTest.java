package org.cloudpatch.audit.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.spi.JournalEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileJournalTest {
  @TempDir Path dir;

  @Test
  void open_missingFile_createsAnEmptyJournal() {
    Path file = dir.resolve("journal.log");
    try (FileJournal journal = FileJournal.open(file)) {
      assertEquals(0, journal.size());
      assertEquals(List.of(), journal.readAll());
    }
    assertTrue(Files.exists(file));
  }

  @Test
  void append_returnsTheDraftsWithConsecutiveSeqs() {
    try (FileJournal journal = FileJournal.open(dir.resolve("journal.log"))) {
      List<JournalEntry> first = journal.append(Drafts.drafts(0, 3));
      List<JournalEntry> second = journal.append(Drafts.drafts(3, 2));

      assertEquals(List.of(0L, 1L, 2L), first.stream().map(JournalEntry::seq).toList());
      assertEquals(List.of(3L, 4L), second.stream().map(JournalEntry::seq).toList());
      assertEquals(Drafts.draft(4).at(4), second.get(1));
      assertEquals(5, journal.size());
    }
  }

  @Test
  void append_thenReopen_readsBackTheSameEntries() {
    Path file = dir.resolve("journal.log");
    List<JournalEntry> appended = new ArrayList<>();
    try (FileJournal journal = FileJournal.open(file)) {
      appended.addAll(journal.append(Drafts.drafts(0, 4)));
      appended.addAll(journal.append(Drafts.drafts(4, 3)));
      assertEquals(appended, journal.readAll());
    }
    try (FileJournal reopened = FileJournal.open(file)) {
      assertEquals(7, reopened.size());
      assertEquals(appended, reopened.readAll());
    }
  }

  @Test
  void append_afterReopen_continuesTheSeqsAndTheChain() {
    Path file = dir.resolve("journal.log");
    try (FileJournal journal = FileJournal.open(file)) {
      journal.append(Drafts.drafts(0, 2));
    }
    try (FileJournal journal = FileJournal.open(file)) {
      List<JournalEntry> more = journal.append(Drafts.drafts(2, 2));
      assertEquals(List.of(2L, 3L), more.stream().map(JournalEntry::seq).toList());
    }
    Verification verification = JournalVerifier.verify(file);
    assertTrue(verification.ok(), verification::describe);
    assertEquals(4, verification.entries());
    // Reopening must not change how entries chain: the same four drafts in one go give the same.
    assertArrayEquals(Drafts.journal(dir.resolve("straight.log"), 4), Drafts.read(file));
  }

  @Test
  void append_whenItReturns_isInTheFileForAFreshReader() throws Exception {
    Path file = dir.resolve("journal.log");
    try (FileJournal journal = FileJournal.open(file)) {
      journal.append(Drafts.drafts(0, 3));

      // Still open, so nothing can come from a flush on close.
      List<String> lines = Files.readAllLines(file, UTF_8);
      assertEquals(3, lines.size());
      assertEquals(
          "OK 3 " + lines.get(2).substring(0, 64), JournalVerifier.verify(file).describe());
    }
  }

  @Test
  void append_forcesTheFileToDiskOncePerBatch() {
    try (FileJournal journal = FileJournal.open(dir.resolve("journal.log"))) {
      journal.append(Drafts.drafts(0, 5));
      journal.append(Drafts.drafts(5, 1));
      journal.append(List.of());
      journal.append(Drafts.drafts(6, 10));

      assertEquals(3, journal.syncCount());
      assertEquals(16, journal.size());
    }
  }

  @Test
  void append_emptyBatch_writesNothing() {
    Path file = dir.resolve("journal.log");
    try (FileJournal journal = FileJournal.open(file)) {
      assertEquals(List.of(), journal.append(List.of()));
      assertEquals(0, Drafts.read(file).length);
    }
  }

  @Test
  void append_writesWireFormatV1_hashChainedOverTheExactJsonBytes() throws Exception {
    Path file = dir.resolve("journal.log");
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("zeta", 1).put("alpha", "é\n\u0001").putArray("list").add(2).add(false);
    try (FileJournal journal = FileJournal.open(file)) {
      journal.append(
          List.of(
              JournalEntry.Draft.builder()
                  .at(Drafts.T0)
                  .type("finding.opened")
                  .tenant(TenantId.of("acme"))
                  .record(TrackingId.of("TR-1"))
                  .data(data)
                  .build(),
              JournalEntry.Draft.builder()
                  .at(Drafts.T0.plusMillis(1))
                  .type("tick")
                  .data(JsonNodeFactory.instance.objectNode())
                  .build()));
    }

    String first =
        "{\"seq\":0,\"at\":\"2025-03-30T01:30:00Z\",\"type\":\"finding.opened\","
            + "\"tenant\":\"acme\",\"record\":\"TR-1\","
            + "\"data\":{\"zeta\":1,\"alpha\":\"é\\n\\u0001\",\"list\":[2,false]}}";
    String second =
        "{\"seq\":1,\"at\":\"2025-03-30T01:30:00.001Z\",\"type\":\"tick\","
            + "\"tenant\":null,\"record\":null,\"data\":{}}";
    byte[] firstHash = sha256(new byte[32], first.getBytes(UTF_8));
    byte[] secondHash = sha256(firstHash, second.getBytes(UTF_8));
    String expected = hex(firstHash) + " " + first + "\n" + hex(secondHash) + " " + second + "\n";
    assertArrayEquals(expected.getBytes(UTF_8), Drafts.read(file));
  }

  @Test
  void append_sameDrafts_giveByteIdenticalFiles() {
    byte[] one = Drafts.journal(dir.resolve("one.log"), 10);
    byte[] two = Drafts.journal(dir.resolve("two.log"), 10);
    assertArrayEquals(one, two);
  }

  @Test
  void append_draftHoldingAJavaObject_isRejected_andNothingOfTheBatchIsWritten() {
    Path file = dir.resolve("journal.log");
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.putObject("outer").putPOJO("when", new Object());
    JournalEntry.Draft bad =
        JournalEntry.Draft.builder().at(Drafts.T0).type("bad").data(data).build();
    try (FileJournal journal = FileJournal.open(file)) {
      journal.append(Drafts.drafts(0, 1));
      byte[] before = Drafts.read(file);

      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> journal.append(List.of(Drafts.draft(1), bad, Drafts.draft(2))));

      assertTrue(e.getMessage().contains("drafts[1]"), e.getMessage());
      assertTrue(e.getMessage().contains("/data/outer/when"), e.getMessage());
      assertArrayEquals(before, Drafts.read(file));
      assertEquals(1, journal.size());
      assertEquals(1, journal.append(Drafts.drafts(1, 1)).get(0).seq());
    }
  }

  @Test
  void append_interrupted_failsAndRefusesMore_untilReopenedWithNothingLost() {
    Path file = dir.resolve("journal.log");
    FileJournal journal = FileJournal.open(file);
    journal.append(Drafts.drafts(0, 2));

    Thread.currentThread().interrupt();
    try {
      assertThrows(PatchException.class, () -> journal.append(Drafts.drafts(2, 2)));
    } finally {
      Thread.interrupted();
    }
    PatchException again =
        assertThrows(PatchException.class, () -> journal.append(Drafts.drafts(2, 1)));
    assertTrue(again.getMessage().contains("reopen"), again.getMessage());
    journal.close();

    try (FileJournal reopened = FileJournal.open(file)) {
      assertEquals(2, reopened.size());
      assertEquals(2, reopened.append(Drafts.drafts(2, 1)).get(0).seq());
    }
  }

  @Test
  void append_draftNestedDeeperThanAReaderAccepts_isRejected_soTheJournalStaysReadable() {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    ObjectNode inner = data;
    for (int depth = 0; depth < 600; depth++) {
      inner = inner.putObject("deeper");
    }
    JournalEntry.Draft deep =
        JournalEntry.Draft.builder().at(Drafts.T0).type("deep").data(data).build();
    Path file = dir.resolve("journal.log");
    try (FileJournal journal = FileJournal.open(file)) {
      assertThrows(IllegalArgumentException.class, () -> journal.append(List.of(deep)));
      assertEquals(0, journal.size());
    }
    assertEquals(0, Drafts.read(file).length);
  }

  @Test
  void append_afterClose_failsAsMisuse() {
    FileJournal journal = FileJournal.open(dir.resolve("journal.log"));
    journal.close();
    journal.close();
    assertThrows(IllegalStateException.class, () -> journal.append(Drafts.drafts(0, 1)));
  }

  @Test
  void open_fileAlreadyOpen_fails_untilItIsClosed() {
    Path file = dir.resolve("journal.log");
    try (FileJournal journal = FileJournal.open(file)) {
      journal.append(Drafts.drafts(0, 1));
      PatchException e = assertThrows(PatchException.class, () -> FileJournal.open(file));
      assertTrue(e.getMessage().contains("already open"), e.getMessage());
    }
    try (FileJournal journal = FileJournal.open(file)) {
      assertEquals(1, journal.size());
    }
  }

  @Test
  void open_tornLastLineWithoutNewline_truncatesIt_journalsTheRecovery_andKeepsTheDebris()
      throws Exception {
    Path file = dir.resolve("journal.log");
    byte[] intact = Drafts.journal(file, 4);
    List<Integer> starts = Drafts.lineStarts(intact);
    // A crash in the middle of writing entry 3.
    byte[] torn = Arrays.copyOf(intact, starts.get(3) + 40);
    Drafts.write(file, torn);

    try (FileJournal journal = FileJournal.open(file)) {
      assertEquals(4, journal.size(), "three entries and the recovery entry");
      assertEquals(3, journal.readAll().size(), "the journal's own entries are not the host's");
      assertEquals(4, journal.append(Drafts.drafts(3, 1)).get(0).seq());
    }
    byte[] after = Drafts.read(file);
    assertArrayEquals(Arrays.copyOf(intact, starts.get(3)), Arrays.copyOf(after, starts.get(3)));
    String recovery = new String(after, starts.get(3), after.length - starts.get(3), UTF_8);
    assertTrue(recovery.contains("\"type\":\"journal.recovered\""), recovery);
    assertTrue(recovery.contains("\"atSeq\":3,\"truncatedBytes\":40"), recovery);
    assertArrayEquals(
        Arrays.copyOfRange(torn, starts.get(3), torn.length),
        Files.readAllBytes(dir.resolve("journal.log.debris-3")));
    assertTrue(JournalVerifier.verify(file).ok());
  }

  @Test
  void open_completeLastEntryMissingOnlyItsNewline_isACrashArtefact_truncatedAndJournaled() {
    Path file = dir.resolve("journal.log");
    byte[] intact = Drafts.journal(file, 3);
    Drafts.write(file, Arrays.copyOf(intact, intact.length - 1));

    try (FileJournal journal = FileJournal.open(file)) {
      assertEquals(3, journal.size(), "two entries and the recovery entry");
      assertEquals(2, journal.readAll().size());
    }
  }

  @Test
  void open_completeLastLineWithBadHash_isTampering_notACrash_andTheFileIsLeftAsItIs() {
    Path file = dir.resolve("journal.log");
    byte[] intact = Drafts.journal(file, 3);
    int lastLine = Drafts.lineStarts(intact).get(2);
    // Inside a string value, so the line stays a well-formed entry: only its hash fails.
    int inNote = lastLine + new String(intact, lastLine, 200, UTF_8).indexOf("\"note\":\"pa") + 9;
    byte[] tampered = Drafts.flipped(intact, inNote, 0x01);
    Drafts.write(file, tampered);

    JournalTamperedException e =
        assertThrows(JournalTamperedException.class, () -> FileJournal.open(file));
    assertEquals(2, e.seq());
    assertArrayEquals(tampered, Drafts.read(file));
  }

  @Test
  void open_tornBatchWithGarbageLinesAfterIt_recoversByItself_andSaysSo() {
    Path file = dir.resolve("journal.log");
    byte[] intact = Drafts.journal(file, 2);
    byte[] garbage =
        (hex(new byte[32]) + " {\"seq\":2,\ngarbage\n\u0000\u0000\u0000\nmore garbage\n")
            .getBytes(UTF_8);
    byte[] withGarbage = Arrays.copyOf(intact, intact.length + garbage.length);
    System.arraycopy(garbage, 0, withGarbage, intact.length, garbage.length);
    Drafts.write(file, withGarbage);

    try (FileJournal journal = FileJournal.open(file)) {
      assertEquals(3, journal.size());
      assertEquals(2, journal.readAll().size());
    }
    assertArrayEquals(intact, Arrays.copyOf(Drafts.read(file), intact.length));
    assertTrue(JournalVerifier.verify(file).ok());
  }

  @Test
  void open_garbageFollowedByCompleteEntries_isTampering() {
    Path file = dir.resolve("journal.log");
    byte[] intact = Drafts.journal(file, 4);
    List<Integer> starts = Drafts.lineStarts(intact);
    byte[] tampered = intact.clone();
    tampered[starts.get(1) + 10] = 'x'; // entry 1's hash is no longer hex: garbage

    JournalTamperedException e =
        assertThrows(
            JournalTamperedException.class,
            () -> FileJournal.open(file.resolveSibling(write(file, tampered))));
    assertEquals(1, e.seq());
  }

  private static String write(Path file, byte[] bytes) {
    Drafts.write(file, bytes);
    return file.getFileName().toString();
  }

  @Test
  void open_entryChangedInTheMiddle_throwsTampered_namingItsSeqAndLine() {
    Path file = dir.resolve("journal.log");
    byte[] intact = Drafts.journal(file, 5);
    byte[] tampered = Drafts.flipped(intact, Drafts.lineStarts(intact).get(2) + 90, 0x20);
    Drafts.write(file, tampered);

    JournalTamperedException e =
        assertThrows(JournalTamperedException.class, () -> FileJournal.open(file));

    assertEquals(2, e.seq());
    assertEquals(3, e.line());
    assertTrue(e.getMessage().contains("seq 2"), e.getMessage());
    assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    assertArrayEquals(tampered, Drafts.read(file), "a tampered journal is left as it is");
  }

  @Test
  void open_entryDeletedInTheMiddle_throwsTampered_namingTheMissingSeq() {
    Path file = dir.resolve("journal.log");
    Drafts.write(file, Drafts.withoutLine(Drafts.journal(file, 5), 1));

    JournalTamperedException e =
        assertThrows(JournalTamperedException.class, () -> FileJournal.open(file));

    assertEquals(1, e.seq());
    assertTrue(e.getMessage().contains("seq is 2, expected 1"), e.getMessage());
  }

  @Test
  void open_secondToLastEntryDeleted_isTampering_notATornLine() {
    Path file = dir.resolve("journal.log");
    Drafts.write(file, Drafts.withoutLine(Drafts.journal(file, 4), 2));

    JournalTamperedException e =
        assertThrows(JournalTamperedException.class, () -> FileJournal.open(file));

    assertEquals(2, e.seq());
  }

  @Test
  void readAll_fileChangedWhileOpen_throwsTampered() {
    Path file = dir.resolve("journal.log");
    try (FileJournal journal = FileJournal.open(file)) {
      journal.append(Drafts.drafts(0, 3));
      byte[] bytes = Drafts.read(file);
      Drafts.write(file, Drafts.flipped(bytes, Drafts.lineStarts(bytes).get(1) + 80, 0x02));

      JournalTamperedException e = assertThrows(JournalTamperedException.class, journal::readAll);
      assertEquals(1, e.seq());
    }
  }

  private static byte[] sha256(byte[] previous, byte[] json) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    digest.update(previous);
    digest.update(json);
    return digest.digest();
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
