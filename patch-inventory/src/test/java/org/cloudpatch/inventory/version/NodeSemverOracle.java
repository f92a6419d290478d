package org.cloudpatch.inventory.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * npm's node-semver answering many comparisons in one {@code node} process: {@code a<TAB>b} lines
 * in, {@code <}, {@code =}, {@code >} or {@code invalid} (strict parsing) out. The {@code semver}
 * module is looked for in the {@code node_modules} folder named by the system property {@code
 * cloudpatch.semver.modules}, then in {@code target/oracle/node_modules} (where {@code npm install
 * --prefix target/oracle semver} puts it), then in npm's global folder.
 */
final class NodeSemverOracle {
  static final String HOW_TO_GET =
      "no node with the semver module; install it with"
          + " `npm install --prefix patch-inventory/target/oracle semver`";

  private static final String SCRIPT =
      "const semver = require('semver');\n"
          + "const lines = require('fs').readFileSync(0, 'utf8').split('\\n');\n"
          + "const out = [];\n"
          + "for (const line of lines) {\n"
          + "  if (line === '') continue;\n"
          + "  const [a, b] = line.split('\\t');\n"
          + "  if (semver.valid(a) === null || semver.valid(b) === null) { out.push('invalid'); }\n"
          + "  else { const c = semver.compare(a, b); out.push(c < 0 ? '<' : c === 0 ? '=' : '>'); }\n"
          + "}\n"
          + "process.stdout.write(out.join('\\n') + '\\n');\n";

  private final String nodePath;

  private NodeSemverOracle(String nodePath) {
    this.nodePath = nodePath;
  }

  /** The oracle, or null when node or the semver module is missing. */
  static NodeSemverOracle find() {
    List<String> folders = new ArrayList<>();
    String named = System.getProperty("cloudpatch.semver.modules");
    if (named != null && !named.isBlank()) {
      folders.add(named);
    }
    folders.add(Path.of("target", "oracle", "node_modules").toAbsolutePath().toString());
    String global = run(List.of("npm", "root", "-g"), null);
    if (global != null) {
      folders.add(global.strip());
    }
    for (String folder : folders) {
      if (Files.isRegularFile(Path.of(folder, "semver", "package.json"))
          && "ok"
              .equals(
                  strip(
                      run(List.of("node", "-e", "require('semver');console.log('ok')"), folder)))) {
        return new NodeSemverOracle(folder);
      }
    }
    return null;
  }

  private static String strip(String s) {
    return s == null ? null : s.strip();
  }

  private static String run(List<String> command, String nodePath) {
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
      if (nodePath != null) {
        pb.environment().put("NODE_PATH", nodePath);
      }
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The oracle's verdict per pair, in order, from one node process. */
  List<String> verdicts(List<String[]> pairs, Path tmp) throws IOException, InterruptedException {
    Path script = tmp.resolve("oracle.js");
    Path in = tmp.resolve("pairs.tsv");
    Path out = tmp.resolve("verdicts.txt");
    Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder();
    for (String[] p : pairs) {
      sb.append(p[0]).append('\t').append(p[1]).append('\n');
    }
    Files.writeString(in, sb, StandardCharsets.UTF_8);
    ProcessBuilder pb =
        new ProcessBuilder("node", script.toString())
            .redirectInput(in.toFile())
            .redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment()
        .put(
            "NODE_PATH",
            nodePath + File.pathSeparator + pb.environment().getOrDefault("NODE_PATH", ""));
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("node-semver did not finish in 5 minutes");
    }
    assertEquals(0, p.exitValue(), "node-semver failed");
    List<String> verdicts = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertEquals(pairs.size(), verdicts.size(), "one verdict per pair");
    return verdicts;
  }
}
