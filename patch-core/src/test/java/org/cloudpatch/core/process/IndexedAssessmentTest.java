package org.cloudpatch.core.process;

import static org.cloudpatch.core.process.EngineFixture.advisory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.finding.FindingStatus;
import org.cloudpatch.core.memory.InMemoryJournal;
import org.cloudpatch.core.rollout.PackageUpdate;
import org.cloudpatch.core.rollout.PatchJob;
import org.cloudpatch.core.spi.JournalEntry;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, finding 10 ("Scale"): with an {@link org.cloudpatch.core.spi.InventoryIndex} and a
 * working change feed, a new advisory is matched against held inventories, not a read of every
 * asset; whenever the feed cannot vouch, every asset is read. Each scenario runs twice, with the
 * index and without, and the two journals must be identical: the index changes the cost, never the
 * findings.
 */
class IndexedAssessmentTest {
  private static final int VMS = 20;
  private static final AssetId VM1 = AssetId.of("vm-01");

  /** One engine over its own simulated cloud; both runs of a scenario start alike. */
  static final class Run {
    final EngineFixture f;
    final CountingInventory source;
    final PatchEngine engine;

    Run(boolean indexed, IntFunction<List<InstalledPackage>> image) {
      f = new EngineFixture(0.0, VMS, InMemoryJournal.create(), Duration.ofMinutes(4), image);
      source = new CountingInventory(f.cloud);
      f.inventoryInUse = source;
      f.applicabilityInUse = indexed ? new SimpleIndex() : new SimpleApplicability();
      engine = f.engine();
    }

    /** Publishes the advisory now and ticks once; the inventory reads of that tick. */
    int newAdvisory(String id, String pkg, String fixed) {
      f.feed.publish(advisory(id, pkg, fixed, f.clock.instant()));
      int before = source.reads;
      engine.tick();
      f.clock.advance(EngineFixture.TICK);
      return source.reads - before;
    }

    /** The journaled match of the advisory: assets assessed, affected. */
    JsonNode matched(String id) {
      return f.journal.readAll().stream()
          .filter(e -> e.type().equals("applicability.matched"))
          .map(JournalEntry::data)
          .filter(d -> d.path("advisory").asText().equals(id))
          .reduce((a, b) -> b)
          .orElseThrow(() -> new AssertionError("no match journaled for " + id));
    }

    List<String> journal() {
      return f.journal.readAll().stream()
          .map(e -> e.seq() + " " + e.at() + " " + e.type() + " " + e.record() + " " + e.data())
          .toList();
    }
  }

  /** Every VM has openssl and curl at 3: advisories fixed at 2 find them fixed, start no work. */
  private static List<InstalledPackage> upToDate(int i) {
    return List.of(InstalledPackage.of("openssl", "3"), InstalledPackage.of("curl", "3"));
  }

  private static void assertSameJournal(Run indexed, Run plain) {
    assertEquals(plain.journal(), indexed.journal(), "the index changed the journal");
  }

  @Test
  void scale_newAdvisory_doesNotReadEveryAsset() {
    Run indexed = new Run(true, IndexedAssessmentTest::upToDate);
    Run plain = new Run(false, IndexedAssessmentTest::upToDate);
    for (Run r : List.of(indexed, plain)) {
      assertEquals(VMS, r.newAdvisory("DSA-1", "openssl", "2"), "the first pass reads the fleet");
    }
    assertEquals(0, indexed.newAdvisory("DSA-2", "curl", "2"), "reads with a working feed");
    assertEquals(VMS, plain.newAdvisory("DSA-2", "curl", "2"), "reads without an index");
    assertEquals(VMS, indexed.matched("DSA-2").path("assetsAssessed").asInt(), "all matched");
    assertSameJournal(indexed, plain);
  }

  @Test
  void newAdvisory_withoutFeed_readsEveryAsset() {
    Run indexed = new Run(true, IndexedAssessmentTest::upToDate);
    indexed.source.feed = false;
    indexed.newAdvisory("DSA-1", "openssl", "2");
    assertEquals(VMS, indexed.newAdvisory("DSA-2", "curl", "2"));
    assertTrue(indexed.source.feedCalls > 0, "the feed was asked");
  }

  @Test
  void feedError_fallsBackToReadingEveryAsset() {
    Run indexed = new Run(true, IndexedAssessmentTest::upToDate);
    Run plain = new Run(false, IndexedAssessmentTest::upToDate);
    indexed.newAdvisory("DSA-1", "openssl", "2");
    plain.newAdvisory("DSA-1", "openssl", "2");
    indexed.source.feedFails = true;
    assertEquals(VMS, indexed.newAdvisory("DSA-2", "curl", "2"), "reads while the feed fails");
    indexed.source.feedFails = false;
    plain.newAdvisory("DSA-2", "curl", "2");
    // The feed works again: the pass after the failure started it anew and read the fleet.
    assertEquals(VMS, indexed.newAdvisory("DSA-3", "openssl", "2"), "reads on the restart");
    plain.newAdvisory("DSA-3", "openssl", "2");
    assertEquals(0, indexed.newAdvisory("DSA-4", "curl", "2"), "reads once vouched again");
    plain.newAdvisory("DSA-4", "curl", "2");
    assertSameJournal(indexed, plain);
  }

