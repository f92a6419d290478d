package org.cloudpatch.cli.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.cloudpatch.audit.evidence.EvidenceExport;
import org.cloudpatch.audit.evidence.FileEvidenceStore;
import org.cloudpatch.audit.journal.FileJournal;
import org.cloudpatch.audit.journal.JournalOptions;
import org.cloudpatch.audit.journal.JournalVerifier;
import org.cloudpatch.audit.journal.Verification;
import org.cloudpatch.audit.memory.InMemoryKeyProvider;
import org.cloudpatch.audit.report.ComplianceSample;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.OsvReader;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.core.finding.FindingStatus;
import org.cloudpatch.core.memory.FaultPlan;
import org.cloudpatch.core.memory.InMemoryAdvisoryFeed;
import org.cloudpatch.core.memory.InMemoryChangeSystem;
import org.cloudpatch.core.memory.InMemoryNotifier;
import org.cloudpatch.core.memory.SimulatedCloud;
import org.cloudpatch.core.memory.VirtualClock;
import org.cloudpatch.core.process.PatchEngine;
import org.cloudpatch.core.process.ProcessPolicy;
import org.cloudpatch.core.rollout.ChangeRequest.ChangeType;
import org.cloudpatch.core.severity.Priority;
import org.cloudpatch.core.spi.Applicability;
import org.cloudpatch.inventory.match.OsvApplicability;
import org.cloudpatch.scheduling.host.EvacuationRemediationPlanner;

/**
 * The whole patch process on a simulated cloud: a fleet of Debian 12 VMs of three tenants in eight
 * time zones, the advisories of the demo feed arriving over the days, a weekly maintenance window
 * and a concurrency limit that scale with the fleet, patch failures, a VM suspended for weeks and
 * one reverted to an old snapshot.
 *
 * <p>Everything comes from the options and the seed: the same options give the same journal, byte
 * for byte.
 */
public final class Demo {
  /** The demo's first day: a Monday, eight days before North America leaves winter time. */
  static final Instant START = Instant.parse("2026-03-02T00:00:00Z");

  static final Duration TICK = Duration.ofMinutes(5);
  static final List<ZoneId> ZONES =
      List.of(
          ZoneId.of("America/Los_Angeles"),
          ZoneId.of("America/New_York"),
          ZoneId.of("America/Sao_Paulo"),
          ZoneId.of("Europe/London"),
          ZoneId.of("Europe/Berlin"),
          ZoneId.of("Asia/Kolkata"),
          ZoneId.of("Asia/Tokyo"),
          ZoneId.of("Australia/Sydney"));
  static final List<TenantId> TENANTS =
      List.of(TenantId.of("acme"), TenantId.of("globex"), TenantId.of("initech"));

  /**
   * What to simulate.
   *
   * @param faults the rate of every kind of adapter fault the simulated cloud injects, 0 to 1
   * @param restarts how often the engine is rebuilt from its journal after a simulated crash at a
   *     seeded moment (inside a journal batch, before or after one)
   */
  public record Options(
      int vms, int hosts, int days, long seed, Path out, double faults, int restarts) {
    /** Without faults or restarts. */
    public Options(int vms, int hosts, int days, long seed, Path out) {
      this(vms, hosts, days, seed, out, 0, 0);
    }

    /** Validates the options. */
    public Options {
      if (vms < 1 || vms > 100_000) {
        throw new IllegalArgumentException("--vms must be between 1 and 100000: " + vms);
      }
      if (hosts < 1 || hosts > vms) {
        throw new IllegalArgumentException("--hosts must be between 1 and --vms: " + hosts);
      }
      if (days < 1 || days > 366) {
        throw new IllegalArgumentException("--days must be between 1 and 366: " + days);
      }
      Objects.requireNonNull(out, "out");
      if (!(faults >= 0 && faults <= 1)) {
        throw new IllegalArgumentException("--faults must be between 0 and 1: " + faults);
      }
      if (restarts < 0 || restarts > 10_000) {
        throw new IllegalArgumentException("--restarts must be between 0 and 10000: " + restarts);
      }
    }
  }

  /**
   * A scripted thing a VM's user or the cloud's operator does at an instant; {@code subject} names
   * the VM or the hosts it concerns.
   */
  record Scripted(Instant at, String subject, String what, Runnable action) {}

  /**
   * The host-level advisory of the demo: a hypervisor update every host of the cluster (all the
   * simulated cloud's hosts) gets through the engine's host remediation, while VMs are patched.
   */
  static final String HOST_ADVISORY = "HV-2026-0307 hypervisor update (host kernel, KVM and QEMU)";

  private final Options options;

  Options options() {
    return options;
  }

