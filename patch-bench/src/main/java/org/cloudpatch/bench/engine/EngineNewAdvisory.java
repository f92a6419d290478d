package org.cloudpatch.bench.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.AffectedPackage;
import org.cloudpatch.core.advisory.AffectedRange;
import org.cloudpatch.core.advisory.RangeEvent;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.memory.InMemoryAdvisoryFeed;
import org.cloudpatch.core.memory.InMemoryChangeSystem;
import org.cloudpatch.core.memory.InMemoryEvidenceStore;
import org.cloudpatch.core.memory.InMemoryJournal;
import org.cloudpatch.core.memory.InMemoryNotifier;
import org.cloudpatch.core.memory.SimulatedCloud;
import org.cloudpatch.core.memory.VirtualClock;
import org.cloudpatch.core.process.PatchEngine;
import org.cloudpatch.core.rollout.RolloutPlan;
import org.cloudpatch.core.spi.InventoryChanges;
import org.cloudpatch.core.spi.InventorySource;
import org.cloudpatch.inventory.match.IndexedApplicability;
import org.cloudpatch.inventory.match.OsvApplicability;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of an engine tick that handles one new advisory (issue 9, finding 10), at {@code vms}
 * VMs of {@value #PACKAGES} packages from {@value #IMAGES} images, with the engine's applicability
 * an {@link IndexedApplicability} ({@code indexed}: held inventories kept current by the simulated
 * cloud's change feed) or an {@link OsvApplicability} (every asset read per new advisory).
 *
 * <ul>
 *   <li>{@code idleTick}: a tick with nothing new, the engine's floor in the same run.
 *   <li>{@code newAdvisoryTick}: publish an advisory naming a package every VM has (fixed below
 *       what they run, so that it matches the whole fleet and starts no work), then tick. Report
 *       {@code newAdvisoryTick / idleTick} for each {@code indexed}: with the index it should not
 *       grow with the fleet the way a read of every inventory does.
 * </ul>
 *
 * <p>{@code readMicros} prices a read: the simulated cloud's reads cost next to nothing, so at 0
 * the benchmark compares matching alone (the index's reordering and filtering against the reference
 * matcher's pass over every inventory), at 100 it adds what the index saves.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class EngineNewAdvisory {
  static final int IMAGES = 5;
  static final int PACKAGES = 300;
  static final int SOURCES = 40;

  /** A fleet, its cloud and an engine that has read it once; built once per trial. */
  @State(Scope.Benchmark)
  public static class Engine {
    @Param({"2000", "5000"})
    public int vms;

    @Param({"true", "false"})
    public boolean indexed;

    /**
     * What one inventory read costs beyond the simulated cloud's own (a busy wait): 0, or 100 µs —
     * a fast agent on a local network; a real one takes milliseconds.
     */
    @Param({"0", "100"})
    public int readMicros;

    VirtualClock clock;
    InMemoryAdvisoryFeed feed;
    PatchEngine engine;
    int published;

    @Setup(Level.Trial)
    public void build() {
      clock = VirtualClock.at(Instant.parse("2026-01-05T00:00:00Z"));
      feed = InMemoryAdvisoryFeed.create("bench", clock);
      SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).seed(1).failureRate(0).build();
      List<List<InstalledPackage>> images = new ArrayList<>();
      for (int i = 0; i < IMAGES; i++) {
        List<InstalledPackage> image = new ArrayList<>();
        for (int p = 0; p < PACKAGES; p++) {
          int source = p % SOURCES;
          image.add(
              InstalledPackage.builder()
                  .name("pkg" + p)
                  .version("2.0-" + (1 + (p + i) % 3))
                  .sourceName("src" + source)
                  .sourceVersion("2.0-" + (1 + (p + i) % 3))
                  .build());
        }
        images.add(image);
      }
      int hosts = Math.max(1, vms / 100);
      for (int h = 0; h < hosts; h++) {
        cloud.addHost(HostId.of("host-" + h), 400);
      }
      for (int v = 0; v < vms; v++) {
        cloud.addVm(
            Asset.builder()
                .id(AssetId.of(String.format("vm-%06d", v)))
                .tenant(TenantId.of("t" + v % 3))
                .zone(ZoneId.of("UTC"))
                .platform(Platform.parse("Debian:12"))
                .host(HostId.of("host-" + v % hosts))
                .build(),
            1,
            images.get(v % IMAGES));
      }
      engine =
          PatchEngine.builder()
              .clock(clock)
              .addFeed(feed)
              .inventorySource(new CostlyReads(cloud, readMicros))
              .changeSystem(InMemoryChangeSystem.create(clock, Duration.ofDays(1)))
              .hypervisor(cloud)
              .executor(cloud)
              .notifier(InMemoryNotifier.create())
              .applicability(indexed ? IndexedApplicability.create() : OsvApplicability.create())
              .planner(request -> RolloutPlan.builder().build())
              .journal(InMemoryJournal.create())
              .evidenceStore(InMemoryEvidenceStore.create())
              .build();
      // The first advisory reads the fleet on either path; what is measured comes after.
      publishAndTick(this);
    }
  }

  /** The cloud's inventory, each read taking {@code micros} more. */
  static final class CostlyReads implements InventorySource {
    private final InventorySource real;
    private final long nanos;

    CostlyReads(InventorySource real, int micros) {
      this.real = real;
      this.nanos = micros * 1_000L;
    }

    @Override
    public List<Asset> assets() {
      return real.assets();
    }

    @Override
    public Optional<Inventory> inventory(AssetId asset) {
      long until = System.nanoTime() + nanos;
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      return real.inventory(asset);
    }

    @Override
    public InventoryChanges changes(Optional<String> since) {
      return real.changes(since);
    }
  }

  static Advisory advisory(int n, Instant at) {
    return Advisory.builder()
        .id(AdvisoryId.of("DSA-" + (10_000 + n)))
        .source("BENCH")
        .published(at)
        .modified(at)
        .summary("src" + n % SOURCES + " is vulnerable")
        .addAffected(
            AffectedPackage.builder()
                .ecosystem("Debian:12")
                .name("src" + n % SOURCES)
                .addRanges(
                    AffectedRange.of(
                        AffectedRange.RangeType.ECOSYSTEM,
                        List.of(RangeEvent.introduced("0"), RangeEvent.fixed("1.9-1"))))
                .build())
        .build();
  }

  private static void publishAndTick(Engine e) {
    e.feed.publish(advisory(e.published++, e.clock.instant()));
    e.engine.tick();
    e.clock.advance(Duration.ofMinutes(5));
  }

  /** A tick with nothing new. */
  @Benchmark
  public void idleTick(Engine e) {
    e.engine.tick();
    e.clock.advance(Duration.ofMinutes(5));
  }

  /** A tick that matches one new advisory against the whole fleet. */
  @Benchmark
  public void newAdvisoryTick(Engine e) {
    publishAndTick(e);
  }
}
