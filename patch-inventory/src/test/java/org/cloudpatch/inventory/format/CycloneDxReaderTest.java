package org.cloudpatch.inventory.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.batch.ReadBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CycloneDX JSON reader on hand-written SBOMs. */
class CycloneDxReaderTest {
  @TempDir Path dir;

  private static ReadBatch<InstalledPackage> read(String componentsJson) {
    return CycloneDxReader.create()
        .read(
            new StringReader(
                "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":"
                    + componentsJson
                    + "}"),
            "sbom.json");
  }

  private static String component(String purl) {
    return "{\"type\":\"library\",\"name\":\"x\",\"purl\":\"" + purl + "\"}";
  }

  @Test
  void eachEcosystem_isNamedAsItsAdvisoriesNameIt() {
    ReadBatch<InstalledPackage> b =
        read(
            "["
                + String.join(
                    ",",
                    component(
                        "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64&distro=debian-12"),
                    component("pkg:rpm/redhat/bash@5.1.8-9.el9?arch=x86_64"),
                    component("pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64"),
                    component("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar"),
                    component("pkg:pypi/django@4.2.1"),
                    component("pkg:npm/%40angular/core@16.0.0"),
                    component("pkg:npm/@babel/core@7.22.0"),
                    component("pkg:npm/lodash@4.17.21"),
                    component("pkg:golang/github.com/gorilla/mux@v1.8.0#subpackage"))
                + "]");
    assertTrue(b.quarantined().isEmpty(), b.quarantined().toString());
    assertEquals(
        List.of(
            InstalledPackage.of("curl", "7.88.1-10+deb12u5"),
            InstalledPackage.of("bash", "5.1.8-9.el9"),
            InstalledPackage.of("musl", "1.2.4-r2"),
            InstalledPackage.of("org.apache.logging.log4j:log4j-core", "2.14.1"),
            InstalledPackage.of("django", "4.2.1"),
            InstalledPackage.of("@angular/core", "16.0.0"),
            InstalledPackage.of("@babel/core", "7.22.0"),
            InstalledPackage.of("lodash", "4.17.21"),
            InstalledPackage.of("github.com/gorilla/mux", "v1.8.0")),
        b.accepted());
  }

  @Test
  void versionMissingFromThePurl_comesFromTheComponent() {
    ReadBatch<InstalledPackage> b =
        read("[{\"name\":\"zlib\",\"version\":\"1.3-r0\",\"purl\":\"pkg:apk/alpine/zlib\"}]");
    assertEquals(List.of(InstalledPackage.of("zlib", "1.3-r0")), b.accepted());
  }

  @Test
  void rpmEpochQualifier_becomesTheEpochPrefix_zeroIsLeftOut() {
    ReadBatch<InstalledPackage> b =
        read(
            "["
                + component("pkg:rpm/centos/openssl-libs@1.0.2k-16.el7?arch=x86_64&epoch=1")
                + ","
                + component("pkg:rpm/centos/zlib@1.2.7-18.el7?epoch=0")
                + "]");
    assertEquals(
        List.of(
            InstalledPackage.of("openssl-libs", "1:1.0.2k-16.el7"),
            InstalledPackage.of("zlib", "1.2.7-18.el7")),
        b.accepted());
  }

