package org.cloudpatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.inventory.format.CycloneDxReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cloudpatch assess} on real data: the Debian security tracker's DSA and DLA lists against a
 * real dpkg database, checked against dpkg itself ({@code dpkg-query} reads the database, {@code
 * dpkg --compare-versions} compares).
 *
 * <p>The database is trivy's test image (an Ubuntu 18.04 system with a removed package and binaries
 * built from differently named sources), read as if it were buster's ({@code --distro Debian:10}),
 * because the tracker lists end in April 2023: what is checked is the matching — source packages
 * behind binaries, removed packages, epochs, tildes — not whether that system needs these patches.
 */
class AssessConformanceTest {
  private static final Pattern HEADER = Pattern.compile("^\\[[^]]+\\] (D[SL]A-\\d+-\\d+) .*");
  private static final Pattern FIXED = Pattern.compile("^\\s+\\[buster\\] - (\\S+) (\\S+).*");

  record Entry(String advisory, String source, String fixed) {}

  @TempDir Path dir;

  private static Path data() {
    String configured = System.getProperty("cloudpatch.conformance.dir");
    return configured != null ? Path.of(configured) : Path.of("..", "..", "shared", "data");
  }

  @Test
  void trackerListsAgainstARealDpkgDatabase_findExactlyWhatDpkgSays() throws Exception {
    Path dsa = data().resolve("debian-security-tracker/DSA-list");
    Path dla = data().resolve("debian-security-tracker/DLA-list");
    Path txtar = data().resolve("trivy/pkg/fanal/analyzer/pkg/dpkg/testdata/valid.txtar");
    assumeTrue(Files.isRegularFile(dsa) && Files.isRegularFile(txtar), "no shared data");
    assumeTrue(works("dpkg", "--version") && works("dpkg-query", "--version"), "no dpkg here");

    Path admin = Files.createDirectories(dir.resolve("admin"));
    Files.createDirectories(admin.resolve("info"));
    Files.createDirectories(admin.resolve("updates"));
    String database = txtarSection(Files.readString(txtar), "var/lib/dpkg/status");
    Path status = Files.writeString(admin.resolve("status"), database);

    // What dpkg says is installed: (source package, source version), removed ones excluded.
    List<String[]> installed = new ArrayList<>();
    String query =
        run(
            List.of(
                "dpkg-query",
                "--admindir=" + admin,
                "-W",
                "-f=${db:Status-Abbrev}\\t${source:Package}\\t${source:Version}\\n"));
    for (String line : query.split("\n")) {
      String[] f = line.split("\t");
      if (f.length == 3 && f[0].startsWith("ii")) {
        installed.add(new String[] {f[1], f[2]});
      }
    }
    List<Entry> entries = new ArrayList<>(trackerEntries(dsa));
    entries.addAll(trackerEntries(dla));
    List<String[]> pairs = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (Entry e : entries) {
      for (String[] i : installed) {
        if (i[0].equals(e.source())) {
          pairs.add(new String[] {i[1], e.fixed()});
          keys.add(e.advisory() + " " + e.source());
        }
      }
    }
    boolean[] lower = dpkgLessThan(pairs);
    Set<String> oracle = new TreeSet<>();
    for (int i = 0; i < lower.length; i++) {
      if (lower[i]) {
        oracle.add(keys.get(i));
      }
    }

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.execute(
            new String[] {
              "assess",
              "--advisories",
              dsa.toString(),
              dla.toString(),
              "--inventory",
              status.toString(),
              "--distro",
              "Debian:10",
              "--format",
              "json"
            },
            new PrintWriter(out),
            new PrintWriter(err));
    JsonNode findings = new ObjectMapper().readTree(out.toString()).get("findings");
    Set<String> found = new TreeSet<>();
    for (JsonNode f : findings) {
      found.add(f.get("advisory").asText() + " " + f.get("package").asText());
    }

    assertTrue(installed.size() > 80, "dpkg-query lists " + installed.size() + " installed");
    assertTrue(pairs.size() > 30, "compared " + pairs.size() + " installed/fixed pairs");
    assertTrue(oracle.size() > 20, "dpkg says " + oracle.size() + " are affected");
    assertEquals(oracle, found, err.toString());
    assertEquals(1, code, "exit 1: something is affected");
  }

  /**
   * Trivy's SBOM of a Debian 10.2 image records its operating system: read without {@code
   * --distro}, it is Debian 10 (the tracker's buster), and finds what {@code --distro Debian:10}
   * finds, with no warning when both are given.
   */
  @Test
  void assess_sbomWithOsComponent_needsNoDistro_trivyDebianImage() throws Exception {
    Path dsa = data().resolve("debian-security-tracker/DSA-list");
    Path sbom =
        data()
            .resolve(
                "trivy/integration/testdata/fixtures/sbom/fluentd-multiple-lockfiles-cyclonedx.json");
    assumeTrue(Files.isRegularFile(dsa) && Files.isRegularFile(sbom), "no shared data");

    Result said = assess("--advisories", dsa.toString(), "--inventory", sbom.toString());
    Result told =
        assess(
            "--advisories",
            dsa.toString(),
            "--inventory",
            sbom.toString(),
            "--distro",
            "Debian:10");

    assertEquals(1, said.code(), said.err());
    assertFalse(said.findings().isEmpty());
    assertEquals(told.findings(), said.findings());
    assertFalse(told.err().contains("warning"), told.err());
  }

