package org.cloudpatch.scheduling.host;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.immutables.value.Value;

/**
 * A cluster as the evacuation planner sees it: hosts with their capacity and VMs with their demand,
 * placement, anti-affinity group and whether they can be live-migrated.
 *
 * <p>Guarantees: host ids and VM ids are unique, and every VM is placed on a host of the cluster.
 * The cluster may start in a state that breaks capacity or anti-affinity (a real cluster can be
 * overcommitted); the planner never makes such a host worse, it only checks the hosts it moves VMs
 * to.
 */
@Value.Immutable
public interface Cluster {
  /** The hosts, in the order given. */
  List<ClusterHost> hosts();

  /** The VMs, in the order given. */
  List<ClusterVm> vms();

  /** Rejects duplicate ids and VMs placed on unknown hosts. */
  @Value.Check
  default void check() {
    Set<HostId> hostIds = new HashSet<>();
    for (ClusterHost h : hosts()) {
      if (!hostIds.add(h.id())) {
        throw new IllegalArgumentException("host " + h.id() + " appears twice in the cluster");
      }
    }
    Set<AssetId> vmIds = new HashSet<>();
    for (ClusterVm v : vms()) {
      if (!vmIds.add(v.id())) {
        throw new IllegalArgumentException("VM " + v.id() + " appears twice in the cluster");
      }
      if (!hostIds.contains(v.host())) {
        throw new IllegalArgumentException(
            "VM " + v.id() + " is placed on unknown host " + v.host());
      }
    }
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Cluster}. */
  final class Builder extends ImmutableCluster.Builder {}

  /** A host and what it can give to VMs. */
  @Value.Immutable
  interface ClusterHost {
    /** The host. */
    @Value.Parameter
    HostId id();

    /** vCPUs it can give to VMs; at least 1. */
    @Value.Parameter
    int cpu();

    /** Memory it can give to VMs, in GiB; at least 1. */
    @Value.Parameter
    int memGiB();

    /** Rejects a host without capacity. */
    @Value.Check
    default void check() {
      if (cpu() < 1 || memGiB() < 1) {
        throw new IllegalArgumentException(
            "host " + id() + " needs capacity: " + cpu() + " vCPUs, " + memGiB() + " GiB");
      }
    }

    /** A host with the given capacity. */
    static ClusterHost of(HostId id, int cpu, int memGiB) {
      return ImmutableClusterHost.of(id, cpu, memGiB);
    }
  }

  /** Why a VM cannot be live-migrated, or that it can. */
  enum Mobility {
    /** It can be live-migrated. */
    MOVABLE,
    /** An operator pinned it to its host. */
    PINNED,
    /** Its disk lives on the host's local storage. */
    LOCAL_DISK,
    /** A device of the host is passed through to it. */
    PASSTHROUGH
  }

  /** A VM, its demand and placement. */
  @Value.Immutable
  interface ClusterVm {
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

    /** Whether it can be live-migrated. */
    @Value.Default
    default Mobility mobility() {
      return Mobility.MOVABLE;
    }

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

    /** Builds a {@link ClusterVm}. */
    final class Builder extends ImmutableClusterVm.Builder {}
  }
}
