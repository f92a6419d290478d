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
}
