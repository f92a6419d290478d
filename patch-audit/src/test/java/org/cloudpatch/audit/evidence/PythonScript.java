package org.cloudpatch.audit.evidence;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Runs a script of the project's {@code docs} with python3, for tests that skip without it. */
final class PythonScript {
  /** Tests run in the module directory; the scripts live in the project's docs. */
  static final Path VERIFY_EVIDENCE = Path.of("..", "docs", "verify-evidence.py");

  record Run(int exit, String out, String err) {}

  private PythonScript() {}

  private static volatile @Nullable Boolean pythonRuns;

  /** Whether python3 runs and the script is there. */
  static boolean available(Path script) {
    if (!Files.isRegularFile(script)) {
      return false;
    }
    Boolean runs = pythonRuns;
    if (runs == null) {
      runs = pythonRuns();
      pythonRuns = runs;
    }
    return runs;
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

  /** Runs {@code python3 args...} with {@code stdin}, returning its exit code and output. */
  static Run run(String stdin, String... args) {
    List<String> command = new ArrayList<>();
    command.add("python3");
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).start();
      process.getOutputStream().write(stdin.getBytes(UTF_8));
      process.getOutputStream().close();
      String out = new String(process.getInputStream().readAllBytes(), UTF_8).strip();
      String err = new String(process.getErrorStream().readAllBytes(), UTF_8).strip();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(command + " did not finish");
      }
      return new Run(process.exitValue(), out, err);
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Runs verify-evidence.py on a bundle. */
  static Run verifyEvidence(Path bundle, String... options) {
    List<String> args = new ArrayList<>();
    args.add(VERIFY_EVIDENCE.toString());
    args.add(bundle.toString());
    args.addAll(List.of(options));
    return run("", args.toArray(String[]::new));
  }
}
