package org.cloudpatch.core.memory;

import org.cloudpatch.core.testkit.JournalContract;

class InMemoryJournalContractTest extends JournalContract<InMemoryJournal> {
  @Override
  protected InMemoryJournal newJournal() {
    return InMemoryJournal.create();
  }
}