  @Test
  void upstreamAndOriginQualifiers_nameTheSourcePackage_distroIsOnlyInformative() {
    ReadBatch<InstalledPackage> b =
        read(
            "["
                + component(
                    "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?upstream=openssl&distro=debian-12")
                + ","
                + component("pkg:deb/debian/libc6@2.36-9?upstream=glibc%402.36-9%2Bdeb12u4")
                + ","
                + component("pkg:apk/alpine/libcrypto3@3.1.4-r0?origin=openssl")
                + ","
                + component(
                    "pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?upstream=openssl-3.0.7-27.el9.src.rpm&epoch=1")
                + ","
                + component("pkg:deb/debian/bash@5.2.15-2?upstream=bash")
                + "]");
    assertTrue(b.quarantined().isEmpty(), b.quarantined().toString());
    assertEquals(
        List.of(
            InstalledPackage.builder()
                .name("libssl3")
                .version("3.0.11-1~deb12u2")
                .sourceName("openssl")
                .build(),
            InstalledPackage.builder()
                .name("libc6")
                .version("2.36-9")
                .sourceName("glibc")
                .sourceVersion("2.36-9+deb12u4")
                .build(),
            InstalledPackage.builder()
                .name("libcrypto3")
                .version("3.1.4-r0")
                .sourceName("openssl")
                .build(),
            InstalledPackage.builder()
                .name("openssl-libs")
                .version("1:3.0.7-27.el9")
                .sourceName("openssl")
                .build(),
            InstalledPackage.of("bash", "5.2.15-2")),
        b.accepted());
  }

  @Test
  void trivySourceProperties_nameTheSourcePackageAndVersion() {
    ReadBatch<InstalledPackage> b =
        read(
            "[{\"name\":\"openssl-libs\",\"purl\":\"pkg:rpm/centos/openssl-libs@1.0.2k-16.el7?epoch=1\","
                + "\"properties\":[{\"name\":\"aquasecurity:trivy:SrcName\",\"value\":\"openssl\"},"
                + "{\"name\":\"aquasecurity:trivy:SrcVersion\",\"value\":\"1.0.2k\"},"
                + "{\"name\":\"aquasecurity:trivy:SrcRelease\",\"value\":\"17.el7\"},"
                + "{\"name\":\"aquasecurity:trivy:SrcEpoch\",\"value\":\"1\"}]}]");
    assertEquals(
        List.of(
            InstalledPackage.builder()
                .name("openssl-libs")
                .version("1:1.0.2k-16.el7")
                .sourceName("openssl")
                .sourceVersion("1:1.0.2k-17.el7")
                .build()),
        b.accepted());
  }

  @Test
  void nestedComponents_areReadInDocumentOrder() {
    ReadBatch<InstalledPackage> b =
        read(
            "[{\"name\":\"app\",\"purl\":\"pkg:npm/app@1.0.0\",\"components\":["
                + "{\"name\":\"a\",\"purl\":\"pkg:npm/a@1.0.0\",\"components\":["
                + component("pkg:npm/b@2.0.0")
                + "]}]},"
                + component("pkg:npm/c@3.0.0")
                + "]");
    assertEquals(
        List.of("app", "a", "b", "c"), b.accepted().stream().map(InstalledPackage::name).toList());
  }

  @Test
  void componentsWithoutAPurlOfAReadType_areSkippedSilently() {
    ReadBatch<InstalledPackage> b =
        read(
            "[{\"type\":\"file\",\"name\":\"README\"},"
                + component("pkg:github/package-url/purl-spec@244fd47")
                + ","
                + component("pkg:composer/laravel/framework@7.12.0")
                + ",{\"name\":\"n\",\"purl\":null}]");
    assertTrue(b.accepted().isEmpty());
    assertTrue(b.quarantined().isEmpty(), b.quarantined().toString());
  }

  @Test
  void malformedComponent_isQuarantinedWithItsJsonPointer_restIsRead() {
    ReadBatch<InstalledPackage> b =
        read(
            "["
                + component("pkg:npm/ok@1.0.0")
                + ","
                + component("not-a-purl")
                + ","
                + component("pkg:deb/debian/curl@not%20a%20version!")
                + ",{\"name\":\"m\",\"purl\":\"pkg:maven/no-group@1.0\"}"
                + ",{\"name\":\"v\",\"purl\":\"pkg:pypi/noversion\"}"
                + ",{\"name\":\"t\",\"purl\":42}"
                + ",{\"name\":\"p\",\"components\":["
                + component("pkg:npm/bad%zz@1.0.0")
                + "]}"
                + ",\"string\""
                + ","
                + component("pkg:npm/last@2.0.0")
                + "]");
    assertEquals(
        List.of(InstalledPackage.of("ok", "1.0.0"), InstalledPackage.of("last", "2.0.0")),
        b.accepted());
    assertEquals(
        List.of(
            "/components/1/purl",
            "/components/2/purl",
            "/components/3/purl",
            "/components/4/version",
            "/components/5/purl",
            "/components/6/components/0/purl",
            "/components/7"),
        b.quarantined().stream().map(q -> q.position()).toList(),
        b.quarantined().toString());
    assertTrue(b.quarantined().stream().allMatch(q -> q.source().equals("sbom.json")));
  }

