package org.cloudpatch.adapters.debian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.cloudpatch.audit.journal.FileJournal;
import org.cloudpatch.audit.journal.JournalVerifier;
import org.cloudpatch.audit.journal.Verification;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.AdvisoryReaders;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.core.memory.InMemoryAdvisoryFeed;
import org.cloudpatch.core.memory.InMemoryChangeSystem;
import org.cloudpatch.core.memory.InMemoryEvidenceStore;
import org.cloudpatch.core.memory.InMemoryNotifier;
import org.cloudpatch.core.memory.SimulatedCloud;
import org.cloudpatch.core.memory.VirtualClock;
import org.cloudpatch.core.process.PatchEngine;
import org.cloudpatch.core.process.TrackingRecord;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.cloudpatch.core.rollout.PatchJob;
import org.cloudpatch.core.rollout.PatchOutcome;
import org.cloudpatch.core.rollout.RolloutPlan;
import org.cloudpatch.core.rollout.Wave;
import org.cloudpatch.core.spi.PatchExecutor;
import org.cloudpatch.core.spi.RolloutPlanner;
import org.cloudpatch.inventory.match.OsvApplicability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole process with {@link DebianFleet} as inventory source and patch executor: an OSV
 * advisory read by core's reader says cp-demo is fixed in 1.0-2; a real root has 1.0-1, installed
 * by dpkg; the engine assesses, opens a record, notifies, opens a change, snapshots the VM in the
 * simulated hypervisor, submits the job that apt carries out, verifies by re-inventory and closes
 * the record. What is installed at the end is asked of dpkg-query.
 */
class DebianEngineTest {
  private static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
  private static final Duration TICK = Duration.ofMinutes(5);

  @TempDir Path dir;

  @Test
  void advisoryFixedIn1_0_2_isPatchedByApt_verifiedByDpkg_andClosed()
      throws IOException, URISyntaxException, InterruptedException {
    DebianRoots.assumeDebianTools();
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Path old = DebianRoots.deb(repo, "cp-demo", "1.0-1");
    DebianRoots.deb(repo, "cp-demo", "1.0-2");
    DebianRoots.index(repo);
    Path root = DebianRoots.root(dir.resolve("vm-1"), repo);
    DebianRoots.install(root, old);

    VirtualClock clock = VirtualClock.at(START);
    Asset vm =
        Asset.builder()
            .id(AssetId.of("vm-1"))
            .tenant(TenantId.of("acme"))
            .zone(ZoneId.of("Europe/Berlin"))
            .platform(Platform.parse("Debian:12"))
            .host(HostId.of("host-1"))
            .addTags("team:web")
            .build();
    SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).seed(42).build();
    cloud.addHost(HostId.of("host-1"), 64);
    cloud.addVm(vm, 2, List.of()); // the hypervisor's view: placement, snapshots
    InMemoryAdvisoryFeed feed = InMemoryAdvisoryFeed.create("osv", clock);
    Path advisory =
        Path.of(Objects.requireNonNull(getClass().getResource("CP-2026-0001.json")).toURI());
    ReadBatch<Advisory> read = AdvisoryReaders.create().read(advisory);
    assertEquals(List.of(), read.quarantined());
    read.accepted().forEach(feed::publish);
    InMemoryNotifier notifier =
        InMemoryNotifier.create().register(TenantId.of("acme"), List.of("secops@acme.example"));

    Path journalFile = dir.resolve("journal.log");
    try (DebianFleet fleet = DebianFleet.builder().clock(clock).system(vm, root).build();
        FileJournal journal = FileJournal.open(journalFile)) {
      Set<String> handles = ConcurrentHashMap.newKeySet();
      PatchExecutor recording =
          new PatchExecutor() {
            @Override
            public String submit(PatchJob job) {
              String handle = fleet.submit(job);
              handles.add(handle);
              return handle;
            }

            @Override
            public Optional<PatchOutcome> poll(String handle) {
              return fleet.poll(handle);
            }
          };
      PatchEngine engine =
          PatchEngine.builder()
              .clock(clock)
              .addFeed(feed)
              .inventorySource(fleet)
              .hypervisor(cloud)
              .executor(recording)
              .changeSystem(InMemoryChangeSystem.create(clock, Duration.ofHours(4)))
              .notifier(notifier)
              .applicability(OsvApplicability.create())
              .planner(new NextHourPlanner())
              .journal(journal)
              .evidenceStore(InMemoryEvidenceStore.create())
              .build();

      // Virtual time stands still while apt really works, so a job is never late on the clock.
      for (int i = 0; i < 14 * 24 * 12 && !closed(engine); i++) {
        engine.tick();
        if (handles.stream().anyMatch(h -> fleet.poll(h).isEmpty())) {
          Thread.sleep(100);
        } else {
          clock.advance(TICK);
        }
      }

      TrackingRecord record = engine.trackingRecords().get(0);
      assertEquals(TrackingRecord.Status.CLOSED, record.status(), "record " + record);
      assertEquals(1, handles.size(), "patch jobs " + handles);
      assertEquals(
          "1.0-2", fleet.inventory(vm.id()).orElseThrow().find("cp-demo").orElseThrow().version());
      assertTrue(notifier.deliveries().size() >= 1, "acme was notified");
    }
    assertEquals("1.0-2", DebianRoots.dpkgQuery(root, "cp-demo"));
    Verification verified = JournalVerifier.verify(journalFile);
    assertTrue(verified.ok(), verified.describe());
    assertTrue(
        Files.readString(journalFile).contains("\"tracking.closed\""), "the closure is journaled");
  }

  private static boolean closed(PatchEngine engine) {
    return !engine.trackingRecords().isEmpty()
        && engine.trackingRecords().stream()
            .allMatch(r -> r.status() == TrackingRecord.Status.CLOSED);
  }

  /** A stand-in for patch-scheduling's planner: every asset in one wave in the next full hour. */
  private static final class NextHourPlanner implements RolloutPlanner {
    @Override
    public RolloutPlan plan(org.cloudpatch.core.rollout.RolloutRequest request) {
      Instant start =
          request
              .notBefore()
              .truncatedTo(java.time.temporal.ChronoUnit.HOURS)
              .plus(Duration.ofHours(1));
      for (Wave w : request.existing()) {
        if (w.end().isAfter(start)) {
          start = w.end();
        }
      }
      Instant end = start.plus(Duration.ofHours(4));
      return RolloutPlan.builder()
          .addWaves(
              Wave.builder()
                  .index(0)
                  .window(MaintenanceWindow.of(start, end, ZoneOffset.UTC))
                  .start(start)
                  .end(end)
                  .assets(request.assets().stream().map(Asset::id).toList())
                  .timingMode(request.timingMode())
                  .build())
          .build();
    }
  }
}
