package org.cloudpatch.core.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import java.util.SplittableRandom;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.memory.FaultPlan;
import org.cloudpatch.core.memory.TruthEvent;
import org.cloudpatch.core.rollout.PackageUpdate;
import org.cloudpatch.core.rollout.PatchJob;
import org.cloudpatch.core.spi.JournalEntry;
import org.junit.jupiter.api.Test;

/**
 * The model of {@link EngineModelTest} run twice per seed, its engines matching with an {@link
 * org.cloudpatch.core.spi.InventoryIndex} and without: the journals and the simulated cloud's
 * ground truth must be identical, under change feed faults (failures, expired cursors) and engine
 * restarts, inside decisions too, the feed's retention forgetting its log, and users changing
 * packages by hand (which only the feed reports: the engine's own re-inventories follow its jobs
 * and lifecycle events). The index may only change how many inventories are read.
 *
 * <p>The faults that make an inventory read fail or take time (exception, lost reply, slow call,
 * agent offline) are left out: a read the index saves cannot fail, so under them the two engines
 * rightly journal different read failures. Every other fault of the cloud is in.
 */
class IndexedAssessmentModelTest {
  private static final long SEED = 0x1d3e5L;
  private static final int EXAMPLES = Integer.getInteger("cloudpatch.indexmodel.examples", 40);

  /** Every fault but those of inventory reads, and the change feed's at a high rate. */
  static FaultPlan plan(double rate) {
    return FaultPlan.builder()
        .neverReports(rate)
        .duplicateEvent(rate)
        .migrationFailure(rate)
        .capacityShort(rate)
        .stuckMaintenance(rate)
        .hostPatchIneffective(rate)
        .resumedEarly(rate)
        .changeFeedFailure(0.15 + rate)
        .changeFeedExpired(0.15 + rate)
        .build();
  }

  private static final int[] totals = new int[5]; // reads plain, reads indexed, feed faults,

  // restarts, entries

  @Test
  void withAndWithoutIndex_sameJournalAndGroundTruth_underFeedFaultsAndRestarts() {
    qt().withFixedSeed(SEED)
        .withExamples(EXAMPLES)
        .forAll(longs().all())
        .checkAssert(IndexedAssessmentModelTest::assertSameRun);
    // Not vacuous: the index saved reads, the feed failed and expired, engines restarted.
    assertTrue(totals[1] < totals[0], "reads with index " + totals[1] + ", without " + totals[0]);
    assertTrue(totals[2] > 0, "feed calls that could not vouch: " + totals[2]);
    assertTrue(totals[3] > 0, "restarts: " + totals[3]);
    assertTrue(totals[4] > 50 * EXAMPLES, "journal entries: " + totals[4]);
  }

  private static void assertSameRun(long seed) {
    EngineModelTest.Scenario plain =
        EngineModelTest.Scenario.run(
            seed, IndexedAssessmentModelTest::plan, false, IndexedAssessmentModelTest::retention);
    EngineModelTest.Scenario indexed =
        EngineModelTest.Scenario.run(
            seed, IndexedAssessmentModelTest::plan, true, IndexedAssessmentModelTest::retention);
    List<String> expected = text(plain);
    assertEquals(expected, text(indexed), plain.summary);
    assertEquals(truth(plain), truth(indexed), plain.summary);
    totals[0] += plain.inventory.reads;
    totals[1] += indexed.inventory.reads;
    totals[2] += indexed.inventory.feedNotVouched;
    totals[3] += indexed.restartsHere;
    totals[4] += expected.size();
  }

  /**
   * The feed's retention: now and then (drawn from the seed and the instant, so alike in both runs)
   * the cloud forgets its change log, and every cursor given before expires for real, unlike the
   * drawn {@link FaultPlan#changeFeedExpired()} after which the same cursor may work again.
   */
  private static void retention(EngineModelTest.Scenario s) {
    long tick = s.clock.instant().getEpochSecond() / 300;
    SplittableRandom r = new SplittableRandom(s.seed * 31 + tick);
    if (r.nextInt(100) == 0) {
      s.cloud.forgetChanges();
    }
    if (r.nextInt(100) < 2) {
      // A user downgrades a package on a VM by hand: no lifecycle event, no engine job, so only
      // the feed (or a full read) tells the engine.
      List<Asset> vms = s.cloud.reliable().assets();
      Asset vm = vms.get(r.nextInt(vms.size()));
      String pkg = List.of("openssl", "curl", "zlib").get(r.nextInt(3));
      s.cloud
          .reliable()
          .submit(
              PatchJob.builder()
                  .key("user-" + tick)
                  .asset(vm.id())
                  .addUpdates(PackageUpdate.of(pkg, "1"))
                  .build());
    }
  }

  private static List<String> text(EngineModelTest.Scenario s) {
    return s.journal.readAll().stream().map(IndexedAssessmentModelTest::text).toList();
  }

  private static String text(JournalEntry e) {
    return e.seq() + " " + e.at() + " " + e.type() + " " + e.record() + " " + e.data();
  }

  private static List<String> truth(EngineModelTest.Scenario s) {
    return s.cloud.truth().stream().map(TruthEvent::toJsonLine).toList();
  }
}
