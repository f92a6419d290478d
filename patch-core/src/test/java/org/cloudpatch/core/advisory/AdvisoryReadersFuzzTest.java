package org.cloudpatch.core.advisory;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.core.severity.ConformanceAccess;
import org.junit.jupiter.api.Test;

/**
 * Mutated real documents (truncated, bytes flipped, nested deeply, huge numbers, wrong types) never
 * make a reader throw: every outcome is an accepted advisory or a quarantined record with a reason,
 * within bounded time.
 */
class AdvisoryReadersFuzzTest {
  private static final AdvisoryReaders READERS = AdvisoryReaders.create();
  private static final List<byte[]> DOCUMENTS = documents();

  /** Our own fixtures, and real vendor documents from the shared data when it is there. */
  private static List<byte[]> documents() {
    List<byte[]> docs = new ArrayList<>();
    docs.add(AdvisoryReadersTest.OSV.getBytes(StandardCharsets.UTF_8));
    docs.add(AdvisoryReadersTest.CSAF_VEX.getBytes(StandardCharsets.UTF_8));
    docs.add(AdvisoryReadersTest.TRACKER.getBytes(StandardCharsets.UTF_8));
    Path dir = ConformanceAccess.dir();
    for (String real :
        List.of(
            "oasis-csaf/csaf_2.0/examples/csaf/rhsa-2021_5186.json",
            "oasis-csaf/csaf_2.0/examples/csaf/csaf_vex/2022-evd-uc-01-na-001.json",
            "osv-schema/tools/redhat/testdata/OSV/RHSA-2024_4546.json")) {
      try {
        if (Files.isRegularFile(dir.resolve(real))) {
          docs.add(Files.readAllBytes(dir.resolve(real)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return List.copyOf(docs);
  }

  /** Reads within a second and accounts for the input: something accepted or quarantined. */
  private static void readsWithoutThrowing(byte[] document) {
    ReadBatch<Advisory> batch =
        assertTimeoutPreemptively(
            Duration.ofSeconds(1),
            () -> READERS.read(new ByteArrayInputStream(document), "fuzz.json"));
    assertTrue(
        !batch.accepted().isEmpty() || !batch.quarantined().isEmpty(),
        "neither accepted nor quarantined: " + new String(document, StandardCharsets.UTF_8));
    batch.quarantined().forEach(q -> assertTrue(!q.reason().isBlank() && !q.position().isBlank()));
  }

  @Test
  void truncatedDocuments_areReadOrQuarantined() {
    qt().withExamples(300)
        .forAll(integers().between(0, DOCUMENTS.size() - 1), integers().between(1, 1_000_000))
        .checkAssert(
            (doc, cut) -> {
              byte[] d = DOCUMENTS.get(doc);
              readsWithoutThrowing(
                  Arrays.copyOf(d, 1 + (int) ((long) cut * (d.length - 1) / 1_000_000)));
            });
  }

  @Test
  void documentsWithFlippedBytes_areReadOrQuarantined() {
    qt().withExamples(500)
        .forAll(
            integers().between(0, DOCUMENTS.size() - 1),
            integers().between(0, Integer.MAX_VALUE - 1),
            integers().between(1, 255))
        .checkAssert(
            (doc, at, mask) -> {
              byte[] d = DOCUMENTS.get(doc).clone();
              d[at % d.length] ^= mask.byteValue();
              readsWithoutThrowing(d);
            });
  }

  @Test
  void deeplyNestedDocuments_areQuarantinedNotOverflowingTheStack() {
    qt().withExamples(20)
        .forAll(integers().between(65, 200_000))
        .checkAssert(
            depth -> {
              String nested = "[".repeat(depth) + "]".repeat(depth);
              readsWithoutThrowing(nested.getBytes(StandardCharsets.UTF_8));
              String inside =
                  AdvisoryReadersTest.OSV.replace(
                      "\"details\": \"Two problems.\"",
                      "\"details\": " + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
              readsWithoutThrowing(inside.getBytes(StandardCharsets.UTF_8));
            });
  }

  @Test
  void hugeNumbers_areQuarantined() {
    qt().withExamples(20)
        .forAll(integers().between(65, 1_000_000))
        .checkAssert(
            digits -> {
              String huge =
                  AdvisoryReadersTest.CSAF_VEX.replace(
                      "\"baseScore\": 9.8", "\"baseScore\": 9" + "9".repeat(digits));
              readsWithoutThrowing(huge.getBytes(StandardCharsets.UTF_8));
            });
  }

  /** Every string value of the documents in turn replaced by a number, an object or null. */
  @Test
  void valuesOfTheWrongType_areReadOrQuarantined() {
    qt().withExamples(400)
        .forAll(integers().between(0, 1), integers().between(0, 200), integers().between(0, 3))
        .checkAssert(
            (doc, nth, kind) -> {
              String d = List.of(AdvisoryReadersTest.OSV, AdvisoryReadersTest.CSAF_VEX).get(doc);
              // The nth ": "..." value; the string keeps its quotes so it stays valid JSON.
              int from = -1;
              for (int i = 0; i <= nth; i++) {
                from = d.indexOf(": \"", from + 1);
                if (from < 0) {
                  return;
                }
              }
              int end = d.indexOf('"', from + 3);
              String replacement = List.of("12345", "{\"x\": []}", "null", "[\"a\", 1]").get(kind);
              String mutated = d.substring(0, from + 2) + replacement + d.substring(end + 1);
              readsWithoutThrowing(mutated.getBytes(StandardCharsets.UTF_8));
            });
  }
}
