package org.cloudpatch.audit.proof;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared conformance data, found through the system property {@code cloudpatch.conformance.dir}
 * that surefire sets; tests that need it skip when it is absent.
 */
final class ConformanceDir {
  private ConformanceDir() {}

  static Path require(String relative) {
    String configured = System.getProperty("cloudpatch.conformance.dir");
    Path dir =
        configured == null || configured.isBlank()
            ? Path.of("..", "..", "shared", "data")
            : Path.of(configured);
    Path p = dir.resolve(relative).toAbsolutePath().normalize();
    assumeTrue(
        Files.exists(p),
        () -> "conformance data absent: " + p + " (set -Dcloudpatch.conformance.dir=DIR)");
    return p;
  }
}