  final VirtualClock clock = VirtualClock.at(START);
  final SimulatedCloud cloud;
  final InMemoryAdvisoryFeed feed = InMemoryAdvisoryFeed.create("debian-security", clock);
  final InMemoryChangeSystem changes = InMemoryChangeSystem.create(clock, Duration.ofDays(1));
  final InMemoryNotifier notifier = InMemoryNotifier.create();
  final Applicability applicability = OsvApplicability.create();
  final List<Advisory> advisories;
  final List<Quarantined> quarantined;
  final Map<AssetId, Inventory> initialInventories = new TreeMap<>();
  final List<Scripted> script = new ArrayList<>();
  final Map<String, AssetId> storyVms = new LinkedHashMap<>();
  final ProcessPolicy policy;
  final DemoRollout rollout;

  Demo(Options options) {
    this.options = options;
    this.cloud =
        SimulatedCloud.builder()
            .clock(clock)
            .seed(options.seed())
            .failureRate(0.02)
            .jobDuration(Duration.ofMinutes(4), Duration.ofMinutes(20))
            // Adapters bound their calls as real clients do (the engine's default adapter
            // timeout): a slow call costs the tick 30 s and a timeout, not a 15-minute stall.
            .faults(
                FaultPlan.builder()
                    .from(FaultPlan.uniform(options.faults()))
                    .callTimeout(Duration.ofSeconds(30))
                    .build())
            .build();
    ReadBatch<Advisory> read = readAdvisories();
    this.advisories = read.accepted();
    this.quarantined = read.quarantined();
    buildFleet();
    advisories.stream().sorted(Comparator.comparing(Advisory::modified)).forEach(feed::publish);
    // The broken record reaches the subscription like any other, and is quarantined there.
    quarantined.forEach(feed::quarantine);
    TENANTS.forEach(t -> notifier.register(t, List.of("secops@" + t + ".example")));
    this.rollout = DemoRollout.forFleet(options.vms());
    this.policy =
        ProcessPolicy.builder()
            .maxConcurrency(rollout.maxConcurrency())
            .sameInstant(
                a -> a.affected().stream().anyMatch(p -> p.name().startsWith("postgresql")))
            .changeType(
                p ->
                    p == Priority.P1
                        ? ChangeType.EMERGENCY
                        : p == Priority.P2 ? ChangeType.NORMAL : ChangeType.STANDARD)
            .build();
    writeScript();
  }

