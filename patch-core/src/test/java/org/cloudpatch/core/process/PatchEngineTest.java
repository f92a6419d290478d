package org.cloudpatch.core.process;

import static org.cloudpatch.core.process.EngineFixture.ACME;
import static org.cloudpatch.core.process.EngineFixture.GLOBEX;
import static org.cloudpatch.core.process.EngineFixture.START;
import static org.cloudpatch.core.process.EngineFixture.advisory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.memory.InMemoryJournal;
import org.cloudpatch.core.memory.InMemoryNotifier;
import org.cloudpatch.core.memory.SimulatedCloud;
import org.cloudpatch.core.process.TrackingItem.ItemState;
import org.cloudpatch.core.rollout.PatchJob;
import org.cloudpatch.core.rollout.PatchOutcome;
import org.cloudpatch.core.spi.JournalEntry;
import org.cloudpatch.core.spi.Notifier;
import org.cloudpatch.core.spi.PatchExecutor;
import org.junit.jupiter.api.Test;

class PatchEngineTest {

  @Test
  void advisory_flowsThroughEveryStep_toClosedRecordsWithEvidence() {
    EngineFixture f = new EngineFixture(0.0, 6);
    f.feed.publish(advisory("DSA-1", "openssl", "2", START.plus(Duration.ofHours(1))));
    PatchEngine engine = f.engine();

    f.run(engine, Duration.ofDays(2));

    List<String> types = f.types();
    for (String step :
        List.of(
            "advisory.published",
            "subscription.advanced",
            "severity.assessed",
            "applicability.matched",
            "tracking.opened",
            "notification.sent",
            "change.requested",
            "change.approved",
            "patch.started",
            "patch.applied",
            "patch.verified",
            "tracking.closed",
            "evidence.stored",
            "change.closed")) {
      assertTrue(types.contains(step), "journal has a " + step + " entry: " + types);
    }
    assertTrue(engine.trackingRecords().size() >= 2, "one record per tenant and group");
    for (TrackingRecord r : engine.trackingRecords()) {
      assertEquals(TrackingRecord.Status.CLOSED, r.status(), r.toString());
      assertTrue(f.evidence.bundle(r.id()).isPresent(), "evidence for " + r.id());
      r.items().values().forEach(i -> assertEquals(ItemState.VERIFIED, i.state()));
    }
    for (int i = 1; i <= 6; i++) {
      assertEquals(
          List.of(InstalledPackage.of("openssl", "2")),
          f.cloud.installed(AssetId.of(String.format("vm-%02d", i))));
    }
    assertTrue(engine.isIdle());
  }

  @Test
  void failedPatch_isRetriedOnce_thenRolledBackAndCoveredByRisk_neverClosedAsDone() {
    EngineFixture f = new EngineFixture(1.0, 3);
    f.feed.publish(advisory("DSA-2", "openssl", "2", START.plus(Duration.ofHours(1))));
    PatchEngine engine = f.engine();

    f.run(engine, Duration.ofDays(2));

    List<String> types = f.types();
    assertEquals(6, types.stream().filter("patch.failed"::equals).count(), "2 attempts x 3 VMs");
    assertEquals(3, types.stream().filter("patch.rolledback"::equals).count());
    assertEquals(3, engine.riskItems().size());
    for (RiskItem risk : engine.riskItems()) {
      assertTrue(risk.expires().isAfter(risk.opened()));
      assertFalse(risk.owner().isBlank());
    }
    for (TrackingRecord r : engine.trackingRecords()) {
      assertEquals(TrackingRecord.Status.RISK_ACCEPTED, r.status());
    }
    assertFalse(types.contains("tracking.closed"));
    assertEquals(
        List.of(InstalledPackage.of("openssl", "1")), f.cloud.installed(AssetId.of("vm-01")));
  }

  @Test
  void concurrency_neverExceedsPolicyLimit() {
    EngineFixture f = new EngineFixture(0.0, 12);
    f.feed.publish(advisory("DSA-3", "openssl", "2", START.plus(Duration.ofHours(1))));
    PatchEngine engine = f.engine();

    f.run(engine, Duration.ofDays(3));

    assertTrue(f.cloud.maxConcurrentJobs() <= 2, "ran " + f.cloud.maxConcurrentJobs() + " at once");
    assertEquals(12, f.cloud.jobs().size());
  }

