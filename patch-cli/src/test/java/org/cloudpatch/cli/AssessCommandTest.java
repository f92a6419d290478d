package org.cloudpatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cloudpatch assess} (DESIGN section 10) on small hand-written advisories and inventories.
 */
class AssessCommandTest {
  record Run(int code, String out, String err) {}

  @TempDir Path dir;
  Path advisories;
  Path dpkg;

  @BeforeEach
  void write() throws IOException {
    advisories = Files.createDirectory(dir.resolve("osv"));
    Files.writeString(
        advisories.resolve("DSA-5532-1.json"),
        osv(
            "DSA-5532-1",
            "CVE-2023-5363",
            "Debian:12",
            "openssl",
            "3.0.11-1~deb12u2",
            ",\"severity\":[{\"type\":\"CVSS_V3\","
                + "\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}]"));
    Files.writeString(
        advisories.resolve("DSA-5587-1.json"),
        osv("DSA-5587-1", "CVE-2023-46218", "Debian:12", "curl", "7.88.1-10+deb12u5", ""));
    Files.writeString(
        advisories.resolve("DSA-5000-1.json"),
        osv("DSA-5000-1", "CVE-2022-0001", "Debian:12", "zlib", "1:1.2.13.dfsg-1", ""));
    dpkg =
        Files.writeString(
            dir.resolve("vm-1"),
            "Package: libssl3\nStatus: install ok installed\nSource: openssl\nVersion: 3.0.9-1\n\n"
                + "Package: openssl\nStatus: install ok installed\nVersion: 3.0.9-1\n\n"
                + "Package: curl\nStatus: deinstall ok config-files\nVersion: 7.88.1-10\n\n"
                + "Package: zlib1g\nStatus: install ok installed\nSource: zlib\n"
                + "Version: 1:1.2.13.dfsg-1\n");
  }

  @Test
  void assess_json_findsTheSourcePackage_notTheRemovedOne_notTheFixedOne() throws IOException {
    Run r =
        run(
            "--advisories",
            advisories.toString(),
            "--inventory",
            dpkg.toString(),
            "--distro",
            "Debian:12",
            "--format",
            "json");
    assertEquals(1, r.code(), r.err());
    JsonNode findings = new ObjectMapper().readTree(r.out()).get("findings");
    assertEquals(1, findings.size(), r.out());
    JsonNode f = findings.get(0);
    assertEquals("vm-1", f.get("asset").asText());
    assertEquals("openssl", f.get("package").asText());
    assertEquals("3.0.9-1", f.get("installed").asText());
    assertEquals("3.0.11-1~deb12u2", f.get("fixed").asText());
    assertEquals("DSA-5532-1", f.get("advisory").asText());
    assertEquals("CVE-2023-5363", f.get("aliases").get(0).asText());
    assertEquals("9.8 CRITICAL", f.get("severity").asText());
  }

  @Test
  void assess_text_printsOneLinePerAffectedPackage() {
    Run r =
        run(
            "--advisories", advisories.toString(),
            "--inventory", dpkg.toString(),
            "--distro", "Debian:12");
    assertEquals(
        "vm-1 openssl 3.0.9-1 fixed:3.0.11-1~deb12u2 DSA-5532-1 9.8 CRITICAL\n", r.out(), r.err());
    assertEquals(1, r.code());
  }

