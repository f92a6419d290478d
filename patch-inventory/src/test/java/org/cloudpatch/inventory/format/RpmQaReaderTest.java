package org.cloudpatch.inventory.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.inventory.ConformanceData;
import org.junit.jupiter.api.Test;

/** {@code rpm -qa} output in its default form and in the queryformat forms that carry epochs. */
class RpmQaReaderTest {
  private static ReadBatch<InstalledPackage> read(String text) {
    return RpmQaReader.create().read(new StringReader(text), "rpm-qa");
  }

  /**
   * Real {@code rpm -qa --last}-style output (RedHatInsights/insights-core's samples): no line has
   * an epoch, so none is invented, and the batch says so once, with the count and the query that
   * lists epochs.
   */
  @Test
  void defaultOutput_keepsEpochsUnknown_andWarnsOnceWithTheCountAndTheQuery() {
    ReadBatch<InstalledPackage> batch =
        RpmQaReader.create().read(ConformanceData.require("insights-core-rpms/rpm-qa-samples.txt"));
    assertEquals(List.of(), batch.quarantined());
    assertTrue(batch.accepted().size() >= 10, batch.accepted().toString());
    batch.accepted().forEach(p -> assertTrue(!p.version().contains(":"), p.toString()));
    assertEquals(1, batch.warnings().size(), batch.warnings().toString());
    String warning = batch.warnings().get(0);
    assertTrue(warning.startsWith(batch.accepted().size() + " packages have no epoch"), warning);
    assertTrue(
        warning.endsWith(
            "rpm -qa --queryformat '%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE} %{ARCH}\\n'"),
        warning);
  }

  @Test
  void defaultOutput_withoutEpoch_isKeptWithoutOne_andCounted() {
    ReadBatch<InstalledPackage> batch =
        read("NetworkManager-1.40.16-18.el8_10.x86_64\nbash-4.4.20-5.el8.x86_64\n");
    assertEquals(
        List.of(
            InstalledPackage.of("NetworkManager", "1.40.16-18.el8_10"),
            InstalledPackage.of("bash", "4.4.20-5.el8")),
        batch.accepted());
    assertTrue(
        batch.warnings().get(0).startsWith("2 packages have no epoch"),
        batch.warnings().toString());
  }

  @Test
  void epochNum_isKept_andNothingIsWarned() {
    ReadBatch<InstalledPackage> batch =
        read("NetworkManager 1:1.40.16-18.el8_10 x86_64\nbash 0:4.4.20-5.el8 x86_64\n");
    assertEquals(
        List.of(
            InstalledPackage.of("NetworkManager", "1:1.40.16-18.el8_10"),
            InstalledPackage.of("bash", "0:4.4.20-5.el8")),
        batch.accepted());
    assertEquals(List.of(), batch.warnings());
  }

  /** {@code %{EPOCH}} prints {@code (none)} for a package without one: a known epoch 0. */
  @Test
  void epochNone_isAKnownZero() {
    ReadBatch<InstalledPackage> batch =
        read("bash (none):4.4.20-5.el8 x86_64\nbash-(none):4.4.20-5.el8.x86_64\n");
    assertEquals(
        List.of(
            InstalledPackage.of("bash", "0:4.4.20-5.el8"),
            InstalledPackage.of("bash", "0:4.4.20-5.el8")),
        batch.accepted());
    assertEquals(List.of(), batch.warnings());
  }

  @Test
  void mixedOutput_countsOnlyThePackagesWithoutEpoch() {
    ReadBatch<InstalledPackage> batch =
        read("bash 0:4.4.20-5.el8 x86_64\nNetworkManager-1.40.16-18.el8_10.x86_64\n");
    assertEquals(1, batch.warnings().size());
    assertTrue(
        batch.warnings().get(0).startsWith("1 package has no epoch"), batch.warnings().toString());
  }
}
