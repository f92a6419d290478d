package org.cloudpatch.audit.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever is done to a closed, signed journal, verification with its key and its last published
 * checkpoint fails and names the first bad seq: a flipped bit anywhere, an entry deleted,
 * duplicated or swapped with the next, the file cut before the checkpoint, an entry changed with
 * the chain recomputed after it (named: the first later checkpoint, which no longer matches), or a
 * forged tail with a correct chain.
 */
class JournalTamperPropertyTest {
  private static final int JOURNALS = 16;

  @TempDir static Path dir;

  /** A closed journal: its lines (newline included) and its published checkpoint. */
  private record Sample(List<byte[]> lines, String published, List<Integer> checkpoints) {
    int last() {
      return lines.size() - 1;
    }
  }

  private static final List<Sample> SAMPLES = new ArrayList<>();
  private static final AtomicInteger FILES = new AtomicInteger();

  @BeforeAll
  static void writeRandomJournals() {
    Random random = new Random(20261203);
    for (int j = 0; j < JOURNALS; j++) {
      Path file = dir.resolve("sample-" + j + ".log");
      int every = 2 + random.nextInt(8);
      try (FileJournal journal = FileJournal.open(file, SignedJournals.options(every))) {
        int entries = 1 + random.nextInt(40);
        for (int i = 0; i < entries; ) {
          int batch = Math.min(entries - i, 1 + random.nextInt(5));
          journal.append(Drafts.drafts(i, batch));
          i += batch;
        }
      }
      List<byte[]> lines = split(Drafts.read(file));
      List<Integer> checkpoints = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        if (new String(lines.get(i), UTF_8).contains("\"type\":\"journal.checkpoint\"")) {
          checkpoints.add(i);
        }
      }
      SAMPLES.add(
          new Sample(lines, SignedJournals.read(FileJournal.checkpointFile(file)), checkpoints));
      assertTrue(SignedJournals.verify(file, Optional.of(SAMPLES.get(j).published())).ok());
    }
  }

  @Test
  void anyBitFlipAnywhere_isDetected_namingTheEntryItIsIn() {
    qt().withExamples(250)
        .forAll(
            integers().between(0, JOURNALS - 1), integers().allPositive(), integers().between(0, 7))
        .checkAssert(
            (j, where, bit) -> {
              Sample s = SAMPLES.get(j);
              byte[] bytes = join(s.lines());
              int offset = where % bytes.length;
              byte[] flipped = Drafts.flipped(bytes, offset, 1 << bit);
              expect(s, flipped, Drafts.lineOf(bytes, offset), "bit " + bit + " at " + offset);
            });
  }

  @Test
  void anyEntryDeletedDuplicatedOrSwapped_isDetected_namingTheFirstOutOfPlace() {
    qt().withExamples(150)
        .forAll(
            integers().between(0, JOURNALS - 1), integers().allPositive(), integers().between(0, 2))
        .checkAssert(
            (j, where, kind) -> {
              Sample s = SAMPLES.get(j);
              List<byte[]> lines = new ArrayList<>(s.lines());
              int k = where % lines.size();
              int expected;
              if (kind == 0) {
                lines.remove(k);
                expected = k;
              } else if (kind == 1) {
                lines.add(k + 1, lines.get(k));
                expected = k + 1;
              } else {
                if (k == lines.size() - 1) {
                  return; // nothing after the last entry to swap with
                }
                lines.set(k, s.lines().get(k + 1));
                lines.set(k + 1, s.lines().get(k));
                expected = k;
              }
              expect(s, join(lines), expected, "kind " + kind + " at " + k);
            });
  }

  @Test
  void truncationBeforeThePublishedCheckpoint_isDetected_namingTheFirstMissingSeq() {
    qt().withExamples(100)
        .forAll(integers().between(0, JOURNALS - 1), integers().allPositive())
        .checkAssert(
            (j, where) -> {
              Sample s = SAMPLES.get(j);
              int keep = where % s.lines().size(); // at most every entry but the final checkpoint
              expect(s, join(s.lines().subList(0, keep)), keep, "kept " + keep);
            });
  }

  @Test
  void entryChangedAndChainRecomputed_isDetected_atTheFirstCheckpointThatCoveredIt() {
    qt().withExamples(150)
        .forAll(integers().between(0, JOURNALS - 1), integers().allPositive())
        .checkAssert(
            (j, where) -> {
              Sample s = SAMPLES.get(j);
              int k = where % s.last(); // any entry before the final checkpoint
              List<byte[]> lines = new ArrayList<>(s.lines());
              String line = new String(lines.get(k), UTF_8);
              // The year of "at": 2025 -> 3025, still a valid entry.
              int at = line.indexOf("\"at\":\"") + 6;
              String edited = line.substring(0, at) + "3" + line.substring(at + 1);
              lines.set(k, edited.getBytes(UTF_8));
              recomputeChain(lines, k);
              assertTrue(chainHolds(join(lines)), "the chain alone cannot tell");
              // A checkpoint entry's own fields are outside its signed note: the next one tells.
              int expected = s.checkpoints().stream().filter(c -> c > k).findFirst().orElseThrow();
              expect(s, join(lines), expected, "entry " + k);
            });
  }

  @Test
  void forgedTailWithACorrectChain_isDetected_namingItsFirstEntry() {
    qt().withExamples(60)
        .forAll(integers().between(0, JOURNALS - 1), integers().between(1, 4))
        .checkAssert(
            (j, count) -> {
              Sample s = SAMPLES.get(j);
              List<byte[]> lines = new ArrayList<>(s.lines());
              for (int i = 0; i < count; i++) {
                byte[] json = WireFormat.json(lines.size(), Drafts.draft(1000 + i));
                lines.add(WireFormat.line(new byte[32], json));
              }
              recomputeChain(lines, s.lines().size());
              expect(s, join(lines), s.lines().size(), count + " forged");
            });
  }

  private static void expect(Sample s, byte[] tampered, int seq, String what) {
    Verification v = SignedJournals.verify(write(tampered), Optional.of(s.published()));
    assertEquals(OptionalLong.of(seq), v.badSeq(), () -> what + ": " + v.describe());
  }

  private static boolean chainHolds(byte[] bytes) {
    try {
      return ChainReader.read(new java.io.ByteArrayInputStream(bytes), entry -> {})
          .defect()
          .isEmpty();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Path write(byte[] bytes) {
    Path file = dir.resolve("tampered-" + FILES.incrementAndGet() + ".log");
    Drafts.write(file, bytes);
    return file;
  }

  /** Rewrites the hashes of lines {@code from} on, as someone without the key could. */
  private static void recomputeChain(List<byte[]> lines, int from) {
    byte[] head = from == 0 ? new byte[32] : WireFormat.statedHash(lines.get(from - 1));
    for (int i = from; i < lines.size(); i++) {
      byte[] line = lines.get(i);
      int end = line[line.length - 1] == '\n' ? line.length - 1 : line.length;
      byte[] json = java.util.Arrays.copyOfRange(line, WireFormat.HASH_HEX + 1, end);
      head = WireFormat.chain(head, json, 0, json.length);
      lines.set(i, WireFormat.line(head, json));
    }
  }

  private static List<byte[]> split(byte[] bytes) {
    List<byte[]> lines = new ArrayList<>();
    List<Integer> starts = Drafts.lineStarts(bytes);
    for (int i = 0; i + 1 < starts.size(); i++) {
      lines.add(java.util.Arrays.copyOfRange(bytes, starts.get(i), starts.get(i + 1)));
    }
    return lines;
  }

  private static byte[] join(List<byte[]> lines) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    lines.forEach(out::writeBytes);
    return out.toByteArray();
  }
}
