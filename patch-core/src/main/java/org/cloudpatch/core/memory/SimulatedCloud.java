package org.cloudpatch.core.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.asset.LifecycleEvent;
import org.cloudpatch.core.rollout.PackageUpdate;
import org.cloudpatch.core.rollout.PatchJob;
import org.cloudpatch.core.rollout.PatchOutcome;
import org.cloudpatch.core.spi.HypervisorAdapter;
import org.cloudpatch.core.spi.InventorySource;
import org.cloudpatch.core.spi.PatchExecutor;
import org.jspecify.annotations.Nullable;

/**
 * A cloud in memory: hosts with capacity, VMs placed on them with their installed packages and
 * power state, snapshots, maintenance mode, live migration, holds, a lifecycle event stream, and a
 * patch executor whose jobs take minutes of clock time and fail at a configured rate.
 *
 * <p>It is the hypervisor, the patch executor and the inventory source of a simulation at once.
 * Every random draw comes from the seed: a job's duration and fate depend only on the seed and the
 * job's key, so the same seed and the same calls give the same run. Thread-safe.
 */
public final class SimulatedCloud implements HypervisorAdapter, PatchExecutor, InventorySource {
  private final Clock clock;
  private final long seed;
  private final double failureRate;
  private final Duration minJob;
  private final Duration maxJob;
  private final Capabilities capabilities;
  private final SplittableRandom setupRandom;

  private final Map<HostId, HostState> hosts = new TreeMap<>();
  private final Map<AssetId, Vm> vms = new TreeMap<>();
  private final Map<String, Snapshot> snapshots = new LinkedHashMap<>();
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private final List<LifecycleEvent> lifecycle = new ArrayList<>();
  private final List<HoldChange> holds = new ArrayList<>();
  // Idempotency keys of effects that happened, with their result (a snapshot id, or the key).
  private final Map<String, String> effectKeys = new HashMap<>();
  private int maxConcurrentJobs;

  /** A hold placed on or lifted from a VM, with what it had installed at that moment. */
  public record HoldChange(
      AssetId vm, boolean held, Instant at, List<InstalledPackage> installed) {}

  /** A patch job as the simulated executor ran it. */
  public record JobRecord(PatchJob job, Instant started, Instant ends, boolean fails) {}

  private static final class HostState {
    final HostId id;
    final int capacity;
    boolean maintenance;

    HostState(HostId id, int capacity) {
      this.id = id;
      this.capacity = capacity;
    }
  }

  private static final class Vm {
    Asset asset;
    final int vcpus;
    final boolean broken;
    List<InstalledPackage> packages;
    @Nullable Instant suspendedSince;
    boolean held;

    Vm(Asset asset, int vcpus, boolean broken, List<InstalledPackage> packages) {
      this.asset = asset;
      this.vcpus = vcpus;
      this.broken = broken;
      this.packages = List.copyOf(packages);
    }
  }

  private record Snapshot(AssetId vm, List<InstalledPackage> packages, Instant takenAt) {}

  private static final class Job {
    final JobRecord record;
    @Nullable PatchOutcome outcome;

    Job(JobRecord record) {
      this.record = record;
    }
  }

