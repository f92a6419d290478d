package org.cloudpatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cloudpatch.audit.journal.FileJournal;
import org.cloudpatch.audit.journal.JournalVerifier;
import org.cloudpatch.audit.journal.Verification;
import org.cloudpatch.core.spi.JournalEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's inline journal verifier, taken from README.md as written, agrees with {@code audit
 * verify} on an intact journal, an empty one and one whose last line a crash tore. Skipped without
 * python3.
 */
class ReadmeVerifierTest {
  private static final Path README = Path.of("..", "README.md");

  private record Run(int exit, String out, String err) {}

  @BeforeAll
  static void requirePython() {
    boolean runs;
    try {
      Process p = new ProcessBuilder("python3", "--version").start();
      runs = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      runs = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      runs = false;
    }
    assumeTrue(runs, "python3 is not on the PATH");
  }

  /** The one ```python block of README.md. */
  static String pythonSnippet() throws IOException {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    int start = readme.indexOf("```python\n");
    assertTrue(start >= 0, "README.md has no python block");
    start += "```python\n".length();
    return readme.substring(start, readme.indexOf("```", start));
  }

  private static Run run(Path dir, Path journal) throws Exception {
    Path script = Files.writeString(dir.resolve("readme-verify.py"), pythonSnippet());
    Process p = new ProcessBuilder("python3", script.toString(), journal.toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Run(p.exitValue(), out.strip(), err.strip());
  }

  /** A journal of three entries, written by {@link FileJournal}. */
  private static Path journal(Path dir) throws IOException {
    Path file = dir.resolve("journal.log");
    try (FileJournal journal = FileJournal.open(file)) {
      for (int i = 0; i < 3; i++) {
        journal.append(
            List.of(
                JournalEntry.Draft.builder()
                    .at(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i))
                    .type("tick")
                    .data(JsonNodeFactory.instance.objectNode().put("n", i))
                    .build()));
      }
    }
    return file;
  }

  @Test
  void readmeVerifier_intactJournal_printsWhatAuditVerifyPrints(@TempDir Path dir)
      throws Exception {
    Path file = journal(dir);
    Verification java = JournalVerifier.verify(file);

    Run r = run(dir, file);

    assertEquals(0, r.exit(), r.toString());
    assertEquals("OK " + java.entries() + " " + java.headHash(), r.out());
  }

  @Test
  void readmeVerifier_emptyJournal_printsOkWithTheZeroHead(@TempDir Path dir) throws Exception {
    Path empty = Files.write(dir.resolve("empty.log"), new byte[0]);
    Verification java = JournalVerifier.verify(empty);

    Run r = run(dir, empty);

    assertEquals(0, r.exit(), r.toString());
    assertEquals("OK 0 " + java.headHash(), r.out());
  }

  @Test
  void readmeVerifier_tornLastLine_isReportedAsTheCliReportsIt(@TempDir Path dir) throws Exception {
    Path file = journal(dir);
    byte[] bytes = Files.readAllBytes(file);
    Path torn = Files.write(dir.resolve("torn.log"), Arrays.copyOf(bytes, bytes.length - 10));
    Verification java = JournalVerifier.verify(torn);

    Run r = run(dir, torn);

    assertEquals(1, r.exit(), r.toString());
    assertTrue(java.describe().startsWith("BAD seq 2: torn last line 3"), java.describe());
    assertTrue(r.err().startsWith("BAD seq 2: torn last line 3: no trailing newline"), r.err());
  }
}