  @Test
  void documentWithoutBomFormatCycloneDx_isRejectedNamingTheSource() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                CycloneDxReader.create()
                    .read(new StringReader("{\"spdxVersion\":\"SPDX-2.3\"}"), "spdx.json"));
    assertTrue(e.getMessage().contains("spdx.json"), e.getMessage());
    assertTrue(e.getMessage().contains("bomFormat"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> CycloneDxReader.create().read(new StringReader("[1,2]"), "array.json"));
    assertThrows(
        IllegalArgumentException.class,
        () -> CycloneDxReader.create().read(new StringReader(""), "empty.json"));
  }

  @Test
  void brokenJson_isRefusedNamingTheSource() {
    PatchException e =
        assertThrows(
            PatchException.class,
            () ->
                CycloneDxReader.create()
                    .read(
                        new StringReader("{\"bomFormat\":\"CycloneDX\",\"components\":["),
                        "b.json"));
    assertTrue(e.getMessage().contains("b.json"), e.getMessage());
  }

  @Test
  void hostileNesting_isRefusedByTheParseLimits_notAStackOverflow() {
    String deep =
        "{\"bomFormat\":\"CycloneDX\",\"components\":"
            + "[{\"purl\":\"pkg:npm/a@1.0.0\",\"components\":".repeat(5_000)
            + "[]"
            + "}]".repeat(5_000)
            + "}";
    assertThrows(
        PatchException.class,
        () -> CycloneDxReader.create().read(new StringReader(deep), "deep.json"));
  }

  @Test
  void deepButAllowedNesting_isWalkedCompletely() {
    int depth = 100;
    String doc =
        "{\"bomFormat\":\"CycloneDX\",\"components\":"
            + "[{\"purl\":\"pkg:npm/a@1.0.0\",\"components\":".repeat(depth)
            + "[]"
            + "}]".repeat(depth)
            + "}";
    assertEquals(
        depth, CycloneDxReader.create().read(new StringReader(doc), "d.json").accepted().size());
  }

  @Test
  void platform_fromTheOperatingSystemComponent() throws IOException {
    assertEquals(
        Optional.of(Platform.parse("Debian:12")),
        CycloneDxReader.platform(
            write(
                "{\"bomFormat\":\"CycloneDX\",\"metadata\":{\"component\":"
                    + "{\"type\":\"operating-system\",\"name\":\"debian\",\"version\":\"12.5\"}}}")));
    assertEquals(
        Optional.of(Platform.parse("Alpine:v3.20")),
        CycloneDxReader.platform(
            write(
                "{\"bomFormat\":\"CycloneDX\",\"metadata\":{\"component\":{\"type\":\"container\"}},"
                    + "\"components\":[{\"type\":\"library\",\"name\":\"x\"},"
                    + "{\"type\":\"operating-system\",\"name\":\"alpine\",\"version\":\"3.20.3\"}]}")));
    assertEquals(
        Optional.of(Platform.parse("Ubuntu:22.04")),
        CycloneDxReader.platform(
            write(
                "{\"bomFormat\":\"CycloneDX\",\"components\":"
                    + "[{\"type\":\"operating-system\",\"name\":\"ubuntu\",\"version\":\"22.04\"}]}")));
    assertEquals(
        Optional.of(Platform.parse("Alpine:edge")),
        CycloneDxReader.platform(
            write(
                "{\"bomFormat\":\"CycloneDX\",\"components\":"
                    + "[{\"type\":\"operating-system\",\"name\":\"alpine\",\"version\":\"edge\"}]}")));
    assertEquals(
        Optional.empty(),
        CycloneDxReader.platform(write("{\"bomFormat\":\"CycloneDX\",\"components\":[]}")));
  }

  private Optional<Platform> platformOfPurls(String... purls) throws IOException {
    StringBuilder doc = new StringBuilder("{\"bomFormat\":\"CycloneDX\",\"components\":[");
    for (int i = 0; i < purls.length; i++) {
      doc.append(i == 0 ? "" : ",")
          .append("{\"type\":\"library\",\"name\":\"p")
          .append(i)
          .append("\",\"purl\":\"")
          .append(purls[i])
          .append("\"}");
    }
    return CycloneDxReader.platform(write(doc.append("]}").toString()));
  }

  @Test
  void platform_withoutAnOperatingSystemComponent_comesFromTheDistroQualifiers()
      throws IOException {
    assertEquals(
        Optional.of(Platform.parse("Alpine:v3.22")),
        platformOfPurls(
            "pkg:apk/alpine/zlib@1.3.1-r2?arch=x86_64&distro=3.22.0",
            "pkg:apk/alpine/musl@1.2.5-r10?distro=3.22.0",
            "pkg:npm/left-pad@1.3.0"));
    assertEquals(
        Optional.of(Platform.parse("Debian:10")),
        platformOfPurls("pkg:deb/debian/libc6@2.28-10?arch=amd64&distro=debian-10.2"));
    assertEquals(
        Optional.of(Platform.parse("Ubuntu:22.04")),
        platformOfPurls("pkg:deb/ubuntu/bash@5.1-6ubuntu1?distro=ubuntu-22.04"));
  }

  @Test
  void platform_fromACodenameOrDisagreeingDistroQualifiers_isNotGuessed() throws IOException {
    assertEquals(Optional.empty(), platformOfPurls("pkg:deb/debian/libc6@2.36-9?distro=bookworm"));
    assertEquals(
        Optional.empty(),
        platformOfPurls(
            "pkg:deb/debian/libc6@2.36-9?distro=debian-12",
            "pkg:deb/debian/bash@5.0-4?distro=debian-10"));
    assertEquals(Optional.empty(), platformOfPurls("pkg:deb/debian/libc6@2.36-9"));
  }

  @Test
  void inventoryReaders_detectCycloneDxJson_andReadIt() throws IOException {
    Path sbom =
        write(
            "{\n  \"$schema\": \"http://cyclonedx.org/schema/bom-1.6.schema.json\",\n"
                + "  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.6\",\n"
                + "  \"components\": ["
                + component("pkg:apk/alpine/zlib@1.3.1-r0")
                + "]\n}\n");
    assertEquals(InventoryReaders.Format.CYCLONEDX_JSON, InventoryReaders.detect(sbom));
    assertEquals(
        List.of(InstalledPackage.of("zlib", "1.3.1-r0")), InventoryReaders.read(sbom).accepted());
    Path minified =
        write(
            "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.4\",\"components\":["
                + (component("pkg:npm/left-pad@1.3.0") + ",").repeat(2_000)
                + component("pkg:npm/right-pad@1.0.0")
                + "]}");
    assertEquals(InventoryReaders.Format.CYCLONEDX_JSON, InventoryReaders.detect(minified));
    assertEquals(2_001, InventoryReaders.read(minified).accepted().size());
    Path other = Files.writeString(dir.resolve("other.json"), "{\"spdxVersion\":\"SPDX-2.3\"}\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> InventoryReaders.detect(other));
    assertTrue(e.getMessage().contains("other.json"), e.getMessage());
  }

  private Path write(String text) throws IOException {
    return Files.writeString(Files.createTempFile(dir, "sbom", ".json"), text);
  }
}
