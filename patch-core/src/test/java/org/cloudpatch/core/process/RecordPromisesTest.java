package org.cloudpatch.core.process;

import static org.cloudpatch.core.process.EngineFixture.START;
import static org.cloudpatch.core.process.EngineFixture.advisory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.AffectedPackage;
import org.cloudpatch.core.advisory.AffectedRange;
import org.cloudpatch.core.advisory.RangeEvent;
import org.cloudpatch.core.advisory.Remediation;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.memory.InMemoryNotifier;
import org.cloudpatch.core.process.DecisionCrashTest.TearingJournal;
import org.cloudpatch.core.process.SubscriptionCrashTest.Killed;
import org.cloudpatch.core.process.TrackingItem.ItemState;
import org.cloudpatch.core.spi.JournalEntry;
import org.junit.jupiter.api.Test;

/**
 * Finding 8 and the no-fix case of issue 9: what the records promise (due dates, risk expiry, how a
 * record closes) is enforced, and a finding without a fixed version waits instead of being
 * "patched".
 */
class RecordPromisesTest {
  private static final List<InstalledPackage> FIXED = List.of(InstalledPackage.of("openssl", "2"));

  /** DSA-70 as first published: every openssl version affected, no fix yet, a workaround. */
  private static Advisory withoutFix() {
    Advisory base = advisory("DSA-70", "openssl", "2", START.plus(Duration.ofHours(1)));
    return Advisory.builder()
        .from(base)
        .affected(
            List.of(
                AffectedPackage.builder()
                    .ecosystem("Debian:12")
                    .name("openssl")
                    .addRanges(
                        AffectedRange.of(
                            AffectedRange.RangeType.ECOSYSTEM, List.of(RangeEvent.introduced("0"))))
                    .build()))
        .addRemediations(
            Remediation.of(Remediation.Kind.WORKAROUND, "disable TLS renegotiation"),
            Remediation.of(Remediation.Kind.NONE_AVAILABLE, "a fix is being prepared"))
        .build();
  }

  @Test
  void findingWithoutFix_waitsAsNoFixAvailable_escalatesWhenDue_thenPlannedWhenUpdateNamesFix() {
    EngineFixture f = new EngineFixture(0.0, 2);
    Advisory v1 = withoutFix();
    f.feed.publish(v1);
    PatchEngine engine = f.engine();
    f.run(engine, Duration.ofDays(2));

    assertTrue(f.cloud.jobs().isEmpty(), "no job without a fix: " + f.cloud.jobs());
    assertFalse(f.types().contains("patch.requested"));
    for (TrackingRecord r : engine.trackingRecords()) {
      assertEquals(TrackingRecord.Status.OPEN, r.status());
      r.items().values().forEach(i -> assertEquals(ItemState.NO_FIX_AVAILABLE, i.state()));
    }
    InMemoryNotifier.Delivery told = f.notifier.deliveries().get(0);
    assertTrue(told.notification().body().contains("WORKAROUND: disable TLS renegotiation"));
    assertTrue(told.notification().body().contains("No fixed version is available yet"));

    f.run(engine, Duration.ofDays(2)); // P1: due three days after assessment
    assertTrue(f.types().contains("tracking.overdue"), "escalated when due");
    assertTrue(
        f.notifier.deliveries().stream()
            .anyMatch(d -> d.notification().subject().startsWith("[OVERDUE]")),
        "the tenant is told");

    f.feed.publish(
        Advisory.builder()
            .from(advisory("DSA-70", "openssl", "2", START))
            .modified(f.clock.instant())
            .build());
    f.run(engine, Duration.ofDays(2));
    for (int i = 1; i <= 2; i++) {
      assertEquals(FIXED, f.cloud.installed(AssetId.of("vm-0" + i)));
    }
    engine.trackingRecords().forEach(r -> assertEquals(TrackingRecord.Status.CLOSED, r.status()));
  }

