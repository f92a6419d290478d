package org.cloudpatch.core.asset;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A package installed on an asset: the binary name and version, and where the distribution says so,
 * the source package it was built from (Debian advisories name source packages).
 *
 * <p>Its hash code is computed once, when it is built: matching looks installed packages up by
 * value, fleet-wide, millions of times.
 */
@Value.Immutable(prehash = true)
@JsonSerialize(as = ImmutableInstalledPackage.class)
@JsonDeserialize(as = ImmutableInstalledPackage.class)
public interface InstalledPackage {
  /** The binary package name. */
  String name();

  /** The installed version, as the package manager spells it. */
  String version();

  /** The source package, when it differs from {@link #name()}. */
  Optional<String> sourceName();

  /** The source version, when it differs from {@link #version()}. */
  Optional<String> sourceVersion();

  /**
   * The package URL the inventory gave for it (a CycloneDX SBOM does), naming its type and so the
   * ecosystem it is matched in: a language package ({@link PackageUrl#registryEcosystem()}) against
   * its registry's advisories, a distribution package against the operating system release.
   *
   * <p>Not part of equality, the hash code or the text form: two inventories that list the same
   * package version, one with a URL and one without, hold the same package.
   */
  @Value.Auxiliary
  Optional<PackageUrl> purl();

  /** The source package name: {@link #sourceName()} or else {@link #name()}. */
  default String effectiveSourceName() {
    return sourceName().orElse(name());
  }

  /** The source version: {@link #sourceVersion()} or else {@link #version()}. */
  default String effectiveSourceVersion() {
    return sourceVersion().orElse(version());
  }

  /** A package whose source is itself. */
  static InstalledPackage of(String name, String version) {
    return builder().name(name).version(version).build();
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link InstalledPackage}. */
  final class Builder extends ImmutableInstalledPackage.Builder {}
}
