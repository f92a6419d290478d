package org.cloudpatch.inventory.version;

/**
 * How the versions of one package ecosystem are ordered and which of them are valid.
 *
 * <p>Implementations are total orders on their valid versions (Maven excepted, whose reference
 * order is not transitive; see {@link VersionSchemes#forEcosystem}): {@link #compare} is
 * antisymmetric and transitive, and two versions that compare equal are interchangeable (e.g.
 * {@code 0:1.0} and {@code 1.0} in Debian) and share one {@link #normalize normal form}. Input is
 * bounded: no scheme accepts a version longer than 256 characters, and none recurses over a
 * version's parts. They are stateless and thread-safe. Obtain one with {@link
 * VersionSchemes#forEcosystem}.
 */
public interface VersionScheme {
  /** The OSV ecosystem name without a release, e.g. {@code Debian}. */
  String ecosystem();

  /**
   * Compares two versions.
   *
   * @param a a version, never null
   * @param b a version, never null
   * @return -1, 0 or 1 as {@code a} sorts before, equal to or after {@code b}
   * @throws IllegalArgumentException if either version is invalid in this scheme; the message names
   *     the version and the reason
   */
  int compare(String a, String b);

  /**
   * Checks that a version is valid in this scheme.
   *
   * @param version a version, never null
   * @throws IllegalArgumentException naming the version and the reason when it is invalid
   */
  void validate(String version);

  /**
   * The normal form of a version: two valid versions compare equal exactly when their normal forms
   * are equal strings ({@code 0:1.01} and {@code 1.1} in Debian both become {@code 0:1.1}). Use it
   * as a key wherever versions are hashed or deduplicated.
   *
   * @param version a version, never null
   * @throws IllegalArgumentException naming the version and the reason when it is invalid
   */
  String normalize(String version);

  /**
   * Compares an installed version with a version an advisory states (a range event, a listed
   * version): {@link #compare}, except where the installed version leaves part of the order unknown
   * ({@link #epochUnknown}).
   *
   * <p>The RPM schemes read an installed version without an epoch as one whose epoch is unknown,
   * not 0: {@code rpm -qa}'s default output ({@code name-version-release.arch}) never writes the
   * epoch, even when the package has one, so {@code NetworkManager-1.40.16-18.el8_10} may well be
   * {@code 1:1.40.16-18.el8_10}. Such a version is compared with the advisory's version-release
   * alone, the advisory's epoch ignored — the rule grype applies (epochs are compared only when
   * both sides have one), and the one wazuh adopted (wazuh/wazuh#22683), because a package keeps
   * its epoch across the builds of a release stream: the fix an advisory names for a release is a
   * build of the installed package, with its epoch. Reading the missing epoch as 0 instead made
   * every package with an epoch older than every fix: 8,208 false findings in 34,436 on real
   * AlmaLinux data (osv.dev, which reads it as 0, has the same false positives: google/osv-scanner
   * PR 2915). What this rule can get wrong — an installed build from before an epoch bump, whose
   * version-release is above the fix's — is why a matcher says so ({@link #epochUnknown}).
   *
   * @param installed an installed version, never null
   * @param stated a version an advisory states, never null
   * @return -1, 0 or 1 as {@code installed} sorts before, equal to or after {@code stated}
   * @throws IllegalArgumentException if either version is invalid in this scheme
   */
  default int compareInstalled(String installed, String stated) {
    return compare(installed, stated);
  }

  /**
   * Whether an installed version leaves its epoch unknown, so that {@link #compareInstalled}
   * ignores epochs: an RPM version without one. False in every other scheme, whose installed
   * versions always write a non-zero epoch (dpkg's, for one).
   *
   * @param installed an installed version, never null
   * @throws IllegalArgumentException if the version is invalid in this scheme
   */
  default boolean epochUnknown(String installed) {
    validate(installed);
    return false;
  }
}
