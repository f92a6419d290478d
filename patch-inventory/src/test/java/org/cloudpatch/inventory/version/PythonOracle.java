package org.cloudpatch.inventory.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Python process that answers many comparisons in one run: it reads {@code a<TAB>b} lines and
 * prints {@code <}, {@code =}, {@code >} or {@code invalid} per line. Found by probing the
 * interpreters on the PATH (and {@code /usr/bin/python3}, where distribution packages such as
 * python3-rpm install) for the module the oracle needs.
 */
final class PythonOracle {
  private final String interpreter;
  private final String script;

  private PythonOracle(String interpreter, String script) {
    this.interpreter = interpreter;
    this.script = script;
  }

  /** An oracle whose script needs {@code module}; null when no interpreter here has it. */
  static PythonOracle find(String module, String compareBody) {
    List<String> candidates = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        Path p = Path.of(dir.isEmpty() ? "." : dir, "python3");
        if (Files.isExecutable(p)) {
          candidates.add(p.toString());
        }
      }
    }
    candidates.add("/usr/bin/python3");
    for (String candidate : candidates) {
      if (Files.isExecutable(Path.of(candidate)) && imports(candidate, module)) {
        return new PythonOracle(candidate, script(module, compareBody));
      }
    }
    return null;
  }

  private static boolean imports(String interpreter, String module) {
    try {
      Process p =
          new ProcessBuilder(interpreter, "-c", "import " + module)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String script(String module, String compareBody) {
    return "import sys\nimport "
        + module
        + "\n"
        + compareBody
        + "\nout = []\n"
        + "for line in sys.stdin:\n"
        + "    a, b = line.rstrip('\\n').split('\\t')\n"
        + "    try:\n"
        + "        c = compare(a, b)\n"
        + "        out.append('<' if c < 0 else '=' if c == 0 else '>')\n"
        + "    except Exception:\n"
        + "        out.append('invalid')\n"
        + "sys.stdout.write('\\n'.join(out) + '\\n')\n";
  }

  /** The oracle's verdict per pair, in order. */
  List<String> verdicts(List<String[]> pairs, Path tmp) throws IOException, InterruptedException {
    Path scriptFile = tmp.resolve("oracle.py");
    Path in = tmp.resolve("pairs.tsv");
    Path out = tmp.resolve("verdicts.txt");
    Files.writeString(scriptFile, script, StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder();
    for (String[] p : pairs) {
      sb.append(p[0]).append('\t').append(p[1]).append('\n');
    }
    Files.writeString(in, sb, StandardCharsets.UTF_8);
    Process p =
        new ProcessBuilder(interpreter, scriptFile.toString())
            .redirectInput(in.toFile())
            .redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("the oracle did not finish in 5 minutes");
    }
    assertEquals(0, p.exitValue(), "the oracle failed");
    List<String> verdicts = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertEquals(pairs.size(), verdicts.size(), "one verdict per pair");
    return verdicts;
  }

  /**
   * Checks every pair against the oracle: the same symbol, or a rejection on both sides. Also
   * checks that equal pairs share a normal form and that the generator exercised equality.
   */
  static void assertAgrees(VersionScheme scheme, List<String[]> pairs, List<String> verdicts) {
    List<String> disagreements = new ArrayList<>();
    int equal = 0;
    int valid = 0;
    for (int i = 0; i < pairs.size(); i++) {
      String a = pairs.get(i)[0];
      String b = pairs.get(i)[1];
      String ours;
      try {
        int c = scheme.compare(a, b);
        ours = c < 0 ? "<" : c == 0 ? "=" : ">";
        if ((c == 0) != scheme.normalize(a).equals(scheme.normalize(b))) {
          disagreements.add(a + " " + ours + " " + b + " but normal forms disagree");
        }
      } catch (IllegalArgumentException e) {
        ours = "invalid";
      }
      equal += ours.equals("=") ? 1 : 0;
      valid += ours.equals("invalid") ? 0 : 1;
      if (!ours.equals(verdicts.get(i))) {
        disagreements.add(a + " " + verdicts.get(i) + " " + b + " (oracle), ours " + ours);
      }
    }
    assertTrue(
        disagreements.isEmpty(),
        disagreements.size()
            + " of "
            + pairs.size()
            + " disagree, e.g. "
            + disagreements.subList(0, Math.min(10, disagreements.size())));
    assertTrue(valid >= 10_000, "only " + valid + " valid pairs");
    assertTrue(equal > pairs.size() / 100, "only " + equal + " equal pairs");
  }
}
