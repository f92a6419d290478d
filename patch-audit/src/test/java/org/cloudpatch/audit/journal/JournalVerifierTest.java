package org.cloudpatch.audit.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.spi.JournalEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalVerifierTest {
  private static final String ZEROS = "0".repeat(64);

  @TempDir Path dir;

  private final AtomicInteger files = new AtomicInteger();

  @Test
  void verify_intactJournal_isOk_withItsEntriesAndHeadHash() {
    Path file = dir.resolve("journal.log");
    byte[] bytes = Drafts.journal(file, 7);
    String lastLine = new String(bytes, UTF_8).lines().reduce((a, b) -> b).orElseThrow();

    Verification verification = JournalVerifier.verify(file);

    assertTrue(verification.ok());
    assertEquals(7, verification.entries());
    assertEquals(lastLine.substring(0, 64), verification.headHash());
    assertEquals(OptionalLong.empty(), verification.badSeq());
    assertEquals("", verification.reason());
    assertEquals("OK 7 " + lastLine.substring(0, 64), verification.describe());
  }

  @Test
  void verify_emptyJournal_isOk_withTheZeroHead() {
    Path file = dir.resolve("journal.log");
    Drafts.write(file, new byte[0]);

    assertEquals("OK 0 " + ZEROS, JournalVerifier.verify(file).describe());
  }

  @Test
  void verify_tornLastLine_isReportedAsACrashArtefact_andTheFileIsLeftAsItIs() {
    Path file = dir.resolve("journal.log");
    byte[] intact = Drafts.journal(file, 3);
    byte[] torn = Arrays.copyOf(intact, intact.length - 7);
    Drafts.write(file, torn);

    Verification verification = JournalVerifier.verify(file);

    assertFalse(verification.ok());
    assertEquals(OptionalLong.of(2), verification.badSeq());
    assertEquals(2, verification.entries());
    assertEquals(
        "torn last line 3: no trailing newline (crash artefact; recovery truncates it)",
        verification.reason());
    assertArrayEquals(torn, Drafts.read(file));
  }

  @Test
  void verify_lineThatIsNotHashSpaceJson_namesTheLineAndTheSeqItShouldHaveHad() {
    Path file = dir.resolve("journal.log");
    byte[] intact = Drafts.journal(file, 4);
    int line2 = Drafts.lineStarts(intact).get(1);
    byte[] notHex = intact.clone();
    notHex[line2 + 5] = 'G';
    Drafts.write(file, notHex);

    Verification verification = JournalVerifier.verify(file);

    assertEquals(
        "BAD seq 1: line 2: not '<64 lowercase hex> SPACE <JSON>'", verification.describe());
    assertEquals(1, verification.entries());
  }

  @Test
  void verify_anyByteOfAnyEntryChanged_failsNamingThatEntrysSeq() {
    qt().withExamples(300)
        .forAll(
            lists()
                .of(strings().betweenCodePoints(0, 0xD7FF).ofLengthBetween(0, 12))
                .ofSizeBetween(1, 6),
            integers().allPositive(),
            integers().between(1, 255))
        .checkAssert(
            (texts, offsetSeed, mask) -> {
              Path file = dir.resolve("flip-" + files.incrementAndGet() + ".log");
              byte[] intact = journalOf(file, texts);
              int offset = offsetSeed % intact.length;
              Drafts.write(file, Drafts.flipped(intact, offset, mask));

              Verification verification = JournalVerifier.verify(file);

              assertFalse(verification.ok(), () -> "offset " + offset);
              assertEquals(
                  OptionalLong.of(Drafts.lineOf(intact, offset)),
                  verification.badSeq(),
                  verification::describe);
            });
  }

  @Test
  void verify_everySingleBitFlipOfASmallJournal_failsNamingThatEntrysSeq() throws Exception {
    byte[] intact = Drafts.journal(dir.resolve("journal.log"), 4);
    for (int offset = 0; offset < intact.length; offset++) {
      for (int bit = 0; bit < 8; bit++) {
        // The same reader as verify(Path), minus a file per flip: this sweep is ~8000 flips.
        byte[] flipped = Drafts.flipped(intact, offset, 1 << bit);
        ChainReader.Result result =
            ChainReader.read(new ByteArrayInputStream(flipped), entry -> {});
        int at = offset;
        assertEquals(
            Drafts.lineOf(intact, offset),
            result.defect().orElseThrow(() -> new AssertionError("offset " + at)).seq(),
            () -> "offset " + at + ": " + result.defect().orElseThrow().reason());
      }
    }
  }

  @Test
  void verify_anyEntryButTheLastDeleted_failsNamingTheMissingSeq() {
    Path file = dir.resolve("journal.log");
    byte[] intact = Drafts.journal(file, 6);
    for (int deleted = 0; deleted < 5; deleted++) {
      Drafts.write(file, Drafts.withoutLine(intact, deleted));

      Verification verification = JournalVerifier.verify(file);

      assertEquals(OptionalLong.of(deleted), verification.badSeq(), verification::describe);
      assertEquals(deleted, verification.entries());
      assertTrue(
          verification.reason().contains("seq is " + (deleted + 1) + ", expected " + deleted),
          verification::describe);
    }
  }

  @Test
  void verify_lastEntryDeleted_isAValidShorterChain_whichOnlyTheHeadHashGivesAway() {
    Path file = dir.resolve("journal.log");
    byte[] intact = Drafts.journal(file, 6);
    String head = JournalVerifier.verify(file).headHash();
    Drafts.write(file, Drafts.withoutLine(intact, 5));

    Verification verification = JournalVerifier.verify(file);

    assertTrue(verification.ok());
    assertEquals(5, verification.entries());
    assertNotEquals(head, verification.headHash());
  }

  @Test
  void verify_entriesSwapped_failsAtTheFirstOutOfPlace() {
    Path file = dir.resolve("journal.log");
    byte[] intact = Drafts.journal(file, 4);
    List<String> lines = new String(intact, UTF_8).lines().toList();
    String swapped = String.join("\n", lines.get(0), lines.get(2), lines.get(1), lines.get(3));
    Drafts.write(file, (swapped + "\n").getBytes(UTF_8));

    assertEquals(OptionalLong.of(1), JournalVerifier.verify(file).badSeq());
  }

  @Test
  void verify_missingFile_throwsPatchExceptionNamingIt() {
    Path missing = dir.resolve("missing.log");

    PatchException e = assertThrows(PatchException.class, () -> JournalVerifier.verify(missing));

    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertFalse(Files.exists(missing));
  }

  private static byte[] journalOf(Path file, List<String> texts) {
    List<JournalEntry.Draft> drafts =
        IntStream.range(0, texts.size()).mapToObj(i -> Drafts.draft(i, texts.get(i))).toList();
    try (FileJournal journal = FileJournal.open(file)) {
      journal.append(drafts);
    }
    return Drafts.read(file);
  }
}
