package org.cloudpatch.inventory.version;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The version schemes cloudpatch knows, looked up by OSV ecosystem name.
 *
 * <ul>
 *   <li>dpkg order: {@code Debian}, {@code Ubuntu};
 *   <li>RPM order ({@code rpm.vercmp} of rpm 4.18): {@code Red Hat}, {@code Rocky Linux}, {@code
 *       AlmaLinux}, {@code SUSE}, {@code openSUSE};
 *   <li>apk-tools order: {@code Alpine};
 *   <li>Semantic Versioning 2.0.0: {@code npm}, {@code crates.io}, {@code Go};
 *   <li>PEP 440 (pypa/packaging): {@code PyPI};
 *   <li>maven-artifact {@code ComparableVersion} as released in Maven 3.9.6 and 3.10.1, made a
 *       total order where the reference contradicts itself ({@code 1-alpha > 1.x.2 > 1 > 1-alpha}
 *       there): {@code Maven}.
 * </ul>
 *
 * <p>Other ecosystems return empty, and a caller must then treat their versions as incomparable,
 * never as unaffected.
 */
public final class VersionSchemes {
  private static final VersionScheme DEBIAN = new DpkgScheme("Debian");
  private static final VersionScheme UBUNTU = new DpkgScheme("Ubuntu");
  private static final VersionScheme RED_HAT = new RpmScheme("Red Hat");
  private static final VersionScheme ROCKY = new RpmScheme("Rocky Linux");
  private static final VersionScheme ALMA = new RpmScheme("AlmaLinux");
  private static final VersionScheme SUSE = new RpmScheme("SUSE");
  private static final VersionScheme OPENSUSE = new RpmScheme("openSUSE");
  private static final VersionScheme ALPINE = new AlpineScheme();
  private static final VersionScheme NPM = new SemverScheme("npm", true);
  private static final VersionScheme CRATES = new SemverScheme("crates.io", false);
  private static final VersionScheme GO = new SemverScheme("Go", false);
  private static final VersionScheme PYPI = new Pep440Scheme();
  private static final VersionScheme MAVEN = new MavenScheme();

  private static final VersionScheme SEMVER = new SemverScheme("SemVer", false);

  private VersionSchemes() {}

  /**
   * Semantic Versioning 2.0.0 precedence, the order of OSV ranges of type {@code SEMVER} in any
   * ecosystem; a leading {@code v} is accepted.
   */
  public static VersionScheme semver() {
    return SEMVER;
  }

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
      case "red hat" -> Optional.of(RED_HAT);
      case "rocky linux" -> Optional.of(ROCKY);
      case "almalinux" -> Optional.of(ALMA);
      case "suse" -> Optional.of(SUSE);
      case "opensuse" -> Optional.of(OPENSUSE);
      case "alpine" -> Optional.of(ALPINE);
      case "npm" -> Optional.of(NPM);
      case "crates.io" -> Optional.of(CRATES);
      case "go" -> Optional.of(GO);
      case "pypi" -> Optional.of(PYPI);
      case "maven" -> Optional.of(MAVEN);
      default -> Optional.empty();
    };
  }
}
