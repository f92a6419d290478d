package org.cloudpatch.inventory.version;

import java.util.Objects;

/** The dpkg order, shared by Debian and the distributions built on it. */
final class DpkgScheme implements VersionScheme {
  private final String ecosystem;

  DpkgScheme(String ecosystem) {
    this.ecosystem = ecosystem;
  }

  @Override
  public String ecosystem() {
    return ecosystem;
  }

  @Override
  public int compare(String a, String b) {
    // Validates both while comparing; throws exactly what check(a), then check(b), would.
    return Integer.signum(DebianVersion.compareChecked(a, b));
  }

  @Override
  public void validate(String version) {
    DebianVersion.check(version);
  }

  @Override
  public String normalize(String version) {
    return DebianVersion.parse(version).normalized();
  }

  @Override
  public String toString() {
    return "dpkg version scheme (" + ecosystem + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DpkgScheme other && ecosystem.equals(other.ecosystem);
  }

  @Override
  public int hashCode() {
    return Objects.hash(DpkgScheme.class, ecosystem);
  }
}
