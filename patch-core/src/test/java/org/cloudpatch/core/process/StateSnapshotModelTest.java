package org.cloudpatch.core.process;

import static org.cloudpatch.core.process.StateSnapshotTest.assertSameState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.cloudpatch.core.memory.InMemoryJournal;
import org.cloudpatch.core.memory.InMemoryStateSnapshotStore;
import org.cloudpatch.core.process.EngineModelTest.Scenario;
import org.cloudpatch.core.spi.Journal;
import org.cloudpatch.core.spi.JournalEntry;
import org.cloudpatch.core.spi.StateSnapshotStore;
import org.cloudpatch.core.spi.StateSnapshotStore.StoredImage;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, "Scale", as a model: {@link EngineModelTest}'s random fleets, advisories, lifecycle
 * events and adapter faults, run twice from one seed, with state snapshots at the same random
 * moments (asked for, and every few entries) and engine restarts at the same random ticks: once
 * rebuilding from the whole journal, once from the latest image plus the journal's tail. At each
 * restart the restored state equals the live one and a full replay of the journal; at the end the
 * two journals are identical entry for entry (but for the images' own digests: an image also holds
 * the engine's work list of records to settle, which a full replay rebuilds larger).
 *
 * <p>Snapshot entries shift the seqs that job ids are made of, and the simulated cloud draws its
 * faults by job id, so a run without any snapshot entry is another run; what a snapshot entry
 * changes in the state is its count alone (see {@link StateSnapshotTest}).
 *
 * <p>Each example is one seed. The default run is small; {@code -Dcloudpatch.model.examples=N} runs
 * more.
 */
class StateSnapshotModelTest {
  private static final long SEED = 0x5AA95L;
  private static final int EXAMPLES =
      Math.max(3, Integer.getInteger("cloudpatch.model.examples", 40) / 4);
  private static final int TICKS = 4 * 24 * 12; // EngineModelTest's four days of 5-minute ticks

  private static final int[] restoredFromImage = {0};
  private static final int[] snapshots = {0};

  @Test
  void snapshotsAtRandomMoments_restoreTheLiveState_andTheJournalOfAFullReplayRun() {
    qt().withFixedSeed(SEED)
        .withExamples(EXAMPLES)
        .forAll(longs().all())
        .checkAssert(StateSnapshotModelTest::check);
    // Not vacuous: engines were restored from images with a tail after them.
    assertTrue(restoredFromImage[0] >= EXAMPLES, "restores from an image: " + restoredFromImage[0]);
    assertTrue(snapshots[0] >= 2 * EXAMPLES, "snapshots: " + snapshots[0]);
  }

  private static void check(long seed) {
    Random r = new Random(seed ^ SEED);
    Set<Integer> restartAt = draw(r, 1 + r.nextInt(6));
    Set<Integer> snapshotAt = draw(r, 1 + r.nextInt(8));
    long every = r.nextBoolean() ? 0 : 20 + r.nextInt(300);

    // A: snapshots journaled, restarts by full replay (its store never offers an image).
    Journal full = InMemoryJournal.create();
    InMemoryStateSnapshotStore imagesA = InMemoryStateSnapshotStore.create();
    StateSnapshotStore writeOnly =
        new StateSnapshotStore() {
          @Override
          public void put(long seq, byte[] image) {
            imagesA.put(seq, image);
          }

          @Override
          public Optional<StoredImage> latest() {
            return Optional.empty();
          }
        };
    Scenario a = new Scenario(seed);
    PatchEngine plain = build(a, full, writeOnly, every);

    // B: the same, restarts from the latest image and the tail.
    Journal with = InMemoryJournal.create();
    InMemoryStateSnapshotStore store = InMemoryStateSnapshotStore.create();
    Scenario b = new Scenario(seed);
    PatchEngine snapped = build(b, with, store, every);

    int nextA = 0;
    int nextB = 0;
    for (int t = 0; t < TICKS; t++) {
      nextA = lifecycle(a, nextA);
      nextB = lifecycle(b, nextB);
      plain.tick();
      snapped.tick();
      if (snapshotAt.contains(t)) {
        plain.snapshotState();
        snapped.snapshotState();
      }
      if (restartAt.contains(t)) {
        plain = build(a, full, writeOnly, every);
        String live = snapped.stateFingerprint();
        long image = store.latest().map(StoredImage::seq).orElse(-1L);
        snapped = build(b, with, store, every);
        String context = "seed " + seed + " tick " + t + " image of " + image;
        assertSameState(live, snapped.stateFingerprint(), context + ": restored vs live");
        assertSameState(
            b.build(with).stateFingerprint(),
            snapped.stateFingerprint(),
            context + ": restored vs full replay");
        if (image >= 0) {
          restoredFromImage[0]++;
        }
      }
      a.clock.advance(EngineModelTest.TICK);
      b.clock.advance(EngineModelTest.TICK);
    }
    assertEquals(
        0,
        snapped.entriesByType().getOrDefault("state.snapshot.ignored", 0),
        "seed " + seed + ": a good image was ignored");
    snapshots[0] += snapped.entriesByType().getOrDefault("state.snapshot", 0);
    assertSameState(plain.stateFingerprint(), snapped.stateFingerprint(), "seed " + seed);
    assertSameState(
        b.build(with).stateFingerprint(), snapped.stateFingerprint(), "seed " + seed + " at end");
    assertSameJournal(seed, full.readAll(), with.readAll());
  }

  private static PatchEngine build(Scenario s, Journal j, StateSnapshotStore store, long every) {
    return PatchEngine.builder()
        .clock(s.clock)
        .addFeed(s.feed)
        .inventorySource(s.cloud)
        .changeSystem(s.changes)
        .hypervisor(s.cloud)
        .executor(s.cloud)
        .notifier(s.notifier)
        .applicability(new SimpleApplicability())
        .planner(new SimplePlanner())
        .journal(j)
        .evidenceStore(s.evidence)
        .policy(s.policy)
        .stateSnapshotStore(store)
        .snapshotEvery(every)
        .build();
  }

  private static int lifecycle(Scenario s, int next) {
    while (next < s.lifecycle.size() && !s.lifecycle.get(next).at().isAfter(s.clock.instant())) {
      s.apply(s.lifecycle.get(next++));
    }
    return next;
  }

  private static Set<Integer> draw(Random r, int n) {
    Set<Integer> out = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      out.add(r.nextInt(TICKS));
    }
    return out;
  }

  /** An image's digest in a {@code state.snapshot} entry's data. */
  private static final Pattern IMAGE_DIGEST = Pattern.compile("\"imageSha256\":\"[0-9a-f]{64}\"");

  /** The two journals are the same, entry for entry, but for the images' digests. */
  private static void assertSameJournal(
      long seed, List<JournalEntry> full, List<JournalEntry> with) {
    for (int i = 0; i < Math.min(full.size(), with.size()); i++) {
      assertEquals(text(full.get(i)), text(with.get(i)), "seed " + seed + ": entry " + i);
    }
    assertEquals(full.size(), with.size(), "seed " + seed + ": entries");
  }

  private static String text(JournalEntry e) {
    String data = IMAGE_DIGEST.matcher(e.data().toString()).replaceAll("\"imageSha256\":\"-\"");
    return e.seq()
        + " "
        + e.at()
        + " "
        + e.type()
        + " "
        + e.tenant()
        + " "
        + e.record()
        + " "
        + data;
  }
}
