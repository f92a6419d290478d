package org.cloudpatch.audit.evidence;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.spi.EvidenceStore.EvidenceBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileEvidenceStoreTest {
  @TempDir Path dir;

  @Test
  void store_writesThePrettyPrintedBundle_inTheDocumentedFieldOrder() throws IOException {
    FileEvidenceStore store = FileEvidenceStore.create(dir);

    store.store(bundle("TR-1", "verified"));

    assertEquals(
        String.join(
            "\n",
            "{",
            "  \"record\": \"TR-1\",",
            "  \"tenant\": \"acme\",",
            "  \"advisory\": \"DSA-5678-1\",",
            "  \"closedAt\": \"2025-03-30T01:30:00Z\",",
            "  \"journalSeqs\": [",
            "    3,",
            "    7,",
            "    12",
            "  ],",
            "  \"content\": {",
            "    \"zeta\": \"verified\",",
            "    \"alpha\": \"größe ✓\",",
            "    \"empty\": [],",
            "    \"nested\": {",
            "      \"none\": null",
            "    }",
            "  }",
            "}",
            ""),
        Files.readString(dir.resolve("TR-1.json"), UTF_8));
  }

  @Test
  void store_sameBundle_givesTheSameBytes() throws IOException {
    Path other = dir.resolve("other");
    FileEvidenceStore.create(dir).store(bundle("TR-1", "verified"));
    FileEvidenceStore.create(other).store(bundle("TR-1", "verified"));

    assertArrayEquals(
        Files.readAllBytes(dir.resolve("TR-1.json")),
        Files.readAllBytes(other.resolve("TR-1.json")));
  }

  @Test
  void store_sameRecordTwice_keepsTheLater_andLeavesNoTemporaryFile() throws IOException {
    FileEvidenceStore store = FileEvidenceStore.create(dir);

    store.store(bundle("TR-1", "first"));
    store.store(bundle("TR-1", "second"));

    assertTrue(Files.readString(dir.resolve("TR-1.json"), UTF_8).contains("\"zeta\": \"second\""));
    assertEquals(List.of("TR-1.json"), fileNames(dir));
  }

  @Test
  void store_recordIdThatIsNoPlainFileName_staysInTheDirectory_andKeepsIdsApart() {
    FileEvidenceStore store = FileEvidenceStore.create(dir);
    List<String> ids = List.of("../escape", "a/b", "a_b", ".hidden", "x".repeat(300), "CVE 2025:1");

    for (String id : ids) {
      store.store(bundle(id, id));
    }

    List<String> names = fileNames(dir);
    assertEquals(ids.size(), names.size(), names::toString);
    assertTrue(names.contains("a_b.json"), names::toString);
    for (String name : names) {
      assertTrue(name.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*\\.json") && name.length() < 120, name);
    }
    for (String id : ids) {
      assertTrue(Files.isRegularFile(store.fileOf(TrackingId.of(id))), id);
    }
    assertNotEquals(store.fileOf(TrackingId.of("a/b")), store.fileOf(TrackingId.of("a_b")));
  }

  @Test
  void create_missingDirectory_isCreated() {
    Path nested = dir.resolve("evidence").resolve("2025");

    FileEvidenceStore.create(nested).store(bundle("TR-9", "x"));

    assertTrue(Files.isRegularFile(nested.resolve("TR-9.json")));
  }

  @Test
  void create_onAFile_throwsPatchExceptionNamingIt() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");

    PatchException e = assertThrows(PatchException.class, () -> FileEvidenceStore.create(file));

    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  private static EvidenceBundle bundle(String record, String zeta) {
    ObjectNode content = JsonNodeFactory.instance.objectNode();
    content.put("zeta", zeta).put("alpha", "größe ✓");
    content.putArray("empty");
    content.putObject("nested").putNull("none");
    return EvidenceBundle.builder()
        .record(TrackingId.of(record))
        .tenant(TenantId.of("acme"))
        .advisory(AdvisoryId.of("DSA-5678-1"))
        .closedAt(Instant.parse("2025-03-30T01:30:00Z"))
        .journalSeqs(List.of(3L, 7L, 12L))
        .content(content)
        .build();
  }

  private static List<String> fileNames(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
