package org.cloudpatch.inventory.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.inventory.ConformanceData;
import org.junit.jupiter.api.Test;

/** The rpm -qa and apk readers on files written by others; skipped when the data is absent. */
class InventoryConformanceTest {

  @Test
  void insightsCoreRpmQa_everyLineReads() {
    Path file = ConformanceData.require("insights-core-rpms/rpm-qa-samples.txt");
    assertEquals(InventoryReaders.Format.RPM_QA, InventoryReaders.detect(file));
    ReadBatch<InstalledPackage> b = InventoryReaders.read(file);
    assertTrue(b.quarantined().isEmpty(), b.quarantined().toString());
    assertEquals(11, b.accepted().size());
    assertTrue(b.accepted().contains(InstalledPackage.of("kernel", "3.10.0-327.36.3.el7")));
  }

  @Test
  void osvScalibrApkInstalled_readsEveryPackage() {
    Path file = ConformanceData.require("osv-scalibr-inventory/apk/installed");
    ReadBatch<InstalledPackage> b = InventoryReaders.read(file);
    assertTrue(b.quarantined().isEmpty(), b.quarantined().toString());
    assertEquals(15, b.accepted().size());
  }

  @Test
  void osvScalibrApkSingleAndNoOrigin_read() {
    InstalledPackage single =
        ApkInstalledReader.create()
            .read(ConformanceData.require("osv-scalibr-inventory/apk/single"))
            .accepted()
            .get(0);
    assertTrue(single.sourceName().isPresent() || single.name().equals("alpine-baselayout-data"));
    ReadBatch<InstalledPackage> noOrigin =
        ApkInstalledReader.create()
            .read(ConformanceData.require("osv-scalibr-inventory/apk/no-origin"));
    assertEquals(1, noOrigin.accepted().size());
    assertTrue(noOrigin.accepted().get(0).sourceName().isEmpty());
  }

  @Test
  void osvScalibrApkInvalidAndEmpty_giveNothingSilently() {
    assertTrue(
        ApkInstalledReader.create()
            .read(ConformanceData.require("osv-scalibr-inventory/apk/empty"))
            .accepted()
            .isEmpty());
    ReadBatch<InstalledPackage> invalid =
        ApkInstalledReader.create()
            .read(ConformanceData.require("osv-scalibr-inventory/apk/invalid"));
    assertTrue(invalid.accepted().isEmpty());
    assertEquals(2, invalid.quarantined().size(), invalid.quarantined().toString());
  }

  @Test
  void trivyApkDatabase_blockWithoutVersion_isQuarantined_restIsRead() {
    Path file = ConformanceData.require("trivy/pkg/fanal/analyzer/pkg/apk/testdata/apk");
    ReadBatch<InstalledPackage> b = InventoryReaders.read(file);
    assertEquals(15, b.accepted().size());
    assertEquals(1, b.quarantined().size(), b.quarantined().toString());
  }
}
