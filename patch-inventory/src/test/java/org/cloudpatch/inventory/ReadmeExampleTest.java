package org.cloudpatch.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.OsvReader;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.finding.Finding;
import org.cloudpatch.core.spi.Applicability;
import org.cloudpatch.inventory.format.DpkgStatusReader;
import org.cloudpatch.inventory.format.OsRelease;
import org.cloudpatch.inventory.match.OsvApplicability;
import org.junit.jupiter.api.Test;

/** The README's example, on the shared data's Debian 12 machine and Debian advisories. */
class ReadmeExampleTest {

  @Test
  void readmeExample_runs() {
    Path osRelease = ConformanceData.require("local-dpkg-status/os-release.txt");
    Path status = ConformanceData.require("local-dpkg-status/status");
    Path advisories = ConformanceData.require("osv-advisories/osv-scanner-offline-dbs/Debian");

    Platform platform = OsRelease.read(osRelease);
    Inventory inventory =
        DpkgStatusReader.create()
            .readInventory(status, AssetId.of("vm-1"), platform, Instant.now());
    Applicability applicability = OsvApplicability.create();
    List<Finding> findings = new ArrayList<>();
    for (Advisory advisory : OsvReader.create().read(advisories).accepted()) {
      findings.addAll(applicability.assess(advisory, inventory));
    }
    // The sample advisories are for Debian 9; none applies to this Debian 12 machine.
    assertEquals(Platform.parse("Debian:12"), platform);
    assertEquals(List.of(), findings);
  }
}
