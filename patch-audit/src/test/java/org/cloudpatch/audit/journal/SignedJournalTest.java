package org.cloudpatch.audit.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.cloudpatch.audit.memory.InMemoryKeyProvider;
import org.cloudpatch.audit.proof.Checkpoint;
import org.cloudpatch.audit.proof.Merkle;
import org.cloudpatch.audit.proof.TlogProof;
import org.cloudpatch.core.spi.JournalEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A journal with signed checkpoints: where they go, what they cover, what they catch. */
class SignedJournalTest {
  @TempDir Path dir;

  private List<String> lines(Path file) throws Exception {
    return Files.readAllLines(file, UTF_8);
  }

  @Test
  void append_everyNEntries_endsTheBatchWithACheckpointOfEveryEarlierEntry() throws Exception {
    Path file = dir.resolve("journal.log");
    try (FileJournal journal = FileJournal.open(file, SignedJournals.options(4))) {
      journal.append(Drafts.drafts(0, 3)); // 3 since the start
      assertEquals(3, journal.size());
      journal.append(Drafts.drafts(3, 2)); // 5 >= 4: checkpoint at seq 5
      assertEquals(6, journal.size());
      assertEquals(
          List.of(0L, 1L, 2L, 3L, 4L),
          journal.readAll().stream().map(JournalEntry::seq).toList(),
          "readAll gives the host's entries only");
    }
    List<String> lines = lines(file);
    assertEquals(6, lines.size(), "nothing on close: the last entry is a checkpoint already");
    assertTrue(lines.get(5).contains("\"type\":\"journal.checkpoint\""), lines.get(5));

    // The checkpoint at seq 5 is the C2SP checkpoint of the leaves 0..4, signed with the key.
    List<byte[]> leaves = new ArrayList<>();
    for (String line : lines.subList(0, 5)) {
      leaves.add(Merkle.leafHash(line.substring(65).getBytes(UTF_8)));
    }
    String note =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(lines.get(5).substring(65))
            .get("data")
            .get("checkpoint")
            .textValue();
    Checkpoint checkpoint = Checkpoint.open(note, SignedJournals.vkey());
    assertEquals(Checkpoint.of("cloudpatch.test/journal", 5, Merkle.root(leaves)), checkpoint);
  }

  @Test
  void close_publishesTheLatestCheckpointBesideTheJournal_whichVerifies() {
    Path file = dir.resolve("journal.log");
    String latest;
    try (FileJournal journal = FileJournal.open(file, SignedJournals.options(100))) {
      journal.append(Drafts.drafts(0, 5));
      assertTrue(journal.latestCheckpoint().isEmpty());
      journal.close();
      latest = journal.latestCheckpoint().orElseThrow();
    }
    String published = SignedJournals.read(FileJournal.checkpointFile(file));
    assertEquals(latest, published);
    assertEquals(5, Checkpoint.open(published, SignedJournals.vkey()).size());

    Verification v = SignedJournals.verify(file, Optional.of(published));
    assertTrue(v.ok(), v::describe);
    assertEquals(6, v.entries());
    assertEquals(1, v.checkpoints());
  }

  @Test
  void reopen_verifiesTheCheckpoints_andGoesOnFromTheTree() {
    Path file = dir.resolve("journal.log");
    for (int round = 0; round < 3; round++) {
      try (FileJournal journal = FileJournal.open(file, SignedJournals.options(3))) {
        journal.append(Drafts.drafts(round * 10, 4));
        journal.append(Drafts.drafts(round * 10 + 4, 1));
      }
    }
    Verification v = SignedJournals.verify(file, Optional.of(read(file)));
    assertTrue(v.ok(), v::describe);
    assertEquals(6, v.checkpoints());
  }

  @Test
  void verify_truncatedBeforeThePublishedCheckpoint_failsNamingTheFirstMissingSeq()
      throws Exception {
    Path file = dir.resolve("journal.log");
    try (FileJournal journal = FileJournal.open(file, SignedJournals.options(4))) {
      journal.append(Drafts.drafts(0, 10));
    }
    String published = read(file); // covers 10 entries, held at seq 10
    List<String> lines = lines(file);
    for (int keep : new int[] {10, 9, 5, 1, 0}) {
      Path cut = dir.resolve("cut-" + keep + ".log");
      Files.write(cut, lines.subList(0, keep), UTF_8);
      Verification v = SignedJournals.verify(cut, Optional.of(published));
      assertEquals(OptionalLong.of(keep), v.badSeq(), v::describe);
      // Without the published checkpoint, a cut at a checkpoint boundary looks whole.
    }
  }

