package org.cloudpatch.core.spi;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.asset.LifecycleEvent;
import org.immutables.value.Value;

/**
 * The virtualization layer: hosts, VM placement and power, snapshots, maintenance mode, live
 * migration, and the VM lifecycle events that can leave a VM out of date.
 *
 * <p>Contract: every effect (snapshot, revert, maintenance mode, migration, host patch, hold,
 * release) takes an idempotency key chosen by the caller and is done at most once per key: a call
 * repeated with a key whose effect already happened (a retry after a lost reply) does nothing more
 * and reports success as the first call did, so that the caller can confirm an effect by repeating
 * it. {@link #migrate} fails with a {@link org.cloudpatch.core.PatchException} when the target host
 * lacks capacity or is in maintenance, and then leaves the VM where it was; {@link #revert} accepts
 * only a snapshot taken of the same VM; {@link #lifecycleEvents} cursors only move forward, and the
 * same cursor gives the same events. A VM or host the hypervisor does not know is rejected with
 * {@link org.cloudpatch.core.PatchException} or {@link IllegalArgumentException} (queries answer
 * empty instead). Arguments and results are never null. The engine calls it from one thread at a
 * time.
 *
 * @see org.cloudpatch.core.testkit.HypervisorAdapterContract
 */
public interface HypervisorAdapter {
  /** What this hypervisor can do. */
  Capabilities capabilities();

  /** The hosts with their capacity, sorted by id. */
  List<Host> hosts();

  /** The VM's current power state, or empty if it is unknown. */
  Optional<Asset.PowerState> powerState(AssetId vm);

  /** The host a VM runs on, or empty if it is unknown. */
  Optional<HostId> placement(AssetId vm);

  /**
   * Takes a snapshot of the VM and returns its id; once per key: a repeated key returns the id of
   * the snapshot that key took, and takes no other.
   */
  String snapshot(AssetId vm, String key);

  /** Reverts the VM to a snapshot this adapter returned; once per key. */
  void revert(AssetId vm, String snapshotId, String key);

  /**
   * Puts a host into maintenance mode: it accepts no VMs until {@link #exitMaintenance}; once per
   * key.
   */
  void enterMaintenance(HostId host, String key);

  /** Takes a host out of maintenance mode; once per key. */
  void exitMaintenance(HostId host, String key);

  /** Live-migrates a running VM to another host; once per key. */
  void migrate(AssetId vm, HostId target, String key);

  /**
   * What a VM uses of its host (vCPUs and memory), or empty if it is unknown: host remediation
   * plans migrations only for VMs whose demand it knows, and leaves a host with another VM alone.
   * The default knows none.
   */
  default Optional<Demand> demand(AssetId vm) {
    return Optional.empty();
  }

  /**
   * The VMs the host runs now, each with its power state and demand, read in one call as
   * hypervisors list them (vSphere's property collector on the host's {@code vm} property,
   * OpenStack's {@code servers/detail?host=}, libvirt's domain list): host remediation reads a
   * cluster host by host instead of three calls per VM, so that one unreadable VM does not stop the
   * planning of every host. A host the hypervisor does not know answers an empty list. Only for
   * hypervisors whose {@link Capabilities#listsResidents()}; the default fails with a {@link
   * PatchException} saying so.
   */
  default List<Resident> residents(HostId host) {
    throw new PatchException(
        "this hypervisor adapter does not list a host's VMs"
            + " (capabilities().listsResidents() is false)");
  }

  /**
   * Patches a host (its hypervisor and firmware) and returns once it runs the patched version; once
   * per key. The host must be in maintenance mode and run no VM: otherwise it fails with a {@link
   * PatchException} and does nothing. Only for hypervisors whose {@link
   * Capabilities#canPatchHosts()}; the default fails with a {@link PatchException} saying so.
   */
  default void patchHost(HostId host, String key) {
    throw new PatchException(
        "this hypervisor adapter does not patch hosts (capabilities().canPatchHosts() is false)");
  }

  /**
   * The inventory recorded with a snapshot of the VM when it was taken (the patch level the
   * snapshot holds, with {@link Inventory#observedAt()} the instant it was taken), or empty if the
   * hypervisor did not record one or knows no such snapshot of the VM. After a revert, catch-up
   * computes from it what the VM lacks before any agent reports again. The default records none.
   */
  default Optional<Inventory> snapshotInventory(AssetId vm, String snapshot) {
    return Optional.empty();
  }

