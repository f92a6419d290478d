package org.cloudpatch.core.process;

import static org.cloudpatch.core.process.EngineFixture.START;
import static org.cloudpatch.core.process.EngineFixture.advisory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.memory.InMemoryJournal;
import org.cloudpatch.core.memory.SimulatedCloud;
import org.cloudpatch.core.severity.EnterprisePolicy;
import org.cloudpatch.core.severity.SeverityPolicy;
import org.cloudpatch.core.severity.ThreatIntel;
import org.cloudpatch.core.spi.JournalEntry;
import org.junit.jupiter.api.Test;

/** Findings 5 and 7 of issue 9: host code that throws, and same-instant groups kept whole. */
class HostCodeAndGroupsTest {
  private static EngineFixture opensslAndZlib(int vms) {
    return new EngineFixture(
        0.0,
        vms,
        InMemoryJournal.create(),
        Duration.ofMinutes(4),
        i -> List.of(InstalledPackage.of("openssl", "1"), InstalledPackage.of("zlib", "1")));
  }

  @Test
  void throwingSeverityPolicy_parksAdvisory_otherWorkGoesOn() {
    EngineFixture f = opensslAndZlib(2);
    Instant intelDown = START.plus(Duration.ofHours(3));
    Instant intelBack = START.plus(Duration.ofHours(30));
    f.policy =
        ProcessPolicy.builder()
            .maxConcurrency(2)
            .severity(
                SeverityPolicy.of(
                    EnterprisePolicy.standard(),
                    () -> {
                      Instant now = f.clock.instant();
                      if (!now.isBefore(intelDown) && now.isBefore(intelBack)) {
                        throw new IllegalStateException("KEV feed unreachable");
                      }
                      return ThreatIntel.none();
                    }))
            .build();
    f.feed.publish(advisory("DSA-60", "openssl", "2", START.plus(Duration.ofHours(1))));
    f.feed.publish(advisory("DSA-61", "zlib", "2", START.plus(Duration.ofHours(4))));
    PatchEngine engine = f.engine();

    f.run(engine, Duration.ofHours(26)); // no tick throws
    AssetId vm = AssetId.of("vm-01");
    assertEquals(InstalledPackage.of("openssl", "2"), f.cloud.installed(vm).get(0), "DSA-60 done");
    assertEquals(InstalledPackage.of("zlib", "1"), f.cloud.installed(vm).get(1), "DSA-61 parked");
    assertTrue(engine.parkedWork().containsKey("advisory DSA-61"));
    JournalEntry parked =
        f.journal.readAll().stream()
            .filter(e -> e.type().equals("work.parked"))
            .findFirst()
            .orElseThrow();
    assertTrue(parked.data().path("reason").asText().contains("KEV feed unreachable"));

    f.run(engine, Duration.ofDays(2));
    assertEquals(InstalledPackage.of("zlib", "2"), f.cloud.installed(vm).get(1), "tried again");
    engine.trackingRecords().forEach(r -> assertEquals(TrackingRecord.Status.CLOSED, r.status()));
  }

  @Test
  void throwingGroupingFunctions_parkOnlyTheirAdvisory() {
    EngineFixture f = opensslAndZlib(2);
    f.policy =
        ProcessPolicy.builder()
            .maxConcurrency(2)
            .sameInstant(
                a -> {
                  if (a.id().value().equals("DSA-63")) {
                    throw new IllegalArgumentException("no rule for " + a.id());
                  }
                  return false;
                })
            .build();
    f.feed.publish(advisory("DSA-62", "openssl", "2", START.plus(Duration.ofHours(1))));
    f.feed.publish(advisory("DSA-63", "zlib", "2", START.plus(Duration.ofHours(1))));
    PatchEngine engine = f.engine();
    f.run(engine, Duration.ofDays(2));

    assertEquals(
        InstalledPackage.of("openssl", "2"), f.cloud.installed(AssetId.of("vm-02")).get(0));
    assertTrue(engine.parkedWork().containsKey("advisory DSA-63"));
    assertTrue(engine.assessment(org.cloudpatch.core.AdvisoryId.of("DSA-63")).isEmpty());
    assertTrue(f.types().stream().filter("work.parked"::equals).count() >= 2, "retried later");
  }

  @Test
  void sameInstantGroup_withHeldMember_defersWhole() {
    // vm-01 and vm-02 form cluster-a; vm-02 is suspended when the group's wave comes.
    EngineFixture f = new EngineFixture(0.0, 2);
    f.policy = ProcessPolicy.builder().maxConcurrency(4).sameInstant(a -> true).build();
    f.feed.publish(advisory("DSA-64", "openssl", "2", START.plus(Duration.ofHours(1))));
    f.cloud.suspend(AssetId.of("vm-02"));
    PatchEngine engine = f.engine();
    f.run(engine, Duration.ofHours(12));

    assertTrue(f.cloud.jobs().isEmpty(), "no member patched alone: " + f.cloud.jobs());
    assertTrue(
        f.journal.readAll().stream()
            .anyMatch(
                e ->
                    e.type().equals("patch.deferred")
                        && e.data().path("reason").asText().contains("deferred whole")),
        "the record says why");

    f.cloud.resume(AssetId.of("vm-02"));
    f.run(engine, Duration.ofDays(1));
    List<SimulatedCloud.JobRecord> jobs = f.cloud.jobs();
    assertEquals(2, jobs.size(), jobs.toString());
    assertEquals(jobs.get(0).started(), jobs.get(1).started(), "one instant for the group");
    // The executor is told the group, so its own record (the cloud's truth) shows the jobs as one.
    List<org.cloudpatch.core.memory.TruthEvent> started =
        f.cloud.truth().stream()
            .filter(e -> e.event() == org.cloudpatch.core.memory.TruthEvent.Kind.JOB_STARTED)
            .toList();
    assertEquals(2, started.size(), started.toString());
    started.forEach(
        e -> assertEquals(java.util.Optional.of("cluster-a"), e.group(), e.toJsonLine()));
    engine.trackingRecords().forEach(r -> assertEquals(TrackingRecord.Status.CLOSED, r.status()));
    assertFalse(f.types().contains("risk.opened"));
  }
}
