package org.cloudpatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.cloudpatch.inventory.format.OsRelease;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cloudpatch assess --local [ROOT]}: the machine it runs on, or a root filesystem. */
class AssessLocalTest {
  record Run(int code, String out, String err) {}

  @TempDir Path dir;
  Path advisories;
  Path root;

  @BeforeEach
  void write() throws IOException {
    advisories = Files.createDirectory(dir.resolve("osv"));
    Files.writeString(
        advisories.resolve("DSA-5532-1.json"),
        osv("DSA-5532-1", "Debian:12", "openssl", "3.0.11-1~deb12u2"));
    root = dir.resolve("image");
    Files.createDirectories(root.resolve("etc"));
    Files.createDirectories(root.resolve("var/lib/dpkg"));
    Files.writeString(
        root.resolve("etc/os-release"),
        "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n");
    Files.writeString(root.resolve("etc/hostname"), "web-1\n");
    Files.writeString(
        root.resolve("var/lib/dpkg/status"),
        "Package: openssl\nStatus: install ok installed\nVersion: 3.0.9-1\n\n"
            + "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\n");
  }

  @Test
  void local_root_assessesItsDpkgDatabase_onItsOsRelease_namedAfterItsHostname()
      throws IOException {
    Run r =
        run("--advisories", advisories.toString(), "--local", root.toString(), "--format", "json");

    assertEquals(1, r.code(), r.err());
    JsonNode findings = new ObjectMapper().readTree(r.out()).get("findings");
    assertEquals(1, findings.size(), r.out());
    assertEquals("web-1", findings.get(0).get("asset").asText());
    assertEquals("openssl", findings.get(0).get("package").asText());
    assertEquals("3.0.9-1", findings.get(0).get("installed").asText());
  }

  @Test
  void local_alpineRoot_assessesItsApkDatabase() throws IOException {
    Path alpine = dir.resolve("alpine");
    Files.createDirectories(alpine.resolve("etc"));
    Files.createDirectories(alpine.resolve("lib/apk/db"));
    Files.writeString(
        alpine.resolve("etc/os-release"), "ID=alpine\nVERSION_ID=3.20.3\nNAME=\"Alpine Linux\"\n");
    Files.writeString(
        alpine.resolve("lib/apk/db/installed"),
        "C:Q1abc=\nP:busybox\nV:1.36.1-r28\nA:x86_64\no:busybox\n\n");
    Files.writeString(
        advisories.resolve("ALPINE-1.json"),
        osv("ALPINE-1", "Alpine:v3.20", "busybox", "1.36.1-r29"));

    Run r =
        run(
            "--advisories",
            advisories.toString(),
            "--local",
            alpine.toString(),
            "--format",
            "json");

    assertEquals(1, r.code(), r.err());
    JsonNode findings = new ObjectMapper().readTree(r.out()).get("findings");
    assertEquals(1, findings.size(), r.out());
    assertEquals("alpine", findings.get(0).get("asset").asText()); // no etc/hostname: the folder
    assertEquals("busybox", findings.get(0).get("package").asText());
  }

  @Test
  void local_rootAtTheFix_isNotAffected() throws IOException {
    Files.writeString(
        root.resolve("var/lib/dpkg/status"),
        "Package: openssl\nStatus: install ok installed\nVersion: 3.0.11-1~deb12u2\n");

    Run r = run("--advisories", advisories.toString(), "--local", root.toString());

    assertEquals(0, r.code(), r.err());
    assertEquals("", r.out());
  }

  @Test
  void local_withoutRoot_assessesThisMachine() throws IOException, InterruptedException {
    Path status = Path.of("/var/lib/dpkg/status");
    Path osRelease = Path.of("/etc/os-release");
    boolean debian = Files.isRegularFile(status) && Files.isRegularFile(osRelease);
    String installed = debian ? dpkgQuery("base-files") : "";
    if (installed.isEmpty()) {
      System.out.println("skipped: this machine is no Debian system with dpkg-query");
    }
    assumeTrue(!installed.isEmpty(), "this machine is no Debian system with dpkg-query");
    // base-files is on every Debian system; a fix in a version to come makes it affected.
    String ecosystem = OsRelease.read(osRelease).ecosystem();
    Files.writeString(
        advisories.resolve("DSA-5532-1.json"), osv("TEST-1", ecosystem, "base-files", "999"));

    Run r = run("--advisories", advisories.toString(), "--local", "--format", "json");

    assertEquals(1, r.code(), r.err());
    JsonNode findings = new ObjectMapper().readTree(r.out()).get("findings");
    assertEquals(1, findings.size(), r.out());
    assertEquals("base-files", findings.get(0).get("package").asText());
    assertEquals(installed, findings.get(0).get("installed").asText());
    assertTrue(r.err().contains("/var/lib/dpkg/status") || r.err().contains(" /"), r.err());
  }

  @Test
  void local_andInventory_isAUsageError() {
    Run r =
        run(
            "--advisories",
            advisories.toString(),
            "--local",
            root.toString(),
            "--inventory",
            root.resolve("var/lib/dpkg/status").toString());

    assertEquals(2, r.code());
    assertTrue(r.err().contains("give --inventory or --local, not both"), r.err());
  }

  @Test
  void neitherLocalNorInventory_isAUsageError() {
    Run r = run("--advisories", advisories.toString());

    assertEquals(2, r.code());
    assertTrue(r.err().contains("--inventory or --local is required"), r.err());
  }

  @Test
  void local_rootWithoutPackageDatabase_isAnInputError() throws IOException {
    Files.delete(root.resolve("var/lib/dpkg/status"));

    Run r = run("--advisories", advisories.toString(), "--local", root.toString());

    assertEquals(2, r.code());
    assertTrue(r.err().contains("without var/lib/dpkg/status"), r.err());
  }

  @Test
  void local_missingRoot_isAnInputError() {
    Run r = run("--advisories", advisories.toString(), "--local", dir.resolve("nope").toString());

    assertEquals(2, r.code());
    assertTrue(r.err().contains("--local " + dir.resolve("nope")), r.err());
  }

  private static String dpkgQuery(String name) throws IOException, InterruptedException {
    try {
      Process p =
          new ProcessBuilder("dpkg-query", "--showformat=${Version}", "--show", name)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? out.strip() : "";
    } catch (IOException e) {
      return ""; // no dpkg-query here
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

  private static String osv(String id, String ecosystem, String pkg, String fixed) {
    return "{\"schema_version\":\"1.6.0\",\"id\":\""
        + id
        + "\",\"modified\":\"2024-01-01T00:00:00Z\",\"published\":\"2024-01-01T00:00:00Z\","
        + "\"summary\":\""
        + pkg
        + "\",\"affected\":[{\"package\":{\"ecosystem\":\""
        + ecosystem
        + "\",\"name\":\""
        + pkg
        + "\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},"
        + "{\"fixed\":\""
        + fixed
        + "\"}]}]}]}";
  }
}
