package org.cloudpatch.core.memory;

import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.spi.JournalEntry;
import org.cloudpatch.core.testkit.JournalContract;

class InMemoryJournalContractTest extends JournalContract<InMemoryJournal> {
  @Override
  protected InMemoryJournal newJournal() {
    return InMemoryJournal.create();
  }

  /** The storage a crash inside an append would leave: the acknowledged entries and a prefix. */
  @Override
  protected Optional<InMemoryJournal> crashInside(
      InMemoryJournal journal, List<JournalEntry.Draft> batch, int kept) {
    InMemoryJournal storage = InMemoryJournal.create();
    for (JournalEntry e : journal.readAll()) {
      storage.append(
          List.of(
              JournalEntry.Draft.builder()
                  .at(e.at())
                  .type(e.type())
                  .tenant(e.tenant())
                  .record(e.record())
                  .data(e.data())
                  .build()));
    }
    storage.append(batch.subList(0, kept));
    return Optional.of(storage);
  }
}
