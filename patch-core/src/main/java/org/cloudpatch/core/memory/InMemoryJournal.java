package org.cloudpatch.core.memory;

import java.util.ArrayList;
import java.util.List;
import org.cloudpatch.core.spi.Journal;
import org.cloudpatch.core.spi.JournalEntry;

/** A journal in memory: durable for as long as the object lives. Thread-safe. */
public final class InMemoryJournal implements Journal {
  private final List<JournalEntry> entries = new ArrayList<>();

  private InMemoryJournal() {}

  /** An empty journal. */
  public static InMemoryJournal create() {
    return new InMemoryJournal();
  }

  @Override
  public synchronized List<JournalEntry> append(List<JournalEntry.Draft> drafts) {
    List<JournalEntry> out = new ArrayList<>(drafts.size());
    for (JournalEntry.Draft d : drafts) {
      JournalEntry e = d.at(entries.size() + out.size());
      out.add(e);
    }
    entries.addAll(out);
    return out;
  }

  @Override
  public synchronized List<JournalEntry> readAll() {
    return List.copyOf(entries);
  }

  @Override
  public synchronized long size() {
    return entries.size();
  }
}
