package org.cloudpatch.core.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.memory.FaultPlan;
import org.cloudpatch.core.memory.TruthEvent;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's model-based test: random small clusters (capacities, VM sizes, anti-affinity groups,
 * suspended VMs), random fault plans (failed calls, lost replies, failed and capacity-short
 * migrations, hosts stuck entering maintenance mode), a random limit of hosts in maintenance mode
 * and engine restarts from the journal, checked against the simulated cloud's ground truth rather
 * than the engine's journal.
 *
 * <p>Each example is one seed; everything in the scenario is drawn from it. The default run is
 * small; {@code -Dcloudpatch.model.examples=N} runs more.
 */
class HostRemediationModelTest {
  private static final long SEED = 0x13L;
  private static final int EXAMPLES = Integer.getInteger("cloudpatch.model.examples", 25);
  private static final double[] RATES = {0, 0, 0.05, 0.15};

  private static final int[] migrations = {0};
  private static final int[] patched = {0};
  private static final int[] skipped = {0};
  private static final int[] restarts = {0};

  @Test
  void randomClustersAndFaults_keepCapacityAntiAffinityAndTheMaintenanceLimit() {
    qt().withFixedSeed(SEED)
        .withExamples(EXAMPLES)
        .forAll(longs().all())
        .checkAssert(HostRemediationModelTest::check);
    // Not vacuous: hosts were drained and patched, some skipped, engines restarted.
    System.out.printf(
        "host remediation model: %d examples, %d migrations, %d hosts patched, %d skipped,"
            + " %d restarts%n",
        EXAMPLES, migrations[0], patched[0], skipped[0], restarts[0]);
    assertTrue(migrations[0] > EXAMPLES, "migrations: " + migrations[0]);
    assertTrue(patched[0] > EXAMPLES, "hosts patched: " + patched[0]);
    assertTrue(skipped[0] > 0, "hosts skipped: " + skipped[0]);
    assertTrue(restarts[0] > EXAMPLES, "restarts: " + restarts[0]);
  }

  private static void check(long seed) {
    Random r = new Random(seed);
    FaultPlan faults =
        FaultPlan.builder()
            .exception(pick(r))
            .lostReply(pick(r))
            .migrationFailure(pick(r))
            .capacityShort(pick(r))
            .stuckMaintenance(pick(r))
            .build();
    // Half the clusters are read host by host (residents), half VM by VM.
    boolean listsResidents = r.nextBoolean();
    HostFixture f = new HostFixture(r.nextLong(), faults, listsResidents);
    int limit = 1 + r.nextInt(2);
    f.policy = ProcessPolicy.builder().maxHostsInMaintenance(limit).build();
    int hosts = 2 + r.nextInt(4);
    List<HostId> ids = new ArrayList<>();
    List<String> vmIds = new ArrayList<>();
    for (int h = 0; h < hosts; h++) {
      String id = "host-" + h;
      int freeCpu = 6 + r.nextInt(11);
      int freeMem = freeCpu * (2 + r.nextInt(3));
      f.cloud.addHost(HostId.of(id), freeCpu, freeMem);
      ids.add(HostId.of(id));
      int count = r.nextInt(4);
      for (int i = 0; i < count; i++) {
        int cpu = 1 + r.nextInt(4);
        int mem = cpu * (1 + r.nextInt(4));
        if (cpu > freeCpu || mem > freeMem) {
          break;
        }
        freeCpu -= cpu;
        freeMem -= mem;
        String vm = "vm-" + (vmIds.size() + 1);
        Optional<String> group =
            r.nextInt(10) < 3 ? Optional.of("g" + r.nextInt(2)) : Optional.empty();
        f.vm(vm, id, cpu, mem, group);
        vmIds.add(vm);
      }
    }
    Set<HostId> immovable = new TreeSet<>();
    if (!vmIds.isEmpty() && r.nextInt(10) < 3) {
      AssetId vm = AssetId.of(vmIds.get(r.nextInt(vmIds.size())));
      f.cloud.suspend(vm);
      immovable.add(f.cloud.reliable().placement(vm).orElseThrow());
    }
    Set<HostId> requested = new TreeSet<>();
    for (HostId h : ids) {
      if (r.nextInt(10) < 8) {
        requested.add(h);
      }
    }
    String scenario =
        "seed "
            + seed
            + ": "
            + f.cloud.reliable().hosts()
            + " vms "
            + vmIds
            + " groups "
            + f.groups
            + " limit "
            + limit
            + " faults "
            + faults
            + " listsResidents "
            + listsResidents
            + " requested "
            + requested;

    PatchEngine engine = f.engine();
    engine.remediateHosts(requested, "model baseline");
    Instant end = f.clock.instant().plus(Duration.ofDays(2));
    while (f.clock.instant().isBefore(end) && !engine.isIdle()) {
      engine.tick();
      f.clock.advance(HostFixture.TICK);
      if (r.nextInt(4) == 0) {
        PatchEngine replayed = f.engine();
        assertEquals(engine.stateFingerprint(), replayed.stateFingerprint(), scenario);
        engine = replayed;
        restarts[0]++;
      }
    }

    assertEquals(List.of(), f.violations(limit), scenario);
    for (TruthEvent t : f.truth(TruthEvent.Kind.MAINTENANCE_ENTERED)) {
      assertTrue(
          !immovable.contains(t.host().orElseThrow()),
          "a host with a suspended VM entered maintenance mode: " + scenario);
    }
    assertTrue(engine.isIdle(), "finished in two days: " + scenario);
    Set<HostId> accounted = new TreeSet<>(engine.hostsRemediated());
    accounted.addAll(engine.hostsSkipped().keySet());
    assertEquals(requested, accounted, scenario);
    Set<HostId> patchedInTruth = new TreeSet<>();
    f.truth(TruthEvent.Kind.HOST_PATCHED).forEach(t -> patchedInTruth.add(t.host().orElseThrow()));
    assertTrue(
        patchedInTruth.containsAll(engine.hostsRemediated()),
        "the engine says only what the cloud did: " + scenario);
    assertEquals(Set.of(), f.inMaintenance(), "no host left in maintenance mode: " + scenario);
    List<String> keys =
        f.journal.readAll().stream()
            .filter(e -> e.data().has("key") && e.type().endsWith(".requested"))
            .map(e -> e.data().path("key").asText())
            .toList();
    assertEquals(
        Set.copyOf(keys).size(), keys.size(), "each effect requested once: " + keys + scenario);
    assertEquals(engine.stateFingerprint(), f.engine().stateFingerprint(), scenario);
    migrations[0] += f.truth(TruthEvent.Kind.MIGRATED).size();
    patched[0] += patchedInTruth.size();
    skipped[0] += engine.hostsSkipped().size();
  }

  private static double pick(Random r) {
    return RATES[r.nextInt(RATES.length)];
  }
}
