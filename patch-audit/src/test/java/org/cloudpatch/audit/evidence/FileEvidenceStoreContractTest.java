package org.cloudpatch.audit.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.spi.EvidenceStore.EvidenceBundle;
import org.cloudpatch.core.testkit.EvidenceStoreContract;
import org.junit.jupiter.api.io.TempDir;

class FileEvidenceStoreContractTest extends EvidenceStoreContract<FileEvidenceStore> {
  @TempDir Path dir;

  @Override
  protected FileEvidenceStore newStore() {
    return FileEvidenceStore.create(dir);
  }

  /** Reads the bundle back from its file, as an auditor without this library would. */
  @Override
  protected Optional<EvidenceBundle> stored(FileEvidenceStore store, TrackingId record) {
    Path file = store.fileOf(record);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      JsonNode json = new ObjectMapper().readTree(file.toFile());
      List<Long> seqs = new ArrayList<>();
      json.get("journalSeqs").forEach(n -> seqs.add(n.asLong()));
      return Optional.of(
          EvidenceBundle.builder()
              .record(TrackingId.of(json.get("record").asText()))
              .tenant(TenantId.of(json.get("tenant").asText()))
              .advisory(AdvisoryId.of(json.get("advisory").asText()))
              .closedAt(Instant.parse(json.get("closedAt").asText()))
              .journalSeqs(seqs)
              .content((ObjectNode) json.get("content"))
              .build());
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }
}
