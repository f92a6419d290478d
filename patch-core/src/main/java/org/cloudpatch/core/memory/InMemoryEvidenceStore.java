package org.cloudpatch.core.memory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.spi.EvidenceStore;

/** Keeps evidence bundles in memory, the later one per record. Thread-safe. */
public final class InMemoryEvidenceStore implements EvidenceStore {
  private final Map<TrackingId, EvidenceBundle> bundles = new LinkedHashMap<>();

  private InMemoryEvidenceStore() {}

  /** An empty store. */
  public static InMemoryEvidenceStore create() {
    return new InMemoryEvidenceStore();
  }

  @Override
  public synchronized void store(EvidenceBundle bundle) {
    bundles.put(Objects.requireNonNull(bundle, "bundle").record(), bundle);
  }

  /** The bundle of a record, if stored. */
  public synchronized Optional<EvidenceBundle> bundle(TrackingId record) {
    return Optional.ofNullable(bundles.get(record));
  }

  /** Every stored bundle, in the order first stored. */
  public synchronized List<EvidenceBundle> bundles() {
    return List.copyOf(bundles.values());
  }
}
