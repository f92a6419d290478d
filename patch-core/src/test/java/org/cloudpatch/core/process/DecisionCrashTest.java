package org.cloudpatch.core.process;

import static org.cloudpatch.core.process.EngineFixture.START;
import static org.cloudpatch.core.process.EngineFixture.advisory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.memory.InMemoryJournal;
import org.cloudpatch.core.memory.SimulatedCloud;
import org.cloudpatch.core.process.SubscriptionCrashTest.Killed;
import org.cloudpatch.core.process.TrackingItem.ItemState;
import org.cloudpatch.core.spi.Journal;
import org.cloudpatch.core.spi.JournalEntry;
import org.junit.jupiter.api.Test;

/**
 * Findings 3 and 4 of issue 9: the process dies inside a decision (a journal that keeps a prefix of
 * a batch, then dies) or between two decisions; an engine rebuilt from the journal ends as an
 * uninterrupted run would — checked against the simulated cloud — and its state equals the live
 * one.
 */
class DecisionCrashTest {
  private static final int VMS = 6;

  /**
   * A journal that, at the first batch the predicate picks, keeps {@code keep} drafts (all but
   * {@code -keep} when negative) and dies.
   */
  static final class TearingJournal implements Journal {
    final Journal durable = InMemoryJournal.create();
    final Predicate<List<JournalEntry.Draft>> at;
    final int keep;
    boolean dead;

    TearingJournal(Predicate<List<JournalEntry.Draft>> at, int keep) {
      this.at = at;
      this.keep = keep;
    }

    @Override
    public List<JournalEntry> append(List<JournalEntry.Draft> drafts) {
      if (dead) {
        throw new Killed();
      }
      if (at.test(drafts)) {
        dead = true;
        int kept = keep >= 0 ? Math.min(keep, drafts.size()) : drafts.size() + keep;
        durable.append(drafts.subList(0, kept));
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

  static Predicate<List<JournalEntry.Draft>> containing(String type) {
    return drafts -> drafts.stream().anyMatch(d -> d.type().equals(type));
  }

  /** Runs until the journal dies, then a new engine on what the journal kept, for three days. */
  private static EngineFixture runThroughCrash(TearingJournal journal) {
    EngineFixture f = runMaybeCrashing(journal);
    assertTrue(journal.dead, "the journal died");
    return f;
  }

  private static EngineFixture runMaybeCrashing(TearingJournal journal) {
    EngineFixture f = new EngineFixture(0.0, VMS, journal.durable);
    f.feed.publish(advisory("DSA-50", "openssl", "2", START.plus(Duration.ofHours(1))));
    f.journalInUse = journal;
    PatchEngine first = f.engine();
    try {
      f.run(first, Duration.ofDays(3));
    } catch (Killed expected) {
      // the process died; a new engine takes over from the journal
    }
    f.journalInUse = journal.durable;
    f.run(f.engine(), Duration.ofDays(3));
    return f;
  }

  @Test
  void crashBetweenAppliedAndVerified_resumesVerification() {
    EngineFixture f = runThroughCrash(new TearingJournal(containing("patch.verified"), 0));

    assertEverythingPatchedOnceAndClosed(f);
  }

  @Test
  void tornBatch_isIgnoredOnReplay() {
    // The assessment's decision: severity, applicability, 4 records, 2 notifications; 3 kept.
    EngineFixture f = runThroughCrash(new TearingJournal(containing("tracking.opened"), 3));

    assertEquals(4, f.engine().trackingRecords().size(), "one per tenant and group");
    assertEquals(2, f.notifier.deliveries().size(), "each tenant told once");
    assertEverythingPatchedOnceAndClosed(f);
  }

  @Test
  void crashInsideAnyDecision_endsAsAnUninterruptedRun() {
    int crashes = 0;
    for (int keep : new int[] {1, -1}) {
      for (int k = 1; ; k++) {
        int[] batches = {0};
        int target = k;
        TearingJournal journal =
            new TearingJournal(drafts -> drafts.size() > 1 && ++batches[0] == target, keep);
        EngineFixture f = runMaybeCrashing(journal);
        assertEverythingPatchedOnceAndClosed(f);
        if (!journal.dead) {
          break; // fewer than k decisions of several entries: every one was torn once
        }
        crashes++;
      }
    }
    assertTrue(crashes >= 6, "torn " + crashes + " decisions");
  }

  @Test
  void stateRebuiltFromJournal_equalsLiveState() {
    EngineFixture f = new EngineFixture(0.3, 8);
    Faulty faulty = Faulty.around(f).fail("poll", 4).loseReply("submit", 2).fail("revert", 1);
    faulty.neverReports.add(AssetId.of("vm-05"));
    f.feed.publish(advisory("DSA-51", "openssl", "2", START.plus(Duration.ofHours(1))));
    PatchEngine live = f.engine();
    for (int day = 0; day < 4; day++) {
      f.run(live, Duration.ofHours(7));
      assertEquals(live.stateFingerprint(), f.engine().stateFingerprint(), "after " + day);
    }
  }

  private static void assertEverythingPatchedOnceAndClosed(EngineFixture f) {
    Map<AssetId, Integer> jobs = new TreeMap<>();
    for (SimulatedCloud.JobRecord j : f.cloud.jobs()) {
      jobs.merge(j.job().asset(), 1, Integer::sum);
    }
    for (int i = 1; i <= VMS; i++) {
      AssetId vm = AssetId.of(String.format("vm-%02d", i));
      assertEquals(List.of(InstalledPackage.of("openssl", "2")), f.cloud.installed(vm), vm + "");
      assertEquals(1, jobs.getOrDefault(vm, 0), "one job on " + vm + ": " + f.cloud.jobs());
    }
    PatchEngine engine = f.engine();
    assertTrue(engine.trackingRecords().size() >= 4);
    for (TrackingRecord r : engine.trackingRecords()) {
      assertEquals(TrackingRecord.Status.CLOSED, r.status(), r.toString());
      r.items().values().forEach(i -> assertEquals(ItemState.VERIFIED, i.state(), r.id() + ""));
    }
  }
}
