package org.cloudpatch.core.memory;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;
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
import org.cloudpatch.core.spi.InventoryChanges;
import org.cloudpatch.core.spi.InventorySource;
import org.cloudpatch.core.spi.PatchExecutor;
import org.jspecify.annotations.Nullable;

/**
 * A cloud in memory, and a faithful adversary: hosts with vCPU and memory capacity, VMs placed on
 * them with their installed packages and power state, snapshots, maintenance mode, live migration,
 * holds, a lifecycle event stream, and a patch executor whose jobs take minutes of clock time and
 * fail at a configured rate.
 *
 * <p>It is the hypervisor, the patch executor and the inventory source of a simulation at once. A
 * patch job's effect lands when the job finishes in clock time, whether or not anyone polls: every
 * call first settles what finished by the clock's instant. With a {@link FaultPlan} it injects
 * faults into hypervisor, executor and inventory calls alike; {@link #reliable()} is a view without
 * faults for the simulation's own bookkeeping. It keeps a ground truth of what really happened
 * ({@link #truth()}, {@link #writeTruth}), apart from any engine's journal.
 *
 * <p>Every random draw comes from the seed: a job's duration and fate depend only on the seed and
 * the job's key, a fault only on the seed, the operation, its key and how often that operation was
 * called with that key, so the same seed and the same calls give the same run, and a call added
 * elsewhere does not shift the faults. Adding a VM and the hosts' use are constant-time, so fleets
 * of 100,000 VMs build in seconds. Thread-safe.
 */
public final class SimulatedCloud implements HypervisorAdapter, PatchExecutor, InventorySource {
  /** Memory per vCPU where a host or VM is added without its memory. */
  public static final int DEFAULT_GIB_PER_VCPU = 4;

  private final Clock clock;
  private final long seed;
  private final double failureRate;
  private final Duration minJob;
  private final Duration maxJob;
  private final Capabilities capabilities;
  private final FaultPlan faults;
  private final SplittableRandom setupRandom;

  private final Map<HostId, HostState> hosts = new TreeMap<>();
  private final Map<AssetId, Vm> vms = new TreeMap<>();
  private final Map<String, Snapshot> snapshots = new LinkedHashMap<>();
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  // Jobs still running, earliest end first (submission order breaks ties): settled in that order.
  private final PriorityQueue<Job> running =
      new PriorityQueue<>(
          Comparator.comparing((Job j) -> j.record.ends()).thenComparingLong(j -> j.order));
  // Unannounced resumes (a fault), earliest first.
  private final PriorityQueue<EarlyResume> earlyResumes =
      new PriorityQueue<>(Comparator.comparing(EarlyResume::at).thenComparing(r -> r.vm().value()));
  private final List<LifecycleEvent> lifecycle = new ArrayList<>();
  private final List<HoldChange> holds = new ArrayList<>();
  private final List<TruthFact> truth = new ArrayList<>();
  // Idempotency keys of effects that happened, with their result (a snapshot id, or the key).
  private final Map<String, String> effectKeys = new HashMap<>();
  // How often each operation was called with each key: the attempt of a fault draw.
  private final FaultSchedule schedule;
  private final ChangeFeed changes;
  private @Nullable List<Asset> assetsView;
  private int maxConcurrentJobs;

  /** A hold placed on or lifted from a VM, with what it had installed at that moment. */
  public record HoldChange(
      AssetId vm, boolean held, Instant at, List<InstalledPackage> installed) {}

  /** A patch job as the simulated executor ran it. */
  public record JobRecord(PatchJob job, Instant started, Instant ends, boolean fails) {}

  private static final class HostState {
    final HostId id;
    final int capacity;
    final int memGiB;
    int used;
    int memUsed;
    boolean maintenance;
    int build = 1; // the hypervisor build it runs: each patch that takes moves it on

    HostState(HostId id, int capacity, int memGiB) {
      this.id = id;
      this.capacity = capacity;
      this.memGiB = memGiB;
    }
  }

  private static final class Vm {
    Asset asset;
    final int vcpus;
    final int memGiB;
    final boolean broken;
    List<InstalledPackage> packages;
    @Nullable Instant suspendedSince;
    int suspensions;
    int events;
    int jobs;
    boolean held;

    Vm(Asset asset, int vcpus, int memGiB, boolean broken, List<InstalledPackage> packages) {
      this.asset = asset;
      this.vcpus = vcpus;
      this.memGiB = memGiB;
      this.broken = broken;
      this.packages = List.copyOf(packages);
    }

    HostId host() {
      return asset.host().orElseThrow();
    }
  }

  private record Snapshot(AssetId vm, List<InstalledPackage> packages, Instant takenAt) {}

  private record EarlyResume(Instant at, AssetId vm, int suspension) {}

