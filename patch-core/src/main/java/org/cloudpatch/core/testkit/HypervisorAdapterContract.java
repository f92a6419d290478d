package org.cloudpatch.core.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.LifecycleEvent;
import org.cloudpatch.core.spi.HypervisorAdapter;
import org.cloudpatch.core.spi.HypervisorAdapter.Host;
import org.cloudpatch.core.spi.HypervisorAdapter.LifecyclePage;
import org.cloudpatch.core.spi.HypervisorAdapter.Resident;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The contract of a {@link HypervisorAdapter}: what host evacuation and rollback rely on. Migration
 * has preconditions (room on the target, target not in maintenance) and a refused migration leaves
 * the VM where it was; snapshots revert only the VM they were taken of; lifecycle cursors only move
 * forward.
 *
 * <p>A vendor extends this class and implements {@link #newHypervisor}, which sets up the kit's
 * {@link Topology} in its test environment, and {@link #causeLifecycleEvent}.
 *
 * @param <H> the hypervisor type under test
 */
public abstract class HypervisorAdapterContract<H extends HypervisorAdapter> {
  /** For subclasses. */
  protected HypervisorAdapterContract() {}

  /**
   * Hosts with their vCPU capacity, and running VMs placed on them (each asset names its host).
   *
   * @param hosts vCPU capacity per host
   * @param vms the VMs, each with the vCPUs it uses
   */
  public record Topology(Map<HostId, Integer> hosts, Map<Asset, Integer> vms) {
    /** Copies the maps; fails fast on null. */
    public Topology {
      hosts = Map.copyOf(Objects.requireNonNull(hosts, "hosts"));
      vms = Map.copyOf(Objects.requireNonNull(vms, "vms"));
    }
  }

  /** The kit's hosts. */
  protected static final HostId HOST_A = HostId.of("kit-host-a");

  /** A host with 2 vCPUs free. */
  protected static final HostId HOST_B = HostId.of("kit-host-b");

  /** An empty host. */
  protected static final HostId HOST_C = HostId.of("kit-host-c");

  /** A VM of 4 vCPUs on {@link #HOST_A}. */
  protected static final AssetId VM_1 = AssetId.of("kit-vm-1");

  /** A VM of 2 vCPUs on {@link #HOST_A}. */
  protected static final AssetId VM_2 = AssetId.of("kit-vm-2");

  /** A VM of 2 vCPUs on {@link #HOST_B}. */
  protected static final AssetId VM_3 = AssetId.of("kit-vm-3");

  /**
   * The kit's topology: {@link #HOST_A} (8 vCPUs) runs {@link #VM_1} (4) and {@link #VM_2} (2),
   * {@link #HOST_B} (4) runs {@link #VM_3} (2), {@link #HOST_C} (8) is empty.
   */
  protected static final Topology TOPOLOGY =
      new Topology(
          Map.of(HOST_A, 8, HOST_B, 4, HOST_C, 8),
          Map.of(
              KitData.vm(VM_1.value(), "kit-tenant-1", HOST_A.value()), 4,
              KitData.vm(VM_2.value(), "kit-tenant-1", HOST_A.value()), 2,
              KitData.vm(VM_3.value(), "kit-tenant-2", HOST_B.value()), 2));

  /**
   * A new hypervisor with exactly the given topology, no host in maintenance and every VM running;
   * called once per test.
   *
   * @param topology always {@link #TOPOLOGY}
   * @return the hypervisor under test, never null
   */
  protected abstract H newHypervisor(Topology topology);

  /**
   * Makes the VM produce at least one lifecycle event, as its user would (suspend and resume it,
   * revert it to a snapshot).
   *
   * @param hypervisor a hypervisor from {@link #newHypervisor}
   * @param vm a VM of the topology
   */
  protected abstract void causeLifecycleEvent(H hypervisor, AssetId vm);

  /** Hosts come sorted by id, with their capacity and what their VMs use. */
  @Test
  public void hosts_sortedByIdWithCapacityAndUse() {
    H hypervisor = newHypervisor(TOPOLOGY);
    List<Host> hosts = hypervisor.hosts();
    assertEquals(List.of(HOST_A, HOST_B, HOST_C), hosts.stream().map(Host::id).toList());
    assertEquals(List.of(8, 4, 8), hosts.stream().map(Host::vcpuCapacity).toList());
    assertEquals(List.of(6, 2, 0), hosts.stream().map(Host::vcpuUsed).toList());
    assertFalse(hosts.stream().anyMatch(Host::inMaintenance), "a host starts in maintenance");
  }

  /** A known VM has a placement and a power state; an unknown one has neither (empty). */
  @Test
  public void placementAndPowerState_knownForKnownVmsOnly() {
    H hypervisor = newHypervisor(TOPOLOGY);
    assertEquals(Optional.of(HOST_A), hypervisor.placement(VM_1));
    assertEquals(Optional.of(Asset.PowerState.RUNNING), hypervisor.powerState(VM_1));
    AssetId unknown = AssetId.of("kit-vm-unknown");
    assertEquals(Optional.empty(), hypervisor.placement(unknown));
    assertEquals(Optional.empty(), hypervisor.powerState(unknown));
  }

  /**
   * A hypervisor that lists a host's VMs lists each VM on the host its placement names, with the
   * power state and demand it reports one by one, follows a migration, and lists nothing on a host
   * it does not know. Skipped for a hypervisor whose capabilities say it does not list them.
   */
  @Test
  public void residents_whenListed_agreeWithPlacementPowerStateAndDemand() {
    H hypervisor = newHypervisor(TOPOLOGY);
    assumeTrue(
        hypervisor.capabilities().listsResidents(),
        "the hypervisor does not list a host's VMs (capabilities().listsResidents() is false)");
    Map<HostId, List<AssetId>> listed = new TreeMap<>();
    for (Host h : hypervisor.hosts()) {
      for (Resident r : hypervisor.residents(h.id())) {
        listed.computeIfAbsent(h.id(), k -> new java.util.ArrayList<>()).add(r.vm());
        assertEquals(Optional.of(h.id()), hypervisor.placement(r.vm()), r.toString());
        assertEquals(Optional.of(r.powerState()), hypervisor.powerState(r.vm()), r.toString());
        assertEquals(hypervisor.demand(r.vm()), r.demand(), r.toString());
      }
    }
    assertEquals(
        Map.of(HOST_A, List.of(VM_1, VM_2), HOST_B, List.of(VM_3)),
        sorted(listed),
        "every VM is listed on its host, and only there");
    hypervisor.migrate(VM_2, HOST_C, "kit-move-residents");
    assertEquals(List.of(VM_1), vms(hypervisor.residents(HOST_A)));
    assertEquals(List.of(VM_2), vms(hypervisor.residents(HOST_C)));
    assertEquals(List.of(), hypervisor.residents(HostId.of("kit-host-unknown")));
  }

  private static Map<HostId, List<AssetId>> sorted(Map<HostId, List<AssetId>> listed) {
    Map<HostId, List<AssetId>> out = new TreeMap<>();
    listed.forEach((h, vms) -> out.put(h, vms.stream().sorted().toList()));
    return out;
  }

  private static List<AssetId> vms(List<Resident> residents) {
    return residents.stream().map(Resident::vm).sorted().toList();
  }

  /** A migration to a host with room moves the VM, and the hosts' use follows. */
  @Test
  public void migrate_toHostWithRoom_movesTheVm() {
    H hypervisor = newHypervisor(TOPOLOGY);
    hypervisor.migrate(VM_2, HOST_C, "kit-move-1");
    assertEquals(Optional.of(HOST_C), hypervisor.placement(VM_2));
    assertEquals(List.of(4, 2, 2), used(hypervisor));
  }

  /** Capacity precondition: a migration to a host without room fails and leaves the VM. */
  @Test
  public void migrate_toHostWithoutRoom_failsAndLeavesTheVm() {
    H hypervisor = newHypervisor(TOPOLOGY);
    assertThrows(PatchException.class, () -> hypervisor.migrate(VM_1, HOST_B, "kit-move-2"));
    assertEquals(Optional.of(HOST_A), hypervisor.placement(VM_1));
    assertEquals(List.of(6, 2, 0), used(hypervisor));
  }

  /** Maintenance precondition: a host in maintenance accepts no VM until it leaves maintenance. */
  @Test
  public void migrate_toHostInMaintenance_failsUntilItExits() {
    H hypervisor = newHypervisor(TOPOLOGY);
    hypervisor.enterMaintenance(HOST_C, "kit-enter-1");
    assertTrue(inMaintenance(hypervisor, HOST_C), "maintenance is not reported");
    assertThrows(PatchException.class, () -> hypervisor.migrate(VM_2, HOST_C, "kit-move-3"));
    assertEquals(Optional.of(HOST_A), hypervisor.placement(VM_2));
    hypervisor.exitMaintenance(HOST_C, "kit-exit-1");
    assertFalse(inMaintenance(hypervisor, HOST_C), "maintenance is still reported");
    hypervisor.migrate(VM_2, HOST_C, "kit-move-4");
    assertEquals(Optional.of(HOST_C), hypervisor.placement(VM_2));
  }

  /**
   * Host patch precondition: only an empty host in maintenance mode is patched, and a repeated key
   * succeeds again; a hypervisor that cannot patch hosts says so in its capabilities and refuses.
   */
  @Test
  public void patchHost_onlyAnEmptyHostInMaintenance() {
    H hypervisor = newHypervisor(TOPOLOGY);
    if (!hypervisor.capabilities().canPatchHosts()) {
      assertThrows(PatchException.class, () -> hypervisor.patchHost(HOST_C, "kit-patch-0"));
      return;
    }
    assertThrows(
        PatchException.class,
        () -> hypervisor.patchHost(HOST_C, "kit-patch-1"),
        "a host out of maintenance mode was patched");
    hypervisor.enterMaintenance(HOST_A, "kit-enter-2");
    assertThrows(
        PatchException.class,
        () -> hypervisor.patchHost(HOST_A, "kit-patch-2"),
        "a host that runs VMs was patched");
    hypervisor.enterMaintenance(HOST_C, "kit-enter-3");
    hypervisor.patchHost(HOST_C, "kit-patch-3");
    hypervisor.patchHost(HOST_C, "kit-patch-3");
    assertTrue(inMaintenance(hypervisor, HOST_C), "a patch takes the host out of maintenance");
  }

  /**
   * A host's patch level, where reported, moves on with a patch, once per key: host remediation
   * verifies a patch by it before the host returns to service.
   */
  @Test
  public void hostPatchLevel_whenReported_changesWithAPatch_oncePerKey() {
    H hypervisor = newHypervisor(TOPOLOGY);
    Optional<String> before = hypervisor.hostPatchLevel(HOST_C);
    if (!hypervisor.capabilities().canPatchHosts() || before.isEmpty()) {
      return;
    }
    hypervisor.enterMaintenance(HOST_C, "kit-enter-level");
    hypervisor.patchHost(HOST_C, "kit-patch-level");
    Optional<String> after = hypervisor.hostPatchLevel(HOST_C);
    assertTrue(after.isPresent() && !after.equals(before), before + " -> " + after);
    hypervisor.patchHost(HOST_C, "kit-patch-level");
    assertEquals(after, hypervisor.hostPatchLevel(HOST_C), "a repeated key patched again");
  }

  /** A VM's demand, where reported, is what it uses of its host; an unknown VM has none. */
  @Test
  public void demand_whenReported_isWhatTheVmUses() {
    H hypervisor = newHypervisor(TOPOLOGY);
    hypervisor.demand(VM_1).ifPresent(d -> assertEquals(4, d.vcpus(), "vCPUs of " + VM_1));
    hypervisor.demand(VM_3).ifPresent(d -> assertEquals(2, d.vcpus(), "vCPUs of " + VM_3));
    assertEquals(Optional.empty(), hypervisor.demand(AssetId.of("kit-vm-unknown")));
  }

  /**
   * Snapshots under different keys get distinct ids, and reverting to one may be repeated (a
   * retried rollback, under its key or under a new one).
   */
  @Test
  public void snapshotThenRevert_roundTripsAndMayBeRepeated() {
    H hypervisor = newHypervisor(TOPOLOGY);
    String first = hypervisor.snapshot(VM_1, "kit-snap-1");
    String second = hypervisor.snapshot(VM_1, "kit-snap-2");
    assertFalse(first.isBlank(), "blank snapshot id");
    assertNotEquals(first, second);
    hypervisor.revert(VM_1, first, "kit-revert-1");
    hypervisor.revert(VM_1, first, "kit-revert-1");
    hypervisor.revert(VM_1, first, "kit-revert-2");
    assertEquals(Optional.of(HOST_A), hypervisor.placement(VM_1));
  }

  /**
   * A snapshot's recorded inventory, where the hypervisor keeps one, is of that VM and observed
   * when the snapshot was taken; another VM's snapshot or one never taken has none.
   */
  @Test
  public void snapshotInventory_whenRecorded_isOfThatVm_neverOfAnother() {
    H hypervisor = newHypervisor(TOPOLOGY);
    String snap = hypervisor.snapshot(VM_1, "kit-snap-inventory");
    hypervisor
        .snapshotInventory(VM_1, snap)
        .ifPresent(i -> assertEquals(VM_1, i.asset(), "a snapshot's inventory names its VM"));
    assertEquals(Optional.empty(), hypervisor.snapshotInventory(VM_2, snap), "another VM's");
    assertEquals(
        Optional.empty(), hypervisor.snapshotInventory(VM_1, "kit-no-such-snapshot"), "none");
  }

  /**
   * Idempotency: a snapshot repeated under its key (a retry after a lost reply) returns the same id
   * and takes no second snapshot.
   */
  @Test
  public void snapshot_repeatedKey_returnsTheSameSnapshot() {
    H hypervisor = newHypervisor(TOPOLOGY);
    String first = hypervisor.snapshot(VM_1, "kit-snap-once");
    assertEquals(first, hypervisor.snapshot(VM_1, "kit-snap-once"), "a retried key took another");
    assertNotEquals(first, hypervisor.snapshot(VM_1, "kit-snap-other"));
  }

  /**
   * Idempotency: a migration, maintenance change, hold or release repeated under its key after it
   * happened succeeds again and changes nothing more.
   */
  @Test
  public void effects_repeatedKey_succeedWithoutDoingMore() {
    H hypervisor = newHypervisor(TOPOLOGY);
    hypervisor.migrate(VM_2, HOST_C, "kit-move-once");
    hypervisor.migrate(VM_2, HOST_C, "kit-move-once");
    assertEquals(Optional.of(HOST_C), hypervisor.placement(VM_2));
    assertEquals(List.of(4, 2, 2), used(hypervisor));
    hypervisor.enterMaintenance(HOST_B, "kit-enter-once");
    hypervisor.enterMaintenance(HOST_B, "kit-enter-once");
    assertTrue(inMaintenance(hypervisor, HOST_B), "maintenance is not reported");
    hypervisor.exitMaintenance(HOST_B, "kit-exit-once");
    hypervisor.exitMaintenance(HOST_B, "kit-exit-once");
    assertFalse(inMaintenance(hypervisor, HOST_B), "maintenance is still reported");
    hypervisor.holdForCatchUp(VM_1, "kit-hold-once");
    hypervisor.holdForCatchUp(VM_1, "kit-hold-once");
    hypervisor.release(VM_1, "kit-release-once");
    hypervisor.release(VM_1, "kit-release-once");
    assertEquals(Optional.of(HOST_A), hypervisor.placement(VM_1));
  }

  /**
   * Bad input: reverting a VM to another VM's snapshot, or to a snapshot never taken, fails with
   * {@link PatchException}.
   */
  @Test
  public void revert_toSnapshotNotOfThisVm_fails() {
    H hypervisor = newHypervisor(TOPOLOGY);
    String ofVm1 = hypervisor.snapshot(VM_1, "kit-snap-3");
    assertThrows(PatchException.class, () -> hypervisor.revert(VM_2, ofVm1, "kit-revert-3"));
    assertThrows(
        PatchException.class,
        () -> hypervisor.revert(VM_1, "kit-no-such-snapshot", "kit-revert-4"));
  }

  /**
   * Lifecycle cursors only move forward: from the latest cursor come only the events since, and
   * after them nothing.
   */
  @Test
  public void lifecycleEvents_fromLatestCursor_giveOnlyNewEvents() {
    H hypervisor = newHypervisor(TOPOLOGY);
    Optional<String> start = hypervisor.lifecycleEvents(Optional.empty()).nextCursor();
    causeLifecycleEvent(hypervisor, VM_3);
    LifecyclePage page = hypervisor.lifecycleEvents(start);
    assertFalse(page.events().isEmpty(), "no event after the cursor");
    assertTrue(
        page.events().stream().map(LifecycleEvent::asset).allMatch(VM_3::equals),
        "events of other VMs: " + page.events());
    Optional<String> next = page.nextCursor().isPresent() ? page.nextCursor() : start;
    assertEquals(List.of(), hypervisor.lifecycleEvents(next).events(), "events came twice");
  }

  /** The same cursor gives the same events again (a restarted engine re-reads from its cursor). */
  @Test
  public void lifecycleEvents_sameCursorTwice_giveTheSameEvents() {
    H hypervisor = newHypervisor(TOPOLOGY);
    Optional<String> start = hypervisor.lifecycleEvents(Optional.empty()).nextCursor();
    causeLifecycleEvent(hypervisor, VM_1);
    assertEquals(
        hypervisor.lifecycleEvents(start).events(), hypervisor.lifecycleEvents(start).events());
  }

  /** Capabilities do not change while the adapter lives: the planner relies on them. */
  @Test
  public void capabilities_areStable() {
    H hypervisor = newHypervisor(TOPOLOGY);
    assertEquals(hypervisor.capabilities(), hypervisor.capabilities());
  }

  /**
   * Bad input: calls naming a VM or host the hypervisor does not know fail with {@link
   * PatchException} or {@link IllegalArgumentException}.
   */
  @Test
  public void calls_withUnknownVmOrHost_areRejected() {
    H hypervisor = newHypervisor(TOPOLOGY);
    AssetId vm = AssetId.of("kit-vm-unknown");
    HostId host = HostId.of("kit-host-unknown");
    assertRejected(() -> hypervisor.snapshot(vm, "kit-snap-4"));
    assertRejected(() -> hypervisor.migrate(vm, HOST_C, "kit-move-5"));
    assertRejected(() -> hypervisor.migrate(VM_1, host, "kit-move-6"));
    assertRejected(() -> hypervisor.enterMaintenance(host, "kit-enter-2"));
    assertRejected(() -> hypervisor.holdForCatchUp(vm, "kit-hold-1"));
    assertRejected(() -> hypervisor.release(vm, "kit-release-1"));
  }

  private static void assertRejected(Executable call) {
    RuntimeException e = assertThrows(RuntimeException.class, call);
    assertTrue(
        e instanceof IllegalArgumentException || e instanceof PatchException,
        "rejected with " + e + ", expected IllegalArgumentException or PatchException");
  }

  private static List<Integer> used(HypervisorAdapter hypervisor) {
    Map<HostId, Integer> byHost = new TreeMap<>();
    for (Host h : hypervisor.hosts()) {
      byHost.put(h.id(), h.vcpuUsed());
    }
    return List.copyOf(byHost.values());
  }

  private static boolean inMaintenance(HypervisorAdapter hypervisor, HostId host) {
    return hypervisor.hosts().stream().anyMatch(h -> h.id().equals(host) && h.inMaintenance());
  }
}
