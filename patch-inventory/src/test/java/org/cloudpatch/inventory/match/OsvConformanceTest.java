package org.cloudpatch.inventory.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.OsvReader;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.core.finding.Finding;
import org.cloudpatch.core.finding.FindingStatus;
import org.cloudpatch.inventory.ConformanceData;
import org.cloudpatch.inventory.format.DpkgStatusReader;
import org.junit.jupiter.api.Test;

/** Real OSV records and a real dpkg database; each test skips when its data is absent. */
class OsvConformanceTest {
  private final OsvApplicability applicability = OsvApplicability.create();

  private static Advisory osv(String relative) {
    ReadBatch<Advisory> batch = OsvReader.create().read(ConformanceData.require(relative));
    assertEquals(List.of(), batch.quarantined());
    return batch.accepted().get(0);
  }

  private static Inventory stretch(String sourceVersion) {
    return OsvApplicabilityTest.inventory(
        "vm-9",
        "Debian:9",
        OsvApplicabilityTest.binary("libssl1.1", "openssl", sourceVersion),
        OsvApplicabilityTest.binary("openssl", "openssl", sourceVersion));
  }

  @Test
  void debianLtsAdvisory_onStretch_beforeAndAfterTheFix() {
    Advisory dla = osv("osv-advisories/osv-scanner-offline-dbs/Debian/DLA-3008-1.json");

    Finding before = applicability.assess(dla, stretch("1.1.0l-1~deb9u5")).get(0);
    assertEquals(FindingStatus.AFFECTED, before.status());
    assertEquals(Optional.of("1.1.0l-1~deb9u6"), before.fixedVersion());
    assertEquals(List.of("libssl1.1", "openssl"), before.binaryPackages());
    assertEquals(
        "range 0 (ECOSYSTEM): introduced 0, installed 1.1.0l-1~deb9u5 < fixed 1.1.0l-1~deb9u6",
        before.evidence());

    Finding after = applicability.assess(dla, stretch("1.1.0l-1~deb9u6")).get(0);
    assertEquals(FindingStatus.FIXED, after.status());

    assertEquals(
        List.of(),
        applicability.assess(
            dla,
            OsvApplicabilityTest.inventory(
                "vm-12",
                "Debian:12",
                OsvApplicabilityTest.binary("libssl3", "openssl", "3.0.11-1"))));
  }

  @Test
  void ubuntuProAdvisory_withoutFix_isAffectedOnItsRelease() {
    Advisory usn = osv("osv-advisories/osv.dev-testdata/UBUNTU-CVE-2025-38094.json");
    Finding f =
        applicability
            .assess(
                usn,
                OsvApplicabilityTest.inventory(
                    "vm-trusty",
                    "Ubuntu:14.04",
                    OsvApplicabilityTest.binary(
                        "linux-image-3.13.0-24-generic", "linux", "3.13.0-24.46")))
            .get(0);
    assertEquals(FindingStatus.AFFECTED, f.status());
    assertEquals(Optional.empty(), f.fixedVersion());
    assertEquals(
        "range 0 (ECOSYSTEM): introduced 0, installed 3.13.0-24.46, no fixed version",
        f.evidence());
  }

  @Test
  void localDebian12Machine_glibcAdvisory_groupsEveryGlibcBinary() {
    Path status = ConformanceData.require("local-dpkg-status/status");
    Inventory inventory =
        DpkgStatusReader.create()
            .readInventory(status, AssetId.of("local"), Platform.parse("Debian:12"), Instant.EPOCH);
    Advisory advisory =
        OsvApplicabilityTest.advisory(
            OsvApplicabilityTest.pkg(
                "Debian:12",
                "glibc",
                OsvApplicabilityTest.ecosystemRange(
                    OsvApplicabilityTest.introduced("0"),
                    OsvApplicabilityTest.fixed("2.36-9+deb12u15"))),
            OsvApplicabilityTest.pkg(
                "Debian:12",
                "openssl",
                OsvApplicabilityTest.ecosystemRange(
                    OsvApplicabilityTest.introduced("0"),
                    OsvApplicabilityTest.fixed("3.0.19-1~deb12u2"))));
    List<Finding> findings = applicability.assess(advisory, inventory);
    assertEquals(2, findings.size(), findings.toString());
    Finding glibc =
        findings.stream().filter(f -> f.packageName().equals("glibc")).findFirst().orElseThrow();
    assertEquals(FindingStatus.AFFECTED, glibc.status());
    assertEquals("2.36-9+deb12u14", glibc.installedVersion());
    assertEquals(
        List.of(
            "libc-bin",
            "libc-dev-bin",
            "libc-devtools",
            "libc-l10n",
            "libc6",
            "libc6-dbg",
            "libc6-dev",
            "locales"),
        glibc.binaryPackages());
    Finding openssl =
        findings.stream().filter(f -> f.packageName().equals("openssl")).findFirst().orElseThrow();
    assertEquals(FindingStatus.FIXED, openssl.status());
    assertTrue(openssl.binaryPackages().contains("libssl3"));
  }
}
