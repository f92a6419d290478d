package org.cloudpatch.adapters.debian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cloudpatch.core.rollout.PatchOutcome;
import org.jspecify.annotations.Nullable;

/**
 * Real Debian roots for tests: {@code .deb} files built by {@code dpkg-deb}, a {@code file:}
 * repository indexed by {@code dpkg-scanpackages}, and roots into which the real {@code dpkg}
 * installs them. Nothing here writes a dpkg database by hand.
 */
final class DebianRoots {
  private DebianRoots() {}

  /** Skips the test, with the reason on the console, where the tools or root rights are missing. */
  static void assumeDebianTools() {
    for (String tool : List.of("dpkg", "dpkg-deb", "apt-get", "dpkg-scanpackages")) {
      boolean found = onPath(tool);
      if (!found) {
        System.out.println("skipped: " + tool + " is not installed (apt-get install dpkg-dev)");
      }
      assumeTrue(found, tool + " is not installed");
    }
    boolean root = "0".equals(output("id", "-u").strip());
    if (!root) {
      System.out.println("skipped: apt-get and dpkg install only as root");
    }
    assumeTrue(root, "not root: apt-get and dpkg install only as root");
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  /** Builds {@code NAME_VERSION_all.deb} into {@code repo}, a package with one file. */
  static Path deb(Path repo, String name, String version) throws IOException {
    Path tree = Files.createTempDirectory(repo.getParent(), "tree");
    Files.createDirectories(tree.resolve("DEBIAN"));
    Files.writeString(
        tree.resolve("DEBIAN/control"),
        "Package: "
            + name
            + "\nVersion: "
            + version
            + "\nArchitecture: all\nMaintainer: cloudpatch <dev@cloudpatch.example>\n"
            + "Description: cloudpatch test package\n Installed by cloudpatch's tests.\n",
        StandardCharsets.UTF_8);
    Path doc = tree.resolve("usr/share/" + name + "/version");
    Files.createDirectories(doc.getParent());
    Files.writeString(doc, version + "\n", StandardCharsets.UTF_8);
    Files.createDirectories(repo);
    Path deb = repo.resolve(name + "_" + version.replace(':', '%') + "_all.deb");
    run(repo, "dpkg-deb", "--root-owner-group", "--build", tree.toString(), deb.toString());
    return deb;
  }

  /** Writes the repository's {@code Packages} index, every version of every package in it. */
  static void index(Path repo) throws IOException {
    Files.writeString(
        repo.resolve("Packages"), run(repo, "dpkg-scanpackages", "-m", ".", "/dev/null"));
  }

  /**
   * An empty Debian 12 root whose apt reads {@code repo} (none when null): dpkg's and apt's
   * directories, {@code etc/os-release}, {@code etc/apt/sources.list}.
   */
  static Path root(Path dir, @Nullable Path repo) throws IOException {
    Path root = Files.createDirectories(dir);
    for (String d :
        List.of(
            "var/lib/dpkg/info",
            "var/lib/dpkg/updates",
            "var/lib/dpkg/triggers",
            "var/lib/apt/lists/partial",
            "var/cache/apt/archives/partial",
            "var/log/apt",
            "etc/apt/apt.conf.d",
            "etc/apt/preferences.d",
            "etc/apt/sources.list.d",
            "run")) {
      Files.createDirectories(root.resolve(d));
    }
    Files.createSymbolicLink(root.resolve("var/run"), Path.of("../run"));
    Files.writeString(root.resolve("var/lib/dpkg/status"), "");
    Files.writeString(root.resolve("var/lib/dpkg/available"), "");
    Files.writeString(
        root.resolve("etc/os-release"),
        "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n");
    Files.writeString(
        root.resolve("etc/apt/sources.list"),
        repo == null ? "" : "deb [trusted=yes] file:" + repo.toAbsolutePath() + " ./\n");
    return root;
  }

  /** Installs the {@code .deb} files into the root with the real dpkg. */
  static void install(Path root, Path... debs) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "dpkg",
                "--root=" + root,
                "--log=" + root.resolve("var/log/dpkg.log"),
                "--force-not-root",
                "-i"));
    for (Path deb : debs) {
      command.add(deb.toString());
    }
    run(root, command.toArray(String[]::new));
  }

  /** The version the root's dpkg says is installed, or "" ({@code dpkg-query}, not our reader). */
  static String dpkgQuery(Path root, String name) {
    return output(
            "dpkg-query",
            "--admindir=" + root.resolve("var/lib/dpkg"),
            "--showformat=${db:Status-Abbrev}${Version}",
            "--show",
            name)
        .replaceFirst("^ii ", "")
        .strip();
  }

  /** Polls until the job has an outcome; a job that never ends fails the test after ten minutes. */
  static PatchOutcome await(DebianFleet fleet, String handle) {
    for (int i = 0; i < 6000; i++) {
      java.util.Optional<PatchOutcome> outcome = fleet.poll(handle);
      if (outcome.isPresent()) {
        return outcome.get();
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("job " + handle + " had no outcome after ten minutes");
  }

  static String run(Path dir, String... command) throws IOException {
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(false)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      assertEquals(true, p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    assertEquals(0, p.exitValue(), String.join(" ", command) + " failed");
    return out;
  }

  private static String output(String... command) {
    try {
      Process p =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(60, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