  @Test
  void expiredCursor_fallsBackToReadingEveryAsset() {
    Run indexed = new Run(true, IndexedAssessmentTest::upToDate);
    Run plain = new Run(false, IndexedAssessmentTest::upToDate);
    for (Run r : List.of(indexed, plain)) {
      r.newAdvisory("DSA-1", "openssl", "2");
      // vm-01 is rolled back to an old build while the feed's log is lost
      r.f.cloud.reliable().submit(job("downgrade", VM1, "1"));
      r.f.clock.advance(Duration.ofMinutes(30));
      r.f.cloud.forgetChanges();
    }
    assertEquals(VMS, indexed.newAdvisory("DSA-2", "openssl", "2"), "reads after expiry");
    plain.newAdvisory("DSA-2", "openssl", "2");
    assertEquals(1, indexed.matched("DSA-2").path("affected").asInt(), "vm-01 found affected");
    assertSameJournal(indexed, plain);
  }

  @Test
  void snapshotRevert_vmRevertedOutOfDate_isFoundAffectedAgain() {
    IntFunction<List<InstalledPackage>> image =
        i -> i == 1 ? List.of(InstalledPackage.of("openssl", "1")) : upToDate(i);
    Run indexed = new Run(true, image);
    Run plain = new Run(false, image);
    for (Run r : List.of(indexed, plain)) {
      String snap = r.f.cloud.reliable().snapshot(VM1, "before-upgrade");
      r.f.cloud.reliable().submit(job("upgrade", VM1, "3"));
      r.f.clock.advance(Duration.ofMinutes(30));
      r.newAdvisory("DSA-1", "curl", "2"); // the fleet is read: vm-01 has openssl 3
      r.f.cloud.revertToSnapshot(VM1, snap);
    }
    // The revert is a lifecycle event: catch-up reads vm-01 itself, and the assessment reads it
    // again because the feed names it (a change may be named after a read that saw it).
    int reads = indexed.newAdvisory("DSA-2", "openssl", "2");
    assertTrue(reads >= 1 && reads <= 2, "only vm-01 is read again: " + reads + " reads");
    plain.newAdvisory("DSA-2", "openssl", "2");
    assertEquals(1, indexed.matched("DSA-2").path("affected").asInt(), "vm-01 affected again");
    assertTrue(
        indexed.engine.trackingRecords().stream()
            .flatMap(r -> r.items().values().stream())
            .anyMatch(
                i ->
                    i.asset().equals(VM1)
                        && i.findings().stream()
                            .anyMatch(f -> f.status() == FindingStatus.AFFECTED)),
        "vm-01 is tracked");
    assertSameJournal(indexed, plain);
  }

  @Test
  void newVm_isReadAndMatched_theOthersAreNot() {
    Run indexed = new Run(true, IndexedAssessmentTest::upToDate);
    Run plain = new Run(false, IndexedAssessmentTest::upToDate);
    for (Run r : List.of(indexed, plain)) {
      r.newAdvisory("DSA-1", "curl", "2");
      r.f.cloud.addVm(
          EngineFixture.vm(VMS + 1, TenantId.of("acme")),
          2,
          List.of(InstalledPackage.of("openssl", "1")));
    }
    assertEquals(1, indexed.newAdvisory("DSA-2", "openssl", "2"), "only the new VM is read");
    plain.newAdvisory("DSA-2", "openssl", "2");
    assertEquals(VMS + 1, indexed.matched("DSA-2").path("assetsAssessed").asInt());
    assertEquals(1, indexed.matched("DSA-2").path("affected").asInt(), "the new VM is affected");
    assertSameJournal(indexed, plain);
  }

  @Test
  void decommissionedVm_isNoLongerMatched() {
    IntFunction<List<InstalledPackage>> image =
        i -> i == 1 ? List.of(InstalledPackage.of("openssl", "1")) : upToDate(i);
    Run indexed = new Run(true, image);
    Run plain = new Run(false, image);
    for (Run r : List.of(indexed, plain)) {
      r.newAdvisory("DSA-1", "curl", "2");
      r.f.cloud.decommission(VM1);
    }
    assertEquals(0, indexed.newAdvisory("DSA-2", "openssl", "2"), "nothing to read");
    plain.newAdvisory("DSA-2", "openssl", "2");
    assertEquals(VMS - 1, indexed.matched("DSA-2").path("assetsAssessed").asInt());
    assertEquals(0, indexed.matched("DSA-2").path("affected").asInt(), "vm-01 is gone");
    assertSameJournal(indexed, plain);
  }

  @Test
  void restartedEngine_readsEveryAssetOnce_thenNoMore() {
    Run indexed = new Run(true, IndexedAssessmentTest::upToDate);
    indexed.newAdvisory("DSA-1", "openssl", "2");
    PatchEngine restarted = indexed.f.engine(); // same journal, same index: nothing vouched for
    indexed.f.feed.publish(advisory("DSA-2", "curl", "2", indexed.f.clock.instant()));
    int before = indexed.source.reads;
    restarted.tick();
    assertEquals(VMS, indexed.source.reads - before, "a new engine reads the fleet");
    indexed.f.clock.advance(EngineFixture.TICK);
    indexed.f.feed.publish(advisory("DSA-3", "openssl", "2", indexed.f.clock.instant()));
    before = indexed.source.reads;
    restarted.tick();
    assertEquals(0, indexed.source.reads - before, "and then only what changed");
  }

  private static PatchJob job(String key, AssetId vm, String version) {
    return PatchJob.builder()
        .key(key)
        .asset(vm)
        .addUpdates(PackageUpdate.of("openssl", version))
        .build();
  }
}
