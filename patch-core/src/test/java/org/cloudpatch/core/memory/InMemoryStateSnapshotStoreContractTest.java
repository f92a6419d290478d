package org.cloudpatch.core.memory;

import org.cloudpatch.core.testkit.StateSnapshotStoreContract;

class InMemoryStateSnapshotStoreContractTest
    extends StateSnapshotStoreContract<InMemoryStateSnapshotStore> {
  @Override
  protected InMemoryStateSnapshotStore newStore() {
    return InMemoryStateSnapshotStore.create();
  }

  @Override
  protected InMemoryStateSnapshotStore reopen(InMemoryStateSnapshotStore store) {
    return store;
  }

  @Override
  protected void crashDuringPut(InMemoryStateSnapshotStore store, long seq, byte[] written) {
    // a put in memory cannot be interrupted half-way
  }
}
