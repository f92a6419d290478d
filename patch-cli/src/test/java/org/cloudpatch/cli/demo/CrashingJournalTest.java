package org.cloudpatch.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cloudpatch.core.memory.InMemoryJournal;
import org.cloudpatch.core.memory.VirtualClock;
import org.cloudpatch.core.spi.JournalEntry;
import org.junit.jupiter.api.Test;

/** The demo's crash mechanism, at the journal: what a crash leaves written. */
class CrashingJournalTest {
  static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

  static List<JournalEntry.Draft> batch(Instant at, String name, int size) {
    List<JournalEntry.Draft> drafts = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      drafts.add(
          JournalEntry.Draft.builder()
              .at(at)
              .type("test." + name)
              .data(JsonNodeFactory.instance.objectNode().put("i", i))
              .build());
    }
    return drafts;
  }

  @Test
  void crashes_cycleInsideBeforeAndAfterABatch_andLeaveExactlyWhatWasWritten() {
    VirtualClock clock = VirtualClock.at(T0);
    InMemoryJournal real = InMemoryJournal.create();
    CrashingJournal journal =
        CrashingJournal.over(real, clock, T0, T0.plus(Duration.ofDays(1)), 3, 42);
    int crashes = 0;
    long expected = 0;
    for (int minute = 0; minute < 24 * 60 + 10; minute += 5) {
      // single entries and batches of five, alternating
      int size = minute % 10 == 0 ? 1 : 5;
      long before = real.size();
      try {
        journal.append(batch(clock.instant(), "m" + minute, size));
        expected += size;
      } catch (CrashingJournal.SimulatedCrash crash) {
        CrashingJournal.Crash c = journal.crashes().get(crashes++);
        assertEquals(before + c.written(), real.size(), "written through: " + c.describe());
        expected += c.written();
      }
      clock.advance(Duration.ofMinutes(5));
    }
    List<CrashingJournal.Crash> all = journal.crashes();
    assertEquals(3, all.size());
    assertEquals(expected, real.size());
    CrashingJournal.Crash inside = all.get(0);
    assertEquals(CrashingJournal.Kind.INSIDE_BATCH, inside.kind());
    assertTrue(
        inside.written() >= 1 && inside.written() < inside.batch() && inside.batch() == 5,
        "a strict, non-empty prefix of a batch: " + inside.describe());
    assertEquals(CrashingJournal.Kind.BEFORE_BATCH, all.get(1).kind());
    assertEquals(0, all.get(1).written());
    assertEquals(CrashingJournal.Kind.AFTER_BATCH, all.get(2).kind());
    assertEquals(all.get(2).batch(), all.get(2).written());
    assertTrue(
        !all.get(0).at().isAfter(all.get(1).at()) && !all.get(1).at().isAfter(all.get(2).at()));
  }

  @Test
  void sameSeed_sameCrashes_andNoRestarts_noCrash() {
    assertEquals(crashesOf(7, 2), crashesOf(7, 2));
    assertEquals(List.of(), crashesOf(7, 0));
  }

  private static List<CrashingJournal.Crash> crashesOf(long seed, int restarts) {
    VirtualClock clock = VirtualClock.at(T0);
    CrashingJournal journal =
        CrashingJournal.over(
            InMemoryJournal.create(), clock, T0, T0.plus(Duration.ofHours(6)), restarts, seed);
    for (int i = 0; i < 100; i++) {
      try {
        journal.append(batch(clock.instant(), "x", 3));
      } catch (CrashingJournal.SimulatedCrash expected) {
        // counted by the journal
      }
      clock.advance(Duration.ofMinutes(5));
    }
    return journal.crashes();
  }

  @Test
  void options_faultRateOutsideZeroToOne_orNegativeRestarts_areRejected() {
    java.nio.file.Path out = java.nio.file.Path.of("unused");
    assertThrows(IllegalArgumentException.class, () -> new Demo.Options(10, 2, 3, 1, out, 2, 0));
    assertThrows(IllegalArgumentException.class, () -> new Demo.Options(10, 2, 3, 1, out, 0, -1));
  }
}
