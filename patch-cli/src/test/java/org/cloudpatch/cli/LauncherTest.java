package org.cloudpatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code mvn package} leaves an executable {@code patch-cli/target/cloudpatch} that runs the
 * command as the README types it. Runs in the package phase, after the jar and the launcher are
 * made (see this module's pom).
 */
class LauncherTest {
  private static final Path LAUNCHER = Path.of("target", "cloudpatch");

  private record Run(int code, String out) {}

  private static Run run(String stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher did not end");
    return new Run(p.exitValue(), out);
  }

  @Test
  void launcher_existsBesideTheJar_andIsExecutable() {
    assertTrue(Files.isRegularFile(LAUNCHER), LAUNCHER.toAbsolutePath() + " is missing");
    assertTrue(Files.isExecutable(LAUNCHER), LAUNCHER + " is not executable");
    assertTrue(Files.isRegularFile(Path.of("target", "cloudpatch.jar")));
  }

  @Test
  void libraryModules_publishSourcesAndJavadocJars_besideTheirJar() throws IOException {
    for (String module :
        List.of("patch-core", "patch-inventory", "patch-scheduling", "patch-audit")) {
      Path target = Path.of("..", module, "target");
      String jar = module + "-" + System.getProperty("project.version", "0.1.0-SNAPSHOT");
      org.junit.jupiter.api.Assumptions.assumeTrue(
          Files.isRegularFile(target.resolve(jar + ".jar")),
          module + " was not packaged in this build (run the reactor: mvn package)");
      for (String classifier : List.of("-sources.jar", "-javadoc.jar")) {
        Path attached = target.resolve(jar + classifier);
        assertTrue(Files.size(attached) > 1000, attached + " is missing or empty");
      }
    }
  }

  @Test
  void launcher_help_listsTheCommands() throws Exception {
    Run r = run("", "--help");

    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().contains("vercmp") && r.out().contains("assess"), r.out());
  }

  @Test
  void launcher_vercmp_comparesAsDpkgDoes() throws Exception {
    Run r = run("", "vercmp", "--ecosystem", "Debian", "1.0~rc1", "1.0");

    assertEquals(0, r.code(), r.out());
    assertEquals("<", r.out().strip());
  }

  @Test
  void launcher_throughALinkOnThePath_findsItsJar(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("cloudpatch"), LAUNCHER.toAbsolutePath());
    Process p =
        new ProcessBuilder(link.toString(), "vercmp", "--ecosystem", "Debian", "2", "1")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));

    assertEquals(">", out.strip(), out);
  }
}
