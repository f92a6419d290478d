package org.cloudpatch.core.memory;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.asset.InstalledPackage;
import org.jspecify.annotations.Nullable;

/**
 * One line of the ground truth as kept: what a {@link TruthEvent} says, with the installed packages
 * as the VM's (immutable, shared) list, so a big fleet's truth stays small.
 */
record TruthFact(
    Instant at,
    TruthEvent.Kind event,
    @Nullable AssetId vm,
    @Nullable HostId host,
    @Nullable String job,
    @Nullable String group,
    @Nullable Integer attempt,
    @Nullable String snapshot,
    @Nullable HostId from,
    @Nullable HostId to,
    @Nullable Integer cpu,
    @Nullable Integer memGiB,
    @Nullable List<InstalledPackage> installed) {

  static TruthFact of(Instant at, TruthEvent.Kind event) {
    return new TruthFact(
        at, event, null, null, null, null, null, null, null, null, null, null, null);
  }

  TruthFact vm(AssetId v) {
    return new TruthFact(
        at, event, v, host, job, group, attempt, snapshot, from, to, cpu, memGiB, installed);
  }

  TruthFact host(HostId h) {
    return new TruthFact(
        at, event, vm, h, job, group, attempt, snapshot, from, to, cpu, memGiB, installed);
  }

  TruthFact job(String j, @Nullable String g, int a) {
    return new TruthFact(at, event, vm, host, j, g, a, snapshot, from, to, cpu, memGiB, installed);
  }

  TruthFact snapshot(String s) {
    return new TruthFact(
        at, event, vm, host, job, group, attempt, s, from, to, cpu, memGiB, installed);
  }

  TruthFact move(HostId f, HostId t) {
    return new TruthFact(
        at, event, vm, host, job, group, attempt, snapshot, f, t, cpu, memGiB, installed);
  }

  TruthFact size(int c, int m) {
    return new TruthFact(
        at, event, vm, host, job, group, attempt, snapshot, from, to, c, m, installed);
  }

  TruthFact installed(List<InstalledPackage> p) {
    return new TruthFact(
        at, event, vm, host, job, group, attempt, snapshot, from, to, cpu, memGiB, p);
  }

  @Nullable Map<String, String> installedMap() {
    if (installed == null) {
      return null;
    }
    Map<String, String> map = new TreeMap<>();
    installed.forEach(p -> map.put(p.name(), p.version()));
    return map;
  }

  TruthEvent toEvent() {
    TruthEvent.Builder b = TruthEvent.builder().at(at).event(event);
    if (vm != null) {
      b.vm(vm);
    }
    if (host != null) {
      b.host(host);
    }
    if (job != null) {
      b.job(job);
    }
    if (group != null) {
      b.group(group);
    }
    if (attempt != null) {
      b.attempt(attempt);
    }
    if (snapshot != null) {
      b.snapshot(snapshot);
    }
    if (from != null) {
      b.fromHost(from);
    }
    if (to != null) {
      b.toHost(to);
    }
    if (cpu != null) {
      b.cpu(cpu);
    }
    if (memGiB != null) {
      b.memGiB(memGiB);
    }
    Map<String, String> map = installedMap();
    if (map != null) {
      b.installed(map);
    }
    return b.build();
  }

  void write(JsonGenerator g) throws IOException {
    TruthJson.write(
        g,
        at,
        event,
        vm == null ? null : vm.value(),
        host == null ? null : host.value(),
        job,
        group,
        attempt,
        snapshot,
        from == null ? null : from.value(),
        to == null ? null : to.value(),
        cpu,
        memGiB,
        installedMap());
  }
}
