package org.cloudpatch.audit.journal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.testkit.JournalContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class FileJournalContractTest extends JournalContract<FileJournal> {
  @TempDir Path dir;
  private final List<FileJournal> opened = new ArrayList<>();

  @Override
  protected FileJournal newJournal() {
    return track(FileJournal.open(dir.resolve("journal.log")));
  }

  /** Closes the file and opens it again, as a restarted engine does; recovery runs on open. */
  @Override
  protected Optional<FileJournal> reopen(FileJournal journal) {
    journal.close();
    return Optional.of(track(FileJournal.open(dir.resolve("journal.log"))));
  }

  private FileJournal track(FileJournal journal) {
    opened.add(journal);
    return journal;
  }

  @AfterEach
  void closeEveryJournal() {
    opened.forEach(FileJournal::close);
  }
}
