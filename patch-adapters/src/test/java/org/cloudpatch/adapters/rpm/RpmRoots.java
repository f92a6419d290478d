package org.cloudpatch.adapters.rpm;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Root filesystems with a real rpm database: tiny packages built with the real {@code rpmbuild} and
 * registered with the real {@code rpm --justdb}, so the database is whatever this machine's rpm
 * writes (SQLite for rpm 4.16 and later). Tests skip where rpm or rpmbuild is absent.
 */
final class RpmRoots {
  /** A package to build: name, epoch (null for none), version, release. */
  record Pkg(
      String name,
      @org.jspecify.annotations.Nullable Integer epoch,
      String version,
      String release) {}

  private RpmRoots() {}

  static void requireTools() {
    assumeTrue(works("rpm", "--version"), "rpm is not installed (apt-get install rpm)");
    assumeTrue(
        works("rpmbuild", "--version"), "rpmbuild is not installed (Debian's rpm package has it)");
  }

  /** Builds the packages and registers them in ROOT/{@code dbpath}. */
  static void install(Path work, Path root, String dbpath, List<Pkg> pkgs) throws Exception {
    Path top = work.resolve("rpmbuild-" + root.getFileName());
    Files.createDirectories(top.resolve("SPECS"));
    List<String> rpms = new ArrayList<>();
    for (Pkg p : pkgs) {
      Path spec = top.resolve("SPECS/" + p.name() + ".spec");
      Files.writeString(
          spec,
          "Name: "
              + p.name()
              + "\n"
              + (p.epoch() == null ? "" : "Epoch: " + p.epoch() + "\n")
              + "Version: "
              + p.version()
              + "\nRelease: "
              + p.release()
              + "\nSummary: cloudpatch test package\nLicense: MIT\nBuildArch: noarch\n"
              + "%description\ncloudpatch test package\n%files\n",
          StandardCharsets.UTF_8);
      run(
          work,
          "rpmbuild",
          "--define",
          "_topdir " + top,
          "--define",
          "_build_id_links none",
          "-bb",
          spec.toString());
      rpms.add(
          top.resolve(
                  "RPMS/noarch/" + p.name() + "-" + p.version() + "-" + p.release() + ".noarch.rpm")
              .toString());
    }
    Files.createDirectories(root.resolve(dbpath));
    run(work, "rpm", "--root", root.toString(), "--dbpath", "/" + dbpath, "--initdb");
    List<String> install =
        new ArrayList<>(
            List.of(
                "rpm",
                "--root",
                root.toString(),
                "--dbpath",
                "/" + dbpath,
                "-i",
                "--nodeps",
                "--justdb"));
    install.addAll(rpms);
    run(work, install.toArray(String[]::new));
  }

  static void run(Path work, String... command) throws Exception {
    Path log = Files.createTempFile(work, "cmd-", ".log");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish");
    }
    if (p.exitValue() != 0) {
      throw new AssertionError(
          String.join(" ", command) + " failed: " + Files.readString(log, StandardCharsets.UTF_8));
    }
  }

  static boolean works(String... command) {
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
