package org.cloudpatch.core.rollout;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import org.immutables.value.Value;

/** One package a patch job brings to a version (or later). */
@Value.Immutable
@JsonSerialize(as = ImmutablePackageUpdate.class)
@JsonDeserialize(as = ImmutablePackageUpdate.class)
public interface PackageUpdate {
  /** The installed (binary) package name. */
  @Value.Parameter
  String name();

  /** The version to reach at least. */
  @Value.Parameter
  String targetVersion();

  /** An update of {@code name} to {@code targetVersion}. */
  static PackageUpdate of(String name, String targetVersion) {
    return ImmutablePackageUpdate.of(name, targetVersion);
  }
}
