package org.cloudpatch.core.severity;

import java.nio.file.Path;

/** Where the shared conformance data is: the system property, or ../shared/data. */
public final class ConformanceAccess {
  private ConformanceAccess() {}

  public static Path dir() {
    String configured = System.getProperty("cloudpatch.conformance.dir");
    return configured != null ? Path.of(configured) : Path.of("..", "..", "shared", "data");
  }
}
