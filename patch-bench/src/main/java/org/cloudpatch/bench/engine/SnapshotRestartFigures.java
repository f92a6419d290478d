package org.cloudpatch.bench.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.cloudpatch.audit.journal.FileJournal;
import org.cloudpatch.audit.journal.FileStateSnapshotStore;
import org.cloudpatch.core.memory.InMemoryChangeSystem;
import org.cloudpatch.core.memory.InMemoryEvidenceStore;
import org.cloudpatch.core.memory.InMemoryNotifier;
import org.cloudpatch.core.memory.SimulatedCloud;
import org.cloudpatch.core.process.EngineBuilder;
import org.cloudpatch.core.process.PatchEngine;
import org.cloudpatch.core.rollout.RolloutPlan;
import org.cloudpatch.core.spi.StateSnapshotStore;

/**
 * What a restart costs with a state snapshot against without (issue 9, "Scale"): on a copy of a
 * journal the demo wrote, one engine replays it all and snapshots its state into a {@link
 * FileStateSnapshotStore}; then, best of three each, a restart is timed (journal open with its
 * chain check, plus the engine's build) replaying the whole journal, and from the image plus the
 * journal's tail. E.g. {@code java -Xmx4g -cp patch-bench/target/benchmarks.jar
 * org.cloudpatch.bench.engine.SnapshotRestartFigures demo-out/journal.log}.
 */
public final class SnapshotRestartFigures {
  private SnapshotRestartFigures() {}

  /** Prints the figures for the journal given as argument; the journal itself is not changed. */
  public static void main(String[] args) throws IOException {
    Path work = Files.createTempDirectory("snapshot-figures");
    Path file = work.resolve("journal.log");
    Files.copy(Path.of(args[0]), file);
    StateSnapshotStore store = FileStateSnapshotStore.open(work.resolve("snapshots"));
    long entries;
    long snapshotNanos;
    long covers;
    try (FileJournal journal = FileJournal.open(file)) {
      entries = journal.size();
      PatchEngine engine = builder(journal).stateSnapshotStore(store).build();
      long t0 = System.nanoTime();
      covers = engine.snapshotState();
      snapshotNanos = System.nanoTime() - t0;
    }
    long imageBytes = store.latest().orElseThrow().bytes().length;
    long bestFull = Long.MAX_VALUE;
    long bestSnapshot = Long.MAX_VALUE;
    long bestOpen = Long.MAX_VALUE;
    for (int run = 0; run < 3; run++) {
      long open = System.nanoTime();
      FileJournal opened = FileJournal.open(file);
      bestOpen = Math.min(bestOpen, System.nanoTime() - open);
      opened.close();
      long t0 = System.nanoTime();
      PatchEngine full;
      try (FileJournal journal = FileJournal.open(file)) {
        full = builder(journal).build();
      }
      long t1 = System.nanoTime();
      PatchEngine fromImage;
      try (FileJournal journal = FileJournal.open(file)) {
        fromImage = builder(journal).stateSnapshotStore(store).build();
      }
      long t2 = System.nanoTime();
      bestFull = Math.min(bestFull, t1 - t0);
      bestSnapshot = Math.min(bestSnapshot, t2 - t1);
      if (!full.trackingRecords().equals(fromImage.trackingRecords())
          || !full.riskItems().equals(fromImage.riskItems())
          || fromImage.entriesByType().containsKey("state.snapshot.ignored")) {
        throw new IllegalStateException(
            "the state restored from the image is not the replayed one");
      }
    }
    System.out.println(
        String.format(
            Locale.ROOT,
            "%s: %,d entries; snapshot of the entries below %,d: %,d bytes, taken in %.1f s;"
                + " restart (open + build) replaying everything %.1f s, from the snapshot %.1f s"
                + " (%.1fx); of which opening the journal (chain check) %.1f s",
            args[0],
            entries,
            covers,
            imageBytes,
            snapshotNanos / 1e9,
            bestFull / 1e9,
            bestSnapshot / 1e9,
            (double) bestFull / bestSnapshot,
            bestOpen / 1e9));
    delete(work);
  }

  /**
   * An engine over the journal whose adapters are never called: building it replays (shared with
   * {@link ReplayFigures}).
   */
  static EngineBuilder builder(FileJournal journal) {
    Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).seed(1).build();
    return PatchEngine.builder()
        .clock(clock)
        .inventorySource(cloud)
        .changeSystem(InMemoryChangeSystem.create(clock, Duration.ofDays(1)))
        .hypervisor(cloud)
        .executor(cloud)
        .notifier(InMemoryNotifier.create())
        .applicability((advisory, inventory) -> List.of())
        .planner(request -> RolloutPlan.builder().build())
        .journal(journal)
        .evidenceStore(InMemoryEvidenceStore.create());
  }

  private static void delete(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      files
          .sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