  @Test
  void oneBrokenVm_closesRecordWithExceptions_othersVerified() {
    // vm-01 and vm-05 are acme's team:web VMs; vm-01's package manager is broken.
    EngineFixture f = new EngineFixture(0.0, 6);
    Faulty.around(f).brokenVms.add(AssetId.of("vm-01"));
    f.feed.publish(advisory("DSA-71", "openssl", "2", START.plus(Duration.ofHours(1))));
    PatchEngine engine = f.engine();
    f.run(engine, Duration.ofDays(3));

    TrackingRecord web =
        engine.trackingRecords().stream()
            .filter(r -> r.items().containsKey(AssetId.of("vm-01")))
            .findFirst()
            .orElseThrow();
    assertEquals(TrackingRecord.Status.CLOSED_WITH_EXCEPTIONS, web.status());
    assertEquals(ItemState.VERIFIED, web.items().get(AssetId.of("vm-05")).state());
    assertEquals(ItemState.RISK_ACCEPTED, web.items().get(AssetId.of("vm-01")).state());
    JournalEntry closed =
        f.journal.readAll().stream()
            .filter(e -> e.type().equals("tracking.closed-with-exceptions"))
            .findFirst()
            .orElseThrow();
    assertTrue(closed.data().path("exceptions").get(0).asText().startsWith("RISK-"));
    assertEquals(FIXED, f.cloud.installed(AssetId.of("vm-05")));
    engine.trackingRecords().stream()
        .filter(r -> r != web)
        .forEach(r -> assertEquals(TrackingRecord.Status.CLOSED, r.status(), r.id() + ""));
  }

  @Test
  void expiredRiskAcceptance_reopensItem_andItIsPlannedAgain() {
    EngineFixture f = new EngineFixture(1.0, 1);
    f.policy = ProcessPolicy.builder().maxConcurrency(2).riskAcceptance(Duration.ofDays(2)).build();
    f.feed.publish(advisory("DSA-72", "openssl", "2", START.plus(Duration.ofHours(1))));
    PatchEngine engine = f.engine();
    f.run(engine, Duration.ofDays(2));
    assertEquals(1, engine.riskItems().size());
    assertEquals(TrackingRecord.Status.RISK_ACCEPTED, engine.trackingRecords().get(0).status());
    int jobsBefore = f.cloud.jobs().size();

    f.run(engine, Duration.ofDays(2).plusHours(6));
    assertTrue(f.types().contains("risk.expired"));
    assertTrue(engine.expiredRisks().contains(engine.riskItems().get(0).id()));
    assertTrue(f.cloud.jobs().size() > jobsBefore, "patched again after the acceptance expired");
  }

  @Test
  void snapshot_isRequestedBeforeItIsTaken_andReusedAfterACrash() {
    TearingJournal journal = new TearingJournal(DecisionCrashTest.containing("patch.started"), 0);
    EngineFixture f = new EngineFixture(0.0, 1, journal.durable);
    Faulty faulty = Faulty.around(f);
    f.feed.publish(advisory("DSA-73", "openssl", "2", START.plus(Duration.ofHours(1))));
    f.journalInUse = journal;
    PatchEngine first = f.engine();
    try {
      f.run(first, Duration.ofDays(1));
    } catch (Killed expected) {
      // died after taking the snapshot, before journaling patch.started
    }
    assertEquals(1, faulty.snapshotIds.size(), "the snapshot was taken");
    assertTrue(f.types().contains("patch.requested"), "its request was journaled before");

    f.journalInUse = journal.durable;
    f.run(f.engine(), Duration.ofDays(1));
    assertEquals(
        1, faulty.snapshotIds.stream().distinct().count(), "same key, same snapshot: no orphan");
    String taken = faulty.snapshotIds.get(0);
    JournalEntry started =
        f.journal.readAll().stream()
            .filter(e -> e.type().equals("patch.started"))
            .findFirst()
            .orElseThrow();
    assertTrue(taken.endsWith(" " + started.data().path("snapshot").asText()), taken);
    assertEquals(FIXED, f.cloud.installed(AssetId.of("vm-01")));
  }
}
