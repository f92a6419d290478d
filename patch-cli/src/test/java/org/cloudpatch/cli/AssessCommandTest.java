package org.cloudpatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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

  @Test
  void assess_otherRelease_findsNothing_andExitsZero() {
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
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\"findings\" : [ ]"), r.out());
  }

  @Test
  void assess_withoutDistro_isAUsageError() {
    Run r = run("--advisories", advisories.toString(), "--inventory", dpkg.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--distro"), r.err());
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
