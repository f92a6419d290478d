package org.cloudpatch.core.host;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.immutables.value.Value;

/**
 * What the engine asks a {@link org.cloudpatch.core.spi.HostRemediationPlanner}: the cluster as the
 * hypervisor reports it now (hosts with their capacity, VMs with their demand, placement,
 * anti-affinity group and whether they can be live-migrated), the hosts to remediate, and how many
 * hosts may enter maintenance mode now.
 *
 * <p>Guarantees: host and VM ids are unique, every VM is placed on a host of the request, every
 * host to remediate is a host of the request, and at least one host may enter maintenance mode.
 */
@Value.Immutable
public interface HostRemediationRequest {
  /** The hosts, sorted by id. */
  List<HostCapacity> hosts();

  /** The VMs on them. */
  List<VmPlacement> vms();

  /** The hosts to remediate. */
  Set<HostId> remediate();

  /** How many hosts the plan may drain together now; at least 1. */
  int maxHostsInMaintenance();

  /** Rejects what breaks the guarantees above. */
  @Value.Check
  default void check() {
    Set<HostId> ids = new HashSet<>();
    for (HostCapacity h : hosts()) {
      if (!ids.add(h.id())) {
        throw new IllegalArgumentException("host " + h.id() + " appears twice in the request");
      }
    }
    Set<AssetId> vmIds = new HashSet<>();
    for (VmPlacement v : vms()) {
      if (!vmIds.add(v.id())) {
        throw new IllegalArgumentException("VM " + v.id() + " appears twice in the request");
      }
      if (!ids.contains(v.host())) {
        throw new IllegalArgumentException("VM " + v.id() + " is on unknown host " + v.host());
      }
    }
    for (HostId h : remediate()) {
      if (!ids.contains(h)) {
        throw new IllegalArgumentException("host to remediate " + h + " is not in the request");
      }
    }
    if (maxHostsInMaintenance() < 1) {
      throw new IllegalArgumentException(
          "maxHostsInMaintenance must be at least 1: " + maxHostsInMaintenance());
    }
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link HostRemediationRequest}. */
  final class Builder extends ImmutableHostRemediationRequest.Builder {}

  /** A host and what it can give to VMs. */
  @Value.Immutable
  interface HostCapacity {
    /** The host. */
    @Value.Parameter
    HostId id();

    /** vCPUs it can give to VMs; at least 1. */
    @Value.Parameter
    int cpu();

    /** Memory it can give to VMs, in GiB; at least 1. */
    @Value.Parameter
    int memGiB();

    /** Whether it is in maintenance mode now (it then takes no VM). */
    @Value.Parameter
    boolean inMaintenance();

    /** Rejects a host without capacity. */
    @Value.Check
    default void check() {
      if (cpu() < 1 || memGiB() < 1) {
        throw new IllegalArgumentException(
            "host " + id() + " needs capacity: " + cpu() + " vCPUs, " + memGiB() + " GiB");
      }
    }

    /** A host. */
    static HostCapacity of(HostId id, int cpu, int memGiB, boolean inMaintenance) {
      return ImmutableHostCapacity.of(id, cpu, memGiB, inMaintenance);
    }
  }

  /** A VM, its demand and placement. */
  @Value.Immutable
  interface VmPlacement {
    /** The VM. */
    AssetId id();

    /** The host it runs on. */
    HostId host();

    /** vCPUs it uses; at least 1. */
    int cpu();

    /** Memory it uses, in GiB; at least 1. */
    int memGiB();

    /** Its anti-affinity group: no two VMs of one group may share a host. */
    Optional<String> antiAffinityGroup();

    /** Why it cannot be live-migrated (suspended, demand unknown, ...); empty when it can. */
    Optional<String> immovable();

    /** Rejects a VM without demand. */
    @Value.Check
    default void check() {
      if (cpu() < 1 || memGiB() < 1) {
        throw new IllegalArgumentException(
            "VM " + id() + " needs a demand: " + cpu() + " vCPUs, " + memGiB() + " GiB");
      }
    }

    /** A builder. */
    static Builder builder() {
      return new Builder();
    }

    /** Builds a {@link VmPlacement}. */
    final class Builder extends ImmutableVmPlacement.Builder {}
  }
}
