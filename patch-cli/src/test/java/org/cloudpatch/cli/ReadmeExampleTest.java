package org.cloudpatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.cloudpatch.audit.report.AssetFacts;
import org.cloudpatch.audit.report.ComplianceInput;
import org.cloudpatch.audit.report.ComplianceReport;
import org.cloudpatch.audit.report.ComplianceReports;
import org.cloudpatch.audit.report.ComplianceSample;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.advisory.OsvReader;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.memory.InMemoryAdvisoryFeed;
import org.cloudpatch.core.memory.InMemoryChangeSystem;
import org.cloudpatch.core.memory.InMemoryEvidenceStore;
import org.cloudpatch.core.memory.InMemoryJournal;
import org.cloudpatch.core.memory.InMemoryNotifier;
import org.cloudpatch.core.memory.SimulatedCloud;
import org.cloudpatch.core.memory.VirtualClock;
import org.cloudpatch.core.process.PatchEngine;
import org.cloudpatch.core.process.TrackingRecord;
import org.cloudpatch.inventory.match.OsvApplicability;
import org.cloudpatch.scheduling.rollout.WavePlanner;
import org.cloudpatch.scheduling.window.WeeklyWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's pipeline example, as written there. */
class ReadmeExampleTest {

  @Test
  void readmeExample_patchesTheVmAndClosesTheRecord(@TempDir Path advisories, @TempDir Path out)
      throws IOException {
    Files.writeString(
        advisories.resolve("DSA-1.json"),
        """
        {"id": "DSA-1", "published": "2026-03-02T06:00:00Z", "modified": "2026-03-02T06:00:00Z",
         "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
           "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.14-1~deb12u1"}]}]}]}
        """);

    // --- the README example, verbatim ---
    VirtualClock clock = VirtualClock.at(Instant.parse("2026-03-02T00:00:00Z"));
    SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).seed(42).build();
    cloud.addHost(HostId.of("host-1"), 64);
    cloud.addVm(
        Asset.builder()
            .id(AssetId.of("vm-1"))
            .tenant(TenantId.of("acme"))
            .zone(ZoneId.of("Europe/Berlin"))
            .platform(Platform.parse("Debian:12"))
            .host(HostId.of("host-1"))
            .build(),
        2,
        List.of(InstalledPackage.of("openssl", "3.0.11-1~deb12u2")));
    InMemoryAdvisoryFeed feed = InMemoryAdvisoryFeed.create("debian", clock);
    OsvReader.create().read(advisories).accepted().forEach(feed::publish);

    PatchEngine engine =
        PatchEngine.builder()
            .clock(clock)
            .addFeed(feed)
            .inventorySource(cloud)
            .hypervisor(cloud)
            .executor(cloud)
            .changeSystem(InMemoryChangeSystem.create(clock, Duration.ofDays(1)))
            .notifier(
                InMemoryNotifier.create()
                    .register(TenantId.of("acme"), List.of("secops@acme.example")))
            .applicability(OsvApplicability.create())
            .planner(
                WavePlanner.builder()
                    .window(
                        WeeklyWindow.of(DayOfWeek.SUNDAY, LocalTime.of(2, 0), Duration.ofHours(4)))
                    .build())
            .journal(InMemoryJournal.create())
            .evidenceStore(InMemoryEvidenceStore.create())
            .build();
    for (int i = 0; i < 14 * 24 * 12; i++) {
      engine.tick();
      clock.advance(Duration.ofMinutes(5));
    }
    // --- end of the example ---

    assertEquals(1, engine.trackingRecords().size());
    TrackingRecord record = engine.trackingRecords().get(0);
    assertEquals(TrackingRecord.Status.CLOSED, record.status());
    assertEquals("3.0.14-1~deb12u1", cloud.installed(AssetId.of("vm-1")).get(0).version());

    // --- the README's compliance report example, verbatim ---
    List<ComplianceSample> samples = // a host takes them periodically, e.g. at each day boundary
        ComplianceReports.sample(clock.instant(), cloud.assets(), engine.trackingRecords());
    ComplianceInput input =
        ComplianceInput.builder()
            .asOf(clock.instant())
            .assets(cloud.assets().stream().map(AssetFacts::of).toList()) // every VM, any state
            .records(engine.trackingRecords())
            .risks(engine.riskItems())
            .history(samples)
            .build();
    ComplianceReport report = ComplianceReports.report(input, TenantId.of("acme"));
    System.out.println(report.answer().patchedAnswer()); // Yes: all 1 VMs that require an update
    Files.writeString(out.resolve("acme.html"), ComplianceReports.html(report)); // charts
    Files.writeString(out.resolve("acme.csv"), ComplianceReports.csv(report)); // the full list
    Files.writeString(out.resolve("acme-poam.json"), ComplianceReports.oscalPoam(report)); // OSCAL
    // --- end of the example ---

    assertEquals(
        "Yes: all 1 VMs that require an update are patched (1 VMs in scope).",
        report.answer().patchedAnswer());
    assertTrue(Files.readString(out.resolve("acme.csv")).contains("acme,vm-1,RUNNING"));
  }
}
