package org.cloudpatch.inventory.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.batch.ReadBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DpkgStatusReaderTest {
  private final DpkgStatusReader reader = DpkgStatusReader.create();

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(DpkgStatusReaderTest.class.getResource(name).toURI());
  }

  private ReadBatch<InstalledPackage> readText(String text) {
    return reader.read(new StringReader(text), "test-status");
  }

  private static List<String> names(ReadBatch<InstalledPackage> batch) {
    return batch.accepted().stream().map(InstalledPackage::name).toList();
  }

  @Test
  void read_installedPackages_inFileOrder() throws Exception {
    ReadBatch<InstalledPackage> batch = reader.read(resource("status-sample"));
    assertEquals(List.of("libc6", "bash", "zlib1g", "adduser"), names(batch));
    assertEquals(List.of(), batch.quarantined());
  }

  @Test
  void read_sourceName_isKeptWhenItDiffersFromTheBinary() throws Exception {
    InstalledPackage libc6 = reader.read(resource("status-sample")).accepted().get(0);
    assertEquals("2.36-9+deb12u4", libc6.version());
    assertEquals(Optional.of("glibc"), libc6.sourceName());
    assertEquals(Optional.empty(), libc6.sourceVersion());
    assertEquals("2.36-9+deb12u4", libc6.effectiveSourceVersion());
  }

  @Test
  void read_sourceWithVersion_mapsSourceNameAndVersion() throws Exception {
    // A binNMU: the binary version carries +b8, the source version does not.
    InstalledPackage bash = reader.read(resource("status-sample")).accepted().get(1);
    assertEquals("5.2.15-2+b8", bash.version());
    assertEquals(Optional.empty(), bash.sourceName(), "source name equals the binary name");
    assertEquals(Optional.of("5.2.15-2"), bash.sourceVersion());
  }

  @Test
  void read_sourceEqualToPackage_leavesSourceEmpty() throws Exception {
    InstalledPackage adduser = reader.read(resource("status-sample")).accepted().get(3);
    assertEquals(InstalledPackage.of("adduser", "3.134"), adduser);
  }

  @Test
  void read_holdOkInstalled_isKept_andOtherStatesAreSkipped() throws Exception {
    List<String> names = names(reader.read(resource("status-sample")));
    assertTrue(names.contains("bash"), "hold ok installed");
    assertTrue(!names.contains("old-config") && !names.contains("half"), names.toString());
  }

  @Test
  void read_continuationLines_areNeverFields() throws Exception {
    // libc6's description holds " Version: 0.0-not-a-field"; the real Version wins.
    assertEquals(
        "2.36-9+deb12u4", reader.read(resource("status-sample")).accepted().get(0).version());
  }

  @Test
  void read_crlfTrailingBlanksAndNoFinalNewline_areTolerated() {
    String text =
        "Package: a \r\nStatus: install ok installed\t\r\nVersion: 1.0-1  \r\n \r\n"
            + "Package: b\r\nStatus: install ok installed\r\nVersion: 2.0";
    ReadBatch<InstalledPackage> batch = readText(text);
    assertEquals(
        List.of(InstalledPackage.of("a", "1.0-1"), InstalledPackage.of("b", "2.0")),
        batch.accepted());
    assertEquals(List.of(), batch.quarantined());
  }

  @Test
  void read_manyBlankLinesBetweenParagraphs_areOneSeparator() {
    String text =
        "\n\nPackage: a\nStatus: install ok installed\nVersion: 1\n\n\n\n"
            + "Package: b\nStatus: install ok installed\nVersion: 2\n\n\n";
    assertEquals(List.of("a", "b"), names(readText(text)));
  }

  @Test
  void read_malformedRecords_areQuarantinedWithFileAndLine_andTheRestIsRead() throws Exception {
    Path file = resource("status-malformed");
    ReadBatch<InstalledPackage> batch = reader.read(file);

    assertEquals(List.of("good-before", "good-after"), names(batch));
    List<Quarantined> q = batch.quarantined();
    assertEquals(4, q.size(), q.toString());
    for (Quarantined each : q) {
      assertEquals(file.toString(), each.source());
    }
    assertEquals("line 5", q.get(0).position());
    assertTrue(q.get(0).reason().contains("no-version has no Version field"), q.get(0).reason());
    assertEquals("line 9", q.get(1).position());
    assertTrue(q.get(1).reason().contains("expected 'Field: value'"), q.get(1).reason());
    assertEquals("line 16", q.get(2).position());
    assertTrue(q.get(2).reason().contains("'1.0 beta'"), q.get(2).reason());
    assertEquals("line 18", q.get(3).position());
    assertTrue(q.get(3).reason().contains("no Package field"), q.get(3).reason());
    assertTrue(q.get(2).describe().startsWith(file + ":line 16: package bad-version"));
  }

  @Test
  void read_missingStatus_isQuarantined() {
    ReadBatch<InstalledPackage> batch = readText("Package: a\nVersion: 1.0\n");
    assertEquals(List.of(), batch.accepted());
    assertEquals("line 1", batch.quarantined().get(0).position());
    assertTrue(batch.quarantined().get(0).reason().contains("no Status field"));
  }

  @Test
  void read_statusWithoutThreeWords_isQuarantined() {
    ReadBatch<InstalledPackage> batch = readText("Package: a\nStatus: installed\nVersion: 1.0\n");
    assertEquals("line 2", batch.quarantined().get(0).position());
    assertTrue(batch.quarantined().get(0).reason().contains("'want flag state'"));
  }

  @Test
  void read_duplicateField_isQuarantined() {
    ReadBatch<InstalledPackage> batch =
        readText("Package: a\nStatus: install ok installed\nVersion: 1.0\nversion: 2.0\n");
    assertEquals(List.of(), batch.accepted());
    assertEquals("line 4", batch.quarantined().get(0).position());
    assertTrue(batch.quarantined().get(0).reason().contains("appears twice (first on line 3)"));
  }

  @Test
  void read_continuedVersionField_isQuarantined() {
    ReadBatch<InstalledPackage> batch =
        readText("Package: a\nStatus: install ok installed\nVersion: 1.0\n -1\n");
    assertEquals("line 4", batch.quarantined().get(0).position());
    assertTrue(batch.quarantined().get(0).reason().contains("Version must fit on one line"));
  }

  @Test
  void read_invalidSourceVersion_isQuarantined() {
    ReadBatch<InstalledPackage> batch =
        readText("Package: a\nStatus: install ok installed\nSource: b (5.#)\nVersion: 1:5\n");
    assertEquals("line 3", batch.quarantined().get(0).position());
    assertTrue(batch.quarantined().get(0).reason().contains("'5.#'"));
  }

  @Test
  void read_nonUtf8Bytes_areTolerated(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("status");
    byte[] latin1 =
        "Package: a\nStatus: install ok installed\nVersion: 1.0\nDescription: caf\u00e9\n"
            .getBytes(StandardCharsets.ISO_8859_1);
    Files.write(file, latin1);
    assertEquals(List.of("a"), names(reader.read(file)));
  }

  @Test
  void read_statusDirectory_missingStatusMeansInstalled_andMd5sumsAreIgnored(@TempDir Path tmp)
      throws Exception {
    Files.writeString(tmp.resolve("foo"), "Package: foo\nVersion: 1.2.3\n");
    Files.writeString(
        tmp.resolve("foo.md5sums"), "d41d8cd98f00b204e9800998ecf8427e  usr/bin/foo\n");
    Files.writeString(
        tmp.resolve("bar"), "Package: bar\nStatus: deinstall ok config-files\nVersion: 1.0\n");
    ReadBatch<InstalledPackage> batch = reader.read(tmp);
    assertEquals(List.of(InstalledPackage.of("foo", "1.2.3")), batch.accepted());
    assertEquals(List.of(), batch.quarantined());
  }

  @Test
  void read_missingFile_throwsPatchExceptionNamingIt(@TempDir Path tmp) {
    Path missing = tmp.resolve("nope");
    PatchException e = assertThrows(PatchException.class, () -> reader.read(missing));
    assertTrue(e.getMessage().contains(missing.toString()));
  }

  @Test
  void readInventory_buildsTheAssetsInventory() throws Exception {
    Path file = resource("status-sample");
    Instant at = Instant.parse("2025-01-02T03:04:05Z");
    Inventory inv = reader.readInventory(file, AssetId.of("vm-1"), Platform.parse("Debian:12"), at);
    assertEquals(AssetId.of("vm-1"), inv.asset());
    assertEquals(Platform.parse("Debian:12"), inv.platform());
    assertEquals(at, inv.observedAt());
    assertEquals("dpkg-status:" + file, inv.source());
    assertEquals(4, inv.packages().size());
    assertEquals("glibc", inv.find("libc6").orElseThrow().effectiveSourceName());
  }

  @Test
  void readInventory_leavesQuarantinedRecordsOut() throws Exception {
    Inventory inv =
        reader.readInventory(
            resource("status-malformed"),
            AssetId.of("vm-2"),
            Platform.parse("Debian:12"),
            Instant.EPOCH);
    assertEquals(2, inv.packages().size());
  }
}