  private static ReadBatch<Advisory> readAdvisories() {
    try (InputStream in = Demo.class.getResourceAsStream("advisories.json")) {
      if (in == null) {
        throw new IllegalStateException("demo advisories missing from the jar");
      }
      return OsvReader.create().read(in, "demo-feed/advisories.json");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // The seeded draw picks a criticality by index, so that the same seed gives the same fleet.
  @SuppressWarnings("EnumOrdinal")
  private void buildFleet() {
    SplittableRandom random = new SplittableRandom(options.seed());
    int vcpusPerVm = 4;
    int capacity = (int) Math.ceil(1.5 * options.vms() * vcpusPerVm / options.hosts());
    for (int h = 1; h <= options.hosts(); h++) {
      cloud.addHost(hostId(h), Math.max(capacity, vcpusPerVm * 2));
    }
    Map<String, ZoneId> clusterZones = new TreeMap<>();
    Map<TenantId, Integer> dbCount = new TreeMap<>();
    for (int i = 1; i <= options.vms(); i++) {
      TenantId tenant = TENANTS.get(i % TENANTS.size());
      double roll = random.nextDouble();
      Images.Kind kind =
          roll < 0.5 ? Images.Kind.WEB : roll < 0.8 ? Images.Kind.APP : Images.Kind.DB;
      ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
      boolean drifted = random.nextDouble() < 0.15;
      Asset.Builder asset =
          Asset.builder()
              .id(vmId(i))
              .tenant(tenant)
              .platform(Platform.parse("Debian:12"))
              .host(hostId((i - 1) % options.hosts() + 1))
              .criticality(Asset.Criticality.values()[random.nextInt(4)])
              .exposure(kind == Images.Kind.WEB ? Asset.Exposure.INTERNET : Asset.Exposure.INTERNAL)
              .addTags("team:" + kind.team, "image:debian12-" + kind.team);
      if (kind == Images.Kind.DB) {
        // Three database VMs make a cluster that must never run two versions at once.
        int n = dbCount.merge(tenant, 1, Integer::sum);
        String cluster = "pg-" + tenant + "-" + ((n - 1) / 3 + 1);
        asset.patchGroup(cluster);
        zone = clusterZones.computeIfAbsent(cluster, c -> ZONES.get(random.nextInt(ZONES.size())));
      }
      Asset built = asset.zone(zone).build();
      cloud.addVm(built, vcpusPerVm, Images.packages(kind, drifted));
      initialInventories.put(built.id(), cloud.reliable().inventory(built.id()).orElseThrow());
    }
  }

  /**
   * The user resumes the VM, unless they did already: under faults a user may resume a VM early and
   * unannounced (FaultPlan.resumedEarly), and the script follows the cloud, not its plan.
   */
  private void resumeUnlessResumed(AssetId vm) {
    if (cloud.reliable().powerState(vm).equals(Optional.of(Asset.PowerState.SUSPENDED))) {
      cloud.resume(vm);
    }
  }

  private void writeScript() {
    AssetId sleeper = storyVm("suspended for weeks", 7);
    AssetId napper = storyVm("suspended for hours", 13);
    AssetId reverted = storyVm("reverted to an old snapshot", 42);
    String golden = cloud.reliable().snapshot(reverted, "golden-image-day-0");
    at(day(2, 10), sleeper, "suspended", () -> cloud.suspend(sleeper));
    at(day(20, 9), sleeper, "resumed after 18 days", () -> resumeUnlessResumed(sleeper));
    if (!napper.equals(sleeper)) {
      at(day(4, 10), napper, "suspended", () -> cloud.suspend(napper));
      at(day(4, 16), napper, "resumed after 6 hours", () -> resumeUnlessResumed(napper));
    }
    at(
        day(22, 3),
        reverted,
        "reverted to its day-0 snapshot",
        () -> cloud.revertToSnapshot(reverted, golden));
    // The Sunday of the first patch windows: hosts are drained while VMs of the early zones patch.
    List<HostId> cluster = new ArrayList<>();
    for (int h = 1; h <= options.hosts(); h++) {
      cluster.add(hostId(h));
    }
    at(
        day(6, 0),
        "hosts " + cluster.get(0) + ".." + cluster.get(cluster.size() - 1),
        "patched for " + HOST_ADVISORY + " (evacuated one at a time)",
        () -> engine.remediateHosts(cluster, HOST_ADVISORY));
    script.sort(Comparator.comparing(Scripted::at));
  }

  private AssetId storyVm(String story, int preferred) {
    int n = (preferred - 1) % options.vms() + 1;
    AssetId id = vmId(n);
    storyVms.put(story, id);
    return id;
  }

  private void at(Instant at, AssetId vm, String what, Runnable action) {
    at(at, vm.value(), what, action);
  }

  private void at(Instant at, String subject, String what, Runnable action) {
    if (at.isBefore(end())) {
      script.add(new Scripted(at, subject, what, action));
    }
  }

  private static Instant day(int day, int hour) {
    return START.plus(Duration.ofDays(day)).plus(Duration.ofHours(hour));
  }

  Instant end() {
    return START.plus(Duration.ofDays(options.days()));
  }

  static AssetId vmId(int i) {
    return AssetId.of(String.format("vm-%04d", i));
  }

  private static HostId hostId(int h) {
    return HostId.of(String.format("host-%02d", h));
  }

  /**
   * Runs the demo and writes {@code journal.log}, {@code evidence/}, {@code cloud-truth.jsonl} and
   * the compliance reports ({@code report.json}, {@code report.html}, {@code compliance.csv},
   * {@code oscal-assessment-results.json}, {@code oscal-poam.json}) into the options' directory,
   * replacing those files and leaving any other file there alone.
   */
  public static DemoResult run(Options options) throws IOException {
    return new Demo(options).execute();
  }

  @SuppressWarnings("NullAway.Init") // set by execute() before anything reads it
  PatchEngine engine;

  /** The simulated crashes of the run, each followed by a new engine built from the journal. */
  final List<CrashingJournal.Crash> crashes = new ArrayList<>();

  /**
   * Wall-clock time spent inside {@code tick()} (the engine with the simulated cloud's calls and
   * the journal's appends, not the reports), and how many ticks ran: the demo's engine time.
   */
  long engineNanos;

  int ticks;

  /** A private key seed derived from the run's seed. */
  private byte[] keySeed() {
    SplittableRandom random = new SplittableRandom(options.seed() ^ 0x6a6f75726e616cL);
    byte[] seed = new byte[32];
    for (int i = 0; i < seed.length; i++) {
      seed[i] = (byte) random.nextInt(256);
    }
    return seed;
  }

  DemoResult execute() throws IOException {
    Demo demo = this;
    Path out = options.out();
    Files.createDirectories(out);
    Path journalFile = out.resolve("journal.log");
    Files.deleteIfExists(journalFile);
    Files.deleteIfExists(FileJournal.checkpointFile(journalFile));
    Path evidenceDir = out.resolve("evidence");
    deleteTree(evidenceDir);
    List<ComplianceSample> history = new ArrayList<>(); // compliance over time, per tenant
    // The signing key follows from the seed, so that a run is reproducible byte for byte; a real
    // host keeps its key in a FileKeyProvider or behind its own KeyProvider.
    InMemoryKeyProvider key = InMemoryKeyProvider.fromSeed("cloudpatch.demo/journal", keySeed());
    JournalOptions journalOptions =
        JournalOptions.builder().signer(key).checkpointEvery(1000).clock(demo.clock).build();
    try (FileJournal file = FileJournal.open(journalFile, journalOptions)) {
      CrashingJournal journal =
          CrashingJournal.over(file, demo.clock, START, end(), options.restarts(), options.seed());
      engine = newEngine(journal, evidenceDir);
      int next = 0;
      while (demo.clock.instant().isBefore(demo.end())) {
        if (Duration.between(START, demo.clock.instant()).toMinutes() % (24 * 60) == 0
            && (history.isEmpty()
                || history.get(history.size() - 1).at().isBefore(demo.clock.instant()))) {
          history.addAll(DemoCompliance.sample(demo, engine)); // at each day boundary, once
        }
        while (next < demo.script.size()
            && !demo.script.get(next).at().isAfter(demo.clock.instant())) {
          try {
            demo.script.get(next).action().run();
            next++;
          } catch (CrashingJournal.SimulatedCrash crash) {
            // Died while journaling a request to the engine: the new engine is asked again (a
            // request already journaled is not repeated: host remediation ignores waiting hosts).
            engine = newEngine(journal, evidenceDir);
          }
        }
        long tickStart = System.nanoTime();
        try {
          engine.tick();
          engineNanos += System.nanoTime() - tickStart;
          ticks++;
        } catch (CrashingJournal.SimulatedCrash crash) {
          engineNanos += System.nanoTime() - tickStart;
          // The process died: a new one replays the journal and ticks again at the same instant.
          engine = newEngine(journal, evidenceDir);
          continue;
        }
        demo.clock.advance(TICK);
      }
      history.addAll(DemoCompliance.sample(demo, engine));
      crashes.addAll(journal.crashes());
    }
    try (Writer truth =
        Files.newBufferedWriter(out.resolve("cloud-truth.jsonl"), StandardCharsets.UTF_8)) {
      cloud.writeTruth(truth);
    }
    Files.copy(
        FileJournal.checkpointFile(journalFile),
        out.resolve("checkpoint"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(out.resolve("journal.pub"), key.verifierKey() + "\n");
    Verification verification =
        JournalVerifier.verify(
            journalFile,
            Optional.of(key.verifierKey()),
            Optional.of(Files.readString(out.resolve("checkpoint"))));
    // Each closed record's bundle beside its stored evidence, checkable without cloudpatch.
    EvidenceExport.Batch bundles =
        EvidenceExport.exportAll(journalFile, evidenceDir, key.verifierKey());
    if (!bundles.failures().isEmpty()) {
      // Every record the demo closed must have its bundle: a failure here is a defect to see.
      throw new IllegalStateException("evidence bundles not written: " + bundles.failures());
    }
    DemoResult result = DemoResult.of(demo, engine, verification, journalFile, history);
    Reports.write(result, out);
    return result;
  }

  /** A new engine on the demo's adapters that rebuilds its state from the journal. */
  private PatchEngine newEngine(CrashingJournal journal, Path evidenceDir) {
    while (true) {
      try {
        return PatchEngine.builder()
            .clock(clock)
            .addFeed(feed)
            .inventorySource(cloud)
            .changeSystem(changes)
            .hypervisor(cloud)
            .executor(cloud)
            .notifier(notifier)
            .applicability(applicability)
            .planner(rollout.planner())
            .hostRemediationPlanner(EvacuationRemediationPlanner.create())
            .journal(journal)
            .evidenceStore(FileEvidenceStore.create(evidenceDir))
            .policy(policy)
            .build();
      } catch (CrashingJournal.SimulatedCrash crashWhileStarting) {
        // a crash while the new engine starts: start again
      }
    }
  }

  /** The advisories published by the end of the run and not withdrawn. */
  List<Advisory> activeAdvisories() {
    Map<String, Advisory> latest = new TreeMap<>();
    for (Advisory a : advisories) {
      if (!a.modified().isAfter(end())) {
        latest.merge(a.id().value(), a, (x, y) -> y.modified().isAfter(x.modified()) ? y : x);
      }
    }
    return latest.values().stream().filter(a -> a.withdrawn().isEmpty()).toList();
  }

  /** Whether an inventory has no affected finding for any of the advisories. */
  boolean compliant(Inventory inventory, List<Advisory> active) {
    for (Advisory a : active) {
      if (applicability.assess(a, inventory).stream()
          .anyMatch(f -> f.status() == FindingStatus.AFFECTED)) {
        return false;
      }
    }
    return true;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
