package org.cloudpatch.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cloudpatch.audit.journal.JournalVerifier;
import org.cloudpatch.audit.report.ComplianceReport.AssetAdvisory;
import org.cloudpatch.audit.report.ComplianceReport.AssetStatus;
import org.cloudpatch.audit.report.ComplianceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small demos under heavy faults and restarts, one per seed, each judged by what an operator would
 * check: the run ends, the journal verifies, every VM that requires an update is patched, pending,
 * excepted or outstanding (never lost), no affected VM is left without a tracking record, the
 * independent inventory check agrees with every record, every host ends with an outcome. Three
 * seeds in the normal build; {@code -Dcloudpatch.demo.seeds=N} runs N (the sweeps that found a
 * restart matched against no assets and a scripted resume of a VM its user had resumed), from
 * {@code -Dcloudpatch.demo.firstSeed} (1), at {@code -Dcloudpatch.demo.faults} (0.2) with {@code
 * -Dcloudpatch.demo.restarts} (6).
 */
class DemoSeedSweepTest {
  private static final int SEEDS = Integer.getInteger("cloudpatch.demo.seeds", 3);
  private static final int FIRST_SEED = Integer.getInteger("cloudpatch.demo.firstSeed", 1);
  private static final double FAULTS =
      Double.parseDouble(System.getProperty("cloudpatch.demo.faults", "0.2"));
  private static final int RESTARTS = Integer.getInteger("cloudpatch.demo.restarts", 6);

  @TempDir Path dir;

  @Test
  void everySeed_endsWithEveryVmAccountedFor_andEveryHostWithAnOutcome() throws IOException {
    List<String> problems = new ArrayList<>();
    for (int seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
      Path out = dir.resolve("seed-" + seed);
      DemoResult result;
      try {
        result = new Demo(new Demo.Options(120, 6, 30, seed, out, FAULTS, RESTARTS)).execute();
      } catch (RuntimeException e) {
        problems.add("seed " + seed + ": the run stopped: " + e);
        continue;
      }
      var v = JournalVerifier.verify(out.resolve("journal.log"));
      if (!v.ok()) {
        problems.add("seed " + seed + ": journal " + v.describe());
      }
      var a = result.compliance().answer();
      if (a.requiringUpdate() != a.patched() + a.outstanding() + a.pendingReboot() + a.excepted()) {
        problems.add("seed " + seed + ": not every VM accounted for: " + a.patchedAnswer());
      }
      if (a.discrepancies() != 0) {
        problems.add("seed " + seed + ": " + a.validationAnswer());
      }
      for (AssetStatus s : result.compliance().assets()) {
        for (AssetAdvisory aa : s.advisories()) {
          if (aa.status() == ComplianceStatus.MISSING
              && aa.record().isEmpty()
              && aa.exception().isEmpty()) {
            problems.add(
                "seed " + seed + ": " + s.asset() + " " + aa.advisory() + ": " + aa.note());
          }
        }
      }
      for (DemoResult.HostEvacuation h : result.hosts()) {
        if (h.outcome() == DemoResult.HostOutcome.NOT_PATCHED) {
          problems.add("seed " + seed + ": host without an outcome: " + h);
        }
      }
    }
    System.out.printf(
        "demo seed sweep: seeds %d to %d at %.0f%% faults, %d restarts each%n",
        FIRST_SEED, FIRST_SEED + SEEDS - 1, FAULTS * 100, RESTARTS);
    assertEquals(List.of(), problems.stream().limit(20).toList(), problems.size() + " problems");
  }
}