  /**
   * Default {@code rpm -qa} output has no epochs: a fix at {@code 1:1.40.16-18.el8_10} (the
   * AlmaLinux record ALSA-2025:0288) does not make {@code NetworkManager 1.40.16-18.el8_10}
   * affected, a build below it is, and stderr says once per inventory how many packages had no
   * epoch and how to list them with one.
   */
  @Test
  void assess_rpmQaWithoutEpochs_comparesVersionRelease_andWarnsOncePerInventory()
      throws IOException {
    Path osv = Files.createDirectory(dir.resolve("alma"));
    Files.writeString(
        osv.resolve("ALSA-2025-0288.json"),
        osv(
            "ALSA-2025:0288",
            "CVE-2024-3661",
            "AlmaLinux:8",
            "NetworkManager",
            "1:1.40.16-18.el8_10",
            ""));
    Path current =
        Files.writeString(
            dir.resolve("alma-1.rpm-qa.txt"),
            "NetworkManager-1.40.16-18.el8_10.x86_64\nbash-4.4.20-5.el8.x86_64\n");
    Path old =
        Files.writeString(
            dir.resolve("alma-2.rpm-qa.txt"), "NetworkManager-1.40.16-15.el8_9.x86_64\n");
    Run r =
        run(
            "--advisories",
            osv.toString(),
            "--inventory",
            current.toString(),
            old.toString(),
            "--distro",
            "AlmaLinux:8");
    assertTrue(
        r.out()
            .startsWith(
                "alma-2.rpm-qa.txt NetworkManager 1.40.16-15.el8_9 fixed:1:1.40.16-18.el8_10"
                    + " ALSA-2025:0288"),
        r.out() + r.err());
    assertEquals(1, r.out().lines().count(), r.out());
    String query = "rpm -qa --queryformat '%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE} %{ARCH}\\n'";
    assertTrue(
        r.err()
            .contains(
                "warning: " + current + ": 2 packages have no epoch (rpm -qa's default output"),
        r.err());
    assertTrue(r.err().contains("warning: " + old + ": 1 package has no epoch"), r.err());
    assertEquals(2, r.err().split(java.util.regex.Pattern.quote(query), -1).length - 1, r.err());
    assertTrue(r.err().contains("summary: packages with unknown epochs: 3"), r.err());
    assertEquals(1, r.code());
  }

