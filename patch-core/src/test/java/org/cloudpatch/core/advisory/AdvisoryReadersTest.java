package org.cloudpatch.core.advisory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.cloudpatch.core.batch.ReadBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdvisoryReadersTest {
  private static final AdvisoryReaders READERS = AdvisoryReaders.create();

  static ReadBatch<Advisory> read(String text) {
    return READERS.read(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test.json");
  }

  static final String OSV =
      """
      {"id": "DSA-5678-1", "modified": "2026-01-02T00:00:00Z", "published": "2026-01-01T00:00:00Z",
       "aliases": ["CVE-2026-0001"], "related": ["CVE-2026-0002"], "upstream": ["CVE-2026-0003"],
       "summary": "openssl security update", "details": "Two problems.",
       "database_specific": {"source": "tracker"},
       "severity": [{"type": "CVSS_V4",
         "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}],
       "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
         "ecosystem_specific": {"urgency": "high"},
         "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.11-1~deb12u2"}]}]}]}
      """;

  static final String CSAF_VEX =
      """
      {"document": {"category": "csaf_vex", "csaf_version": "2.0", "title": "openssl in Debian",
        "publisher": {"category": "vendor", "name": "Example", "namespace": "https://example.com"},
        "tracking": {"id": "EX-2026-1", "initial_release_date": "2026-01-01T00:00:00Z",
          "current_release_date": "2026-01-03T00:00:00Z", "status": "final", "version": "1",
          "revision_history": [{"date": "2026-01-01T00:00:00Z", "number": "1", "summary": "x"}]}},
       "product_tree": {"branches": [{"category": "vendor", "name": "Debian", "branches": [
         {"category": "product_name", "name": "openssl", "branches": [
           {"category": "product_version", "name": "3.0.11-1~deb12u2", "product": {
             "name": "openssl 3.0.11-1~deb12u2", "product_id": "OPENSSL-FIXED",
             "product_identification_helper": {"purl": "pkg:deb/debian/openssl@3.0.11-1~deb12u2?distro=debian-12"}}},
           {"category": "product_version", "name": "3.0.9-1", "product": {
             "name": "openssl 3.0.9-1", "product_id": "OPENSSL-OLD",
             "product_identification_helper": {"purl": "pkg:deb/debian/openssl@3.0.9-1?distro=debian-12"}}}]},
         {"category": "product_name", "name": "libressl", "product": {
           "name": "libressl", "product_id": "LIBRESSL",
           "product_identification_helper": {"purl": "pkg:deb/debian/libressl?distro=debian-12"}}}]}]},
       "vulnerabilities": [{"cve": "CVE-2026-0001",
         "product_status": {"fixed": ["OPENSSL-FIXED"], "known_affected": ["OPENSSL-OLD"],
                            "known_not_affected": ["LIBRESSL"]},
         "flags": [{"label": "vulnerable_code_not_present", "product_ids": ["LIBRESSL"]}],
         "remediations": [{"category": "vendor_fix", "details": "update", "product_ids": ["OPENSSL-OLD"]}],
         "scores": [{"products": ["OPENSSL-OLD"], "cvss_v3": {"version": "3.1",
           "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "baseScore": 9.8,
           "baseSeverity": "CRITICAL"}}],
         "threats": [{"category": "exploit_status", "details": "exploited in the wild"}]}]}
      """;

  @Test
  void osv_keepsRelatedUpstreamDetailsAndFeedSpecificData() {
    Advisory a = single(read(OSV));
    assertEquals(List.of("CVE-2026-0002"), a.related());
    assertEquals(List.of("CVE-2026-0003"), a.upstream());
    assertEquals("Two problems.", a.details());
    assertEquals("tracker", a.databaseSpecific().orElseThrow().get("source").asText());
    AffectedPackage p = a.affected().get(0);
    assertEquals("high", p.ecosystemSpecific().orElseThrow().get("urgency").asText());
    assertEquals("CVSS_V4", a.severities().get(0).type());
  }

  @Test
  void csafVex_mapsFixedAffectedAndNotAffectedProductsToPackages() {
    Advisory a = single(read(CSAF_VEX));
    assertEquals("EX-2026-1", a.id().value());
    assertEquals(List.of("CVE-2026-0001"), a.aliases());
    AffectedPackage fixed =
        a.affected().stream().filter(p -> !p.ranges().isEmpty()).findFirst().orElseThrow();
    assertEquals("Debian:12", fixed.ecosystem());
    assertEquals("openssl", fixed.name());
    assertEquals("pkg:deb/debian/openssl", fixed.purl().orElseThrow());
    assertEquals(
        List.of(RangeEvent.introduced("0"), RangeEvent.fixed("3.0.11-1~deb12u2")),
        fixed.ranges().get(0).events());
    AffectedPackage old =
        a.affected().stream().filter(p -> !p.versions().isEmpty()).findFirst().orElseThrow();
    assertEquals(List.of("3.0.9-1"), old.versions());
    assertEquals(2, a.affected().size());
    NotAffected libressl = a.notAffected().get(0);
    assertEquals("libressl", libressl.name());
    assertEquals("vulnerable_code_not_present", libressl.justification());
    assertTrue(a.affected().stream().noneMatch(p -> p.name().equals("libressl")));
    assertEquals(Remediation.Kind.VENDOR_FIX, a.remediations().get(0).kind());
    assertEquals("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", a.severities().get(0).vector());
    assertTrue(a.details().contains("exploit_status: exploited in the wild"), a.details());
  }

  @Test
  void csaf_mavenPurl_namesThePackageGroupColonArtifact_asMavenAdvisoriesDo() {
    Advisory a =
        single(
            read(
                CSAF_VEX
                    .replace(
                        "pkg:deb/debian/openssl@3.0.11-1~deb12u2?distro=debian-12",
                        "pkg:maven/org.apache.logging.log4j/log4j-core@2.15.0")
                    .replace(
                        "pkg:deb/debian/openssl@3.0.9-1?distro=debian-12",
                        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1")));
    AffectedPackage fixed =
        a.affected().stream().filter(p -> !p.ranges().isEmpty()).findFirst().orElseThrow();
    assertEquals("Maven", fixed.ecosystem());
    assertEquals("org.apache.logging.log4j:log4j-core", fixed.name());
    assertEquals("pkg:maven/org.apache.logging.log4j/log4j-core", fixed.purl().orElseThrow());
    assertEquals(
        List.of(RangeEvent.introduced("0"), RangeEvent.fixed("2.15.0")),
        fixed.ranges().get(0).events());
  }

  @Test
  void csafVex_notAffectedWithoutImpactStatement_isRejectedNamingRule6_1_27_9() {
    var batch = read(CSAF_VEX.replace("\"flags\"", "\"other_flags\""));
    assertEquals(0, batch.accepted().size());
    var q = batch.quarantined().get(0);
    assertTrue(q.reason().startsWith("rule 6.1.27.9"), q.reason());
    assertEquals("/vulnerabilities/0/product_status/known_not_affected", q.position());
  }

  @Test
  void csaf_contradictingStatus_isRejectedNamingRule6_1_6_andItsPointer() {
    var batch =
        read(
            CSAF_VEX.replace(
                "\"known_affected\": [\"OPENSSL-OLD\"]",
                "\"known_affected\": [\"OPENSSL-FIXED\"]"));
    var q = batch.quarantined().get(0);
    assertTrue(q.reason().startsWith("rule 6.1.6 (contradicting product status)"), q.reason());
    assertEquals("/vulnerabilities/0/product_status/fixed/0", q.position());
  }

  @Test
  void csaf_undefinedProductId_isRejectedNamingRule6_1_1() {
    var q =
        read(CSAF_VEX.replace("\"fixed\": [\"OPENSSL-FIXED\"]", "\"fixed\": [\"NOPE\"]"))
            .quarantined()
            .get(0);
    assertTrue(
        q.reason().startsWith("rule 6.1.1 (missing definition of product id): 'NOPE'"), q.reason());
  }

  /**
   * A small CSAF document about one vulnerability of "libfoo" on Debian 12, whose product statuses
   * are given by {@code statuses} over the products FOO-1 (1.0-1), FOO-2 (1.0-2), FOO-3 (1.0-3) and
   * FOO (no version).
   */
  static String csaf(String statuses) {
    return """
        {"document": {"category": "csaf_base", "csaf_version": "2.0", "title": "libfoo",
          "publisher": {"category": "vendor", "name": "Example", "namespace": "https://example.com"},
          "tracking": {"id": "EX-2026-2", "initial_release_date": "2026-01-01T00:00:00Z",
            "current_release_date": "2026-01-01T00:00:00Z", "status": "final", "version": "1",
            "revision_history": [{"date": "2026-01-01T00:00:00Z", "number": "1", "summary": "x"}]}},
         "product_tree": {"full_product_names": [
           {"name": "libfoo 1.0-1", "product_id": "FOO-1", "product_identification_helper":
             {"purl": "pkg:deb/debian/libfoo@1.0-1?distro=debian-12"}},
           {"name": "libfoo 1.0-2", "product_id": "FOO-2", "product_identification_helper":
             {"purl": "pkg:deb/debian/libfoo@1.0-2?distro=debian-12"}},
           {"name": "libfoo 1.0-3", "product_id": "FOO-3", "product_identification_helper":
             {"purl": "pkg:deb/debian/libfoo@1.0-3?distro=debian-12"}},
           {"name": "libfoo", "product_id": "FOO", "product_identification_helper":
             {"purl": "pkg:deb/debian/libfoo?distro=debian-12"}}]},
         "vulnerabilities": [{"cve": "CVE-2026-0009", "product_status": %s}]}
        """
        .formatted(statuses);
  }

  @Test
  void csafUnderInvestigation_becomesAnAffectedPackageWithNeitherRangesNorVersions() {
    Advisory a = single(read(csaf("{\"under_investigation\": [\"FOO-1\"]}")));
    AffectedPackage p = a.affected().get(0);
    assertEquals(1, a.affected().size());
    assertEquals("Debian:12", p.ecosystem());
    assertEquals("libfoo", p.name());
    assertEquals(List.of(), p.ranges());
    assertEquals(List.of(), p.versions());
    assertEquals(
        "under_investigation",
        p.databaseSpecific().orElseThrow().get("csaf_product_status").asText());
    assertEquals("1.0-1", p.databaseSpecific().orElseThrow().get("product_version").asText());
  }

  @Test
  void csafRecommended_isTheFixedVersionOfAnAffectedPackageThatHasNoFixedOne() {
    Advisory a =
        single(read(csaf("{\"known_affected\": [\"FOO-1\"], \"recommended\": [\"FOO-3\"]}")));
    assertEquals(2, a.affected().size());
    assertEquals(List.of("1.0-1"), a.affected().get(0).versions());
    assertEquals(
        List.of(RangeEvent.introduced("0"), RangeEvent.fixed("1.0-3")),
        a.affected().get(1).ranges().get(0).events());
  }

  @Test
  void csafRecommended_isIgnoredWhenTheVulnerabilityNamesAFixedVersion() {
    Advisory a =
        single(
            read(
                csaf(
                    "{\"known_affected\": [\"FOO-1\"], \"fixed\": [\"FOO-2\"],"
                        + " \"recommended\": [\"FOO-3\"]}")));
    assertEquals(2, a.affected().size());
    assertEquals(
        List.of(RangeEvent.introduced("0"), RangeEvent.fixed("1.0-2")),
        a.affected().get(1).ranges().get(0).events(),
        "the fixed version ends the vulnerability, not the later recommended one");
  }

  @Test
  void csafRecommended_withoutAffectedProducts_mapsToNothing() {
    Advisory a = single(read(csaf("{\"recommended\": [\"FOO-3\"]}")));
    assertEquals(List.of(), a.affected());
    assertEquals(List.of(), a.notAffected());
  }

  @Test
  void csafKnownNotAffected_ofOneVersion_isAStatementAboutThatVersionOnly() {
    Advisory a = single(read(csaf("{\"known_not_affected\": [\"FOO-2\"]}")));
    NotAffected n = a.notAffected().get(0);
    assertEquals(List.of("1.0-2"), n.versions());
    assertEquals("known_not_affected (no justification given)", n.justification());
  }

  static final String TRACKER =
      """
      [29 Mar 2023] DSA-5380-1 xorg-server - security update
      \t{CVE-2023-1393}
      \t[bullseye] - xorg-server 2:1.20.11-1+deb11u6
      \t[buster] - xorg-server <not-affected> (Vulnerable code not present)
      \t[stretch] - xorg-server <end-of-life>
      [27 Mar 2023] DSA-5379-1 dino-im - security update
      \t[bullseye] dino-im 0.2.0-3+deb11u1
      [25 Mar 2023] DSA-5378-1 xen - security update
      \t{CVE-2022-23824 CVE-2022-42331}
      \t[bookworm] - xen 4.14.5+94-ge49571868d-1
      """;

  @Test
  void debianTrackerList_readsFixedNotAffectedAndEndOfLife_andQuarantinesABadEntryByLine() {
    ReadBatch<Advisory> batch = read(TRACKER);
    assertEquals(2, batch.accepted().size());
    Advisory xorg = batch.accepted().get(0);
    assertEquals("DSA-5380-1", xorg.id().value());
    assertEquals("DSA", xorg.source());
    assertEquals("security update", xorg.summary());
    assertEquals(List.of("CVE-2023-1393"), xorg.aliases());
    assertEquals("Debian:11", xorg.affected().get(0).ecosystem());
    assertEquals(
        RangeEvent.fixed("2:1.20.11-1+deb11u6"),
        xorg.affected().get(0).ranges().get(0).events().get(1));
    assertEquals("Debian:9", xorg.affected().get(1).ecosystem());
    assertEquals(1, xorg.affected().get(1).ranges().get(0).events().size());
    assertEquals("Vulnerable code not present", xorg.notAffected().get(0).justification());
    assertEquals("Debian:12", batch.accepted().get(1).affected().get(0).ecosystem());
    assertEquals(1, batch.quarantined().size());
    assertEquals("line 7", batch.quarantined().get(0).position());
    assertTrue(batch.quarantined().get(0).reason().contains("not a release line"));
  }

  @Test
  void unknownFormat_isQuarantined() {
    var q = read("Hello, world").quarantined();
    assertEquals(1, q.size());
    assertTrue(q.get(0).reason().startsWith("unknown format"));
  }

  @Test
  void zipArchive_ofMixedFormats_isDetectedPerEntry(@TempDir Path dir) throws IOException {
    Path zip = dir.resolve("advisories.zip");
    try (OutputStream os = Files.newOutputStream(zip);
        ZipOutputStream out = new ZipOutputStream(os)) {
      for (String[] e :
          List.of(
              new String[] {"a/osv.json", OSV},
              new String[] {"b/csaf.json", CSAF_VEX},
              new String[] {"c/DSA/list", TRACKER},
              new String[] {"d/broken.json", "{\"id\": "},
              new String[] {"README.md", "ignored"})) {
        out.putNextEntry(new ZipEntry(e[0]));
        out.write(e[1].getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    ReadBatch<Advisory> batch = READERS.read(zip);
    assertEquals(4, batch.accepted().size());
    assertEquals(2, batch.quarantined().size());
    assertTrue(batch.quarantined().get(1).source().endsWith("advisories.zip!/d/broken.json"));
  }

  private static Advisory single(ReadBatch<Advisory> batch) {
    assertEquals(List.of(), batch.quarantined());
    assertEquals(1, batch.accepted().size());
    return batch.accepted().get(0);
  }
}
