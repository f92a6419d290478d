package org.cloudpatch.inventory;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared conformance data (folder {@code shared/data} beside the checkout), found through the
 * system property {@code cloudpatch.conformance.dir} that surefire sets, or else beside the reactor
 * root above the working directory. Tests that need it skip when it is absent.
 */
public final class ConformanceData {
  public static final String PROPERTY = "cloudpatch.conformance.dir";

  private ConformanceData() {}

  /** The data folder; may not exist. */
  public static Path dir() {
    String configured = System.getProperty(PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    // The reactor root is the highest ancestor with a pom.xml; the data sits beside it.
    Path dir = Path.of("").toAbsolutePath();
    Path root = dir;
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("pom.xml"))) {
        root = p;
      }
    }
    Path parent = root.getParent() == null ? root : root.getParent();
    return parent.resolve("shared").resolve("data").normalize();
  }

  /** The file or folder under the data folder; skips the calling test when it is absent. */
  public static Path require(String relative) {
    Path p = dir().resolve(relative);
    assumeTrue(
        Files.exists(p),
        () -> "conformance data absent: " + p + " (set -D" + PROPERTY + "=DIR to run this test)");
    return p;
  }

  /** The lines of a data file without blank lines and {@code #} or {@code //} comments. */
  public static List<String> dataLines(Path file) {
    try {
      List<String> out = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String t = line.strip();
        if (!t.isEmpty() && !t.startsWith("#") && !t.startsWith("//")) {
          out.add(t);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The named section of a txtar archive ({@code -- name --} headers). */
  public static String txtarSection(Path archive, String name) {
    try {
      StringBuilder sb = new StringBuilder();
      boolean in = false;
      for (String line : Files.readAllLines(archive, StandardCharsets.UTF_8)) {
        if (line.startsWith("-- ") && line.endsWith(" --")) {
          in = line.equals("-- " + name + " --");
          continue;
        }
        if (in) {
          sb.append(line).append('\n');
        }
      }
      return sb.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
