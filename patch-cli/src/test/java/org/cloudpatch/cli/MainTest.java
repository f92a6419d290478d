package org.cloudpatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command's public contract (DESIGN section 10): output, exit codes, reasons on stderr. */
class MainTest {
  record Run(int code, String out, String err) {}

  static Run run(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    InputStream saved = System.in;
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
      return new Run(code, out.toString(), err.toString());
    } finally {
      System.setIn(saved);
    }
  }

  @TempDir static Path dir;
  static Path journal;

  @BeforeAll
  static void demoJournal() {
    Run demo =
        run(
            "",
            "demo",
            "--vms",
            "30",
            "--hosts",
            "3",
            "--days",
            "8",
            "--out",
            dir.resolve("demo").toString());
    assertEquals(0, demo.code(), demo.err());
    journal = dir.resolve("demo/journal.log");
  }

  @Test
  void vercmp_twoVersions_printsTheRelation() {
    assertEquals("<\n", run("", "vercmp", "--ecosystem", "Debian", "1.0~rc1", "1.0").out());
    assertEquals(">\n", run("", "vercmp", "--ecosystem", "Debian", "1:0.9", "2.0").out());
    assertEquals("=\n", run("", "vercmp", "--ecosystem", "Debian:12", "0:1.0", "1.0").out());
  }

  @Test
  void vercmp_stdin_printsOneLinePerPair_andInvalidForBadVersions() {
    Run r = run("1.0 1.1\nabc!! 1.0\n2.0-1 2.0-1\n", "vercmp", "--ecosystem", "Debian");
    assertEquals("<\ninvalid\n=\n", r.out());
    assertTrue(r.err().contains("line 2"), r.err());
    assertEquals(1, r.code());
  }

  @Test
  void vercmp_unknownEcosystem_isAUsageError() {
    Run r = run("", "vercmp", "--ecosystem", "Nope", "1", "2");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("Nope"), r.err());
  }

  @Test
  void auditVerify_goodJournal_printsCountAndHead() {
    Run r = run("", "audit", "verify", journal.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().matches("\\d+ entries, head [0-9a-f]{64}\\n"), r.out());
  }

  @Test
  void auditVerify_oneChangedByte_failsNamingTheSeq() throws IOException {
    List<String> lines = Files.readAllLines(journal);
    int target = lines.size() / 2;
    List<String> changed = new ArrayList<>(lines);
    changed.set(target, lines.get(target).replaceFirst("\"at\":\"2026", "\"at\":\"2027"));
    Path tampered = dir.resolve("tampered.log");
    Files.write(tampered, changed);
    Run r = run("", "audit", "verify", tampered.toString());
    assertEquals(1, r.code());
    assertTrue(r.out().contains("seq " + target), r.out());
  }

  @Test
  void auditVerify_deletedEntry_failsNamingTheSeq() throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(journal));
    int target = 5;
    lines.remove(target);
    Path tampered = dir.resolve("deleted.log");
    Files.write(tampered, lines);
    Run r = run("", "audit", "verify", tampered.toString());
    assertEquals(1, r.code());
    assertTrue(r.out().contains("seq " + target), r.out());
  }

  @Test
  void auditVerify_withTheDemosKeyAndCheckpoint_checksEverySignature() {
    Path demo = journal.getParent();
    Run r =
        run(
            "",
            "audit",
            "verify",
            journal.toString(),
            "--key",
            demo.resolve("journal.pub").toString(),
            "--checkpoint",
            demo.resolve("checkpoint").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.out()
            .matches(
                "\\d+ entries, head [0-9a-f]{64}, [1-9]\\d* checkpoints signed by"
                    + " cloudpatch.demo/journal, holds everything checkpoint .* covered\\n"),
        r.out());
  }

  @Test
  void auditVerify_truncatedBeforeThePublishedCheckpoint_failsNamingTheFirstMissingSeq()
      throws IOException {
    Path demo = journal.getParent();
    List<String> lines = Files.readAllLines(journal);
    Path cut = dir.resolve("cut.log");
    Files.write(cut, lines.subList(0, lines.size() - 3));
    assertEquals(0, run("", "audit", "verify", cut.toString()).code(), "the chain alone holds");
    Run r =
        run(
            "",
            "audit",
            "verify",
            cut.toString(),
            "--key",
            Files.readString(demo.resolve("journal.pub")).strip(),
            "--checkpoint",
            demo.resolve("checkpoint").toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().startsWith("BAD seq " + (lines.size() - 3) + ":"), r.out());
  }

  @Test
  void auditVerify_badKey_isAUsageError() {
    Run r = run("", "audit", "verify", journal.toString(), "--key", "nobody+00000000+AAAA");
    assertEquals(2, r.code(), r.out());
  }

  @Test
  void auditVerify_missingFile_isAUsageError() {
    Run r = run("", "audit", "verify", dir.resolve("nope.log").toString());
    assertEquals(2, r.code());
  }

  @Test
  void demo_badOption_isAUsageError() {
    Run r = run("", "demo", "--vms", "0");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--vms"), r.err());
  }

  @Test
  void cvss_isACommandOfCloudpatch() {
    Run r = run("", "cvss", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    assertEquals(0, r.code(), r.err());
    assertEquals("9.8 CRITICAL\n", r.out());
  }

  @Test
  void noCommand_isAUsageError() {
    assertEquals(2, run("").code());
  }

  @Test
  void vercmp_threeVersions_isAUsageError_notARunOverStandardInput() {
    Run r = run("1.0 1.1\n", "vercmp", "--ecosystem", "Debian", "1.0", "1.1", "1.2");
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals("", r.out());
    assertTrue(r.err().contains("two versions"), r.err());
  }

  @Test
  void assess_missingAdvisoriesPath_isAnInputError_notAffected() throws IOException {
    Path inventory =
        Files.writeString(
            dir.resolve("status"),
            "Package: openssl\nStatus: install ok installed\nVersion: 3.0.9-1\n");
    Run r =
        run(
            "",
            "assess",
            "--advisories",
            dir.resolve("no-such-advisories").toString(),
            "--inventory",
            inventory.toString(),
            "--distro",
            "Debian:12");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("no-such-advisories"), r.err());
  }

  @Test
  void assess_missingInventoryPath_isAnInputError() {
    Run r =
        run(
            "",
            "assess",
            "--advisories",
            dir.toString(),
            "--inventory",
            dir.resolve("no-such-inventory").toString(),
            "--distro",
            "Debian:12");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("no-such-inventory"), r.err());
  }
}
