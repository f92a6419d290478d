package org.cloudpatch.core.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.spi.Journal;
import org.cloudpatch.core.spi.JournalEntry;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link Journal}: the ordering and durability the engine relies on when it
 * appends every event before acknowledging it and rebuilds its state by replaying the journal.
 *
 * <p>A vendor extends this class and implements {@link #newJournal()}; a journal whose storage
 * outlives the object also overrides {@link #reopen}, which turns on the restart tests.
 *
 * @param <J> the journal type under test
 */
public abstract class JournalContract<J extends Journal> {
  /** For subclasses. */
  protected JournalContract() {}

  /**
   * A new, empty journal; called once per test.
   *
   * @return the journal under test, never null
   */
  protected abstract J newJournal();

  /**
   * Closes the journal and opens its storage again, as a restarted engine would. The default says
   * the journal does not outlive the object (an in-memory journal), which skips the restart tests.
   *
   * @param journal a journal from {@link #newJournal()}, with entries appended
   * @return the reopened journal, or empty when the journal cannot be reopened
   */
  protected Optional<J> reopen(J journal) {
    return Optional.empty();
  }

  /**
   * Simulates a crash inside an append: the journal's storage keeps the first {@code kept} drafts
   * of {@code batch} (as a process that died while writing would leave them), and is opened again.
   * The default says the journal cannot simulate it, which skips the torn-batch test.
   *
   * @param journal a journal from {@link #newJournal()}, with entries appended
   * @param batch the batch whose append the crash interrupts
   * @param kept how many of its drafts reached storage, fewer than its size
   * @return the reopened journal, or empty when the crash cannot be simulated
   */
  protected Optional<J> crashInside(J journal, List<JournalEntry.Draft> batch, int kept) {
    return Optional.empty();
  }

  /**
   * An entry's data comes back exactly as given, a nested {@code decision} marker included: the
   * engine's atomic decisions rest on it.
   */
  @Test
  public void append_keepsDataAsGiven_includingDecisionMarkers() {
    J journal = newJournal();
    List<JournalEntry.Draft> batch = new ArrayList<>();
    for (JournalEntry.Draft d : drafts("d", 3)) {
      ObjectNode data = d.data().deepCopy();
      data.putObject("decision").put("first", 0).put("size", 3);
      batch.add(JournalEntry.Draft.builder().from(d).data(data).build());
    }
    journal.append(batch);
    List<JournalEntry> read = journal.readAll();
    for (int i = 0; i < 3; i++) {
      assertEquals(batch.get(i).data(), read.get(i).data());
    }
  }

  /**
   * A crash inside a batch leaves at most a prefix of it, in order, after every acknowledged entry;
   * the next append continues the seqs after what was kept.
   */
  @Test
  public void crashInsideABatch_keepsAPrefixInOrder_andContinuesTheSeqs() {
    J journal = newJournal();
    List<JournalEntry> acknowledged = journal.append(drafts("a", 2));
    List<JournalEntry.Draft> torn = drafts("b", 4);
    Optional<J> reopened = crashInside(journal, torn, 2);
    assumeTrue(reopened.isPresent(), "this journal cannot simulate a crash inside an append");
    List<JournalEntry> read = reopened.get().readAll();
    assertEquals(acknowledged, read.subList(0, 2));
    for (int i = 2; i < read.size(); i++) {
      assertEquals(torn.get(i - 2).at(i), read.get(i), "entry " + i + " is the batch's prefix");
    }
    assertTrue(read.size() <= 4, "never more than the prefix that reached storage");
    long next = reopened.get().size();
    assertEquals(List.of(next), seqs(reopened.get().append(drafts("c", 1))));
  }

  /** The first batch of an empty journal gets seqs 0, 1, 2, ... in draft order. */
  @Test
  public void append_toEmptyJournal_numbersFromZeroInDraftOrder() {
    J journal = newJournal();
    List<JournalEntry> entries = journal.append(drafts("a", 3));
    assertEquals(List.of(0L, 1L, 2L), seqs(entries));
    assertEquals(List.of("a.0", "a.1", "a.2"), types(entries));
  }

  /** Each batch continues at {@link Journal#size()}: seqs are consecutive, without gaps. */
  @Test
  public void append_laterBatches_continueWithoutGaps() {
    J journal = newJournal();
    journal.append(drafts("a", 2));
    assertEquals(2, journal.size());
    assertEquals(List.of(2L, 3L, 4L), seqs(journal.append(drafts("b", 3))));
    assertEquals(5, journal.size());
  }

  /** An entry keeps what its draft said: instant, type, tenant, record and data. */
  @Test
  public void append_entryKeepsWhatTheDraftSaid() {
    J journal = newJournal();
    JournalEntry.Draft draft = drafts("a", 1).get(0);
    JournalEntry entry = journal.append(List.of(draft)).get(0);
    assertEquals(draft.at(0), entry);
    assertEquals(List.of(entry), journal.readAll());
  }

  /** {@link Journal#readAll()} gives every appended entry, in seq order. */
  @Test
  public void readAll_givesEveryEntryInSeqOrder() {
    J journal = newJournal();
    List<JournalEntry> appended = new ArrayList<>(journal.append(drafts("a", 2)));
    appended.addAll(journal.append(drafts("b", 1)));
    appended.addAll(journal.append(drafts("c", 3)));
    assertEquals(appended, journal.readAll());
  }

  /**
   * {@link Journal#readFrom} gives what {@link Journal#readAll()} gives from that seq on: from the
   * start, the middle, the last entry, past the end; and after a restart.
   */
  @Test
  public void readFrom_givesReadAllFromThatSeqOn() {
    J journal = newJournal();
    journal.append(drafts("a", 5));
    journal.append(drafts("b", 7));
    assertReadFrom(journal);
    assertThrows(IllegalArgumentException.class, () -> journal.readFrom(-1));
    Optional<J> reopened = reopen(journal);
    if (reopened.isPresent()) {
      reopened.get().append(drafts("c", 2));
      assertReadFrom(reopened.get());
    }
  }

  private static void assertReadFrom(Journal journal) {
    List<JournalEntry> all = journal.readAll();
    long last = all.get(all.size() - 1).seq();
    for (long seq : new long[] {0, 1, 5, last / 2, last, last + 1, last + 100}) {
      List<JournalEntry> expected = all.stream().filter(e -> e.seq() >= seq).toList();
      assertEquals(expected, journal.readFrom(seq), "readFrom(" + seq + ")");
    }
  }

  /** An empty batch appends nothing and takes no seq. */
  @Test
  public void append_emptyBatch_changesNothing() {
    J journal = newJournal();
    journal.append(drafts("a", 1));
    assertEquals(List.of(), journal.append(List.of()));
    assertEquals(1, journal.size());
    assertEquals(List.of(1L), seqs(journal.append(drafts("b", 1))));
  }

  /** Bad input: a null batch fails fast with {@link NullPointerException} and appends nothing. */
  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  public void append_null_failsFastAndAppendsNothing() {
    J journal = newJournal();
    journal.append(drafts("a", 1));
    assertThrows(NullPointerException.class, () -> journal.append(null));
    assertEquals(1, journal.size());
  }

  /** Durability: every acknowledged entry is there after a restart, in order, unchanged. */
  @Test
  public void reopen_keepsEveryAcknowledgedEntry() {
    J journal = newJournal();
    List<JournalEntry> appended = new ArrayList<>(journal.append(drafts("a", 2)));
    appended.addAll(journal.append(drafts("b", 2)));
    Optional<J> reopened = reopen(journal);
    assumeTrue(reopened.isPresent(), "this journal does not outlive the object");
    assertEquals(appended, reopened.get().readAll());
    assertEquals(4, reopened.get().size());
  }

  /** After a restart, the next batch continues the seqs where the journal ended. */
  @Test
  public void reopen_thenAppend_continuesTheSeqs() {
    J journal = newJournal();
    journal.append(drafts("a", 3));
    Optional<J> reopened = reopen(journal);
    assumeTrue(reopened.isPresent(), "this journal does not outlive the object");
    assertEquals(List.of(3L, 4L), seqs(reopened.get().append(drafts("b", 2))));
  }

  private static List<JournalEntry.Draft> drafts(String prefix, int count) {
    List<JournalEntry.Draft> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ObjectNode data = JsonNodeFactory.instance.objectNode();
      data.put("text", "contract kit " + prefix + " " + i);
      data.put("n", i);
      out.add(
          JournalEntry.Draft.builder()
              .at(KitData.EPOCH.plusSeconds(60L * i))
              .type(prefix + "." + i)
              .tenant(i % 2 == 0 ? Optional.of(TenantId.of("kit-tenant")) : Optional.empty())
              .record(Optional.of(TrackingId.of("TR-KIT-" + prefix)))
              .data(data)
              .build());
    }
    return out;
  }

  private static List<Long> seqs(List<JournalEntry> entries) {
    return entries.stream().map(JournalEntry::seq).toList();
  }

  private static List<String> types(List<JournalEntry> entries) {
    return entries.stream().map(JournalEntry::type).toList();
  }
}
