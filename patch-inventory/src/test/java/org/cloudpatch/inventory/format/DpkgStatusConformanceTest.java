package org.cloudpatch.inventory.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.inventory.ConformanceData;
import org.junit.jupiter.api.Test;

/** The dpkg status reader against real databases; each test skips when its data is absent. */
class DpkgStatusConformanceTest {
  private final DpkgStatusReader reader = DpkgStatusReader.create();

  private static List<String> names(ReadBatch<InstalledPackage> batch) {
    return batch.accepted().stream().map(InstalledPackage::name).toList();
  }

  private static List<String> positions(ReadBatch<InstalledPackage> batch) {
    return batch.quarantined().stream().map(Quarantined::position).toList();
  }

  /** A Debian 12 machine's database against what dpkg-query itself printed for it. */
  @Test
  void localDebian12Status_matchesDpkgQuery() throws IOException {
    Path status = ConformanceData.require("local-dpkg-status/status");
    Path expected = ConformanceData.require("local-dpkg-status/dpkg-query-expected.tsv");
    ReadBatch<InstalledPackage> batch = reader.read(status);
    assertEquals(List.of(), batch.quarantined());

    // Package, Version, Architecture, Status, source:Package, source:Version
    List<String> rows = Files.readAllLines(expected, StandardCharsets.UTF_8);
    assertEquals(rows.size(), batch.accepted().size());
    for (int i = 0; i < rows.size(); i++) {
      String[] f = rows.get(i).split("\t");
      InstalledPackage pkg = batch.accepted().get(i);
      assertEquals(f[0], pkg.name(), "row " + (i + 1));
      assertEquals(f[1], pkg.version(), f[0]);
      assertEquals(f[4], pkg.effectiveSourceName(), f[0]);
      assertEquals(f[5], pkg.effectiveSourceVersion(), f[0]);
    }
    long withOtherSource =
        batch.accepted().stream().filter(p -> p.sourceName().isPresent()).count();
    assertTrue(withOtherSource > 500, "expected 572 packages with another source name");
  }

  @Test
  void osvScalibrValid_readsEveryPackage() {
    Path file = ConformanceData.require("osv-scalibr-inventory/dpkg/dpkg/valid");
    ReadBatch<InstalledPackage> batch = reader.read(file);
    assertEquals(7, batch.accepted().size());
    assertEquals(List.of(), batch.quarantined());
  }

  @Test
  void osvScalibrStatusField_keepsEveryInstalledState_andQuarantinesTheMissingStatus() {
    Path file = ConformanceData.require("osv-scalibr-inventory/dpkg/dpkg/statusfield");
    ReadBatch<InstalledPackage> batch = reader.read(file);
    assertEquals(
        List.of("wantinstall_installed", "wantdeinstall_installed", "wantpurge_installed"),
        names(batch));
    assertEquals(1, batch.quarantined().size());
    assertTrue(batch.quarantined().get(0).reason().contains("wantnostatus has no Status"));
  }

  @Test
  void osvScalibrNoPackageAndNoVersion_quarantineOneParagraphEach() {
    Path dir = ConformanceData.require("osv-scalibr-inventory/dpkg/dpkg");
    ReadBatch<InstalledPackage> noPackage = reader.read(dir.resolve("nopackage"));
    assertEquals(List.of("foo", "bar"), names(noPackage));
    assertEquals(List.of("line 5"), positions(noPackage));
    ReadBatch<InstalledPackage> noVersion = reader.read(dir.resolve("noversion"));
    assertEquals(List.of("foo", "bar"), names(noVersion));
    assertEquals(List.of("line 5"), positions(noVersion));
  }

  @Test
  void osvScalibrEdgeCases() {
    Path dir = ConformanceData.require("osv-scalibr-inventory/dpkg/dpkg");
    assertEquals(List.of(), reader.read(dir.resolve("empty")).accepted());
    assertEquals(List.of("acl"), names(reader.read(dir.resolve("single"))));
    assertEquals(List.of("acl"), names(reader.read(dir.resolve("trailingnewlines"))));
    ReadBatch<InstalledPackage> invalid = reader.read(dir.resolve("invalid"));
    assertEquals(List.of(), invalid.accepted());
    assertEquals(List.of("line 1", "line 3"), positions(invalid));

    InstalledPackage iceweasel = reader.read(dir.resolve("transitional")).accepted().get(0);
    assertEquals(Optional.of("firefox-esr"), iceweasel.sourceName());
    InstalledPackage gitCore = reader.read(dir.resolve("transitional_dummy")).accepted().get(0);
    assertEquals("1:2.14.2-1", gitCore.version());
    assertEquals("git", gitCore.effectiveSourceName());
  }

  @Test
  void osvScalibrStatusDirectory_readsDistrolessLayout() {
    Path dir = ConformanceData.require("osv-scalibr-inventory/dpkg/dpkg/status.d");
    ReadBatch<InstalledPackage> batch = reader.read(dir);
    assertEquals(List.of(InstalledPackage.of("foo", "1.2.3")), batch.accepted());
    assertEquals(List.of(), batch.quarantined());
  }

  @Test
  void trivyUbuntuDatabases() {
    Path dir = ConformanceData.require("trivy/pkg/fanal/analyzer/pkg/dpkg/testdata");
    ReadBatch<InstalledPackage> valid = section(dir.resolve("valid.txtar"));
    assertEquals(90, valid.accepted().size(), "91 paragraphs, one only config-files");
    assertEquals(List.of(), valid.quarantined());
    InstalledPackage fdisk = valid.accepted().get(0);
    assertEquals("fdisk", fdisk.name());
    assertEquals("util-linux", fdisk.effectiveSourceName());

    ReadBatch<InstalledPackage> docker = section(dir.resolve("third-party.txtar"));
    assertEquals("5:20.10.7~3-0~debian-buster", docker.accepted().get(0).version());
  }

  @Test
  void trivyCorruptedDatabase_quarantinesTheBrokenParagraphs_andReadsTheRest() {
    Path dir = ConformanceData.require("trivy/pkg/fanal/analyzer/pkg/dpkg/testdata");
    ReadBatch<InstalledPackage> batch = section(dir.resolve("corrupsed.txtar"));
    assertEquals(
        List.of("libpam-runtime", "libpam-modules-bin", "makedev", "libgcc1"), names(batch));
    assertEquals(2, batch.quarantined().size(), batch.quarantined().toString());
    InstalledPackage libgcc1 = batch.accepted().get(3);
    assertEquals(Optional.of("gcc-5"), libgcc1.sourceName());
    assertEquals(Optional.of("5.1.1-12ubuntu1"), libgcc1.sourceVersion());
  }

  private ReadBatch<InstalledPackage> section(Path txtar) {
    String text = ConformanceData.txtarSection(txtar, "var/lib/dpkg/status");
    return reader.read(new StringReader(text), txtar + "!/var/lib/dpkg/status");
  }
}