  private static final class Job {
    final JobRecord record;
    final long order;
    final int attempt;
    final boolean silent;
    @Nullable PatchOutcome outcome;

    Job(JobRecord record, long order, int attempt, boolean silent) {
      this.record = record;
      this.order = order;
      this.attempt = attempt;
      this.silent = silent;
    }
  }

  private SimulatedCloud(Builder b) {
    this.clock = Objects.requireNonNull(b.clock, "clock");
    this.seed = b.seed;
    this.failureRate = b.failureRate;
    this.minJob = b.minJob;
    this.maxJob = b.maxJob;
    this.capabilities = b.capabilities;
    this.faults = b.faults;
    this.schedule = new FaultSchedule(b.seed, b.faults, clock);
    this.changes = new ChangeFeed(b.seed, schedule, b.faults);
    this.setupRandom = new SplittableRandom(b.seed);
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  // ---- building the cloud ----------------------------------------------------------------

  /** Adds a host with {@code vcpus} of capacity and {@value #DEFAULT_GIB_PER_VCPU} GiB per vCPU. */
  public SimulatedCloud addHost(HostId host, int vcpus) {
    return addHost(host, vcpus, vcpus * DEFAULT_GIB_PER_VCPU);
  }

  /** Adds a host with {@code vcpus} and {@code memGiB} of capacity. */
  public synchronized SimulatedCloud addHost(HostId host, int vcpus, int memGiB) {
    settle();
    if (vcpus < 1 || memGiB < 1) {
      throw new IllegalArgumentException(
          "host " + host + " needs capacity: " + vcpus + " vCPUs, " + memGiB + " GiB");
    }
    if (hosts.putIfAbsent(host, new HostState(host, vcpus, memGiB)) != null) {
      throw new IllegalArgumentException("host " + host + " exists");
    }
    record(
        TruthFact.of(clock.instant(), TruthEvent.Kind.HOST_ADDED).host(host).size(vcpus, memGiB));
    return this;
  }

  /**
   * Adds a VM of {@value #DEFAULT_GIB_PER_VCPU} GiB per vCPU on its asset's host with the packages
   * of its image.
   */
  public SimulatedCloud addVm(Asset asset, int vcpus, List<InstalledPackage> image) {
    return addVm(asset, vcpus, vcpus * DEFAULT_GIB_PER_VCPU, image);
  }

  /**
   * Adds a VM on its asset's host with the packages of its image. A small share of VMs (a quarter
   * of the failure rate) is broken: every patch on it fails, as on a VM whose package database is
   * damaged.
   */
  public synchronized SimulatedCloud addVm(
      Asset asset, int vcpus, int memGiB, List<InstalledPackage> image) {
    settle();
    HostId host =
        asset
            .host()
            .orElseThrow(() -> new IllegalArgumentException("VM " + asset.id() + " has no host"));
    HostState h = hosts.get(host);
    if (h == null) {
      throw new IllegalArgumentException("VM " + asset.id() + " is placed on unknown host " + host);
    }
    if (vcpus < 1 || memGiB < 1) {
      throw new IllegalArgumentException(
          "VM " + asset.id() + " needs resources: " + vcpus + " vCPUs, " + memGiB + " GiB");
    }
    if (h.used + vcpus > h.capacity || h.memUsed + memGiB > h.memGiB) {
      throw new IllegalArgumentException("host " + host + " has no room for VM " + asset.id());
    }
    if (vms.containsKey(asset.id())) {
      throw new IllegalArgumentException("VM " + asset.id() + " exists");
    }
    boolean broken = setupRandom.nextDouble() < failureRate / 4;
    vms.put(asset.id(), new Vm(asset, vcpus, memGiB, broken, image));
    h.used += vcpus;
    h.memUsed += memGiB;
    assetsView = null;
    changes.added(asset.id());
    record(
        TruthFact.of(clock.instant(), TruthEvent.Kind.PLACED)
            .vm(asset.id())
            .host(host)
            .size(vcpus, memGiB));
    return this;
  }

  // ---- what users and operators do (scripted) ------------------------------------------------

  /**
   * The VM is decommissioned: it leaves the cloud, its resources freed.
   *
   * @throws IllegalStateException while a patch job runs on it
   */
  public synchronized void decommission(AssetId vm) {
    settle();
    Vm v = vm(vm);
    if (running.stream().anyMatch(j -> j.record.job().asset().equals(vm))) {
      throw new IllegalStateException("VM " + vm + " runs a patch job");
    }
    vms.remove(vm);
    HostState h = host(v.host());
    h.used -= v.vcpus;
    h.memUsed -= v.memGiB;
    assetsView = null;
    changes.removed(vm);
    record(TruthFact.of(clock.instant(), TruthEvent.Kind.DECOMMISSIONED).vm(vm).host(v.host()));
  }

  /**
   * The change feed forgets what it logged, as a real feed's retention does: every cursor given so
   * far answers {@link InventoryChanges.CannotVouch#CURSOR_EXPIRED}.
   */
  public synchronized void forgetChanges() {
    settle(); // what is due has happened, and is forgotten with the rest
    changes.forget();
  }

  /** The VM's user suspends it. */
  public synchronized void suspend(AssetId vm) {
    settle();
    Vm v = vm(vm);
    if (v.asset.powerState() != Asset.PowerState.RUNNING) {
      throw new IllegalStateException("VM " + vm + " is " + v.asset.powerState() + ", not running");
    }
    v.asset = Asset.builder().from(v.asset).powerState(Asset.PowerState.SUSPENDED).build();
    assetsView = null;
    Instant now = clock.instant();
    v.suspendedSince = now;
    v.suspensions++;
    record(TruthFact.of(now, TruthEvent.Kind.SUSPENDED).vm(vm));
    lifecycle(v, event(vm, LifecycleEvent.Kind.SUSPENDED).build());
    String key = vm + "/" + v.suspensions;
    if (draw("resumed-early", key, 0, 9) < faults.resumedEarly()) {
      long minutes = 60 + (long) (draw("resumed-early-after", key, 0, 10) * 11 * 60);
      earlyResumes.add(new EarlyResume(now.plus(Duration.ofMinutes(minutes)), vm, v.suspensions));
    }
  }

  /** The VM's user resumes it. */
  public synchronized void resume(AssetId vm) {
    settle();
    Vm v = vm(vm);
    if (v.asset.powerState() != Asset.PowerState.SUSPENDED) {
      throw new IllegalStateException("VM " + vm + " is not suspended");
    }
    resumeNow(v, clock.instant());
  }

  private void resumeNow(Vm v, Instant at) {
    v.asset = Asset.builder().from(v.asset).powerState(Asset.PowerState.RUNNING).build();
    assetsView = null;
    record(TruthFact.of(at, TruthEvent.Kind.RESUMED).vm(v.asset.id()));
    lifecycle(
        v,
        LifecycleEvent.builder()
            .asset(v.asset.id())
            .kind(LifecycleEvent.Kind.RESUMED)
            .at(at)
            .suspendedSince(Optional.ofNullable(v.suspendedSince))
            .build());
    v.suspendedSince = null;
  }

  /** The VM's user reverts it to one of its snapshots (a lifecycle event, unlike a rollback). */
  public synchronized void revertToSnapshot(AssetId vm, String snapshotId) {
    settle();
    Snapshot s = restore(vm, snapshotId);
    lifecycle(
        vm(vm),
        event(vm, LifecycleEvent.Kind.REVERTED)
            .snapshotTakenAt(s.takenAt())
            .snapshot(snapshotId)
            .build());
  }

  /**
   * The operator patches a host: it must be in maintenance mode and run no VM.
   *
   * @throws IllegalStateException when the host is out of maintenance or still runs VMs
   */
  public synchronized void patchHost(HostId host) {
    settle();
    HostState h = host(host);
    if (!h.maintenance || h.used > 0) {
      throw new IllegalStateException(
          "host "
              + host
              + " cannot be patched: "
              + (h.maintenance ? "it still runs VMs" : "it is not in maintenance mode"));
    }
    h.build++;
    record(TruthFact.of(clock.instant(), TruthEvent.Kind.HOST_PATCHED).host(host));
  }

  private LifecycleEvent.Builder event(AssetId vm, LifecycleEvent.Kind kind) {
    return LifecycleEvent.builder().asset(vm).kind(kind).at(clock.instant());
  }

  private void lifecycle(Vm v, LifecycleEvent e) {
    lifecycle.add(e);
    v.events++;
    if (draw("lifecycle", v.asset.id().value(), v.events, 5) < faults.duplicateEvent()) {
      lifecycle.add(e);
    }
  }

  // ---- HypervisorAdapter -------------------------------------------------------------------

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  @Override
  public synchronized List<Host> hosts() {
    return guarded("hosts", "", this::doHosts);
  }

  private List<Host> doHosts() {
    List<Host> out = new ArrayList<>(hosts.size());
    for (HostState h : hosts.values()) {
      out.add(
          Host.builder()
              .id(h.id)
              .vcpuCapacity(h.capacity)
              .vcpuUsed(h.used)
              .inMaintenance(h.maintenance)
              .memGiBCapacity(h.memGiB)
              .build());
    }
    return out;
  }

  @Override
  public synchronized Optional<Asset.PowerState> powerState(AssetId vm) {
    return guarded("powerState", vm.value(), () -> doPowerState(vm));
  }

  private Optional<Asset.PowerState> doPowerState(AssetId vm) {
    Vm v = vms.get(vm);
    return v == null ? Optional.empty() : Optional.of(v.asset.powerState());
  }

  @Override
  public synchronized Optional<HostId> placement(AssetId vm) {
    return guarded("placement", vm.value(), () -> doPlacement(vm));
  }

  private Optional<HostId> doPlacement(AssetId vm) {
    Vm v = vms.get(vm);
    return v == null ? Optional.empty() : v.asset.host();
  }

  @Override
  public synchronized String snapshot(AssetId vm, String key) {
    return guarded("snapshot", vm + "/" + key, () -> doSnapshot(vm, key));
  }

  private String doSnapshot(AssetId vm, String key) {
    Vm v = vm(vm);
    String done = effectKeys.get("snapshot/" + vm + "/" + key);
    if (done != null) {
      return done;
    }
    String id = "snap-" + (snapshots.size() + 1);
    snapshots.put(id, new Snapshot(vm, v.packages, clock.instant()));
    effectKeys.put("snapshot/" + vm + "/" + key, id);
    record(TruthFact.of(clock.instant(), TruthEvent.Kind.SNAPSHOT_TAKEN).vm(vm).snapshot(id));
    return id;
  }

  /** The packages the VM had when the snapshot was taken, as an inventory observed then. */
  @Override
  public synchronized Optional<Inventory> snapshotInventory(AssetId vm, String snapshot) {
    return guarded(
        "snapshotInventory", vm + "/" + snapshot, () -> doSnapshotInventory(vm, snapshot));
  }

  private Optional<Inventory> doSnapshotInventory(AssetId vm, String snapshot) {
    Snapshot s = snapshots.get(snapshot);
    Vm v = vms.get(vm);
    if (s == null || v == null || !s.vm().equals(vm)) {
      return Optional.empty();
    }
    return Optional.of(
        Inventory.builder()
            .asset(vm)
            .platform(v.asset.platform())
            .observedAt(s.takenAt())
            .source("simulated:snapshot/" + snapshot)
            .packages(s.packages())
            .build());
  }

  @Override
  public synchronized void revert(AssetId vm, String snapshotId, String key) {
    guarded("revert", vm + "/" + key, () -> doRevert(vm, snapshotId, key));
  }

  private @Nullable Void doRevert(AssetId vm, String snapshotId, String key) {
    if (once("revert/" + vm + "/" + key)) {
      restore(vm, snapshotId);
      effectKeys.put("revert/" + vm + "/" + key, key);
    }
    return null;
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
    changes.changed(vm);
    record(
        TruthFact.of(clock.instant(), TruthEvent.Kind.REVERTED)
            .vm(vm)
            .snapshot(snapshotId)
            .installed(v.packages));
    return s;
  }

  @Override
  public synchronized void enterMaintenance(HostId host, String key) {
    guarded("enterMaintenance", host + "/" + key, () -> doEnterMaintenance(host, key));
  }

  private @Nullable Void doEnterMaintenance(HostId host, String key) {
    HostState h = host(host);
    if (once("enter/" + host + "/" + key)) {
      if (draw("stuck-maintenance", host + "/" + key, 0, 7) < faults.stuckMaintenance()) {
        throw new PatchException(
            "simulated fault: host " + host + " is stuck entering maintenance mode");
      }
      if (!h.maintenance) {
        h.maintenance = true;
        record(TruthFact.of(clock.instant(), TruthEvent.Kind.MAINTENANCE_ENTERED).host(host));
      }
      effectKeys.put("enter/" + host + "/" + key, key);
    }
    return null;
  }

  @Override
  public synchronized void exitMaintenance(HostId host, String key) {
    guarded("exitMaintenance", host + "/" + key, () -> doExitMaintenance(host, key));
  }

  private @Nullable Void doExitMaintenance(HostId host, String key) {
    HostState h = host(host);
    if (once("exit/" + host + "/" + key)) {
      if (h.maintenance) {
        h.maintenance = false;
        record(TruthFact.of(clock.instant(), TruthEvent.Kind.MAINTENANCE_EXITED).host(host));
      }
      effectKeys.put("exit/" + host + "/" + key, key);
    }
    return null;
  }

  @Override
  public synchronized void migrate(AssetId vm, HostId target, String key) {
    guarded("migrate", vm + "/" + key, () -> doMigrate(vm, target, key));
  }

  private @Nullable Void doMigrate(AssetId vm, HostId target, String key) {
    Vm v = vm(vm);
    HostState t = host(target);
    if (!once("migrate/" + vm + "/" + key)) {
      return null;
    }
    if (v.asset.powerState() != Asset.PowerState.RUNNING) {
      throw new PatchException("cannot live-migrate VM " + vm + ": it is " + v.asset.powerState());
    }
    if (t.maintenance) {
      throw new PatchException(
          "cannot migrate VM " + vm + " to " + target + ": host in maintenance");
    }
    HostId source = v.host();
    if (!source.equals(target)) {
      if (t.used + v.vcpus > t.capacity) {
        throw new PatchException(
            "cannot migrate VM "
                + vm
                + " to "
                + target
                + ": "
                + (t.capacity - t.used)
                + " vCPUs free, "
                + v.vcpus
                + " needed");
      }
      if (t.memUsed + v.memGiB > t.memGiB) {
        throw new PatchException(
            "cannot migrate VM "
                + vm
                + " to "
                + target
                + ": "
                + (t.memGiB - t.memUsed)
                + " GiB free, "
                + v.memGiB
                + " needed");
      }
      if (draw("capacity-short", vm + "/" + key, 0, 11) < faults.capacityShort()) {
        throw new PatchException(
            "simulated fault: host "
                + target
                + " refuses VM "
                + vm
                + ": not enough memory free for "
                + v.memGiB
                + " GiB (reserved memory not reported)");
      }
      if (draw("migration-fails", vm + "/" + key, 0, 8) < faults.migrationFailure()) {
        throw new PatchException(
            "simulated fault: live migration of VM "
                + vm
                + " to "
                + target
                + " aborted (memory dirtied faster than copied)");
      }
      HostState s = host(source);
      s.used -= v.vcpus;
      s.memUsed -= v.memGiB;
      t.used += v.vcpus;
      t.memUsed += v.memGiB;
      v.asset = Asset.builder().from(v.asset).host(target).build();
      assetsView = null;
      record(TruthFact.of(clock.instant(), TruthEvent.Kind.MIGRATED).vm(vm).move(source, target));
    }
    effectKeys.put("migrate/" + vm + "/" + key, key);
    return null;
  }

  @Override
  public synchronized Optional<Demand> demand(AssetId vm) {
    return guarded("demand", vm.value(), () -> doDemand(vm));
  }

  private Optional<Demand> doDemand(AssetId vm) {
    Vm v = vms.get(vm);
    return v == null ? Optional.empty() : Optional.of(Demand.of(v.vcpus, v.memGiB));
  }

  @Override
  public synchronized List<Resident> residents(HostId host) {
    return guarded("residents", host.value(), () -> doResidents(host));
  }

  private List<Resident> doResidents(HostId host) {
    if (!capabilities.listsResidents()) {
      throw new PatchException("this simulated hypervisor does not list a host's VMs");
    }
    if (!hosts.containsKey(host)) {
      return List.of();
    }
    List<Resident> out = new ArrayList<>();
    for (Map.Entry<AssetId, Vm> e : vms.entrySet()) {
      Vm v = e.getValue();
      if (v.asset.host().filter(host::equals).isPresent()) {
        out.add(
            Resident.of(
                e.getKey(), v.asset.powerState(), Optional.of(Demand.of(v.vcpus, v.memGiB))));
      }
    }
    return out;
  }

  /**
   * Patches a host under a key: it must be in maintenance mode and run no VM (suspended and stopped
   * VMs count), or the call fails and nothing happens; recorded as {@code host.patched} once per
   * key.
   */
  @Override
  public synchronized void patchHost(HostId host, String key) {
    guarded("patchHost", host + "/" + key, () -> doPatchHost(host, key));
  }

  private @Nullable Void doPatchHost(HostId host, String key) {
    HostState h = host(host);
    if (once("patch-host/" + host + "/" + key)) {
      if (!h.maintenance || h.used > 0) {
        throw new PatchException(
            "host "
                + host
                + " cannot be patched: "
                + (h.maintenance ? "it still runs VMs" : "it is not in maintenance mode"));
      }
      // An ineffective patch is confirmed like any other, but the host still runs its old build:
      // the truth records no patch, so only reading the host's level afterwards can tell.
      if (draw("host-patch-ineffective", host + "/" + key, 0, 12)
          >= faults.hostPatchIneffective()) {
        h.build++;
        record(TruthFact.of(clock.instant(), TruthEvent.Kind.HOST_PATCHED).host(host));
      }
      effectKeys.put("patch-host/" + host + "/" + key, key);
    }
    return null;
  }

  /** The host's hypervisor build, {@code hv-build-N}: N moves on with each patch that takes. */
  @Override
  public synchronized Optional<String> hostPatchLevel(HostId host) {
    return guarded("hostPatchLevel", host.value(), () -> doHostPatchLevel(host));
  }

  private Optional<String> doHostPatchLevel(HostId host) {
    HostState h = hosts.get(host);
    return h == null ? Optional.empty() : Optional.of("hv-build-" + h.build);
  }

  @Override
  public synchronized void holdForCatchUp(AssetId vm, String key) {
    guarded("holdForCatchUp", vm + "/" + key, () -> doHold(vm, key));
  }

  private @Nullable Void doHold(AssetId vm, String key) {
    Vm v = vm(vm);
    if (once("hold/" + vm + "/" + key)) {
      if (!v.held) {
        record(TruthFact.of(clock.instant(), TruthEvent.Kind.HELD).vm(vm));
      }
      v.held = true;
      holds.add(new HoldChange(vm, true, clock.instant(), v.packages));
      effectKeys.put("hold/" + vm + "/" + key, key);
    }
    return null;
  }

  @Override
  public synchronized void release(AssetId vm, String key) {
    guarded("release", vm + "/" + key, () -> doRelease(vm, key));
  }

  private @Nullable Void doRelease(AssetId vm, String key) {
    Vm v = vm(vm);
    if (once("release/" + vm + "/" + key)) {
      if (v.held) {
        record(
            TruthFact.of(clock.instant(), TruthEvent.Kind.RELEASED).vm(vm).installed(v.packages));
      }
      v.held = false;
      holds.add(new HoldChange(vm, false, clock.instant(), v.packages));
      effectKeys.put("release/" + vm + "/" + key, key);
    }
    return null;
  }

  @Override
  public synchronized LifecyclePage lifecycleEvents(Optional<String> cursor) {
    return guarded("lifecycleEvents", cursor.orElse(""), () -> doLifecycleEvents(cursor));
  }

  private LifecyclePage doLifecycleEvents(Optional<String> cursor) {
    int from = cursor.map(Integer::parseInt).orElse(0);
    return LifecyclePage.builder()
        .events(lifecycle.subList(Math.min(from, lifecycle.size()), lifecycle.size()))
        .nextCursor(Integer.toString(lifecycle.size()))
        .build();
  }

  // ---- PatchExecutor ---------------------------------------------------------------------

  @Override
  public synchronized String submit(PatchJob job) {
    Objects.requireNonNull(job, "job");
    return guarded("submit", job.key(), () -> doSubmit(job, true));
  }

  private String doSubmit(PatchJob job, boolean agentMayBeOffline) {
    if (jobs.containsKey(job.key())) {
      return job.key();
    }
    Vm v = vm(job.asset());
    Instant now = clock.instant();
    if (agentMayBeOffline) {
      agentReachable(job.asset(), now);
    }
    SplittableRandom r = new SplittableRandom(seed * 31 + job.key().hashCode());
    long span = maxJob.minus(minJob).toSeconds();
    Duration duration = minJob.plusSeconds(span <= 0 ? 0 : r.nextLong(span + 1));
    boolean fails =
        v.broken
            || r.nextDouble() < failureRate
            || (v.asset.powerState() != Asset.PowerState.RUNNING
                && !capabilities.canPatchSuspended());
    boolean silent = draw("never-reports", job.key(), 0, 6) < faults.neverReports();
    v.jobs++;
    Job j =
        new Job(new JobRecord(job, now, now.plus(duration), fails), jobs.size(), v.jobs, silent);
    jobs.put(job.key(), j);
    record(
        TruthFact.of(now, TruthEvent.Kind.JOB_STARTED)
            .vm(job.asset())
            .host(v.host())
            .job(job.key(), job.group().orElse(null), j.attempt));
    // Jobs that end by now were settled before this call, so every queued job still runs.
    running.add(j);
    if (duration.isZero()) {
      settle();
    }
    maxConcurrentJobs = Math.max(maxConcurrentJobs, running.size());
    return job.key();
  }

  @Override
  public synchronized Optional<PatchOutcome> poll(String handle) {
    return guarded("poll", handle, () -> doPoll(handle));
  }

  private Optional<PatchOutcome> doPoll(String handle) {
    Job j = jobs.get(handle);
    if (j == null) {
      throw new IllegalArgumentException("no patch job " + handle);
    }
    return j.silent ? Optional.empty() : Optional.ofNullable(j.outcome);
  }

  /**
   * Lands every job and unannounced resume that is due by the clock's instant, in time order: the
   * effect of a job happens when it finishes, whether or not anyone polls.
   */
  private void settle() {
    Instant now = clock.instant();
    while (true) {
      Job job = running.peek();
      EarlyResume resume = earlyResumes.peek();
      boolean jobDue = job != null && !job.record.ends().isAfter(now);
      boolean resumeDue = resume != null && !resume.at().isAfter(now);
      if (jobDue && (!resumeDue || !resume.at().isBefore(job.record.ends()))) {
        running.poll();
        job.outcome = finish(job);
      } else if (resumeDue) {
        earlyResumes.poll();
        Vm v = vm(resume.vm());
        if (v.suspensions == resume.suspension()
            && v.asset.powerState() == Asset.PowerState.SUSPENDED) {
          resumeNow(v, resume.at());
        }
      } else {
        return;
      }
    }
  }

  private PatchOutcome finish(Job j) {
    JobRecord r = j.record;
    Vm v = vm(r.job().asset());
    Map<String, String> result = new TreeMap<>();
    PatchOutcome.Builder out = PatchOutcome.builder().finishedAt(r.ends());
    PatchOutcome outcome;
    if (r.fails()) {
      String first = r.job().updates().isEmpty() ? "apt" : r.job().updates().get(0).name();
      for (PackageUpdate u : r.job().updates()) {
        result.put(u.name(), "error: not configured");
      }
      outcome =
          out.succeeded(false)
              .packages(result)
              .message(
                  "dpkg: error processing package "
                      + first
                      + " (--configure): subprocess returned error exit status 1")
              .build();
    } else {
      Map<String, PackageUpdate> byName = new HashMap<>();
      r.job().updates().forEach(u -> byName.putIfAbsent(u.name(), u));
      List<InstalledPackage> packages = new ArrayList<>(v.packages.size());
      for (InstalledPackage p : v.packages) {
        PackageUpdate u = byName.get(p.name());
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
      changes.changed(v.asset.id());
      outcome =
          out.succeeded(true).packages(result).message(result.size() + " packages updated").build();
    }
    record(
        TruthFact.of(r.ends(), TruthEvent.Kind.JOB_FINISHED)
            .vm(r.job().asset())
            .host(v.host())
            .job(r.job().key(), r.job().group().orElse(null), j.attempt)
            .installed(v.packages));
    return outcome;
  }

  // ---- InventorySource -------------------------------------------------------------------

  @Override
  public synchronized List<Asset> assets() {
    return guarded("assets", "", this::doAssets);
  }

  private List<Asset> doAssets() {
    List<Asset> view = assetsView;
    if (view == null) {
      view = vms.values().stream().map(v -> v.asset).toList();
      assetsView = view;
    }
    return view;
  }

  @Override
  public synchronized Optional<Inventory> inventory(AssetId asset) {
    return guarded("inventory", asset.value(), () -> doInventory(asset, true));
  }

  private Optional<Inventory> doInventory(AssetId asset, boolean agentMayBeOffline) {
    Vm v = vms.get(asset);
    if (v == null) {
      return Optional.empty();
    }
    if (agentMayBeOffline) {
      agentReachable(asset, clock.instant());
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

  /**
   * The feed of every inventory change the cloud makes (VM added or decommissioned, patch landed,
   * snapshot reverted), under {@link FaultPlan#changeFeedFailure()} and {@link
   * FaultPlan#changeFeedExpired()} only; settles what is due first, as every call does.
   */
  @Override
  public synchronized InventoryChanges changes(Optional<String> since) {
    Objects.requireNonNull(since, "since");
    settle();
    return changes.since(since, vms::containsKey);
  }

  /** An agent is offline for whole clock hours, drawn from the seed, the VM and the hour. */
  private void agentReachable(AssetId vm, Instant now) {
    long hour = Math.floorDiv(now.getEpochSecond(), 3600);
    if (faults.agentOffline() > 0 && draw("agent", vm.value(), hour, 4) < faults.agentOffline()) {
      throw new PatchException(
          "simulated fault: the agent on VM "
              + vm
              + " is offline (until "
              + Instant.ofEpochSecond((hour + 1) * 3600)
              + ")");
    }
  }

  // ---- faults ------------------------------------------------------------------------------

  /** Runs one SPI call under the fault plan, after settling what is due. */
  private <T> T guarded(String operation, String key, Supplier<T> call) {
    settle();
    return schedule.guarded(operation, key, call);
  }

  private double draw(String operation, String key, long attempt, int kind) {
    return schedule.draw(operation, key, attempt, kind);
  }

  // ---- the view without faults ---------------------------------------------------------------

  /**
   * The same cloud without faults: for a simulation's own bookkeeping (building a fleet, reading
   * what is really installed for a report), never for the engine under test. Its effects happen and
   * are in the ground truth like any other; it does not count as an attempt of a fault draw.
   */
  public Reliable reliable() {
    return reliable;
  }

  private final Reliable reliable = new Reliable();

  /** The hypervisor, executor and inventory of a {@link SimulatedCloud}, without its faults. */
  public final class Reliable implements HypervisorAdapter, PatchExecutor, InventorySource {
    private Reliable() {}

    private <T> T plain(Supplier<T> call) {
      synchronized (SimulatedCloud.this) {
        settle();
        return call.get();
      }
    }

    @Override
    public Capabilities capabilities() {
      return capabilities;
    }

    @Override
    public List<Host> hosts() {
      return plain(SimulatedCloud.this::doHosts);
    }

    @Override
    public Optional<Asset.PowerState> powerState(AssetId vm) {
      return plain(() -> doPowerState(vm));
    }

    @Override
    public Optional<HostId> placement(AssetId vm) {
      return plain(() -> doPlacement(vm));
    }

    @Override
    public String snapshot(AssetId vm, String key) {
      return plain(() -> doSnapshot(vm, key));
    }

    @Override
    public void revert(AssetId vm, String snapshotId, String key) {
      plain(() -> doRevert(vm, snapshotId, key));
    }

    @Override
    public void enterMaintenance(HostId host, String key) {
      plain(() -> doEnterMaintenance(host, key));
    }

    @Override
    public void exitMaintenance(HostId host, String key) {
      plain(() -> doExitMaintenance(host, key));
    }

    @Override
    public void migrate(AssetId vm, HostId target, String key) {
      plain(() -> doMigrate(vm, target, key));
    }

    @Override
    public Optional<Demand> demand(AssetId vm) {
      return plain(() -> doDemand(vm));
    }

    @Override
    public List<Resident> residents(HostId host) {
      return plain(() -> doResidents(host));
    }

    @Override
    public void patchHost(HostId host, String key) {
      plain(() -> doPatchHost(host, key));
    }

    @Override
    public Optional<String> hostPatchLevel(HostId host) {
      return plain(() -> doHostPatchLevel(host));
    }

    @Override
    public Optional<Inventory> snapshotInventory(AssetId vm, String snapshot) {
      return plain(() -> doSnapshotInventory(vm, snapshot));
    }

    @Override
    public void holdForCatchUp(AssetId vm, String key) {
      plain(() -> doHold(vm, key));
    }

    @Override
    public void release(AssetId vm, String key) {
      plain(() -> doRelease(vm, key));
    }

    @Override
    public LifecyclePage lifecycleEvents(Optional<String> cursor) {
      return plain(() -> doLifecycleEvents(cursor));
    }

    @Override
    public String submit(PatchJob job) {
      Objects.requireNonNull(job, "job");
      return plain(() -> doSubmit(job, false));
    }

    @Override
    public Optional<PatchOutcome> poll(String handle) {
      return plain(
          () -> {
            Job j = jobs.get(handle);
            if (j == null) {
              throw new IllegalArgumentException("no patch job " + handle);
            }
            return Optional.ofNullable(j.outcome);
          });
    }

    @Override
    public List<Asset> assets() {
      return plain(SimulatedCloud.this::doAssets);
    }

    @Override
    public Optional<Inventory> inventory(AssetId asset) {
      return plain(() -> doInventory(asset, false));
    }
  }

  // ---- what a test or a report may look at -------------------------------------------------

  /** What the VM has installed now. */
  public synchronized List<InstalledPackage> installed(AssetId vm) {
    settle();
    return vm(vm).packages;
  }

  /** Whether the VM is held from its users. */
  public synchronized boolean isHeld(AssetId vm) {
    settle();
    return vm(vm).held;
  }

  /** Every hold placed and lifted, in order. */
  public synchronized List<HoldChange> holdChanges() {
    settle();
    return List.copyOf(holds);
  }

  /** Every patch job submitted, in order. */
  public synchronized List<JobRecord> jobs() {
    settle();
    return jobs.values().stream().map(j -> j.record).toList();
  }

  /** The most patch jobs that ever ran at one instant. */
  public synchronized int maxConcurrentJobs() {
    settle();
    return maxConcurrentJobs;
  }

  /**
   * The ground truth so far: what really happened to each host and VM, in time order (events at one
   * instant in the order they happened). Settles first.
   */
  public synchronized List<TruthEvent> truth() {
    settle();
    List<TruthEvent> out = new ArrayList<>(truth.size());
    truth.forEach(f -> out.add(f.toEvent()));
    return out;
  }

  /**
   * Writes the ground truth so far as {@code cloud-truth.jsonl} (DESIGN §10): one line per event,
   * each ending in a newline, in time order. Settles first; does not close the writer.
   */
  public synchronized void writeTruth(Writer out) throws IOException {
    settle();
    for (TruthFact f : truth) {
      try (JsonGenerator g = TruthJson.FACTORY.createGenerator(new NonClosing(out))) {
        f.write(g);
      }
      out.write('\n');
    }
    out.flush();
  }

  /** A writer whose close does not close the writer under it (a generator closes its target). */
  private static final class NonClosing extends java.io.FilterWriter {
    NonClosing(Writer out) {
      super(out);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  private void record(TruthFact fact) {
    truth.add(fact);
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
    private FaultPlan faults = FaultPlan.none();
    private Capabilities capabilities =
        Capabilities.builder()
            .canPatchSuspended(false)
            .canSnapshotOnline(true)
            .canLiveMigrate(true)
            .canPatchHosts(true)
            .listsResidents(true)
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

    /** The faults to inject (default none). */
    public Builder faults(FaultPlan faults) {
      this.faults = Objects.requireNonNull(faults, "faults");
      return this;
    }

    /** The cloud, empty. */
    public SimulatedCloud build() {
      Objects.requireNonNull(clock, "clock");
      return new SimulatedCloud(this);
    }
  }
}
