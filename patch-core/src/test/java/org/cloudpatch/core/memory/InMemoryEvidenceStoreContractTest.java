package org.cloudpatch.core.memory;

import java.util.Optional;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.spi.EvidenceStore.EvidenceBundle;
import org.cloudpatch.core.testkit.EvidenceStoreContract;

class InMemoryEvidenceStoreContractTest extends EvidenceStoreContract<InMemoryEvidenceStore> {
  @Override
  protected InMemoryEvidenceStore newStore() {
    return InMemoryEvidenceStore.create();
  }

  @Override
  protected Optional<EvidenceBundle> stored(InMemoryEvidenceStore store, TrackingId record) {
    return store.bundle(record);
  }
}
