package org.cloudpatch.core.process;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.spi.HypervisorAdapter;
import org.cloudpatch.core.spi.HypervisorAdapter.Resident;
import org.jspecify.annotations.Nullable;

/**
 * What still runs on a drained host: the VMs the hypervisor lists on it, or, where it cannot list
 * them, the host's use as it reports it, named by the VMs of the inventory it places there.
 */
final class HostResidents {
  private final Driver d;
  private final Instant now;
  private @Nullable Map<HostId, Integer> used; // per-VM reads only: null until read or if failed
  private @Nullable Map<AssetId, HostId> placements;
  private boolean placementsComplete;
  private boolean read;

  HostResidents(Driver d, Instant now) {
    this.d = d;
    this.now = now;
  }

  /** "" if the host runs nothing, what runs on it otherwise; empty if that is not known. */
  Optional<String> left(HostId host) {
    if (d.hypervisor.capabilities().listsResidents()) {
      return HostPatchStep.read(
              d, now, "residents", Optional.empty(), () -> d.hypervisor.residents(host))
          .map(rs -> rs.isEmpty() ? "" : "VMs " + rs.stream().map(Resident::vm).toList());
    }
    if (!read) {
      read = true;
      readByVm();
    }
    Map<HostId, Integer> use = used;
    Map<AssetId, HostId> on = placements;
    if (use == null || on == null) {
      return Optional.empty();
    }
    int vcpus = use.getOrDefault(host, 0);
    if (vcpus == 0) {
      return Optional.of(""); // the hypervisor accounts nothing to it, whatever runs elsewhere
    }
    List<AssetId> known =
        on.entrySet().stream()
            .filter(p -> p.getValue().equals(host))
            .map(Map.Entry::getKey)
            .toList();
    if (!known.isEmpty()) {
      return Optional.of("VMs " + known);
    }
    // Use nobody is named for: a VM whose placement was not read may be it; ask again later.
    return placementsComplete
        ? Optional.of(vcpus + " vCPUs of VMs the inventory does not know")
        : Optional.empty();
  }

  private void readByVm() {
    Optional<List<HypervisorAdapter.Host>> hosts =
        HostPatchStep.read(d, now, "hosts", Optional.empty(), d.hypervisor::hosts);
    if (hosts.isEmpty()) {
      return;
    }
    Map<HostId, Integer> use = new TreeMap<>();
    hosts.get().forEach(h -> use.put(h.id(), h.vcpuUsed()));
    Map<AssetId, HostId> out = new TreeMap<>();
    boolean complete = true;
    for (Asset a : HostPatchStep.vms(d)) {
      Optional<Optional<HostId>> p =
          HostPatchStep.read(
              d, now, "placement", Optional.of(a.id()), () -> d.hypervisor.placement(a.id()));
      if (p.isEmpty()) {
        complete = false;
      } else {
        p.get().ifPresent(h -> out.put(a.id(), h));
      }
    }
    used = use;
    placements = out;
    placementsComplete = complete;
  }
}