  /**
   * The patch level the host runs now as the hypervisor reports it (a build or version string that
   * changes when a patch takes effect), or empty if it reports none. Host remediation reads it
   * before and after {@link #patchHost}: a host whose level did not change is not returned to
   * service. The default reports none, and then the engine trusts {@link #patchHost}'s
   * confirmation.
   */
  default Optional<String> hostPatchLevel(HostId host) {
    return Optional.empty();
  }

  /**
   * Keeps the VM from its users (network isolation, console only) until {@link #release}; once per
   * key.
   */
  void holdForCatchUp(AssetId vm, String key);

  /** Gives a held VM back to its users; once per key. */
  void release(AssetId vm, String key);

  /** Lifecycle events after {@code cursor}, in the order they happened. */
  LifecyclePage lifecycleEvents(Optional<String> cursor);

  /** What a hypervisor can do. */
  @Value.Immutable
  interface Capabilities {
    /** Whether a suspended VM can be patched without resuming it. */
    boolean canPatchSuspended();

    /** Whether a snapshot can be taken of a running VM without stopping it. */
    boolean canSnapshotOnline();

    /** Whether VMs can be live-migrated. */
    boolean canLiveMigrate();

    /** Whether {@link HypervisorAdapter#patchHost} patches hosts; false unless set. */
    @Value.Default
    default boolean canPatchHosts() {
      return false;
    }

    /**
     * Whether {@link HypervisorAdapter#residents} lists a host's VMs; false unless set, and then
     * the engine reads placement, power state and demand VM by VM.
     */
    @Value.Default
    default boolean listsResidents() {
      return false;
    }

    /** A builder. */
    static Builder builder() {
      return new Builder();
    }

    /** Builds {@link Capabilities}. */
    final class Builder extends ImmutableCapabilities.Builder {}
  }

  /** A host and its capacity. */
  @Value.Immutable
  interface Host {
    /** The host. */
    HostId id();

    /** How many vCPUs it can give to VMs. */
    int vcpuCapacity();

    /** How many vCPUs its VMs use now. */
    int vcpuUsed();

    /** Whether it is in maintenance mode. */
    boolean inMaintenance();

    /** How many GiB of memory it can give to VMs, if the hypervisor reports it. */
    OptionalInt memGiBCapacity();

    /** A builder. */
    static Builder builder() {
      return new Builder();
    }

    /** Builds a {@link Host}. */
    final class Builder extends ImmutableHost.Builder {}
  }

  /** A VM on a host, as {@link HypervisorAdapter#residents} lists it. */
  @Value.Immutable
  interface Resident {
    /** The VM. */
    @Value.Parameter
    AssetId vm();

    /** Its power state. */
    @Value.Parameter
    Asset.PowerState powerState();

    /** What it uses of the host, or empty if the hypervisor does not report it. */
    @Value.Parameter
    Optional<Demand> demand();

    /** A resident VM. */
    static Resident of(AssetId vm, Asset.PowerState powerState, Optional<Demand> demand) {
      return ImmutableResident.of(vm, powerState, demand);
    }
  }

  /** What a VM uses of its host. */
  @Value.Immutable
  interface Demand {
    /** vCPUs; at least 1. */
    @Value.Parameter
    int vcpus();

    /** Memory in GiB; at least 1. */
    @Value.Parameter
    int memGiB();

    /** Rejects a demand below one vCPU or one GiB. */
    @Value.Check
    default void check() {
      if (vcpus() < 1 || memGiB() < 1) {
        throw new IllegalArgumentException(
            "a VM's demand is at least 1 vCPU and 1 GiB: " + vcpus() + ", " + memGiB());
      }
    }

    /** A demand. */
    static Demand of(int vcpus, int memGiB) {
      return ImmutableDemand.of(vcpus, memGiB);
    }
  }

  /** A page of lifecycle events. */
  @Value.Immutable
  interface LifecyclePage {
    /** The events, in the order they happened. */
    List<LifecycleEvent> events();

    /** The cursor after this page. */
    Optional<String> nextCursor();

    /** A builder. */
    static Builder builder() {
      return new Builder();
    }

    /** Builds a {@link LifecyclePage}. */
    final class Builder extends ImmutableLifecyclePage.Builder {}
  }
}
