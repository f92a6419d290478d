package org.cloudpatch.core.process;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.AffectedPackage;
import org.cloudpatch.core.advisory.AffectedRange;
import org.cloudpatch.core.advisory.RangeEvent;
import org.cloudpatch.core.advisory.SeverityScore;
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
import org.cloudpatch.core.spi.Journal;
import org.cloudpatch.core.spi.Notifier;
import org.cloudpatch.core.spi.PatchExecutor;

/** A small simulated cloud and an engine over it, for tests of the engine. */
final class EngineFixture {
  static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
  static final TenantId ACME = TenantId.of("acme");
  static final TenantId GLOBEX = TenantId.of("globex");
  static final Duration TICK = Duration.ofMinutes(5);

  final VirtualClock clock = VirtualClock.at(START);
  final SimulatedCloud cloud;
  final InMemoryAdvisoryFeed feed = InMemoryAdvisoryFeed.create("test-feed", clock);
  final InMemoryChangeSystem changes = InMemoryChangeSystem.create(clock, Duration.ofDays(1));
  final InMemoryNotifier notifier = InMemoryNotifier.create();
  final InMemoryEvidenceStore evidence = InMemoryEvidenceStore.create();
  final Journal journal;
  Journal journalInUse;
  ProcessPolicy policy = ProcessPolicy.builder().maxConcurrency(2).build();
  Notifier notifierInUse;
  PatchExecutor executorInUse;
  org.cloudpatch.core.spi.HypervisorAdapter hypervisorInUse;
  org.cloudpatch.core.spi.InventorySource inventoryInUse;
  org.cloudpatch.core.spi.@org.jspecify.annotations.Nullable StateSnapshotStore snapshotsInUse;
  org.cloudpatch.core.spi.Applicability applicabilityInUse = new SimpleApplicability();

  EngineFixture(double failureRate, int vms) {
    this(failureRate, vms, InMemoryJournal.create());
  }

  EngineFixture(double failureRate, int vms, Journal journal) {
    this(
        failureRate,
        vms,
        journal,
        Duration.ofMinutes(4),
        i -> List.of(InstalledPackage.of("openssl", "1")));
  }

  EngineFixture(
      double failureRate,
      int vms,
      Journal journal,
      Duration jobDuration,
      java.util.function.IntFunction<List<InstalledPackage>> image) {
    this.journal = journal;
    this.journalInUse = journal;
    cloud =
        SimulatedCloud.builder()
            .clock(clock)
            .seed(7)
            .failureRate(failureRate)
            .jobDuration(jobDuration, jobDuration.multipliedBy(5))
            .build();
    cloud.addHost(HostId.of("host-1"), 64).addHost(HostId.of("host-2"), 64);
    for (int i = 1; i <= vms; i++) {
      cloud.addVm(vm(i, i % 2 == 0 ? GLOBEX : ACME), 2, image.apply(i));
    }
    notifier
        .register(ACME, List.of("secops@acme.example"))
        .register(GLOBEX, List.of("it@globex.example"));
    notifierInUse = notifier;
    executorInUse = cloud;
    hypervisorInUse = cloud;
    inventoryInUse = cloud;
  }

  static Asset vm(int i, TenantId tenant) {
    return Asset.builder()
        .id(AssetId.of(String.format("vm-%02d", i)))
        .tenant(tenant)
        .zone(ZoneId.of("UTC"))
        .platform(Platform.parse("Debian:12"))
        .host(HostId.of(i % 2 == 0 ? "host-2" : "host-1"))
        .addTags(i % 3 == 0 ? "team:db" : "team:web")
        .patchGroup(i <= 2 ? java.util.Optional.of("cluster-a") : java.util.Optional.empty())
        .build();
  }

  static Advisory advisory(String id, String pkg, String fixed, Instant published) {
    return Advisory.builder()
        .id(AdvisoryId.of(id))
        .source("TEST")
        .published(published)
        .modified(published)
        .summary(pkg + " is vulnerable")
        .addAliases("CVE-2026-" + id.hashCode() % 10000)
        .addSeverities(SeverityScore.of("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"))
        .addAffected(
            AffectedPackage.builder()
                .ecosystem("Debian:12")
                .name(pkg)
                .addRanges(
                    AffectedRange.of(
                        AffectedRange.RangeType.ECOSYSTEM,
                        List.of(RangeEvent.introduced("0"), RangeEvent.fixed(fixed))))
                .build())
        .build();
  }

  PatchEngine engine() {
    EngineBuilder b = builder();
    if (snapshotsInUse != null) {
      b.stateSnapshotStore(snapshotsInUse);
    }
    return b.build();
  }

  /** The builder {@link #engine()} builds with, without a snapshot store. */
  EngineBuilder builder() {
    return PatchEngine.builder()
        .clock(clock)
        .addFeed(feed)
        .inventorySource(inventoryInUse)
        .changeSystem(changes)
        .hypervisor(hypervisorInUse)
        .executor(executorInUse)
        .notifier(notifierInUse)
        .applicability(applicabilityInUse)
        .planner(new SimplePlanner())
        .journal(journalInUse)
        .evidenceStore(evidence)
        .policy(policy);
  }

  /** Ticks the engine every five minutes until {@code span} has passed. */
  void run(PatchEngine engine, Duration span) {
    Instant end = clock.instant().plus(span);
    while (clock.instant().isBefore(end)) {
      engine.tick();
      clock.advance(TICK);
    }
  }

  List<String> types() {
    return journal.readAll().stream().map(e -> e.type()).toList();
  }
}
