package org.cloudpatch.inventory.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.quicktheories.QuickTheory.qt;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian order against the live oracle, {@code dpkg --compare-versions}, over generated pairs.
 *
 * <p>The pairs are generated first, then written to a shell script that asks dpkg about each and
 * prints {@code <}, {@code =} or {@code >}; two such scripts run at once, one per core, so the
 * oracle costs two process starts per pair but a single start of the shell. Skipped when dpkg is
 * not on the PATH.
 */
class DpkgOracleTest {
  private static final int PAIRS = 12_000;
  private static final int WORKERS = 2;
  private static final VersionScheme DPKG = VersionSchemes.forEcosystem("Debian").orElseThrow();

  @Test
  void compare_agreesWithDpkg_onGeneratedPairs(@TempDir Path tmp) throws Exception {
    assumeTrue(onPath("dpkg"), "dpkg is not on the PATH; the live oracle test is skipped");
    assumeTrue(onPath("sh"), "sh is not on the PATH; the live oracle test is skipped");

    List<String[]> pairs = new ArrayList<>();
    qt().withFixedSeed(0xdebL)
        .withExamples(PAIRS)
        .forAll(VersionGenerator.pairs())
        .checkAssert(pairs::add);
    assertTrue(pairs.size() >= 10_000, "only " + pairs.size() + " pairs generated");

    List<Process> workers = new ArrayList<>();
    List<Path> outputs = new ArrayList<>();
    int chunk = (pairs.size() + WORKERS - 1) / WORKERS;
    for (int w = 0; w < WORKERS; w++) {
      List<String[]> slice = pairs.subList(w * chunk, Math.min(pairs.size(), (w + 1) * chunk));
      Path script = tmp.resolve("oracle-" + w + ".sh");
      Path out = tmp.resolve("oracle-" + w + ".out");
      Files.writeString(script, script(slice), StandardCharsets.UTF_8);
      workers.add(
          new ProcessBuilder("sh", script.toString())
              .redirectOutput(out.toFile())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start());
      outputs.add(out);
    }
    for (Process p : workers) {
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        fail("the dpkg oracle did not finish in 5 minutes");
      }
      assertEquals(0, p.exitValue(), "the oracle script failed");
    }
    List<String> verdicts = new ArrayList<>();
    for (Path out : outputs) {
      verdicts.addAll(Files.readAllLines(out, StandardCharsets.UTF_8));
    }
    assertEquals(pairs.size(), verdicts.size(), "one oracle verdict per pair");

    List<String> disagreements = new ArrayList<>();
    int equal = 0;
    for (int i = 0; i < pairs.size(); i++) {
      String a = pairs.get(i)[0];
      String b = pairs.get(i)[1];
      String ours = symbol(DPKG.compare(a, b));
      equal += ours.equals("=") ? 1 : 0;
      if (!ours.equals(verdicts.get(i))) {
        disagreements.add(a + " " + verdicts.get(i) + " " + b + " (dpkg), ours " + ours);
      }
    }
    assertTrue(
        disagreements.isEmpty(),
        () ->
            disagreements.size()
                + " of "
                + pairs.size()
                + " disagree with dpkg, e.g. "
                + disagreements.subList(0, Math.min(10, disagreements.size())));
    // The generator must exercise equality, not only strict order.
    assertTrue(equal > pairs.size() / 50, "only " + equal + " equal pairs");
  }

  private static String script(List<String[]> pairs) {
    StringBuilder sb = new StringBuilder("c() { if dpkg --compare-versions \"$1\" lt \"$2\"; ");
    sb.append("then echo '<'; elif dpkg --compare-versions \"$1\" eq \"$2\"; ")
        .append("then echo '='; else echo '>'; fi; }\n");
    for (String[] p : pairs) {
      // Valid Debian versions hold no quote, so single quotes are safe.
      sb.append("c '").append(p[0]).append("' '").append(p[1]).append("'\n");
    }
    return sb.toString();
  }

  private static String symbol(int c) {
    return c < 0 ? "<" : c == 0 ? "=" : ">";
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
