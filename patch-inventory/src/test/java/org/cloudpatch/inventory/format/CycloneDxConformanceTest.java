package org.cloudpatch.inventory.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.inventory.ConformanceData;
import org.junit.jupiter.api.Test;

/** The CycloneDX reader on SBOMs written by others; skipped when the shared data is absent. */
class CycloneDxConformanceTest {

  @Test
  void everyValidSharedSbom_readsWithoutAnException() throws IOException {
    List<Path> files = sharedSboms();
    assertFalse(files.isEmpty());
    int packages = 0;
    for (Path file : files) {
      ReadBatch<InstalledPackage> b = CycloneDxReader.create().read(file);
      packages += b.accepted().size();
      CycloneDxReader.platform(file);
    }
    assertTrue(packages > 0, "no package in " + files.size() + " SBOMs");
  }

  @Test
  void osvScannerAlpineSbom_yieldsItsApkPackage() {
    Path file = ConformanceData.require("osv-scanner-sbom/alpine-zlib-16.cdx.json");
    assertEquals(InventoryReaders.Format.CYCLONEDX_JSON, InventoryReaders.detect(file));
    ReadBatch<InstalledPackage> b = InventoryReaders.read(file);
    assertTrue(b.quarantined().isEmpty(), b.quarantined().toString());
    assertEquals(List.of(InstalledPackage.of("zlib", "1.2.12-r1")), b.accepted());
  }

  @Test
  void trivyCentos7Sbom_yieldsRpmPackagesWithTheirSource_andItsPlatform() {
    Path file =
        ConformanceData.require("trivy/integration/testdata/fixtures/sbom/centos-7-cyclonedx.json");
    ReadBatch<InstalledPackage> b = InventoryReaders.read(file);
    assertTrue(b.quarantined().isEmpty(), b.quarantined().toString());
    assertEquals(
        List.of(
            InstalledPackage.of("bash", "4.2.46-31.el7"),
            InstalledPackage.builder()
                .name("openssl-libs")
                .version("1:1.0.2k-16.el7")
                .sourceName("openssl")
                .build()),
        b.accepted());
    assertEquals(Optional.of(new Platform("centos", "7.6.1810")), CycloneDxReader.platform(file));
  }

  /** The SBOMs of the shared CycloneDX folders that are valid CycloneDX JSON. */
  private static List<Path> sharedSboms() throws IOException {
    Path examples = ConformanceData.require("cyclonedx-bom-examples");
    Path spec = ConformanceData.require("cyclonedx-specification/tools/src/test/resources");
    try (Stream<Path> a = Files.walk(examples);
        Stream<Path> s = Files.walk(spec)) {
      List<Path> valid =
          Stream.concat(
                  a.filter(p -> p.toString().endsWith(".json")),
                  s.filter(p -> p.getFileName().toString().startsWith("valid-"))
                      .filter(p -> p.toString().endsWith(".json")))
              .sorted()
              .toList();
      return Stream.concat(
              valid.stream(),
              Stream.of(
                  ConformanceData.require("osv-scanner-sbom/alpine-zlib-16.cdx.json"),
                  ConformanceData.require(
                      "trivy/integration/testdata/fixtures/sbom/centos-7-cyclonedx.json"),
                  ConformanceData.require(
                      "trivy/integration/testdata/fixtures/sbom/fluentd-multiple-lockfiles-cyclonedx.json"),
                  ConformanceData.require(
                      "trivy/integration/testdata/fixtures/sbom/license-cyclonedx.json")))
          .toList();
    }
  }
}
