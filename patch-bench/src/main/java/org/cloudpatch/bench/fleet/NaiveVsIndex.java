package org.cloudpatch.bench.fleet;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.inventory.match.ApplicabilityIndex;
import org.cloudpatch.inventory.match.OsvApplicability;
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
 * The index against the naive loop it replaces, on a small fleet and all {@value
 * FleetAssessment#ADVISORIES} advisories, each ending with every finding in hand.
 *
 * <ul>
 *   <li>{@code naive}: <b>the floor</b> — for each VM, for each advisory, {@code
 *       OsvApplicability.assess(advisory, vm)}, which walks the VM's packages: per VM, per
 *       advisory, per package, nothing shared between calls.
 *   <li>{@code indexHoldingAdvisories}: an index that already holds the advisories, as a host's
 *       does; put every VM, then materialise the findings of every advisory. Report {@code naive /
 *       indexHoldingAdvisories} (goal ≥ 100).
 *   <li>{@code indexFromNothing}: the same, but the advisories put into a new index first — the
 *       cost of a cold start, which a long-running host pays once.
 * </ul>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Benchmark)
public class NaiveVsIndex {
  @Param({"100"})
  public int vms;

  List<Inventory> fleet = List.of();
  List<Advisory> advisories = List.of();
  ApplicabilityIndex holding = ApplicabilityIndex.create();

  @Setup(Level.Trial)
  public void generate() {
    Fleet generator = new Fleet(1);
    fleet = generator.vms(vms, 2);
    advisories = generator.advisories(FleetAssessment.ADVISORIES, 1, 3);
  }

  /** Single-shot: one invocation per iteration, so this runs before each measured one. */
  @Setup(Level.Iteration)
  public void holdAdvisories() {
    holding = ApplicabilityIndex.create();
    advisories.forEach(holding::put);
  }

  @Benchmark
  public long naive() {
    OsvApplicability applicability = OsvApplicability.create();
    long findings = 0;
    for (Inventory vm : fleet) {
      for (Advisory advisory : advisories) {
        findings += applicability.assess(advisory, vm).size();
      }
    }
    return findings;
  }

  @Benchmark
  public long indexHoldingAdvisories() {
    fleet.forEach(holding::put);
    return allFindings(holding);
  }

  @Benchmark
  public long indexFromNothing() {
    ApplicabilityIndex index = ApplicabilityIndex.create();
    advisories.forEach(index::put);
    fleet.forEach(index::put);
    return allFindings(index);
  }

  private long allFindings(ApplicabilityIndex index) {
    long findings = 0;
    for (Advisory advisory : advisories) {
      findings += index.findings(advisory.id()).size();
    }
    return findings;
  }
}
