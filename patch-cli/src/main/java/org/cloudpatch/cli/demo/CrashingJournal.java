package org.cloudpatch.cli.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.cloudpatch.core.spi.Journal;
import org.cloudpatch.core.spi.JournalEntry;

/**
 * A journal that crashes the engine at seeded moments: at the first append at or after each crash
 * instant it writes a part of the batch through to the real journal and then throws {@link Crash},
 * as a process killed in the middle of an append would leave it. The kinds cycle: inside a batch
 * (it waits for a batch of two or more entries and writes a seeded non-empty strict prefix), before
 * a batch (nothing written), after a batch (all written, the engine never hears back).
 */
final class CrashingJournal implements Journal {
  /** Where in an append the crash falls. */
  enum Kind {
    INSIDE_BATCH,
    BEFORE_BATCH,
    AFTER_BATCH
  }

  /** A crash as it happened: when, where, and how many of the batch's entries were written. */
  record Crash(Instant at, Kind kind, int written, int batch) {
    String describe() {
      return at
          + " "
          + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
          + ": "
          + written
          + " of "
          + batch
          + " entries written";
    }
  }

  /** Thrown where the simulated process dies; the demo builds a new engine on the same journal. */
  static final class SimulatedCrash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SimulatedCrash(Crash crash) {
      super("simulated crash at " + crash.describe());
    }
  }

  private final Journal delegate;
  private final Clock clock;
  private final List<Instant> crashAt;
  private final SplittableRandom random;
  private final List<Crash> crashes = new ArrayList<>();

  private CrashingJournal(Journal delegate, Clock clock, List<Instant> crashAt, long seed) {
    this.delegate = delegate;
    this.clock = clock;
    this.crashAt = crashAt;
    this.random = new SplittableRandom(seed);
  }

  /**
   * A journal that crashes {@code restarts} times at seeded instants between {@code from} and
   * {@code to}.
   */
  static CrashingJournal over(
      Journal delegate, Clock clock, Instant from, Instant to, int restarts, long seed) {
    Objects.requireNonNull(delegate, "delegate");
    SplittableRandom r = new SplittableRandom(seed ^ 0x6A09E667F3BCC909L);
    long span = Duration.between(from, to).toMinutes();
    List<Instant> at = new ArrayList<>();
    for (int i = 0; i < restarts; i++) {
      at.add(from.plus(Duration.ofMinutes(span <= 0 ? 0 : r.nextLong(span))));
    }
    at.sort(null);
    return new CrashingJournal(delegate, clock, at, r.nextLong());
  }

  /** The crashes so far, in order. */
  List<Crash> crashes() {
    return List.copyOf(crashes);
  }

  @Override
  public List<JournalEntry> append(List<JournalEntry.Draft> drafts) {
    int next = crashes.size();
    if (next < crashAt.size()
        && !drafts.isEmpty()
        && !clock.instant().isBefore(crashAt.get(next))) {
      Kind kind = Kind.values()[next % Kind.values().length];
      if (kind != Kind.INSIDE_BATCH || drafts.size() >= 2) {
        int written =
            switch (kind) {
              case INSIDE_BATCH -> 1 + random.nextInt(drafts.size() - 1);
              case BEFORE_BATCH -> 0;
              case AFTER_BATCH -> drafts.size();
            };
        if (written > 0) {
          delegate.append(drafts.subList(0, written));
        }
        Crash crash = new Crash(clock.instant(), kind, written, drafts.size());
        crashes.add(crash);
        throw new SimulatedCrash(crash);
      }
    }
    return delegate.append(drafts);
  }

  @Override
  public List<JournalEntry> readAll() {
    return delegate.readAll();
  }

  @Override
  public long size() {
    return delegate.size();
  }
}
