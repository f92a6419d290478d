package org.cloudpatch.core.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.memory.InMemoryJournal;
import org.cloudpatch.core.memory.InMemoryStateSnapshotStore;
import org.cloudpatch.core.spi.Journal;
import org.cloudpatch.core.spi.JournalEntry;
import org.cloudpatch.core.spi.StateSnapshotStore;
import org.cloudpatch.core.spi.StateSnapshotStore.StoredImage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, "Scale": an engine built with a snapshot store starts from the store's latest image and
 * replays only the journal after it, but only when the image verifies against its journaled {@code
 * state.snapshot} entry. A corrupt, truncated, orphaned, foreign or mismatched image is journaled
 * as {@code state.snapshot.ignored} and the state comes from a full replay, checked here against an
 * engine built from the journal alone.
 */
class StateSnapshotTest {
  private EngineFixture f;
  private ReadCounting journal;
  private InMemoryStateSnapshotStore store;

  /** A journal that says how it was read. */
  static final class ReadCounting implements Journal {
    final Journal inner = InMemoryJournal.create();
    int readAlls;
    long readFromSeq = -1;

    @Override
    public List<JournalEntry> append(List<JournalEntry.Draft> drafts) {
      return inner.append(drafts);
    }

    @Override
    public List<JournalEntry> readAll() {
      readAlls++;
      return inner.readAll();
    }

    @Override
    public List<JournalEntry> readFrom(long seq) {
      readFromSeq = seq;
      return inner.readFrom(seq);
    }

    @Override
    public long size() {
      return inner.size();
    }
  }

  @BeforeEach
  void run() {
    journal = new ReadCounting();
    f = new EngineFixture(0.2, 8, journal);
    store = InMemoryStateSnapshotStore.create();
    f.snapshotsInUse = store;
    f.feed.publish(EngineFixture.advisory("DSA-1", "openssl", "2", EngineFixture.START));
    f.feed.publish(
        EngineFixture.advisory(
            "DSA-2", "openssl", "3", EngineFixture.START.plus(Duration.ofHours(30))));
  }

  /** Runs a day and a half, snapshots, runs on: the image covers a prefix, the tail is long. */
  private PatchEngine runWithSnapshot() {
    PatchEngine engine = f.engine();
    f.run(engine, Duration.ofHours(20));
    engine.snapshotState();
    f.run(engine, Duration.ofHours(20));
    assertTrue(journal.size() > 100, "a run that does something: " + journal.size());
    return engine;
  }

  /** The fingerprint of an engine built from the whole journal alone. */
  private String fullReplay() {
    return f.builder().build().stateFingerprint();
  }

  @Test
  void snapshot_journalsItsEntry_afterStoringTheImage() {
    PatchEngine engine = f.engine();
    f.run(engine, Duration.ofHours(20));
    long before = journal.size();
    long covers = engine.snapshotState();
    assertEquals(before, covers);
    JournalEntry entry = journal.inner.readAll().get((int) before);
    assertEquals("state.snapshot", entry.type());
    assertEquals(covers, entry.data().path("covers").asLong());
    StoredImage image = store.latest().orElseThrow();
    assertEquals(covers, image.seq());
    assertEquals(StateCodec.sha256(image.bytes()), entry.data().path("imageSha256").asText());
    assertEquals(64, entry.data().path("fingerprintSha256").asText().length());
  }

  @Test
  void restart_fromAVerifiedImage_readsOnlyTheTail_andEqualsLiveAndFullReplay() {
    PatchEngine live = runWithSnapshot();
    long covers = store.latest().orElseThrow().seq();
    journal.readAlls = 0;
    PatchEngine restored = f.engine();
    assertEquals(0, journal.readAlls, "the whole journal was read");
    assertEquals(covers, journal.readFromSeq);
    assertSameState(live.stateFingerprint(), restored.stateFingerprint(), "restored vs live");
    assertSameState(fullReplay(), restored.stateFingerprint(), "restored vs full replay");
    assertFalse(restored.entriesByType().containsKey("state.snapshot.ignored"));
  }

  @Test
  void restart_withoutStore_ignoresSnapshotEntries() {
    PatchEngine live = runWithSnapshot();
    assertSameState(live.stateFingerprint(), fullReplay(), "live vs full replay");
  }

