package org.cloudpatch.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cloudpatch.audit.journal.JournalVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo --out}: a non-empty folder is refused without {@code --force}, and says why. */
class DemoOutFolderTest {
  @TempDir Path dir;

  private static MainTest.Run demo(Path out, String... more) {
    String[] base = {"demo", "--vms", "20", "--hosts", "2", "--days", "2", "--out", out.toString()};
    String[] args = new String[base.length + more.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return MainTest.run("", args);
  }

  private Path folderWithOldRunAndAUsersFile() throws IOException {
    Path out = dir.resolve("out");
    Files.createDirectories(out.resolve("evidence"));
    Files.writeString(out.resolve("journal.log"), "old journal\n");
    Files.writeString(out.resolve("report.html"), "old report");
    Files.writeString(out.resolve("evidence/TR-stale.json"), "{}");
    Files.writeString(out.resolve("notes.txt"), "the user's own notes");
    return out;
  }

  @Test
  void demo_intoNonEmptyFolder_withoutForce_isRefused_namingWhatItWouldOverwrite()
      throws IOException {
    Path out = folderWithOldRunAndAUsersFile();

    MainTest.Run r = demo(out);

    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("would overwrite evidence, journal.log, report.html"), r.err());
    assertTrue(r.err().contains("leave notes.txt"), r.err());
    assertTrue(r.err().contains("--force"), r.err());
    assertEquals("old journal\n", Files.readString(out.resolve("journal.log")));
    assertEquals("old report", Files.readString(out.resolve("report.html")));
    assertTrue(Files.exists(out.resolve("evidence/TR-stale.json")));
    assertEquals("", r.out());
  }

  @Test
  void demo_withForce_replacesOnlyItsOwnFiles() throws IOException {
    Path out = folderWithOldRunAndAUsersFile();

    MainTest.Run r = demo(out, "--force");

    assertEquals(0, r.code(), r.err());
    assertEquals("the user's own notes", Files.readString(out.resolve("notes.txt"), UTF_8));
    assertFalse(Files.exists(out.resolve("evidence/TR-stale.json")), "the old run's evidence");
    assertTrue(JournalVerifier.verify(out.resolve("journal.log")).ok());
    assertTrue(Files.readString(out.resolve("report.html")).startsWith("<!DOCTYPE html>"));
    for (String f :
        new String[] {"compliance.csv", "oscal-assessment-results.json", "oscal-poam.json"}) {
      assertTrue(Files.exists(out.resolve(f)), f);
    }
  }

  @Test
  void demo_intoAnEmptyFolder_needsNoForce() throws IOException {
    Path out = Files.createDirectories(dir.resolve("empty"));

    assertEquals(0, demo(out).code());
  }

  @Test
  void demo_intoAFolderOfOtherFilesOnly_isRefused_sayingItWouldOverwriteNone() throws IOException {
    Path out = Files.createDirectories(dir.resolve("other"));
    Files.writeString(out.resolve("thesis.tex"), "x");

    MainTest.Run r = demo(out);

    assertEquals(2, r.code());
    assertTrue(r.err().contains("would overwrite none of it (and leave thesis.tex"), r.err());
  }
}
