package org.cloudpatch.core.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.memory.InMemoryJournal;
import org.cloudpatch.core.spi.Journal;
import org.cloudpatch.core.spi.JournalEntry;
import org.junit.jupiter.api.Test;

/**
 * The subscription survives being killed at any point: an engine rebuilt from the journal delivers
 * every advisory version exactly once (no loss, no duplicate tracking record), however often the
 * process dies and however often the feed redelivers.
 */
class SubscriptionCrashTest {
  private static final int ADVISORIES = 6;

  /** Thrown by the journal to stand for the process dying. */
  static final class Killed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Killed() {
      super("killed", null, false, false);
    }
  }

  /**
   * A journal that dies at its {@code killAt}-th append, either before the entries are written or
   * after (written but never acknowledged), and stays dead.
   */
  static final class DyingJournal implements Journal {
    final Journal durable;
    int appendsLeft;
    final boolean afterWrite;
    boolean dead;

    DyingJournal(Journal durable, int killAt, boolean afterWrite) {
      this.durable = durable;
      this.appendsLeft = killAt;
      this.afterWrite = afterWrite;
    }

    @Override
    public List<JournalEntry> append(List<JournalEntry.Draft> drafts) {
      if (dead) {
        throw new Killed();
      }
      if (--appendsLeft == 0) {
        dead = true;
        if (afterWrite) {
          durable.append(drafts);
        }
        throw new Killed();
      }
      return durable.append(drafts);
    }

    @Override
    public List<JournalEntry> readAll() {
      return durable.readAll();
    }

    @Override
    public long size() {
      return durable.size();
    }
  }

  @Test
  void engineKilledAtRandomPoints_deliversEveryAdvisoryVersionExactlyOnce() {
    qt().withExamples(12).forAll(longs().all()).checkAssert(SubscriptionCrashTest::runWithKills);
  }

  static void runWithKills(long seed) {
    Random random = new Random(seed);
    InMemoryJournal durable = InMemoryJournal.create();
    EngineFixture f =
        new EngineFixture(
            0.0,
            6,
            durable,
            Duration.ofMinutes(4),
            i ->
                IntStream.range(0, ADVISORIES)
                    .mapToObj(k -> InstalledPackage.of("pkg-" + k, "1"))
                    .toList());
    Instant start = f.clock.instant();
    // What the vendor publishes and when: each advisory once or twice (the feed redelivers),
    // one of them updated later, one withdrawn later.
    TreeMap<Instant, List<Advisory>> schedule = new TreeMap<>();
    for (int k = 0; k < ADVISORIES; k++) {
      Instant at = start.plus(Duration.ofMinutes(5L * random.nextInt(200)));
      Advisory a = EngineFixture.advisory("DSA-" + (100 + k), "pkg-" + k, "2", at);
      schedule.computeIfAbsent(at, t -> new ArrayList<>()).add(a);
      if (random.nextBoolean()) {
        schedule.computeIfAbsent(at.plus(Duration.ofMinutes(30)), t -> new ArrayList<>()).add(a);
      }
    }
    Advisory first = schedule.firstEntry().getValue().get(0);
    Instant later = schedule.lastKey().plus(Duration.ofHours(2));
    schedule
        .computeIfAbsent(later, t -> new ArrayList<>())
        .add(Advisory.builder().from(first).modified(later).summary("updated").build());
    Advisory withdrawnOne = schedule.lastEntry().getValue().get(0);
    Instant withdrawAt = later.plus(Duration.ofMinutes(5));
    schedule
        .computeIfAbsent(withdrawAt, t -> new ArrayList<>())
        .add(
            Advisory.builder()
                .from(withdrawnOne)
                .modified(withdrawAt)
                .withdrawn(withdrawAt)
                .build());

    int kills = 0;
    DyingJournal journal = new DyingJournal(durable, 1 + random.nextInt(40), random.nextBoolean());
    PatchEngine engine = engineOn(f, journal);
    Instant end = withdrawAt.plus(Duration.ofHours(12));
    while (f.clock.instant().isBefore(end)) {
      for (Advisory a :
          schedule.headMap(f.clock.instant(), true).values().stream()
              .flatMap(List::stream)
              .toList()) {
        f.feed.publish(a);
      }
      schedule.headMap(f.clock.instant(), true).clear();
      try {
        engine.tick();
      } catch (Killed e) {
        // The process died: whatever the journal holds is all that survives.
      }
      if (journal.dead) {
        kills++;
        int next = kills < 25 ? 1 + random.nextInt(40) : Integer.MAX_VALUE;
        journal = new DyingJournal(durable, next, random.nextBoolean());
        engine = engineOn(f, journal); // same instant: the restart retries the interrupted tick
        continue;
      }
      f.clock.advance(EngineFixture.TICK);
    }

    Map<String, Integer> published = new HashMap<>();
    Set<String> opened = new TreeSet<>();
    Set<String> advisoriesWithRecords = new TreeSet<>();
    List<String> duplicateRecords = new ArrayList<>();
    Set<String> withdrawnRecords = new TreeSet<>();
    for (JournalEntry e : durable.readAll()) {
      switch (e.type()) {
        case "advisory.published" -> {
          var a = e.data().path("advisory");
          published.merge(
              a.path("id").toString() + "@" + a.path("modified").asText(), 1, Integer::sum);
        }
        case "tracking.opened" -> {
          String record = e.record().orElseThrow().value();
          if (!opened.add(record)) {
            duplicateRecords.add(record);
          }
          advisoriesWithRecords.add(record.substring(3, record.indexOf('.')));
        }
        case "tracking.withdrawn" -> withdrawnRecords.add(e.record().orElseThrow().value());
        default -> {}
      }
    }
    assertTrue(kills > 0, "the run was never killed");
    // Every version: the original of each advisory, the update, the withdrawal.
    assertEquals(ADVISORIES + 2, published.size(), "seed " + seed + ": " + published);
    assertTrue(
        published.values().stream().allMatch(n -> n == 1),
        "seed " + seed + ": delivered more than once: " + published);
    assertEquals(List.of(), duplicateRecords, "seed " + seed);
    assertEquals(
        ADVISORIES, advisoriesWithRecords.size(), "seed " + seed + ": " + advisoriesWithRecords);
    assertTrue(
        opened.stream()
            .filter(r -> r.startsWith("TR-" + withdrawnOne.id() + "."))
            .allMatch(
                r -> withdrawnRecords.contains(r) || !isOpenAtWithdrawal(durable, r, withdrawAt)),
        "seed " + seed + ": open records of the withdrawn advisory were not withdrawn");
  }

  private static boolean isOpenAtWithdrawal(Journal journal, String record, Instant withdrawAt) {
    return journal.readAll().stream()
        .noneMatch(
            e ->
                e.record().map(r -> r.value().equals(record)).orElse(false)
                    && (e.type().equals("tracking.closed")
                        || e.type().equals("tracking.risk-accepted"))
                    && !e.at().isAfter(withdrawAt));
  }

  private static PatchEngine engineOn(EngineFixture f, Journal journal) {
    return PatchEngine.builder()
        .clock(f.clock)
        .addFeed(f.feed)
        .inventorySource(f.cloud)
        .changeSystem(f.changes)
        .hypervisor(f.cloud)
        .executor(f.executorInUse)
        .notifier(f.notifierInUse)
        .applicability(new SimpleApplicability())
        .planner(new SimplePlanner())
        .journal(journal)
        .evidenceStore(f.evidence)
        .policy(f.policy)
        .build();
  }
}
