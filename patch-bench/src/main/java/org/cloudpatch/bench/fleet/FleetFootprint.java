package org.cloudpatch.bench.fleet;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.Locale;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.inventory.match.ApplicabilityIndex;

/**
 * Heap retained by an {@link ApplicabilityIndex} per installed row, for fleets of the sizes given
 * as arguments (default 10,000 VMs): the heap after a full collection with the index, less the heap
 * with the same inventories and advisories but no index. Not a JMH benchmark — JMH measures time
 * and allocation, not what stays — so run it as a plain program: {@code java -Xmx12g -cp
 * patch-bench/target/benchmarks.jar org.cloudpatch.bench.fleet.FleetFootprint 10000}.
 */
public final class FleetFootprint {
  private FleetFootprint() {}

  /** Prints one line per fleet size. */
  public static void main(String[] args) {
    int[] sizes = args.length == 0 ? new int[] {10_000} : parse(args);
    Fleet generator = new Fleet(1);
    List<Advisory> advisories = generator.advisories(FleetAssessment.ADVISORIES, 1, 3);
    for (int vms : sizes) {
      List<Inventory> fleet = generator.vms(vms, 2);
      long rows = fleet.stream().mapToLong(i -> i.packages().size()).sum();
      long before = usedAfterGc();
      ApplicabilityIndex index = ApplicabilityIndex.create();
      advisories.forEach(index::put);
      long withAdvisories = usedAfterGc();
      fleet.forEach(index::put);
      long after = usedAfterGc();
      System.out.printf(
          Locale.ROOT,
          "vms=%d rows=%d distinctVersions=%d advisoriesOnly=%.1f MiB fleet=%.1f MiB"
              + " bytesPerRow=%.2f%n",
          vms,
          rows,
          index.distinctVersionCount(),
          (withAdvisories - before) / 1048576.0,
          (after - withAdvisories) / 1048576.0,
          (after - withAdvisories) / (double) rows);
      if (index.assetCount() != vms) {
        throw new AssertionError("index lost assets");
      }
    }
  }

  private static int[] parse(String[] args) {
    int[] sizes = new int[args.length];
    for (int i = 0; i < args.length; i++) {
      sizes[i] = Integer.parseInt(args[i]);
    }
    return sizes;
  }

  private static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    // Several collections: one may leave garbage a concurrent phase has not yet reclaimed.
    for (int i = 0; i < 4; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
