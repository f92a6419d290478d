package org.cloudpatch.bench.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.Locale;
import org.cloudpatch.audit.journal.FileJournal;
import org.cloudpatch.core.process.PatchEngine;

/**
 * How long a new engine takes to rebuild its state from a journal file (what a restart costs), and
 * the heap the rebuilt state holds. Run on a journal the demo wrote, e.g. {@code java -Xmx4g -cp
 * patch-bench/target/benchmarks.jar org.cloudpatch.bench.engine.ReplayFigures
 * demo-out/journal.log}. Reading the file (chain check included) and replaying it are timed apart;
 * each is the best of three runs, single-shot, on whatever machine runs it.
 */
public final class ReplayFigures {
  private ReplayFigures() {}

  /** Prints entries, read time, replay time and retained heap for the journal given as argument. */
  public static void main(String[] args) {
    Path file = Path.of(args[0]);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long bestOpen = Long.MAX_VALUE;
    long bestReplay = Long.MAX_VALUE;
    long entries = 0;
    long retained = 0;
    for (int run = 0; run < 3; run++) {
      long t0 = System.nanoTime();
      try (FileJournal journal = FileJournal.open(file)) {
        entries = journal.readAll().size();
        long t1 = System.nanoTime();
        PatchEngine engine = engine(journal);
        long t2 = System.nanoTime();
        bestOpen = Math.min(bestOpen, t1 - t0);
        bestReplay = Math.min(bestReplay, t2 - t1);
        System.gc();
        retained = memory.getHeapMemoryUsage().getUsed();
        if (engine.trackingRecords().isEmpty() && entries > 1000) {
          System.out.println("warning: a large journal replayed into no tracking records");
        }
      }
    }
    System.out.println(
        String.format(
            Locale.ROOT,
            "%s: %,d entries; open and read %.1f s; replay into a new engine %.1f s"
                + " (%.1f µs per entry); heap after replay %,d MB (journal entries and state)",
            file,
            entries,
            bestOpen / 1e9,
            bestReplay / 1e9,
            bestReplay / 1e3 / Math.max(1, entries),
            retained / (1024 * 1024)));
  }

  /** An engine over the journal whose adapters are never called: building it replays. */
  private static PatchEngine engine(FileJournal journal) {
    return SnapshotRestartFigures.builder(journal).build();
  }
}