  private SimulatedCloud(Builder b) {
    this.clock = Objects.requireNonNull(b.clock, "clock");
    this.seed = b.seed;
    this.failureRate = b.failureRate;
    this.minJob = b.minJob;
    this.maxJob = b.maxJob;
    this.capabilities = b.capabilities;
    this.setupRandom = new SplittableRandom(b.seed);
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  // ---- building the cloud ----------------------------------------------------------------

  /** Adds a host with {@code vcpus} of capacity. */
  public synchronized SimulatedCloud addHost(HostId host, int vcpus) {
    if (vcpus < 1) {
      throw new IllegalArgumentException("host " + host + " needs capacity: " + vcpus);
    }
    if (hosts.putIfAbsent(host, new HostState(host, vcpus)) != null) {
      throw new IllegalArgumentException("host " + host + " exists");
    }
    return this;
  }

  /**
   * Adds a VM on its asset's host with the packages of its image. A small share of VMs (a quarter
   * of the failure rate) is broken: every patch on it fails, as on a VM whose package database is
   * damaged.
   */
  public synchronized SimulatedCloud addVm(Asset asset, int vcpus, List<InstalledPackage> image) {
    HostId host =
        asset
            .host()
            .orElseThrow(() -> new IllegalArgumentException("VM " + asset.id() + " has no host"));
    HostState h = hosts.get(host);
    if (h == null) {
      throw new IllegalArgumentException("VM " + asset.id() + " is placed on unknown host " + host);
    }
    if (used(host) + vcpus > h.capacity) {
      throw new IllegalArgumentException("host " + host + " has no room for VM " + asset.id());
    }
    if (vms.containsKey(asset.id())) {
      throw new IllegalArgumentException("VM " + asset.id() + " exists");
    }
    boolean broken = setupRandom.nextDouble() < failureRate / 4;
    vms.put(asset.id(), new Vm(asset, vcpus, broken, image));
    return this;
  }

  // ---- what users and operators do (scripted) ------------------------------------------------

  /** The VM's user suspends it. */
  public synchronized void suspend(AssetId vm) {
    Vm v = vm(vm);
    if (v.asset.powerState() != Asset.PowerState.RUNNING) {
      throw new IllegalStateException("VM " + vm + " is " + v.asset.powerState() + ", not running");
    }
    v.asset = Asset.builder().from(v.asset).powerState(Asset.PowerState.SUSPENDED).build();
    v.suspendedSince = clock.instant();
    lifecycle.add(event(vm, LifecycleEvent.Kind.SUSPENDED).build());
  }

  /** The VM's user resumes it. */
  public synchronized void resume(AssetId vm) {
    Vm v = vm(vm);
    if (v.asset.powerState() != Asset.PowerState.SUSPENDED) {
      throw new IllegalStateException("VM " + vm + " is not suspended");
    }
    v.asset = Asset.builder().from(v.asset).powerState(Asset.PowerState.RUNNING).build();
    lifecycle.add(
        event(vm, LifecycleEvent.Kind.RESUMED)
            .suspendedSince(Optional.ofNullable(v.suspendedSince))
            .build());
    v.suspendedSince = null;
  }

  /** The VM's user reverts it to one of its snapshots (a lifecycle event, unlike a rollback). */
  public synchronized void revertToSnapshot(AssetId vm, String snapshotId) {
    Snapshot s = restore(vm, snapshotId);
    lifecycle.add(event(vm, LifecycleEvent.Kind.REVERTED).snapshotTakenAt(s.takenAt()).build());
  }

  private LifecycleEvent.Builder event(AssetId vm, LifecycleEvent.Kind kind) {
    return LifecycleEvent.builder().asset(vm).kind(kind).at(clock.instant());
  }

  // ---- HypervisorAdapter -------------------------------------------------------------------

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  @Override
  public synchronized List<Host> hosts() {
    List<Host> out = new ArrayList<>();
    for (HostState h : hosts.values()) {
      out.add(
          Host.builder()
              .id(h.id)
              .vcpuCapacity(h.capacity)
              .vcpuUsed(used(h.id))
              .inMaintenance(h.maintenance)
              .build());
    }
    return out;
  }

  @Override
  public synchronized Optional<Asset.PowerState> powerState(AssetId vm) {
    Vm v = vms.get(vm);
    return v == null ? Optional.empty() : Optional.of(v.asset.powerState());
  }

  @Override
  public synchronized Optional<HostId> placement(AssetId vm) {
    Vm v = vms.get(vm);
    return v == null ? Optional.empty() : v.asset.host();
  }

  @Override
  public synchronized String snapshot(AssetId vm, String key) {
    Vm v = vm(vm);
    String done = effectKeys.get("snapshot/" + vm + "/" + key);
    if (done != null) {
      return done;
    }
    String id = "snap-" + (snapshots.size() + 1);
    snapshots.put(id, new Snapshot(vm, v.packages, clock.instant()));
    effectKeys.put("snapshot/" + vm + "/" + key, id);
    return id;
  }

  @Override
  public synchronized void revert(AssetId vm, String snapshotId, String key) {
    if (once("revert/" + vm + "/" + key)) {
      restore(vm, snapshotId);
      effectKeys.put("revert/" + vm + "/" + key, key);
    }
  }

  /** Whether the effect under this key has not happened yet. */
  private boolean once(String key) {
    return !effectKeys.containsKey(key);
  }

  private Snapshot restore(AssetId vm, String snapshotId) {
    Vm v = vm(vm);
    Snapshot s = snapshots.get(snapshotId);
    if (s == null || !s.vm().equals(vm)) {
      throw new PatchException("VM " + vm + " has no snapshot " + snapshotId);
    }
    v.packages = s.packages();
    return s;
  }

  @Override
  public synchronized void enterMaintenance(HostId host, String key) {
    HostState h = host(host);
    if (once("enter/" + host + "/" + key)) {
      h.maintenance = true;
      effectKeys.put("enter/" + host + "/" + key, key);
    }
  }

  @Override
  public synchronized void exitMaintenance(HostId host, String key) {
    HostState h = host(host);
    if (once("exit/" + host + "/" + key)) {
      h.maintenance = false;
      effectKeys.put("exit/" + host + "/" + key, key);
    }
  }

  @Override
  public synchronized void migrate(AssetId vm, HostId target, String key) {
    Vm v = vm(vm);
    HostState t = host(target);
    if (!once("migrate/" + vm + "/" + key)) {
      return;
    }
    if (v.asset.powerState() != Asset.PowerState.RUNNING) {
      throw new PatchException("cannot live-migrate VM " + vm + ": it is " + v.asset.powerState());
    }
    if (t.maintenance) {
      throw new PatchException(
          "cannot migrate VM " + vm + " to " + target + ": host in maintenance");
    }
    if (!v.asset.host().equals(Optional.of(target))) {
      if (used(target) + v.vcpus > t.capacity) {
        throw new PatchException(
            "cannot migrate VM "
                + vm
                + " to "
                + target
                + ": "
                + (t.capacity - used(target))
                + " vCPUs free, "
                + v.vcpus
                + " needed");
      }
      v.asset = Asset.builder().from(v.asset).host(target).build();
    }
    effectKeys.put("migrate/" + vm + "/" + key, key);
  }

  @Override
  public synchronized void holdForCatchUp(AssetId vm, String key) {
    Vm v = vm(vm);
    if (once("hold/" + vm + "/" + key)) {
      v.held = true;
      holds.add(new HoldChange(vm, true, clock.instant(), v.packages));
      effectKeys.put("hold/" + vm + "/" + key, key);
    }
  }

  @Override
  public synchronized void release(AssetId vm, String key) {
    Vm v = vm(vm);
    if (once("release/" + vm + "/" + key)) {
      v.held = false;
      holds.add(new HoldChange(vm, false, clock.instant(), v.packages));
      effectKeys.put("release/" + vm + "/" + key, key);
    }
  }

  @Override
  public synchronized LifecyclePage lifecycleEvents(Optional<String> cursor) {
    int from = cursor.map(Integer::parseInt).orElse(0);
    return LifecyclePage.builder()
        .events(lifecycle.subList(Math.min(from, lifecycle.size()), lifecycle.size()))
        .nextCursor(Integer.toString(lifecycle.size()))
        .build();
  }

  // ---- PatchExecutor ---------------------------------------------------------------------

  @Override
  public synchronized String submit(PatchJob job) {
    if (jobs.containsKey(job.key())) {
      return job.key();
    }
    Vm v = vm(job.asset());
    Instant now = clock.instant();
    SplittableRandom r = new SplittableRandom(seed * 31 + job.key().hashCode());
    long span = maxJob.minus(minJob).toSeconds();
    Duration duration = minJob.plusSeconds(span <= 0 ? 0 : r.nextLong(span + 1));
    boolean fails =
        v.broken
            || r.nextDouble() < failureRate
            || (v.asset.powerState() != Asset.PowerState.RUNNING
                && !capabilities.canPatchSuspended());
    jobs.put(job.key(), new Job(new JobRecord(job, now, now.plus(duration), fails)));
    int running = 0;
    for (Job j : jobs.values()) {
      if (!j.record.started().isAfter(now) && j.record.ends().isAfter(now)) {
        running++;
      }
    }
    maxConcurrentJobs = Math.max(maxConcurrentJobs, running);
    return job.key();
  }

  @Override
  public synchronized Optional<PatchOutcome> poll(String handle) {
    Job j = jobs.get(handle);
    if (j == null) {
      throw new IllegalArgumentException("no patch job " + handle);
    }
    if (j.outcome == null && !clock.instant().isBefore(j.record.ends())) {
      j.outcome = finish(j.record);
    }
    return Optional.ofNullable(j.outcome);
  }

  private PatchOutcome finish(JobRecord r) {
    Vm v = vm(r.job().asset());
    Map<String, String> result = new TreeMap<>();
    PatchOutcome.Builder out = PatchOutcome.builder().finishedAt(r.ends());
    if (r.fails()) {
      String first = r.job().updates().isEmpty() ? "apt" : r.job().updates().get(0).name();
      for (PackageUpdate u : r.job().updates()) {
        result.put(u.name(), "error: not configured");
      }
      return out.succeeded(false)
          .packages(result)
          .message(
              "dpkg: error processing package "
                  + first
                  + " (--configure): subprocess returned error exit status 1")
          .build();
    }
    List<InstalledPackage> packages = new ArrayList<>();
    for (InstalledPackage p : v.packages) {
      PackageUpdate u =
          r.job().updates().stream()
              .filter(x -> x.name().equals(p.name()))
              .findFirst()
              .orElse(null);
      if (u == null) {
        packages.add(p);
      } else {
        packages.add(
            InstalledPackage.builder()
                .from(p)
                .version(u.targetVersion())
                .sourceVersion(Optional.empty())
                .build());
        result.put(p.name(), u.targetVersion());
      }
    }
    v.packages = List.copyOf(packages);
    return out.succeeded(true)
        .packages(result)
        .message(result.size() + " packages updated")
        .build();
  }

  // ---- InventorySource -------------------------------------------------------------------

  @Override
  public synchronized List<Asset> assets() {
    return vms.values().stream().map(v -> v.asset).toList();
  }

  @Override
  public synchronized Optional<Inventory> inventory(AssetId asset) {
    Vm v = vms.get(asset);
    if (v == null) {
      return Optional.empty();
    }
    return Optional.of(
        Inventory.builder()
            .asset(asset)
            .platform(v.asset.platform())
            .observedAt(clock.instant())
            .source("simulated:dpkg-status")
            .packages(v.packages)
            .build());
  }

  // ---- what a test or a report may look at -------------------------------------------------

  /** What the VM has installed now. */
  public synchronized List<InstalledPackage> installed(AssetId vm) {
    return vm(vm).packages;
  }

  /** Whether the VM is held from its users. */
  public synchronized boolean isHeld(AssetId vm) {
    return vm(vm).held;
  }

  /** Every hold placed and lifted, in order. */
  public synchronized List<HoldChange> holdChanges() {
    return List.copyOf(holds);
  }

  /** Every patch job submitted, in order. */
  public synchronized List<JobRecord> jobs() {
    return jobs.values().stream().map(j -> j.record).toList();
  }

  /** The most patch jobs that ever ran at one instant. */
  public synchronized int maxConcurrentJobs() {
    return maxConcurrentJobs;
  }

  private int used(HostId host) {
    int sum = 0;
    for (Vm v : vms.values()) {
      if (v.asset.host().equals(Optional.of(host))) {
        sum += v.vcpus;
      }
    }
    return sum;
  }

  private Vm vm(AssetId id) {
    Vm v = vms.get(Objects.requireNonNull(id, "vm"));
    if (v == null) {
      throw new PatchException("no VM " + id + " in the simulated cloud");
    }
    return v;
  }

  private HostState host(HostId id) {
    HostState h = hosts.get(Objects.requireNonNull(id, "host"));
    if (h == null) {
      throw new PatchException("no host " + id + " in the simulated cloud");
    }
    return h;
  }

  /** Builds a {@link SimulatedCloud}. */
  public static final class Builder {
    private @Nullable Clock clock;
    private long seed = 1;
    private double failureRate = 0.02;
    private Duration minJob = Duration.ofMinutes(4);
    private Duration maxJob = Duration.ofMinutes(20);
    private Capabilities capabilities =
        Capabilities.builder()
            .canPatchSuspended(false)
            .canSnapshotOnline(true)
            .canLiveMigrate(true)
            .build();

    private Builder() {}

    /** The clock patch jobs run on; required. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The seed of every random draw. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The share of patch jobs that fail, from 0 to 1 (default 0.02). */
    public Builder failureRate(double rate) {
      if (!(rate >= 0 && rate <= 1)) {
        throw new IllegalArgumentException("failure rate must be in [0, 1]: " + rate);
      }
      this.failureRate = rate;
      return this;
    }

    /** How long patch jobs take: uniformly between the two (default 4 to 20 minutes). */
    public Builder jobDuration(Duration min, Duration max) {
      if (min.isNegative() || max.compareTo(min) < 0) {
        throw new IllegalArgumentException("bad job duration range " + min + ".." + max);
      }
      this.minJob = min;
      this.maxJob = max;
      return this;
    }

    /** What the simulated hypervisor can do. */
    public Builder capabilities(Capabilities capabilities) {
      this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
      return this;
    }

    /** The cloud, empty. */
    public SimulatedCloud build() {
      Objects.requireNonNull(clock, "clock");
      return new SimulatedCloud(this);
    }
  }
}
