package org.cloudpatch.inventory.version;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The version schemes cloudpatch knows, looked up by OSV ecosystem name.
 *
 * <p>Today: {@code Debian} and {@code Ubuntu}, both in dpkg order. Other ecosystems return empty,
 * and a caller must then treat their versions as incomparable, never as unaffected.
 */
public final class VersionSchemes {
  private static final VersionScheme DEBIAN = new DpkgScheme("Debian");
  private static final VersionScheme UBUNTU = new DpkgScheme("Ubuntu");

  private VersionSchemes() {}

  /**
   * The scheme of an OSV ecosystem. The name may carry a release or other qualifiers after a colon
   * ({@code Debian:12}, {@code Ubuntu:22.04:LTS}, {@code Ubuntu:Pro:18.04:LTS}); the base name is
   * matched ignoring case.
   *
   * @param osvEcosystem an OSV ecosystem name, never null
   * @return the scheme, or empty when cloudpatch has none for the ecosystem
   */
  public static Optional<VersionScheme> forEcosystem(String osvEcosystem) {
    Objects.requireNonNull(osvEcosystem, "osvEcosystem");
    int colon = osvEcosystem.indexOf(':');
    String base = (colon < 0 ? osvEcosystem : osvEcosystem.substring(0, colon)).strip();
    return switch (base.toLowerCase(Locale.ROOT)) {
      case "debian" -> Optional.of(DEBIAN);
      case "ubuntu" -> Optional.of(UBUNTU);
      default -> Optional.empty();
    };
  }
}
