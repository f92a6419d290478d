package org.cloudpatch.cli.demo;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.cloudpatch.audit.evidence.EvidenceVerifier;
import org.cloudpatch.audit.proof.ProofException;
import org.cloudpatch.audit.proof.VerifierKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo writes, for each record the engine closed, an evidence bundle built from the engine's
 * own journal, which {@code docs/verify-evidence.py} (an auditor's check without cloudpatch) and
 * {@link EvidenceVerifier} accept, and reject once an entry is changed.
 */
class DemoEvidenceBundlesTest {
  private static final Path SCRIPT = Path.of("..", "docs", "verify-evidence.py");

  @TempDir static Path dir;
  static Path out;
  static VerifierKey key;
  static List<Path> bundles;

  @BeforeAll
  static void runTheDemo() throws IOException {
    out = dir.resolve("run");
    Demo.run(new Demo.Options(8, 2, 12, 11, out));
    key = VerifierKey.parse(Files.readString(out.resolve("journal.pub")).strip());
    try (var files = Files.list(out.resolve("evidence"))) {
      bundles = files.filter(Files::isDirectory).sorted().toList();
    }
  }

  @Test
  void demo_writesABundleForEveryStoredEvidenceFile() throws IOException {
    try (var files = Files.list(out.resolve("evidence"))) {
      long stored = files.filter(f -> f.toString().endsWith(".json")).count();
      assertTrue(stored > 0, "the demo closed no record");
      assertEquals(stored, bundles.size());
    }
  }

  @Test
  void everyBundle_verifiesWithTheJournalsKey_inJavaAndInTheScript() {
    assumeTrue(Files.isRegularFile(SCRIPT), "no script at " + SCRIPT.toAbsolutePath());
    assumeTrue(pythonRuns(), "python3 is not on the PATH");
    for (int i = 0; i < bundles.size(); i++) {
      Path bundle = bundles.get(i);
      String java = EvidenceVerifier.verify(bundle, Optional.of(key));
      if (i >= 4) {
        continue; // the script on every bundle would only make the build slower
      }

      Run run = script(bundle, "--key", out.resolve("journal.pub").toString());

      assertEquals(0, run.exit(), run::toString);
      assertEquals(java, run.out());
      assertTrue(java.contains("signed by cloudpatch.demo/journal"), java);
    }
  }

  @Test
  void bundleWithAChangedEntry_isRejectedByBoth_namingTheEntry() throws IOException {
    Path bundle = bundles.get(0);
    Path copy = dir.resolve("tampered");
    copyTree(bundle, copy);
    Path entries = copy.resolve("entries.log");
    List<String> lines = new ArrayList<>(Files.readAllLines(entries, UTF_8));
    String opened =
        lines.stream().filter(l -> l.contains("\"type\":\"tracking.opened\"")).findFirst().get();
    String seq = opened.replaceFirst(".*?\"seq\":(\\d+).*", "$1");
    lines.set(lines.indexOf(opened), opened.replace("\"AFFECTED\"", "\"NOT_AFFECTED\""));
    Files.write(entries, lines, UTF_8);

    ProofException e =
        assertThrows(ProofException.class, () -> EvidenceVerifier.verify(copy, Optional.of(key)));
    assertTrue(e.getMessage().startsWith("entry seq " + seq + ": "), e.getMessage());
    assumeTrue(pythonRuns(), "python3 is not on the PATH");
    Run run = script(copy);
    assertEquals(1, run.exit(), run::toString);
    assertTrue(run.out().startsWith("FAIL entry seq " + seq + ": "), run::toString);
    assertFalse(run.out().contains("Traceback"), run::toString);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private record Run(int exit, String out, String err) {}

  private static Run script(Path bundle, String... options) {
    List<String> command =
        new ArrayList<>(List.of("python3", SCRIPT.toString(), bundle.toString()));
    command.addAll(List.of(options));
    try {
      Process p = new ProcessBuilder(command).start();
      p.getOutputStream().close();
      String stdout = new String(p.getInputStream().readAllBytes(), UTF_8).strip();
      String stderr = new String(p.getErrorStream().readAllBytes(), UTF_8).strip();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("verify-evidence.py did not finish");
      }
      return new Run(p.exitValue(), stdout, stderr);
    } catch (IOException e) {
      throw new AssertionError("cannot run verify-evidence.py", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static boolean pythonRuns() {
    try {
      Process p = new ProcessBuilder("python3", "--version").start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