  @Test
  void eachTenantsNotification_namesOnlyItsOwnAssets() {
    EngineFixture f = new EngineFixture(0.0, 6);
    f.feed.publish(advisory("DSA-4", "openssl", "2", START.plus(Duration.ofHours(1))));
    f.run(f.engine(), Duration.ofHours(2));

    List<InMemoryNotifier.Delivery> deliveries = f.notifier.deliveries();
    assertEquals(2, deliveries.size());
    for (InMemoryNotifier.Delivery d : deliveries) {
      String account =
          d.notification().tenant().equals(ACME) ? "secops@acme.example" : "it@globex.example";
      assertEquals(List.of(account), d.accounts());
      for (AssetId a : d.notification().assets()) {
        int n = Integer.parseInt(a.value().substring(3));
        assertEquals(
            n % 2 == 0 ? GLOBEX : ACME, d.notification().tenant(), a + " is another tenant's");
      }
    }
  }

  @Test
  void throwingNotifier_isJournaledAndRetried_neverDropped() {
    EngineFixture f = new EngineFixture(0.0, 2);
    AtomicInteger calls = new AtomicInteger();
    f.notifierInUse =
        n -> {
          if (calls.incrementAndGet() <= 2) {
            throw new PatchException("mail relay down");
          }
          f.notifier.deliver(n);
        };
    f.feed.publish(advisory("DSA-5", "openssl", "2", START.plus(Duration.ofHours(1))));
    f.run(f.engine(), Duration.ofHours(3));

    List<String> types = f.types();
    assertEquals(2, types.stream().filter("notification.failed"::equals).count());
    assertEquals(2, types.stream().filter("notification.sent"::equals).count());
    assertEquals(2, f.notifier.deliveries().size());
  }

  @Test
  void notifierDownForADay_isRetriedWithBackoff_andDeliversWhenBack() {
    EngineFixture f = new EngineFixture(0.0, 1);
    java.time.Instant back = START.plus(Duration.ofHours(25));
    f.notifierInUse =
        n -> {
          if (f.clock.instant().isBefore(back)) {
            throw new PatchException("mail relay down");
          }
          f.notifier.deliver(n);
        };
    f.feed.publish(advisory("DSA-14", "openssl", "2", START.plus(Duration.ofHours(1))));
    f.run(f.engine(), Duration.ofHours(36));

    long failures = f.types().stream().filter("notification.failed"::equals).count();
    assertTrue(failures >= 5 && failures <= 12, "backed off: " + failures + " attempts in a day");
    assertEquals(1, f.notifier.deliveries().size(), "delivered once the relay was back");
  }

  /** A refusal as a real notifier reports it: an SMTP 550, an HTTP 400. */
  static final class Refused extends RuntimeException implements Notifier.Failure {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }

    @Override
    public boolean permanent() {
      return true;
    }
  }

  @Test
  void permanentNotifierFailure_isDeadLetteredAtOnce_andNeverRetried() {
    EngineFixture f = new EngineFixture(0.0, 1);
    int[] attempts = {0};
    f.notifierInUse =
        n -> {
          attempts[0]++;
          // Wrapped, as an adapter's own exception often is: the cause chain decides.
          throw new PatchException("delivery failed", new Refused("550 5.1.1 no such user"));
        };
    f.feed.publish(advisory("DSA-15", "openssl", "2", START.plus(Duration.ofHours(1))));
    PatchEngine engine = f.engine();
    f.run(engine, Duration.ofDays(2));

    List<JournalEntry> dead =
        f.journal.readAll().stream()
            .filter(e -> e.type().equals("notification.dead-lettered"))
            .toList();
    assertEquals(1, dead.size(), f.types().toString());
    assertTrue(dead.get(0).data().path("reason").asText().contains("550 5.1.1"));
    assertEquals(1, attempts[0], "a permanent failure is not tried again");
    assertFalse(f.types().contains("notification.failed"));
    // A restart does not bring the dead letter back to life.
    f.run(f.engine(), Duration.ofDays(1));
    assertEquals(1, attempts[0]);
  }

  @Test
  void throwingExecutor_isRetriedUnderItsKey_thenUnknownAndFailed_notACrash() {
    EngineFixture f = new EngineFixture(0.0, 1);
    f.executorInUse =
        new PatchExecutor() {
          @Override
          public String submit(PatchJob job) {
            throw new IllegalStateException("executor API returned 503");
          }

          @Override
          public Optional<PatchOutcome> poll(String handle) {
            throw new AssertionError("never submitted");
          }
        };
    f.feed.publish(advisory("DSA-6", "openssl", "2", START.plus(Duration.ofHours(1))));
    PatchEngine engine = f.engine();
    f.run(engine, Duration.ofDays(3));

    List<JournalEntry> failures =
        f.journal.readAll().stream().filter(e -> e.type().equals("patch.submit.failed")).toList();
    assertFalse(failures.isEmpty());
    assertTrue(f.types().contains("patch.unknown"), "never confirmed submitted by its deadline");
    assertTrue(failures.get(0).data().toString().contains("executor API returned 503"));
    assertEquals(1, engine.riskItems().size(), "unsubmittable patch ends as a risk, not silence");
  }

  @Test
  void vmResumedAfterLongSuspension_isHeldUntilCaughtUpAndVerified() {
    EngineFixture f = new EngineFixture(0.0, 3);
    AssetId sleeper = AssetId.of("vm-03");
    f.cloud.suspend(sleeper);
    f.feed.publish(advisory("DSA-7", "openssl", "2", START.plus(Duration.ofHours(1))));
    PatchEngine engine = f.engine();
    f.run(engine, Duration.ofDays(3));
    assertTrue(f.types().contains("patch.deferred"), "its wave came while it slept");

    f.cloud.resume(sleeper);
    f.run(engine, Duration.ofMinutes(5));
    assertTrue(f.cloud.isHeld(sleeper), "held as soon as it resumed");
    assertTrue(engine.heldForCatchUp().contains(sleeper));

    f.run(engine, Duration.ofHours(2));
    assertFalse(f.cloud.isHeld(sleeper));
    SimulatedCloud.HoldChange release = f.cloud.holdChanges().get(1);
    assertFalse(release.held());
    assertEquals(List.of(InstalledPackage.of("openssl", "2")), release.installed());
    for (TrackingRecord r : engine.trackingRecords()) {
      assertEquals(TrackingRecord.Status.CLOSED, r.status(), r.id() + " closed after catch-up");
    }
  }

  @Test
  void vmRevertedToOldSnapshot_isHeldAndPatchedAgain() {
    EngineFixture f = new EngineFixture(0.0, 2);
    AssetId vm = AssetId.of("vm-01");
    String golden = f.cloud.snapshot(vm, "golden-image");
    f.feed.publish(advisory("DSA-8", "openssl", "2", START.plus(Duration.ofHours(1))));
    PatchEngine engine = f.engine();
    f.run(engine, Duration.ofDays(2));
    assertEquals(List.of(InstalledPackage.of("openssl", "2")), f.cloud.installed(vm));

    f.cloud.revertToSnapshot(vm, golden);
    f.run(engine, Duration.ofMinutes(5));
    assertTrue(f.cloud.isHeld(vm));
    f.run(engine, Duration.ofHours(1));

    assertFalse(f.cloud.isHeld(vm));
    assertEquals(List.of(InstalledPackage.of("openssl", "2")), f.cloud.installed(vm));
    assertTrue(f.types().contains("catchup.released"));
  }

  @Test
  void sameInstantGroup_startsInOneWaveAtOneInstant() {
    EngineFixture f = new EngineFixture(0.0, 4);
    f.policy = ProcessPolicy.builder().maxConcurrency(4).sameInstant(a -> true).build();
    f.feed.publish(advisory("DSA-9", "openssl", "2", START.plus(Duration.ofHours(1))));
    f.run(f.engine(), Duration.ofDays(2));

    List<SimulatedCloud.JobRecord> jobs = f.cloud.jobs();
    var cluster =
        jobs.stream()
            .filter(
                j ->
                    j.job().asset().value().equals("vm-01")
                        || j.job().asset().value().equals("vm-02"))
            .toList();
    assertEquals(2, cluster.size());
    assertEquals(cluster.get(0).started(), cluster.get(1).started());
  }

  @Test
  void sameInstantGroup_waitsForABusyMember_thenStartsWhole() {
    // vm-01 alone has zlib; its DSA-12 job (70 minutes) still runs when the DSA-13 wave of its
    // group (vm-01, vm-02) comes half an hour later.
    EngineFixture f =
        new EngineFixture(
            0.0,
            2,
            InMemoryJournal.create(),
            Duration.ofMinutes(70),
            i ->
                i == 1
                    ? List.of(InstalledPackage.of("openssl", "1"), InstalledPackage.of("zlib", "1"))
                    : List.of(InstalledPackage.of("openssl", "1")));
    f.policy =
        ProcessPolicy.builder()
            .maxConcurrency(4)
            .sameInstant(a -> a.id().value().equals("DSA-13"))
            .build();
    f.feed.publish(advisory("DSA-12", "zlib", "2", START.plus(Duration.ofHours(1))));
    f.feed.publish(advisory("DSA-13", "openssl", "2", START.plus(Duration.ofMinutes(65))));
    f.run(f.engine(), Duration.ofDays(1));

    List<JournalEntry> started =
        f.journal.readAll().stream().filter(e -> e.type().equals("patch.started")).toList();
    java.time.Instant zlibJob = started.get(0).at();
    List<java.time.Instant> groupStarts =
        started.stream()
            .filter(e -> e.data().at("/advisories/0").asText().equals("DSA-13"))
            .map(JournalEntry::at)
            .toList();
    assertEquals(2, groupStarts.size(), "both members of cluster-a patched for DSA-13");
    assertEquals(groupStarts.get(0), groupStarts.get(1), "at one instant");
    assertTrue(
        groupStarts.get(0).isAfter(zlibJob.plus(Duration.ofMinutes(69))), "after vm-01 was free");
  }

  @Test
  void updatedAdvisory_addsOnlyTheNewlyAffectedPackagesAndAssets() {
    // vm-03 and vm-04 also have zlib, which the advisory's update adds to what it names.
    EngineFixture f =
        new EngineFixture(
            0.0,
            4,
            InMemoryJournal.create(),
            Duration.ofMinutes(4),
            i ->
                i <= 2
                    ? List.of(InstalledPackage.of("openssl", "1"))
                    : List.of(
                        InstalledPackage.of("openssl", "1"), InstalledPackage.of("zlib", "1")));
    Advisory v1 = advisory("DSA-20", "openssl", "2", START.plus(Duration.ofMinutes(30)));
    f.feed.publish(v1);
    PatchEngine engine = f.engine();
    f.run(engine, Duration.ofMinutes(45));
    int recordsBefore = engine.trackingRecords().size();

    Advisory v2 =
        Advisory.builder()
            .from(v1)
            .modified(START.plus(Duration.ofMinutes(50)))
            .addAffected(advisory("DSA-20", "zlib", "2", START).affected().get(0))
            .build();
    f.feed.publish(v2);
    f.run(engine, Duration.ofDays(1));

    assertEquals(recordsBefore, engine.trackingRecords().size(), "no record doubled");
    assertTrue(f.types().contains("tracking.extended"));
    for (int i = 1; i <= 4; i++) {
      List<InstalledPackage> expected =
          i <= 2
              ? List.of(InstalledPackage.of("openssl", "2"))
              : List.of(InstalledPackage.of("openssl", "2"), InstalledPackage.of("zlib", "2"));
      assertEquals(expected, f.cloud.installed(AssetId.of(String.format("vm-%02d", i))));
    }
    engine.trackingRecords().forEach(r -> assertEquals(TrackingRecord.Status.CLOSED, r.status()));
    assertEquals(4, f.cloud.jobs().size(), "one job per VM: the update joined the planned work");
  }

  @Test
  void updateAfterClosure_opensANewRecord_andLeavesTheClosedOneAsItWas() {
    EngineFixture f =
        new EngineFixture(
            0.0,
            2,
            InMemoryJournal.create(),
            Duration.ofMinutes(4),
            i -> List.of(InstalledPackage.of("openssl", "1"), InstalledPackage.of("zlib", "1")));
    Advisory v1 = advisory("DSA-21", "openssl", "2", START.plus(Duration.ofMinutes(30)));
    f.feed.publish(v1);
    PatchEngine engine = f.engine();
    f.run(engine, Duration.ofDays(1));
    List<TrackingRecord> closed = engine.trackingRecords();
    closed.forEach(r -> assertEquals(TrackingRecord.Status.CLOSED, r.status()));

    f.feed.publish(
        Advisory.builder()
            .from(v1)
            .modified(f.clock.instant())
            .addAffected(advisory("DSA-21", "zlib", "2", START).affected().get(0))
            .build());
    f.run(engine, Duration.ofDays(1));

    List<TrackingRecord> all = engine.trackingRecords();
    assertEquals(2 * closed.size(), all.size(), all.toString());
    for (TrackingRecord before : closed) {
      assertEquals(
          before, all.stream().filter(r -> r.id().equals(before.id())).findFirst().orElseThrow());
    }
    assertTrue(all.stream().anyMatch(r -> r.id().value().endsWith(".2")));
    assertEquals(InstalledPackage.of("zlib", "2"), f.cloud.installed(AssetId.of("vm-01")).get(1));
  }

  @Test
  void withdrawnAdvisory_withdrawsItsOpenRecords() {
    EngineFixture f = new EngineFixture(0.0, 2);
    var published = advisory("DSA-10", "openssl", "2", START.plus(Duration.ofMinutes(30)));
    f.feed.publish(published);
    PatchEngine engine = f.engine();
    f.run(engine, Duration.ofHours(1));
    f.feed.publish(
        org.cloudpatch.core.advisory.Advisory.builder()
            .from(published)
            .modified(START.plus(Duration.ofMinutes(60)))
            .withdrawn(START.plus(Duration.ofMinutes(60)))
            .build());
    f.run(engine, Duration.ofMinutes(30));

    assertTrue(f.types().contains("tracking.withdrawn"));
    engine
        .trackingRecords()
        .forEach(r -> assertEquals(TrackingRecord.Status.WITHDRAWN, r.status()));
  }

  @Test
  void sameInputs_giveTheSameJournal() {
    assertEquals(journalOf(new EngineFixture(0.3, 8)), journalOf(new EngineFixture(0.3, 8)));
  }

  @Test
  void engineRebuiltFromJournalMidway_endsExactlyAsAnUninterruptedRun() {
    List<String> uninterrupted = journalOf(new EngineFixture(0.3, 8));

    InMemoryJournal journal = InMemoryJournal.create();
    EngineFixture f = new EngineFixture(0.3, 8, journal);
    f.feed.publish(advisory("DSA-11", "openssl", "2", START.plus(Duration.ofHours(1))));
    f.run(f.engine(), Duration.ofHours(26)); // mid-rollout: jobs in flight
    f.run(f.engine(), Duration.ofHours(46)); // a new engine, as after a crash

    assertEquals(uninterrupted, lines(journal));
  }

  private static List<String> journalOf(EngineFixture f) {
    f.feed.publish(advisory("DSA-11", "openssl", "2", START.plus(Duration.ofHours(1))));
    f.run(f.engine(), Duration.ofHours(72));
    return lines(f.journal);
  }

  private static List<String> lines(org.cloudpatch.core.spi.Journal journal) {
    return journal.readAll().stream()
        .map(
            e ->
                e.seq()
                    + " "
                    + e.at()
                    + " "
                    + e.type()
                    + " "
                    + e.tenant()
                    + " "
                    + e.record()
                    + " "
                    + e.data())
        .toList();
  }
}