  @Test
  void verify_forgedTailAfterTheLastCheckpoint_failsNamingItsFirstEntry() throws Exception {
    Path file = dir.resolve("journal.log");
    try (FileJournal journal = FileJournal.open(file, SignedJournals.options(4))) {
      journal.append(Drafts.drafts(0, 6));
    }
    long closedSize = lines(file).size();
    // A forger with write access but not the key appends with a correct chain.
    try (FileJournal forger = FileJournal.open(file)) {
      forger.append(Drafts.drafts(100, 2));
    }
    assertTrue(JournalVerifier.verify(file).ok(), "the chain alone cannot tell");
    Verification v = SignedJournals.verify(file, Optional.empty());
    assertEquals(OptionalLong.of(closedSize), v.badSeq(), v::describe);
  }

  @Test
  void open_withAnotherKey_refusesTheJournal_asItsCheckpointsDoNotVerify() {
    Path file = dir.resolve("journal.log");
    try (FileJournal journal = FileJournal.open(file, SignedJournals.options(2))) {
      journal.append(Drafts.drafts(0, 3));
    }
    JournalOptions other =
        JournalOptions.builder()
            .signer(InMemoryKeyProvider.generate("cloudpatch.test/journal"))
            .build();
    assertThrows(JournalTamperedException.class, () -> FileJournal.open(file, other));
  }

  @Test
  void open_fileShorterThanItsPublishedCheckpoint_isRefusedAsTruncated() throws Exception {
    Path file = dir.resolve("journal.log");
    try (FileJournal journal = FileJournal.open(file, SignedJournals.options(4))) {
      journal.append(Drafts.drafts(0, 9));
    }
    List<String> lines = lines(file);
    Files.write(file, lines.subList(0, 5), UTF_8);
    JournalTamperedException e =
        assertThrows(
            JournalTamperedException.class,
            () -> FileJournal.open(file, SignedJournals.options(4)));
    assertEquals(5, e.seq());
  }

  @Test
  void inclusionProof_ofEveryEntry_exportsAsATlogProof_thatVerifiesWithTheKey() throws Exception {
    Path file = dir.resolve("journal.log");
    try (FileJournal journal = FileJournal.open(file, SignedJournals.options(3))) {
      journal.append(Drafts.drafts(0, 8));
      journal.append(Drafts.drafts(8, 3));
    }
    List<String> lines = lines(file);
    for (int seq = 0; seq < lines.size() - 1; seq++) {
      TlogProof proof = JournalProofs.inclusion(file, seq);
      TlogProof parsed = TlogProof.parse(proof.toString());
      byte[] leaf = Merkle.leafHash(lines.get(seq).substring(65).getBytes(UTF_8));
      Checkpoint checkpoint = parsed.verify(leaf, SignedJournals.vkey());
      assertTrue(checkpoint.size() > seq);
      assertEquals(seq, parsed.index());
    }
    assertThrows(
        IllegalArgumentException.class, () -> JournalProofs.inclusion(file, lines.size() - 1));
  }

  private static String read(Path file) {
    return SignedJournals.read(FileJournal.checkpointFile(file));
  }

  @Test
  void published_changedByAByte_makesOpenRefuse() throws Exception {
    Path file = dir.resolve("journal.log");
    try (FileJournal journal = FileJournal.open(file, SignedJournals.options(3))) {
      journal.append(Drafts.drafts(0, 4));
    }
    Path published = FileJournal.checkpointFile(file);
    byte[] bytes = Files.readAllBytes(published);
    bytes[bytes.length - 5] ^= 1;
    Files.write(published, bytes);
    assertThrows(
        JournalTamperedException.class, () -> FileJournal.open(file, SignedJournals.options(3)));
    assertFalse(Arrays.equals(bytes, Files.readAllBytes(file)));
  }
}
