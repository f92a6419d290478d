package org.cloudpatch.core.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.memory.SimulatedCloud;
import org.cloudpatch.core.memory.VirtualClock;
import org.cloudpatch.core.rollout.PatchJob;
import org.cloudpatch.core.rollout.PatchOutcome;
import org.cloudpatch.core.spi.HypervisorAdapter;
import org.cloudpatch.core.spi.InventorySource;
import org.cloudpatch.core.spi.PatchExecutor;

/**
 * Test-local fault injection around the simulated cloud: an operation throws on its next n calls
 * (before doing anything), loses its reply (does the effect, then throws), or is slow (the virtual
 * clock moves while it runs); a job can be made to never report. The cloud's own records stay the
 * ground truth.
 */
final class Faulty implements HypervisorAdapter, PatchExecutor, InventorySource {
  final SimulatedCloud cloud;
  final VirtualClock clock;
  final Map<String, Integer> failNext = new HashMap<>();
  final Map<String, Integer> loseReplyNext = new HashMap<>();
  final Map<String, Duration> slowNext = new HashMap<>();
  final Set<AssetId> neverReports = new HashSet<>();
  final Set<AssetId> inventoryDown = new HashSet<>();
  final Set<AssetId> brokenVms = new HashSet<>();
  final List<String> snapshotIds = new ArrayList<>();
  final List<String> calls = new ArrayList<>();

  /**
   * Hosts and VMs whose reads (residents, placement, power state, demand) and migrations fail until
   * removed; an entry {@code operation:id} fails only that operation.
   */
  final Set<String> down = new HashSet<>();

  Faulty(SimulatedCloud cloud, VirtualClock clock) {
    this.cloud = cloud;
    this.clock = clock;
  }

  /** Installs the wrapper as every cloud adapter of the fixture. */
  static Faulty around(EngineFixture f) {
    Faulty faulty = new Faulty(f.cloud, f.clock);
    f.hypervisorInUse = faulty;
    f.executorInUse = faulty;
    f.inventoryInUse = faulty;
    return faulty;
  }

  Faulty fail(String op, int times) {
    failNext.put(op, times);
    return this;
  }

  Faulty loseReply(String op, int times) {
    loseReplyNext.put(op, times);
    return this;
  }

  Faulty slow(String op, Duration by) {
    slowNext.put(op, by);
    return this;
  }

  long count(String op) {
    return calls.stream().filter(op::equals).count();
  }

  private <T> T run(String op, Supplier<T> call) {
    calls.add(op);
    if (failNext.getOrDefault(op, 0) > 0) {
      failNext.merge(op, -1, Integer::sum);
      throw new PatchException(op + ": 503 service unavailable (injected)");
    }
    Duration slow = slowNext.remove(op);
    if (slow != null) {
      clock.advance(slow);
    }
    T result = call.get();
    if (loseReplyNext.getOrDefault(op, 0) > 0) {
      loseReplyNext.merge(op, -1, Integer::sum);
      throw new PatchException(op + ": connection reset after the effect (injected)");
    }
    return result;
  }

  private void run(String op, Runnable call) {
    run(
        op,
        () -> {
          call.run();
          return Boolean.TRUE;
        });
  }

  @Override
  public Capabilities capabilities() {
    return cloud.capabilities();
  }

  @Override
  public List<Host> hosts() {
    return cloud.hosts();
  }

  @Override
  public Optional<Asset.PowerState> powerState(AssetId vm) {
    readable("powerState", vm.value());
    return cloud.powerState(vm);
  }

  @Override
  public Optional<HostId> placement(AssetId vm) {
    readable("placement", vm.value());
    return cloud.placement(vm);
  }

  private void readable(String op, String id) {
    if (down.contains(id) || down.contains(op + ":" + id)) {
      throw new PatchException(op + " " + id + ": 504 gateway timeout (injected)");
    }
  }

  @Override
  public String snapshot(AssetId vm, String key) {
    String id = run("snapshot", () -> cloud.snapshot(vm, key));
    snapshotIds.add(vm + " " + key + " " + id);
    return id;
  }

  @Override
  public void revert(AssetId vm, String snapshotId, String key) {
    run("revert", () -> cloud.revert(vm, snapshotId, key));
  }

  @Override
  public void enterMaintenance(HostId host, String key) {
    run("enterMaintenance", () -> cloud.enterMaintenance(host, key));
  }

  @Override
  public void exitMaintenance(HostId host, String key) {
    run("exitMaintenance", () -> cloud.exitMaintenance(host, key));
  }

  @Override
  public void migrate(AssetId vm, HostId target, String key) {
    readable("migrate", vm.value());
    run("migrate", () -> cloud.migrate(vm, target, key));
  }

  @Override
  public Optional<Demand> demand(AssetId vm) {
    readable("demand", vm.value());
    return run("demand", () -> cloud.demand(vm));
  }

  @Override
  public List<Resident> residents(HostId host) {
    readable("residents", host.value());
    return run("residents", () -> cloud.residents(host));
  }

  @Override
  public void patchHost(HostId host, String key) {
    run("patchHost", () -> cloud.patchHost(host, key));
  }

  @Override
  public Optional<String> hostPatchLevel(HostId host) {
    return run("hostPatchLevel", () -> cloud.hostPatchLevel(host));
  }

  @Override
  public void holdForCatchUp(AssetId vm, String key) {
    run("hold", () -> cloud.holdForCatchUp(vm, key));
  }

  @Override
  public void release(AssetId vm, String key) {
    run("release", () -> cloud.release(vm, key));
  }

  @Override
  public LifecyclePage lifecycleEvents(Optional<String> cursor) {
    return cloud.lifecycleEvents(cursor);
  }

  @Override
  public String submit(PatchJob job) {
    if (brokenVms.contains(job.asset())) {
      return run("submit", () -> "broken:" + job.key()); // its package manager is broken
    }
    return run("submit", () -> cloud.submit(job));
  }

  @Override
  public Optional<PatchOutcome> poll(String handle) {
    if (handle.startsWith("broken:")) {
      return Optional.of(
          PatchOutcome.builder()
              .succeeded(false)
              .finishedAt(clock.instant())
              .message("dpkg: error processing package (injected)")
              .build());
    }
    return run(
        "poll",
        () -> {
          Optional<PatchOutcome> outcome = cloud.poll(handle);
          boolean silent =
              cloud.jobs().stream()
                  .anyMatch(
                      j -> handle.equals(j.job().key()) && neverReports.contains(j.job().asset()));
          return silent ? Optional.<PatchOutcome>empty() : outcome;
        });
  }

  @Override
  public List<Asset> assets() {
    return run("assets", cloud::assets);
  }

  @Override
  public Optional<Inventory> inventory(AssetId asset) {
    if (inventoryDown.contains(asset)) {
      calls.add("inventory");
      throw new PatchException("inventory agent of " + asset + " unreachable (injected)");
    }
    return run("inventory", () -> cloud.inventory(asset));
  }
}
