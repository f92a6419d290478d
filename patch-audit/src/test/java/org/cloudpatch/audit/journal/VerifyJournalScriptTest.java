package org.cloudpatch.audit.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docs/verify-journal.py}, which checks journals without this library, agrees with {@link
 * JournalVerifier} on what {@link FileJournal} writes. Skipped without python3 or the script.
 */
class VerifyJournalScriptTest {
  /** Tests run in the module directory; the script lives in the project's docs. */
  private static final Path SCRIPT = Path.of("..", "docs", "verify-journal.py");

  @TempDir Path dir;

  @BeforeAll
  static void requirePythonAndTheScript() {
    assumeTrue(Files.isRegularFile(SCRIPT), () -> "no script at " + SCRIPT.toAbsolutePath());
    assumeTrue(pythonRuns(), "python3 is not on the PATH");
  }

  @Test
  void script_intactJournal_printsOk_exactlyAsTheJavaVerifierDescribesIt() {
    Path file = dir.resolve("journal.log");
    Drafts.journal(file, 8);

    Run run = run(file);

    assertEquals(0, run.exit(), run::toString);
    assertEquals(JournalVerifier.verify(file).describe(), run.out());
    assertTrue(run.out().startsWith("OK 8 "), run::toString);
  }

  @Test
  void script_emptyJournal_printsOkWithTheZeroHead() {
    Path file = dir.resolve("journal.log");
    Drafts.write(file, new byte[0]);

    Run run = run(file);

    assertEquals(0, run.exit(), run::toString);
    assertEquals("OK 0 " + "0".repeat(64), run.out());
  }

  @Test
  void script_tamperedCopy_printsBadNamingTheSeq_andExitsOne() {
    Path file = dir.resolve("journal.log");
    byte[] intact = Drafts.journal(file, 6);
    Path copy = dir.resolve("tampered.log");
    Drafts.write(copy, Drafts.flipped(intact, Drafts.lineStarts(intact).get(3) + 120, 0x01));

    Run run = run(copy);

    assertEquals(1, run.exit(), run::toString);
    assertTrue(run.out().startsWith("BAD seq 3: line 4: "), run::toString);
    assertEquals(0, run(file).exit(), "the original still verifies");
  }

  @Test
  void script_deletedEntry_namesTheMissingSeq() {
    Path file = dir.resolve("journal.log");
    Drafts.write(file, Drafts.withoutLine(Drafts.journal(file, 5), 2));

    Run run = run(file);

    assertEquals(1, run.exit(), run::toString);
    assertEquals("BAD seq 2: line 3: seq is 3, expected 2", run.out());
  }

  @Test
  void script_tornLastLine_saysItIsACrashArtefact() {
    Path file = dir.resolve("journal.log");
    byte[] intact = Drafts.journal(file, 3);
    Drafts.write(file, Arrays.copyOf(intact, intact.length - 20));

    Run run = run(file);

    assertEquals(1, run.exit(), run::toString);
    assertEquals(JournalVerifier.verify(file).describe(), run.out());
  }

  @Test
  void script_agreesWithTheJavaVerifier_onWhereAndHowEachEntryWasTampered() {
    Path file = dir.resolve("journal.log");
    byte[] intact = Drafts.journal(file, 4);
    List<Integer> starts = Drafts.lineStarts(intact);
    Path copy = dir.resolve("tampered.log");
    for (int entry = 0; entry < 4; entry++) {
      int start = starts.get(entry);
      int newline = starts.get(entry + 1) - 1;
      // The hash, the space, the seq digit, inside the data, the newline.
      for (int offset : new int[] {start + 3, start + 64, start + 72, newline - 10, newline}) {
        Drafts.write(copy, Drafts.flipped(intact, offset, 0x04));

        String java = JournalVerifier.verify(copy).describe();
        Run python = run(copy);

        assertEquals(1, python.exit(), python::toString);
        assertEquals(where(java), where(python.out()), () -> java + " / " + python.out());
      }
    }
  }

  /** The verdict without the detail that each side words in its own way (parser messages). */
  private static String where(String verdict) {
    return verdict.replaceFirst("^(BAD seq \\d+: (torn last line|line) \\d+): .*$", "$1");
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(Path journal) {
    try {
      Process process =
          new ProcessBuilder("python3", SCRIPT.toString(), journal.toString()).start();
      process.getOutputStream().close();
      String out = new String(process.getInputStream().readAllBytes(), UTF_8).strip();
      String err = new String(process.getErrorStream().readAllBytes(), UTF_8).strip();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("verify-journal.py did not finish");
      }
      return new Run(process.exitValue(), out, err);
    } catch (IOException e) {
      throw new AssertionError("cannot run verify-journal.py", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static boolean pythonRuns() {
    try {
      Process process = new ProcessBuilder("python3", "--version").start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