  @Test
  void corruptImage_isIgnored_andTheStateIsAFullReplay() {
    runWithSnapshot();
    StoredImage good = store.latest().orElseThrow();
    byte[] bad = good.bytes();
    bad[bad.length / 2] ^= 0x01;
    store.put(good.seq(), bad);
    assertIgnored("SHA-256");
  }

  @Test
  void truncatedImage_isIgnored_andTheStateIsAFullReplay() {
    runWithSnapshot();
    StoredImage good = store.latest().orElseThrow();
    store.put(good.seq(), java.util.Arrays.copyOf(good.bytes(), good.bytes().length / 3));
    assertIgnored("SHA-256");
  }

  @Test
  void orphanImage_storedButNotJournaled_isIgnored() {
    PatchEngine engine = f.engine();
    f.run(engine, Duration.ofHours(20));
    // the process dies between the store's put and the journal's append
    f.journalInUse =
        new Journal() {
          @Override
          public List<JournalEntry> append(List<JournalEntry.Draft> drafts) {
            throw new PatchException("died before the state.snapshot entry");
          }

          @Override
          public List<JournalEntry> readAll() {
            return journal.readAll();
          }

          @Override
          public long size() {
            return journal.size();
          }
        };
    PatchEngine dying = f.engine();
    assertThrows(PatchException.class, dying::snapshotState);
    assertTrue(store.latest().isPresent(), "the image was stored first");
    f.journalInUse = journal;
    f.run(f.builder().build(), Duration.ofHours(20));
    assertIgnored("no state.snapshot entry");
  }

  @Test
  void foreignImage_ofAnotherJournal_isIgnored() {
    // another engine's journal, snapshotted at the same seq
    EngineFixture other = new EngineFixture(0.0, 3);
    other.feed.publish(EngineFixture.advisory("DSA-9", "openssl", "2", EngineFixture.START));
    InMemoryStateSnapshotStore foreign = InMemoryStateSnapshotStore.create();
    other.snapshotsInUse = foreign;
    PatchEngine otherEngine = other.engine();
    other.run(otherEngine, Duration.ofHours(10));
    otherEngine.snapshotState();
    StoredImage theirs = foreign.latest().orElseThrow();

    PatchEngine engine = f.engine();
    while (journal.size() < theirs.seq()) {
      engine.tick();
      f.clock.advance(EngineFixture.TICK);
    }
    f.run(engine, Duration.ofHours(20));
    store.put(theirs.seq(), theirs.bytes());
    assertIgnored("no state.snapshot entry");
  }

  @Test
  void imageOfAnEarlierSnapshotAtAnotherSeq_isIgnored_whenItsBytesDiffer() {
    runWithSnapshot();
    StoredImage first = store.latest().orElseThrow();
    f.run(f.engine(), Duration.ofHours(1));
    // a second, legitimate snapshot, whose image is then replaced by the first one's bytes
    PatchEngine engine = f.engine();
    long covers = engine.snapshotState();
    store.put(covers, first.bytes());
    assertIgnored("SHA-256");
  }

  @Test
  void imageThatDecodesToAnotherState_isIgnored_byItsFingerprint() {
    // A codec that loses a field: the image's digest matches its entry, its state does not.
    StateSnapshotStore lossy =
        new StateSnapshotStore() {
          @Override
          public void put(long seq, byte[] image) {
            String json = new String(image, StandardCharsets.UTF_8);
            String changed = json.replaceFirst("\"risksOpened\":(\\d+)", "\"risksOpened\":9999");
            assertFalse(json.equals(changed), "the image has a risk counter");
            store.put(seq, changed.getBytes(StandardCharsets.UTF_8));
          }

          @Override
          public Optional<StoredImage> latest() {
            return store.latest();
          }
        };
    f.journalInUse =
        new Journal() {
          @Override
          public List<JournalEntry> append(List<JournalEntry.Draft> drafts) {
            // the entry names the digest of the bytes really stored
            List<JournalEntry.Draft> out = new java.util.ArrayList<>();
            for (JournalEntry.Draft d : drafts) {
              if (d.type().equals("state.snapshot")) {
                com.fasterxml.jackson.databind.node.ObjectNode data = d.data().deepCopy();
                data.put("imageSha256", StateCodec.sha256(store.latest().orElseThrow().bytes()));
                d = JournalEntry.Draft.builder().from(d).data(data).build();
              }
              out.add(d);
            }
            return journal.append(out);
          }

          @Override
          public List<JournalEntry> readAll() {
            return journal.readAll();
          }

          @Override
          public List<JournalEntry> readFrom(long seq) {
            return journal.readFrom(seq);
          }

          @Override
          public long size() {
            return journal.size();
          }
        };
    f.snapshotsInUse = lossy;
    PatchEngine engine = f.engine();
    f.run(engine, Duration.ofHours(20));
    engine.snapshotState();
    f.run(engine, Duration.ofHours(2));
    f.journalInUse = journal;
    f.snapshotsInUse = store;
    assertIgnored("fingerprint");
  }

