package org.cloudpatch.core.spi;

import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.LifecycleEvent;
import org.immutables.value.Value;

/**
 * The virtualization layer: hosts, VM placement and power, snapshots, maintenance mode, live
 * migration, and the VM lifecycle events that can leave a VM out of date.
 *
 * <p>Contract: {@link #migrate} fails with a {@link org.cloudpatch.core.PatchException} when the
 * target host lacks capacity or is in maintenance, and then leaves the VM where it was; {@link
 * #revert} accepts only a snapshot taken of the same VM; {@link #lifecycleEvents} cursors only move
 * forward, and the same cursor gives the same events. A VM or host the hypervisor does not know is
 * rejected with {@link org.cloudpatch.core.PatchException} or {@link IllegalArgumentException}
 * (queries answer empty instead). Arguments and results are never null. The engine calls it from
 * one thread at a time.
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

  /** Takes a snapshot of the VM and returns its id. */
  String snapshot(AssetId vm, String label);

  /** Reverts the VM to a snapshot this adapter returned. */
  void revert(AssetId vm, String snapshotId);

  /** Puts a host into maintenance mode: it accepts no VMs until {@link #exitMaintenance}. */
  void enterMaintenance(HostId host);

  /** Takes a host out of maintenance mode. */
  void exitMaintenance(HostId host);

  /** Live-migrates a running VM to another host. */
  void migrate(AssetId vm, HostId target);

  /** Keeps the VM from its users (network isolation, console only) until {@link #release}. */
  void holdForCatchUp(AssetId vm);

  /** Gives a held VM back to its users. */
  void release(AssetId vm);

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

    /** A builder. */
    static Builder builder() {
      return new Builder();
    }

    /** Builds a {@link Host}. */
    final class Builder extends ImmutableHost.Builder {}
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