  /**
   * A real Debian 12 machine's dpkg database, laid out as in its root filesystem with its own
   * os-release: read without {@code --distro} it is bookworm, and finds what {@code --distro
   * Debian:12} finds; {@code --os-release} pointing at the same file does the same for the database
   * on its own.
   */
  @Test
  void assess_dpkgDatabaseBesideItsOsRelease_needsNoDistro_realDebian12Machine() throws Exception {
    Path dsa = data().resolve("debian-security-tracker/DSA-list");
    Path status = data().resolve("local-dpkg-status/status");
    Path osRelease = data().resolve("local-dpkg-status/os-release.txt");
    assumeTrue(
        Files.isRegularFile(dsa) && Files.isRegularFile(status) && Files.isRegularFile(osRelease),
        "no shared data");
    Path root = dir.resolve("debian-12");
    Files.copy(status, Files.createDirectories(root.resolve("var/lib/dpkg")).resolve("status"));
    Files.copy(osRelease, Files.createDirectories(root.resolve("etc")).resolve("os-release"));

    Result fromRoot = assess("--advisories", dsa.toString(), "--inventory", root.toString());
    Result fromFile =
        assess(
            "--advisories",
            dsa.toString(),
            "--inventory",
            root.resolve("var/lib/dpkg/status").toString(),
            "--os-release",
            osRelease.toString());
    Result told =
        assess(
            "--advisories",
            dsa.toString(),
            "--inventory",
            root.toString(),
            "--distro",
            "Debian:12");

    // The tracker's list is of April 2023, before Debian 12 was released: it names no Debian 12
    // fix, so no advisory speaks about this machine. That is said, and is no "nothing affected".
    for (Result r : List.of(told, fromRoot, fromFile)) {
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().contains("no advisory read applies to any inventory"), r.err());
      assertTrue(
          r.err().contains("summary: not assessed: debian-12 Debian:12, 710 packages"), r.err());
    }
    // And the database alone, with no os-release anywhere, says nothing.
    Result alone = assess("--advisories", dsa.toString(), "--inventory", status.toString());
    assertEquals(2, alone.code());
    assertTrue(alone.err().contains(status.toString()), alone.err());
  }

  /**
   * osv-scanner's Alpine SBOM names its distribution only in purl qualifiers ({@code
   * distro=3.22.0}), not in an operating-system component: that is enough, and gives what {@code
   * --distro} gives.
   */
  @Test
  void assess_sbomWithDistroQualifiersOnly_needsNoDistro_osvScannerAlpineSbom() throws Exception {
    Path sbom = data().resolve("osv-scanner-sbom/alpine-zlib-16.cdx.json");
    Path osv = data().resolve("osv-advisories/osv-scanner-offline-dbs/Alpine");
    assumeTrue(Files.isRegularFile(sbom) && Files.isDirectory(osv), "no shared data");
    Result inferred = assess("--advisories", osv.toString(), "--inventory", sbom.toString());
    Result given =
        assess(
            "--advisories",
            osv.toString(),
            "--inventory",
            sbom.toString(),
            "--distro",
            "Alpine:v3.22");
    assertEquals(0, inferred.code(), inferred.err());
    // The shared Alpine database has no zlib advisory, so both find nothing; the platform is the
    // point: Alpine:v3.22, not a usage error.
    assertEquals(Optional.of(Platform.parse("Alpine:v3.22")), CycloneDxReader.platform(sbom));
    assertEquals(given.findings(), inferred.findings());
    assertFalse(given.err().contains("warning"), given.err());
  }

  /**
   * CycloneDX's own example SBOM of Dropwizard 1.3.15 (Maven packages only, no operating system)
   * against GitHub's OSV record of the JUnit temporary-folder advisory from osv-scanner's offline
   * database: the SBOM's junit 4.12 lies in [4.7, 4.13.1). Before packages were matched in their
   * own ecosystem this needed an undocumented {@code --distro Maven}, and with {@code --distro
   * Debian:12} it said "nothing affected".
   */
  @Test
  void assess_realMavenSbom_realGhsaRecord_matchesInMavenWhateverDistroSays() throws Exception {
    Path sbom = data().resolve("cyclonedx-bom-examples/SBOM/dropwizard-1.3.15/bom.json");
    Path ghsa =
        data().resolve("osv-advisories/osv-scanner-offline-dbs/Maven/GHSA-269g-pwp5-87pp.json");
    assumeTrue(Files.isRegularFile(sbom) && Files.isRegularFile(ghsa), "no shared data");
    Result plain = assess("--advisories", ghsa.toString(), "--inventory", sbom.toString());
    Result withDistro =
        assess(
            "--advisories",
            ghsa.toString(),
            "--inventory",
            sbom.toString(),
            "--distro",
            "Debian:12");
    for (Result r : List.of(plain, withDistro)) {
      assertEquals(1, r.code(), r.err());
      assertEquals(Set.of("GHSA-269g-pwp5-87pp junit:junit 4.12"), r.findings(), r.err());
      assertTrue(r.err().contains("summary: inventory dropwizard-parent (CycloneDX SBOM"), r.err());
    }
  }

  record Result(int code, Set<String> findings, String err) {}

  private static Result assess(String... args) throws IOException {
    String[] all = new String[args.length + 3];
    all[0] = "assess";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--format";
    all[args.length + 2] = "json";
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(all, new PrintWriter(out), new PrintWriter(err));
    Set<String> found = new TreeSet<>();
    if (code != 2) {
      for (JsonNode f : new ObjectMapper().readTree(out.toString()).get("findings")) {
        found.add(
            f.get("advisory").asText()
                + " "
                + f.get("package").asText()
                + " "
                + f.get("installed").asText());
      }
    }
    return new Result(code, found, err.toString());
  }

  private static String txtarSection(String txtar, String name) {
    int start = txtar.indexOf("-- " + name + " --\n");
    assertTrue(start >= 0, "no section " + name);
    int from = start + name.length() + 7;
    int next = txtar.indexOf("\n-- ", from);
    return next < 0 ? txtar.substring(from) : txtar.substring(from, next + 1);
  }

  static final String CSAF =
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
             "product_identification_helper":
               {"purl": "pkg:deb/debian/openssl@3.0.11-1~deb12u2?distro=debian-12"}}}]},
         {"category": "product_name", "name": "libressl", "product": {
           "name": "libressl", "product_id": "LIBRESSL",
           "product_identification_helper": {"purl": "pkg:deb/debian/libressl?distro=debian-12"}}}]}]},
       "vulnerabilities": [{"cve": "CVE-2026-0001",
         "product_status": {"fixed": ["OPENSSL-FIXED"], "known_not_affected": ["LIBRESSL"]},
         "flags": [{"label": "vulnerable_code_not_present", "product_ids": ["LIBRESSL"]}]}]}
      """;

  @Test
  void csafDocument_isAssessedLikeOsv() throws IOException {
    Path csaf = Files.writeString(dir.resolve("ex-2026-1.json"), CSAF);
    Path machine =
        Files.writeString(
            dir.resolve("vm-1"),
            "Package: libssl3\nStatus: install ok installed\nSource: openssl\nVersion: 3.0.9-1\n\n"
                + "Package: libressl\nStatus: install ok installed\nVersion: 3.8.2-1\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.execute(
            new String[] {
              "assess",
              "--advisories",
              csaf.toString(),
              "--inventory",
              machine.toString(),
              "--distro",
              "Debian:12",
              "--format",
              "json"
            },
            new PrintWriter(out),
            new PrintWriter(err));
    JsonNode findings = new ObjectMapper().readTree(out.toString()).get("findings");
    assertEquals(1, findings.size(), out + "\n" + err);
    assertEquals("openssl", findings.get(0).get("package").asText());
    assertEquals("3.0.9-1", findings.get(0).get("installed").asText());
    assertEquals("3.0.11-1~deb12u2", findings.get(0).get("fixed").asText());
    assertEquals(1, code);
  }

  private static List<Entry> trackerEntries(Path list) throws IOException {
    List<Entry> out = new ArrayList<>();
    String advisory = null;
    for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
      Matcher h = HEADER.matcher(line);
      if (h.matches()) {
        advisory = h.group(1);
        continue;
      }
      Matcher m = FIXED.matcher(line);
      if (advisory != null && m.matches() && !m.group(2).startsWith("<")) {
        out.add(new Entry(advisory, m.group(1), m.group(2)));
      }
    }
    return out;
  }

  private static boolean works(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.getErrorStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), String.join(" ", command));
    return output;
  }

  /** One shell runs every comparison; one dpkg process per pair, but no JVM fork per pair. */
  private boolean[] dpkgLessThan(List<String[]> pairs) throws Exception {
    StringBuilder script = new StringBuilder();
    for (String[] p : pairs) {
      script
          .append("if dpkg --compare-versions '")
          .append(p[0])
          .append("' lt '")
          .append(p[1])
          .append("'; then echo 1; else echo 0; fi\n");
    }
    Path file = Files.writeString(dir.resolve("oracle.sh"), script.toString());
    Process proc = new ProcessBuilder("sh", file.toString()).redirectErrorStream(true).start();
    String output = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(proc.waitFor(300, TimeUnit.SECONDS));
    String[] lines = output.strip().split("\n");
    assertEquals(
        pairs.size(), lines.length, output.length() > 500 ? output.substring(0, 500) : output);
    boolean[] out = new boolean[lines.length];
    for (int i = 0; i < lines.length; i++) {
      out[i] = lines[i].equals("1");
    }
    return out;
  }
}