  @Test
  void assess_releaseNoAdvisoryNames_isAnInputError_notANothingAffected() {
    Run r =
        run(
            "--advisories",
            advisories.toString(),
            "--inventory",
            dpkg.toString(),
            "--distro",
            "Debian:11",
            "--format",
            "json");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("no advisory read applies to any inventory"), r.err());
    assertTrue(r.err().contains("Debian:11"), r.err());
    assertTrue(r.err().contains("Debian:12"), r.err());
  }

  @Test
  void assess_mistypedDistribution_isAUsageErrorListingTheKnownOnes() {
    for (String typo : new String[] {"Debain:9", "AlmaLinx:9"}) {
      Run r =
          run(
              "--advisories",
              advisories.toString(),
              "--inventory",
              dpkg.toString(),
              "--distro",
              typo);
      assertEquals(2, r.code(), typo + ": " + r.err());
      assertTrue(r.err().contains(typo.substring(0, typo.indexOf(':'))), r.err());
      assertTrue(r.err().contains("known: AlmaLinux, Alpine, Debian"), r.err());
      assertTrue(r.err().contains("the advisories read name: Debian:12"), r.err());
    }
  }

  @Test
  void assess_everyAdvisoryUnreadable_isAnInputError_notANothingAffected() throws IOException {
    Path broken = Files.createDirectory(dir.resolve("broken"));
    Files.writeString(broken.resolve("DSA-1.json"), "{\"id\": \"DSA-1\", \"affected\": 7}");
    Files.writeString(broken.resolve("DSA-2.json"), "{not json");
    Run r =
        run(
            "--advisories",
            broken.toString(),
            "--inventory",
            dpkg.toString(),
            "--distro",
            "Debian:12");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("no advisory could be read: all 2 were quarantined"), r.err());
  }

  @Test
  void assess_containerSbom_matchesItsJavaPackageAgainstTheRealLog4ShellAdvisory_inTheSameRun()
      throws IOException {
    copyGhsa();
    Path sbom =
        Files.writeString(
            dir.resolve("container.cdx.json"),
            "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"metadata\":"
                + " {\"component\": {\"type\": \"container\", \"name\": \"shop/app\"}},"
                + " \"components\": [{\"type\": \"operating-system\", \"name\": \"debian\","
                + " \"version\": \"12.5\"}, {\"type\": \"library\", \"name\": \"libssl3\","
                + " \"purl\": \"pkg:deb/debian/libssl3@3.0.9-1?upstream=openssl\"},"
                + " {\"type\": \"library\", \"group\": \"org.apache.logging.log4j\","
                + " \"name\": \"log4j-core\", \"version\": \"2.14.1\", \"purl\":"
                + " \"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1\"}]}");
    for (String[] distro : new String[][] {{}, {"--distro", "Debian:12"}}) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--advisories",
                  advisories.toString(),
                  "--inventory",
                  sbom.toString(),
                  "--format",
                  "json"));
      args.addAll(List.of(distro));
      Run r = run(args.toArray(String[]::new));
      assertEquals(1, r.code(), r.err());
      JsonNode findings = new ObjectMapper().readTree(r.out()).get("findings");
      assertEquals(2, findings.size(), r.out());
      JsonNode log4j = findings.get(1);
      assertEquals("shop/app", log4j.get("asset").asText());
      assertEquals("org.apache.logging.log4j:log4j-core", log4j.get("package").asText());
      assertEquals("2.14.1", log4j.get("installed").asText());
      assertEquals("2.15.0", log4j.get("fixed").asText());
      assertEquals("GHSA-jfh8-c2jp-5v3q", log4j.get("advisory").asText());
      assertEquals("CVE-2021-44228", log4j.get("aliases").get(0).asText());
      assertEquals("10.0 CRITICAL", log4j.get("severity").asText());
      assertEquals("openssl", findings.get(0).get("package").asText());
    }
  }

  @Test
  void assess_sbomOfOnlyJavaPackages_needsNoDistro() throws IOException {
    copyGhsa();
    Path sbom =
        Files.writeString(
            dir.resolve("bom.json"),
            "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.4\", \"components\":"
                + " [{\"type\": \"library\", \"name\": \"log4j-core\", \"purl\":"
                + " \"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar\"}]}");
    Run r = run("--advisories", advisories.toString(), "--inventory", sbom.toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(
        r.out().startsWith("bom.json org.apache.logging.log4j:log4j-core 2.14.1 fixed:2.15.0"),
        r.out());
  }

  @Test
  void assess_twoDatabasesOfTheSameFileName_areTwoAssets_namedAfterTheirRoots() throws IOException {
    rootfs("web-1", "ID=debian\nVERSION_ID=\"12\"\n");
    rootfs("web-2", "ID=debian\nVERSION_ID=\"12\"\n");
    Run r =
        run(
            "--advisories",
            advisories.toString(),
            "--inventory",
            dir.resolve("web-1/var/lib/dpkg/status").toString(),
            dir.resolve("web-2/var/lib/dpkg/status").toString());
    assertEquals(1, r.code(), r.err());
    assertEquals(
        "web-1 openssl 3.0.9-1 fixed:3.0.11-1~deb12u2 DSA-5532-1 9.8 CRITICAL\n"
            + "web-2 openssl 3.0.9-1 fixed:3.0.11-1~deb12u2 DSA-5532-1 9.8 CRITICAL\n",
        r.out());
  }

  @Test
  void assess_twoFilesOfTheSameNameInPlainFolders_areTwoAssets_namedByTheirPaths()
      throws IOException {
    Path a = Files.copy(dpkg, Files.createDirectory(dir.resolve("a")).resolve("status"));
    Path b = Files.copy(dpkg, Files.createDirectory(dir.resolve("b")).resolve("status"));
    Run r =
        run(
            "--advisories",
            advisories.toString(),
            "--inventory",
            a.toString(),
            b.toString(),
            "--distro",
            "Debian:12");
    assertEquals(1, r.code(), r.err());
    assertEquals(
        a
            + " openssl 3.0.9-1 fixed:3.0.11-1~deb12u2 DSA-5532-1 9.8 CRITICAL\n"
            + b
            + " openssl 3.0.9-1 fixed:3.0.11-1~deb12u2 DSA-5532-1 9.8 CRITICAL\n",
        r.out());
  }

  @Test
  void assess_theSameInventoryGivenTwice_isRejectedNamingBoth() {
    Path again = dir.resolve(".").resolve(dpkg.getFileName());
    Run r =
        run(
            "--advisories",
            advisories.toString(),
            "--inventory",
            dpkg.toString(),
            again.toString(),
            "--distro",
            "Debian:12");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains(again + " is the same file as " + dpkg), r.err());
  }

  @Test
  void assess_summary_saysWhatWasReadAndDecided_inJsonAndOnStderr() throws IOException {
    Files.writeString(advisories.resolve("broken.json"), "{\"id\": \"X-1\", \"affected\": 7}");
    Run r =
        run(
            "--advisories",
            advisories.toString(),
            "--inventory",
            dpkg.toString(),
            "--distro",
            "Debian:12",
            "--format",
            "json");
    assertEquals(1, r.code(), r.err());
    JsonNode summary = new ObjectMapper().readTree(r.out()).get("summary");
    assertEquals(3, summary.at("/advisories/read").asInt(), r.out());
    assertEquals(1, summary.at("/advisories/quarantined").asInt(), r.out());
    assertTrue(
        summary.at("/advisories/quarantine/0/source").asText().endsWith("broken.json"), r.out());
    assertEquals("vm-1", summary.at("/inventories/0/asset").asText());
    assertEquals("dpkg status", summary.at("/inventories/0/format").asText());
    assertEquals(3, summary.at("/inventories/0/packagesByEcosystem/Debian:12").asInt(), r.out());
    assertEquals(3, summary.at("/packagesByEcosystem/Debian:12").asInt(), r.out());
    assertEquals(0, summary.at("/packagesWithUnknownEpoch").asInt(), r.out());
    assertEquals(1, summary.at("/findings/affected").asInt(), r.out());
    assertTrue(r.err().contains("summary: advisories: 3 read, 1 quarantined"), r.err());
    assertTrue(r.err().contains("summary: inventory vm-1 (dpkg status, "), r.err());
    assertTrue(r.err().contains("summary: findings: 1 affected, 0 unknown"), r.err());
  }

  @Test
  void assess_withoutDistro_whenTheInventoryDoesNotSay_isAUsageErrorNamingItAndTheFix() {
    Run r = run("--advisories", advisories.toString(), "--inventory", dpkg.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(dpkg.toString()), r.err());
    assertTrue(r.err().contains("--distro ID:RELEASE"), r.err());
    assertTrue(r.err().contains("--os-release FILE"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void assess_sbomWithOsComponent_needsNoDistro() throws IOException {
    Path sbom = Files.writeString(dir.resolve("vm-3.cdx.json"), sbom("debian", "12.5"));
    Run r = run("--advisories", advisories.toString(), "--inventory", sbom.toString());
    assertEquals(
        "vm-3.cdx.json openssl 3.0.9-1 fixed:3.0.11-1~deb12u2 DSA-5532-1 9.8 CRITICAL\n",
        r.out(),
        r.err());
    assertEquals(1, r.code());
    assertFalse(r.err().contains("warning"), r.err());
  }

  @Test
  void assess_sbomWithoutOsComponent_andNoDistro_isAUsageErrorNamingTheSbom() throws IOException {
    Path sbom =
        Files.writeString(
            dir.resolve("bare.cdx.json"),
            "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"components\": []}");
    Run r = run("--advisories", advisories.toString(), "--inventory", sbom.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("bare.cdx.json"), r.err());
    assertTrue(r.err().contains("--distro"), r.err());
  }

  @Test
  void assess_dpkgStatusInARootFilesystem_takesTheDistroFromItsEtcOsRelease() throws IOException {
    Path root = rootfs("img", "ID=debian\nVERSION_ID=\"12\"\n");
    Path status = root.resolve("var/lib/dpkg/status");
    Run r = run("--advisories", advisories.toString(), "--inventory", status.toString());
    // The asset is named after its root filesystem, not the database's file name.
    assertEquals(
        "img openssl 3.0.9-1 fixed:3.0.11-1~deb12u2 DSA-5532-1 9.8 CRITICAL\n", r.out(), r.err());
    assertEquals(1, r.code());
  }

  @Test
  void assess_rootFilesystemDirectory_isReadThroughItsDatabase_andUsrLibOsRelease()
      throws IOException {
    Path root = rootfs("img", null);
    Path usrLib = Files.createDirectories(root.resolve("usr/lib"));
    Files.writeString(usrLib.resolve("os-release"), "ID=debian\nVERSION_ID=\"12\"\n");
    Run r = run("--advisories", advisories.toString(), "--inventory", root.toString());
    assertEquals(
        "img openssl 3.0.9-1 fixed:3.0.11-1~deb12u2 DSA-5532-1 9.8 CRITICAL\n", r.out(), r.err());
    assertEquals(1, r.code());
  }

  @Test
  void assess_etcOsReleaseLinkingAbsolutely_isFollowedInsideTheRoot_notOnThisMachine()
      throws IOException {
    Path root = rootfs("img", null);
    Path usrLib = Files.createDirectories(root.resolve("usr/lib"));
    Files.writeString(usrLib.resolve("os-release"), "ID=debian\nVERSION_ID=\"12\"\n");
    Files.createDirectories(root.resolve("etc"));
    Files.createSymbolicLink(root.resolve("etc/os-release"), Path.of("/usr/lib/os-release"));
    Run r = run("--advisories", advisories.toString(), "--inventory", root.toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(r.out().contains("DSA-5532-1"), r.out());
  }

  @Test
  void assess_apkDatabaseInARootFilesystem_isAlpineOnItsReleaseBranch() throws IOException {
    Path osv = Files.createDirectory(dir.resolve("alpine"));
    Files.writeString(
        osv.resolve("ALPINE-1.json"),
        osv("ALPINE-1", "CVE-2023-0002", "Alpine:v3.18", "openssl", "3.1.4-r1", ""));
    Path root = dir.resolve("alpine-root");
    Path db = Files.createDirectories(root.resolve("lib/apk/db"));
    Files.writeString(db.resolve("installed"), "P:libssl3\nV:3.1.4-r0\no:openssl\n\n");
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/os-release"), "ID=alpine\nVERSION_ID=3.18.4\n");
    Run r = run("--advisories", osv.toString(), "--inventory", root.toString());
    assertEquals("alpine-root openssl 3.1.4-r0 fixed:3.1.4-r1 ALPINE-1 -\n", r.out(), r.err());
    assertEquals(1, r.code());
  }

  @Test
  void assess_osReleaseOption_givesTheDistroOfAnInventoryLyingElsewhere() throws IOException {
    Path file = Files.writeString(dir.resolve("vm-1.os-release"), "ID=debian\nVERSION_ID=12\n");
    Run r =
        run(
            "--advisories", advisories.toString(),
            "--inventory", dpkg.toString(),
            "--os-release", file.toString());
    assertEquals(
        "vm-1 openssl 3.0.9-1 fixed:3.0.11-1~deb12u2 DSA-5532-1 9.8 CRITICAL\n", r.out(), r.err());
    assertEquals(1, r.code());
  }

  @Test
  void assess_missingOsReleaseFile_isAUsageError() {
    Run r =
        run(
            "--advisories", advisories.toString(),
            "--inventory", dpkg.toString(),
            "--os-release", dir.resolve("nowhere").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("nowhere"), r.err());
  }

  @Test
  void assess_distroDisagreeingWithTheInventory_winsWithAWarningNamingBoth() throws IOException {
    Path sbom = Files.writeString(dir.resolve("vm-3.cdx.json"), sbom("debian", "11.9"));
    Run r =
        run(
            "--advisories", advisories.toString(),
            "--inventory", sbom.toString(),
            "--distro", "Debian:12");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.out().contains("DSA-5532-1"), r.out());
    assertTrue(r.err().startsWith("warning: "), r.err());
    assertTrue(r.err().contains("Debian:12") && r.err().contains("Debian:11"), r.err());
    assertTrue(r.err().contains("vm-3.cdx.json"), r.err());
  }

  @Test
  void assess_distroAgreeingWithTheInventory_warnsNothing() throws IOException {
    Path sbom = Files.writeString(dir.resolve("vm-3.cdx.json"), sbom("debian", "12.5"));
    Run r =
        run(
            "--advisories", advisories.toString(),
            "--inventory", sbom.toString(),
            "--distro", "Debian:12");
    assertEquals(1, r.code());
    assertFalse(r.err().contains("warning"), r.err());
  }

  @Test
  void assess_distroDisagreeingWithOsReleaseOption_winsWithAWarning() throws IOException {
    Path file = Files.writeString(dir.resolve("os-release"), "ID=debian\nVERSION_ID=11\n");
    Run r =
        run(
            "--advisories", advisories.toString(),
            "--inventory", dpkg.toString(),
            "--os-release", file.toString(),
            "--distro", "Debian:12");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("--distro says Debian:12"), r.err());
    assertTrue(r.err().contains("Debian:11"), r.err());
  }

  @Test
  void assess_severalInventories_eachHasItsOwnPlatform() throws IOException {
    Path bookworm = rootfs("bookworm", "ID=debian\nVERSION_ID=\"12\"\n");
    Path bullseye = rootfs("bullseye", "ID=debian\nVERSION_ID=\"11\"\n");
    Path sbom = Files.writeString(dir.resolve("vm-3.cdx.json"), sbom("debian", "12.5"));
    Run r =
        run(
            "--advisories",
            advisories.toString(),
            "--inventory",
            bookworm.toString(),
            bullseye.toString(),
            sbom.toString());
    assertEquals(
        "bookworm openssl 3.0.9-1 fixed:3.0.11-1~deb12u2 DSA-5532-1 9.8 CRITICAL\n"
            + "vm-3.cdx.json openssl 3.0.9-1 fixed:3.0.11-1~deb12u2 DSA-5532-1 9.8 CRITICAL\n",
        r.out(),
        r.err());
    assertEquals(1, r.code());
  }

  @Test
  void assess_oneInventoryOfSeveralNotSaying_isAUsageErrorNamingThatOne() throws IOException {
    Path bookworm = rootfs("bookworm", "ID=debian\nVERSION_ID=\"12\"\n");
    Run r =
        run(
            "--advisories",
            advisories.toString(),
            "--inventory",
            bookworm.toString(),
            dpkg.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("inventory " + dpkg), r.err());
  }

  @Test
  void assess_rootFilesystemWithoutADatabaseCloudpatchReads_isAUsageError() throws IOException {
    Path root = dir.resolve("rpm-root");
    Files.createDirectories(root.resolve("etc"));
    Files.createDirectories(root.resolve("var/lib/rpm"));
    Run r =
        run(
            "--advisories", advisories.toString(),
            "--inventory", root.toString(),
            "--distro", "Rocky Linux:9");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("rpm-root") && r.err().contains("rpm -qa"), r.err());
  }

  @Test
  void assess_unrecognisedInventory_isAUsageErrorNamingTheFile() throws IOException {
    Path odd = Files.writeString(dir.resolve("odd.txt"), "hello\n");
    Run r =
        run(
            "--advisories", advisories.toString(),
            "--inventory", odd.toString(),
            "--distro", "Debian:12");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("odd.txt"), r.err());
  }

  @Test
  void assess_cycloneDxSbom_isReadLikeAnyInventory_upstreamQualifierNamesTheSource()
      throws IOException {
    Path sbom =
        Files.writeString(
            dir.resolve("vm-2.cdx.json"),
            "{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.5\",\n"
                + "  \"components\": [{\"type\": \"library\", \"name\": \"libssl3\", \"purl\":"
                + " \"pkg:deb/debian/libssl3@3.0.9-1?arch=amd64&upstream=openssl&distro=debian-12\"}]\n}\n");
    Run r =
        run(
            "--advisories", advisories.toString(),
            "--inventory", sbom.toString(),
            "--distro", "Debian:12");
    assertEquals(
        "vm-2.cdx.json openssl 3.0.9-1 fixed:3.0.11-1~deb12u2 DSA-5532-1 9.8 CRITICAL\n",
        r.out(),
        r.err());
    assertEquals(1, r.code());
  }

  /** A root filesystem with {@link #dpkg}'s database and, unless null, an etc/os-release. */
  private Path rootfs(String name, @Nullable String osRelease) throws IOException {
    Path root = dir.resolve(name);
    Path admin = Files.createDirectories(root.resolve("var/lib/dpkg"));
    Files.copy(dpkg, admin.resolve("status"));
    if (osRelease != null) {
      Files.createDirectories(root.resolve("etc"));
      Files.writeString(root.resolve("etc/os-release"), osRelease);
    }
    return root;
  }

  /** A CycloneDX SBOM of openssl 3.0.9-1 whose metadata names its operating system. */
  private static String sbom(String os, String version) {
    return "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"metadata\": {\"component\":"
        + " {\"type\": \"operating-system\", \"name\": \""
        + os
        + "\", \"version\": \""
        + version
        + "\"}}, \"components\": [{\"type\": \"library\", \"name\": \"libssl3\", \"purl\":"
        + " \"pkg:deb/debian/libssl3@3.0.9-1?upstream=openssl\"}]}";
  }

  /** The real GHSA-jfh8-c2jp-5v3q record (test resource; its README names source and licence). */
  private void copyGhsa() throws IOException {
    try (var in = AssessCommandTest.class.getResourceAsStream("ghsa/GHSA-jfh8-c2jp-5v3q.json")) {
      Files.copy(
          java.util.Objects.requireNonNull(in), advisories.resolve("GHSA-jfh8-c2jp-5v3q.json"));
    }
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new AssessCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static String osv(
      String id, String cve, String ecosystem, String pkg, String fixed, String extra) {
    return "{\"schema_version\":\"1.6.0\",\"id\":\""
        + id
        + "\",\"modified\":\"2024-01-01T00:00:00Z\",\"published\":\"2024-01-01T00:00:00Z\","
        + "\"aliases\":[\""
        + cve
        + "\"],\"summary\":\""
        + pkg
        + "\",\"affected\":[{\"package\":{\"ecosystem\":\""
        + ecosystem
        + "\",\"name\":\""
        + pkg
        + "\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},"
        + "{\"fixed\":\""
        + fixed
        + "\"}]}]}]"
        + extra
        + "}";
  }
}
