package org.cloudpatch.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cloudpatch.audit.memory.InMemoryKeyProvider;
import org.cloudpatch.cli.MainTest.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cloudpatch audit export} writes an evidence bundle per closed record of a demo's journal
 * folder, naming each record that gets none while writing the others, and {@code cloudpatch audit
 * verify-evidence} accepts what it wrote and rejects a changed entry, naming the bundle.
 */
class AuditEvidenceCommandTest {
  @TempDir static Path dir;
  static Path demo;
  static List<Path> stored;

  @BeforeAll
  static void runTheDemo() throws IOException {
    demo = dir.resolve("demo");
    Run r =
        MainTest.run(
            "", "demo", "--vms", "30", "--hosts", "3", "--days", "8", "--out", demo.toString());
    assertEquals(0, r.code(), r.err());
    try (var files = Files.list(demo.resolve("evidence"))) {
      stored = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    assertTrue(stored.size() >= 2, "the demo closed fewer than two records");
  }

  private static String name(Path storedFile) {
    String file = storedFile.getFileName().toString();
    return file.substring(0, file.length() - ".json".length());
  }

  @Test
  void export_demoFolder_writesABundlePerStoredRecord_thatVerifyEvidenceAccepts() {
    Path out = dir.resolve("exported");

    Run export = MainTest.run("", "audit", "export", demo.toString(), "--out", out.toString());

    assertEquals(0, export.code(), export::toString);
    assertEquals(stored.size() + " evidence bundles written to " + out + "\n", export.out());
    for (Path file : stored) {
      assertTrue(Files.isRegularFile(out.resolve(name(file)).resolve("proofs.jsonl")), name(file));
    }
    Run verify =
        MainTest.run(
            "",
            "audit",
            "verify-evidence",
            out.toString(),
            "--key",
            demo.resolve("journal.pub").toString());
    assertEquals(0, verify.code(), verify::toString);
    List<String> lines = verify.out().lines().toList();
    assertEquals(stored.size(), lines.size(), verify::out);
    for (int i = 0; i < lines.size(); i++) {
      assertTrue(lines.get(i).startsWith("OK record " + name(stored.get(i)) + ": "), lines.get(i));
    }
    assertEquals("", verify.err());
  }

  @Test
  void export_oneStoredRecordUnknownToTheJournal_exportsTheOthersAndNamesIt() throws IOException {
    Path evidence = dir.resolve("evidence-with-a-stranger");
    Files.createDirectories(evidence);
    for (Path file : stored) {
      Files.copy(file, evidence.resolve(file.getFileName()));
    }
    String stranger = "TR-NOT-IN-THE-JOURNAL.acme.web";
    Files.writeString(
        evidence.resolve(stranger + ".json"),
        Files.readString(stored.get(0), UTF_8)
            .replaceFirst("\"record\": \"[^\"]*\"", "\"record\": \"" + stranger + "\""),
        UTF_8);
    Path out = dir.resolve("partly");

    Run r =
        MainTest.run(
            "",
            "audit",
            "export",
            demo.toString(),
            "--evidence",
            evidence.toString(),
            "--out",
            out.toString());

    assertEquals(1, r.code(), r::toString);
    List<String> lines = r.out().lines().toList();
    assertEquals(
        stored.size() + " evidence bundles written to " + out + ", 1 records got none",
        lines.get(0));
    assertEquals(2, lines.size(), r::out);
    assertTrue(lines.get(1).startsWith("FAIL record " + stranger + " ("), lines.get(1));
    assertTrue(lines.get(1).contains("holds no closed tracking record"), lines.get(1));
    assertTrue(Files.notExists(out.resolve(stranger)));
    for (Path file : stored) {
      assertTrue(Files.isDirectory(out.resolve(name(file))), name(file));
    }
  }

  @Test
  void verifyEvidence_changedEntry_failsNamingTheBundleAndTheEntry() throws IOException {
    Path bundle = dir.resolve("tampered");
    Path original = demo.resolve("evidence").resolve(name(stored.get(0)));
    Files.createDirectories(bundle);
    try (var files = Files.list(original)) {
      for (Path f : files.toList()) {
        Files.copy(f, bundle.resolve(f.getFileName()));
      }
    }
    Path entries = bundle.resolve("entries.log");
    List<String> lines = new ArrayList<>(Files.readAllLines(entries, UTF_8));
    lines.set(0, lines.get(0).replaceFirst("\"at\":\"2", "\"at\":\"3"));
    Files.write(entries, lines, UTF_8);
    String seq = lines.get(0).replaceFirst(".*?\"seq\":(\\d+).*", "$1");

    Run r =
        MainTest.run(
            "",
            "audit",
            "verify-evidence",
            bundle.toString(),
            original.toString(),
            "--key",
            demo.resolve("journal.pub").toString());

    assertEquals(1, r.code(), r::toString);
    List<String> out = r.out().lines().toList();
    assertEquals(2, out.size(), r::out);
    assertTrue(out.get(0).startsWith("FAIL " + bundle + ": entry seq " + seq + ": "), out.get(0));
    assertTrue(out.get(1).startsWith("OK record "), out.get(1));
  }

  @Test
  void verifyEvidence_withoutKey_trustsTheBundlesKeyAndSaysSo() {
    Run r =
        MainTest.run(
            "",
            "audit",
            "verify-evidence",
            demo.resolve("evidence").resolve(name(stored.get(0))).toString());

    assertEquals(0, r.code(), r::toString);
    assertTrue(r.err().contains("no --key"), r.err());
  }

  @Test
  void verifyEvidence_anotherSignersKey_failsNamingTheKeyFile() {
    Path bundle = demo.resolve("evidence").resolve(name(stored.get(0)));
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 7);
    String other =
        InMemoryKeyProvider.fromSeed("cloudpatch.demo/journal", seed).verifierKey().toString();

    Run r = MainTest.run("", "audit", "verify-evidence", bundle.toString(), "--key", other);

    assertEquals(1, r.code(), r::toString);
    assertTrue(r.out().startsWith("FAIL " + bundle + ": journal.pub: "), r.out());
  }

  @Test
  void verifyEvidence_malformedKey_isAUsageError() {
    Path bundle = demo.resolve("evidence").resolve(name(stored.get(0)));

    Run r =
        MainTest.run(
            "", "audit", "verify-evidence", bundle.toString(), "--key", "nobody+00000000+AAAA");

    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().contains("--key: "), r.err());
  }

  @Test
  void verifyEvidence_noBundleThere_isAUsageError() {
    Run r = MainTest.run("", "audit", "verify-evidence", dir.resolve("nothing").toString());

    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().contains("no evidence bundle"), r.err());
  }

  @Test
  void export_noJournal_isAUsageError() {
    Run r =
        MainTest.run(
            "",
            "audit",
            "export",
            dir.resolve("nothing").toString(),
            "--out",
            dir.resolve("x").toString());

    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().contains("no journal file at"), r.err());
  }
}