  @Test
  void snapshotEvery_snapshotsAfterTheTickInWhichThatManyEntriesCame() {
    PatchEngine engine = f.builder().stateSnapshotStore(store).snapshotEvery(30).build();
    f.run(engine, Duration.ofHours(40));
    List<Long> covers =
        journal.inner.readAll().stream()
            .filter(e -> e.type().equals("state.snapshot"))
            .map(e -> e.data().path("covers").asLong())
            .toList();
    assertTrue(covers.size() >= 2, "snapshots: " + covers);
    for (int i = 1; i < covers.size(); i++) {
      assertTrue(covers.get(i) - covers.get(i - 1) > 30, "too close: " + covers);
    }
    assertEquals(covers.get(covers.size() - 1), store.latest().orElseThrow().seq());
    assertSameState(fullReplay(), f.engine().stateFingerprint(), "restored vs full replay");
  }

  @Test
  void snapshotEvery_aFailingStore_isJournaled_andTheTickGoesOn() {
    StateSnapshotStore broken =
        new StateSnapshotStore() {
          @Override
          public void put(long seq, byte[] image) {
            throw new PatchException("disk full");
          }

          @Override
          public Optional<StoredImage> latest() {
            return Optional.empty();
          }
        };
    PatchEngine engine = f.builder().stateSnapshotStore(broken).snapshotEvery(30).build();
    f.run(engine, Duration.ofHours(20));
    assertTrue(
        journal.inner.readAll().stream()
            .anyMatch(
                e ->
                    e.type().equals("adapter.failed")
                        && e.data().path("adapter").asText().equals("StateSnapshotStore")
                        && e.data().path("reason").asText().contains("disk full")));
    assertFalse(engine.entriesByType().containsKey("state.snapshot"));
    assertTrue(engine.entriesByType().getOrDefault("tracking.opened", 0) > 0, "work went on");
  }

  @Test
  void snapshotEvery_withoutAStore_isRefused() {
    assertThrows(IllegalStateException.class, () -> f.builder().snapshotEvery(10).build());
    assertThrows(IllegalStateException.class, () -> f.builder().build().snapshotState());
  }

  /**
   * A restart with the store: the image is ignored with a reason naming {@code why}, journaled
   * once, and the state equals a full replay of the journal (ignored entry included).
   */
  private void assertIgnored(String why) {
    PatchEngine restarted = f.engine();
    List<JournalEntry> entries = journal.inner.readAll();
    JournalEntry last = entries.get(entries.size() - 1);
    assertEquals("state.snapshot.ignored", last.type());
    assertTrue(last.data().path("reason").asText().contains(why), last.data().toString());
    assertEquals(1, restarted.entriesByType().get("state.snapshot.ignored"));
    assertSameState(fullReplay(), restarted.stateFingerprint(), "restarted vs full replay");
    // said once: building again on the same bad image journals nothing new
    long size = journal.size();
    assertSameState(fullReplay(), f.engine().stateFingerprint(), "built again vs full replay");
    assertEquals(size, journal.size());
    // and it goes on working from there, as an engine built from the journal alone would
    f.run(restarted, Duration.ofHours(6));
    assertSameState(fullReplay(), restarted.stateFingerprint(), "continued vs full replay");
  }

  /** Two fingerprints are equal; if not, says where they part (they are long). */
  static void assertSameState(String expected, String actual, String what) {
    if (expected.equals(actual)) {
      return;
    }
    int i = 0;
    while (i < Math.min(expected.length(), actual.length())
        && expected.charAt(i) == actual.charAt(i)) {
      i++;
    }
    int from = Math.max(0, i - 300);
    throw new AssertionError(
        what
            + ": the states differ at character "
            + i
            + "\nexpected ..."
            + expected.substring(from, Math.min(expected.length(), i + 200))
            + "\nactual   ..."
            + actual.substring(from, Math.min(actual.length(), i + 200)));
  }
}
