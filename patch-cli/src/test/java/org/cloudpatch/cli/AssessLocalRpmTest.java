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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cloudpatch assess --local ROOT} on an rpm-based root filesystem: packages built by the
 * real rpmbuild and registered in a database the real rpm wrote, listed by rpm, matched against
 * real AlmaLinux advisories from the shared conformance data. Skips where rpm, rpmbuild or the data
 * are absent.
 */
class AssessLocalRpmTest {
  record Run(int code, String out, String err) {}

  @TempDir Path dir;
  Path root;
  Path advisories;

  @BeforeEach
  void build() throws Exception {
    assumeTrue(works("rpm", "--version"), "rpm is not installed (apt-get install rpm)");
    assumeTrue(works("rpmbuild", "--version"), "rpmbuild is not installed (Debian's rpm has it)");
    String configured = System.getProperty("cloudpatch.conformance.dir");
    Path data = configured != null ? Path.of(configured) : Path.of("..", "..", "shared", "data");
    Path alma =
        data.resolve("osv-advisories/vunnel-fixtures/alma/test-fixtures/osv-database/advisories");
    Path avahi = alma.resolve("almalinux9/ALSA-2024:2433.json");
    Path libtiff = alma.resolve("almalinux9/ALSA-2022:8194.json");
    assumeTrue(
        Files.isRegularFile(avahi) && Files.isRegularFile(libtiff),
        "conformance data absent: " + alma + " (set -Dcloudpatch.conformance.dir=DIR)");
    advisories = Files.createDirectory(dir.resolve("advisories"));
    Files.copy(avahi, advisories.resolve("ALSA-2024-2433.json"));
    Files.copy(libtiff, advisories.resolve("ALSA-2022-8194.json"));

    root = Files.createDirectories(dir.resolve("alma9"));
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(
        root.resolve("etc/os-release"),
        "NAME=\"AlmaLinux\"\nVERSION=\"9.3 (Shamrock Pampas Cat)\"\nID=\"almalinux\"\n"
            + "ID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"9.3\"\n");
    Files.writeString(root.resolve("etc/hostname"), "alma-1\n");
    // avahi as AlmaLinux 9.0 shipped it (fixed in 0.8-20.el9); libtiff at its fix.
    install(
        List.of(
            new String[] {"avahi", "0.8", "12.el9"}, new String[] {"libtiff", "4.4.0", "2.el9"}));
  }

  @Test
  void local_rpmRoot_listsItsDatabaseWithRpm_andFindsTheAffectedPackage() throws IOException {
    Run r =
        run("--advisories", advisories.toString(), "--local", root.toString(), "--format", "json");

    assertEquals(1, r.code(), r.err());
    JsonNode findings = new ObjectMapper().readTree(r.out()).get("findings");
    assertEquals(1, findings.size(), r.out());
    JsonNode f = findings.get(0);
    assertEquals("alma-1", f.get("asset").asText());
    assertEquals("avahi", f.get("package").asText());
    assertEquals("0:0.8-12.el9", f.get("installed").asText());
    assertEquals("0.8-20.el9", f.get("fixed").asText());
    assertEquals("ALSA-2024:2433", f.get("advisory").asText());
  }

  @Test
  void local_rpmRoot_withoutUsableDatabase_isAnInputErrorNamingRpmsReason() throws IOException {
    Files.writeString(root.resolve("var/lib/rpm/rpmdb.sqlite"), "not a database\n");

    Run r = run("--advisories", advisories.toString(), "--local", root.toString());

    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("rpm -qa --root"), r.err());
    assertTrue(r.err().contains("failed with exit code"), r.err());
  }

  private void install(List<String[]> packages) throws Exception {
    Path top = Files.createDirectories(dir.resolve("rpmbuild/SPECS")).getParent();
    List<String> install =
        new ArrayList<>(
            List.of(
                "rpm",
                "--root",
                root.toString(),
                "--dbpath",
                "/var/lib/rpm",
                "-i",
                "--nodeps",
                "--justdb"));
    for (String[] p : packages) {
      Path spec = top.resolve("SPECS/" + p[0] + ".spec");
      Files.writeString(
          spec,
          "Name: "
              + p[0]
              + "\nVersion: "
              + p[1]
              + "\nRelease: "
              + p[2]
              + "\n"
              + "Summary: cloudpatch test package\nLicense: MIT\nBuildArch: noarch\n"
              + "%description\ncloudpatch test package\n%files\n",
          StandardCharsets.UTF_8);
      exec(
          "rpmbuild",
          "--define",
          "_topdir " + top,
          "--define",
          "_build_id_links none",
          "-bb",
          spec.toString());
      install.add(
          top.resolve("RPMS/noarch/" + p[0] + "-" + p[1] + "-" + p[2] + ".noarch.rpm").toString());
    }
    Files.createDirectories(root.resolve("var/lib/rpm"));
    exec("rpm", "--root", root.toString(), "--dbpath", "/var/lib/rpm", "--initdb");
    exec(install.toArray(String[]::new));
  }

  private void exec(String... command) throws Exception {
    Path log = Files.createTempFile(dir, "cmd-", ".log");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new AssertionError(
          String.join(" ", command) + " failed: " + Files.readString(log, StandardCharsets.UTF_8));
    }
  }

  private static boolean works(String... command) {
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
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
}
