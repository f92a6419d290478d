package org.cloudpatch.bench.fleet;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.inventory.match.ApplicabilityIndex;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Assessing a whole fleet against {@value #ADVISORIES} advisories, against the floor of merely
 * iterating the same installed rows, at {@code vms} VMs of about 1,500 packages each.
 *
 * <ul>
 *   <li>{@code iterateRows}: <b>the floor</b> — read every installed row's name and version, the
 *       least any matcher must touch (their hash codes, which strings cache, so nothing is computed
 *       or allocated: a strict floor).
 *   <li>{@code assessFleet}: put every inventory into an index that holds the advisories: every row
 *       interned, every distinct version decided against every advisory naming its package. Report
 *       {@code assessFleet / iterateRows} (goal ≤ 3) and how it changes with {@code vms}.
 *   <li>{@code newAdvisory}: the fleet and advisories indexed, put one more advisory (an update of
 *       one naming a package every VM has, so that each put replaces the last): the re-assessment
 *       after a new advisory, which should not depend on {@code vms}.
 *   <li>{@code newAdvisoryAndItsFindings}: the same, then materialise its findings — one per VM, so
 *       this one grows with the fleet.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms12g", "-Xmx12g"})
public class FleetAssessment {
  static final int ADVISORIES = 50_000;

  /** The fleet and the advisories, generated once per trial from fixed seeds. */
  @State(Scope.Benchmark)
  public static class Data {
    @Param({"1000", "10000", "100000"})
    public int vms;

    /**
     * Whether VMs of one image share their package values (a host that interns what it reads) or
     * each has its own equal copies (one that does not).
     */
    @Param({"true"})
    public boolean sharedValues;

    List<Inventory> fleet = List.of();
    List<Advisory> advisories = List.of();
    Fleet generator = new Fleet(1);

    @Setup(Level.Trial)
    public void generate() {
      generator = new Fleet(1);
      fleet = generator.vms(vms, 2, sharedValues);
      advisories = generator.advisories(ADVISORIES, 1, 3);
    }
  }

  /** An index holding the advisories and no inventories, fresh for every invocation. */
  @State(Scope.Thread)
  public static class AdvisoriesOnly {
    ApplicabilityIndex index = ApplicabilityIndex.create();

    @Setup(Level.Invocation)
    public void load(Data data) {
      index = ApplicabilityIndex.create();
      data.advisories.forEach(index::put);
    }
  }

  /** An index holding the fleet and the advisories, and two versions of one more advisory. */
  @State(Scope.Thread)
  public static class Loaded {
    ApplicabilityIndex index = ApplicabilityIndex.create();
    Advisory[] versions = new Advisory[0];
    int next;

    @Setup(Level.Trial)
    public void load(Data data) {
      index = ApplicabilityIndex.create();
      data.advisories.forEach(index::put);
      data.fleet.forEach(index::put);
      // pkg0 is in every image's base: the worst case, a package on every VM.
      versions =
          new Advisory[] {
            data.generator.advisoryFor(0, 3, "DSA-NEW-1"),
            data.generator.advisoryFor(0, 4, "DSA-NEW-1")
          };
    }
  }

  @Benchmark
  public long iterateRows(Data data) {
    long h = 0;
    for (Inventory inventory : data.fleet) {
      for (InstalledPackage pkg : inventory.packages()) {
        h += pkg.name().hashCode() ^ pkg.version().hashCode();
      }
    }
    return h;
  }

  @Benchmark
  public ApplicabilityIndex assessFleet(Data data, AdvisoriesOnly state) {
    for (Inventory inventory : data.fleet) {
      state.index.put(inventory);
    }
    return state.index;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int newAdvisory(Loaded state) {
    return state.index.put(state.versions[state.next++ & 1]);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int newAdvisoryAndItsFindings(Loaded state) {
    Advisory advisory = state.versions[state.next++ & 1];
    state.index.put(advisory);
    return state.index.findings(AdvisoryId.of("DSA-NEW-1")).size();
  }
}
