package org.cloudpatch.core.finding;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.immutables.value.Value;

/**
 * One advisory against one package on one asset: whether it is affected, and why.
 *
 * <p>{@link #packageName()} is the package as the advisory names it (for Debian, the source
 * package); {@link #binaryPackages()} are the installed packages built from it, which a patch must
 * update.
 */
@Value.Immutable
@JsonSerialize(as = ImmutableFinding.class)
@JsonDeserialize(as = ImmutableFinding.class)
public interface Finding {
  /** The asset. */
  AssetId asset();

  /** The advisory. */
  AdvisoryId advisory();

  /** The ecosystem the match was made in, e.g. {@code Debian:12}. */
  String ecosystem();

  /** The package as the advisory names it. */
  String packageName();

  /** The installed binary packages built from it, sorted. */
  List<String> binaryPackages();

  /** The installed version that was compared. */
  String installedVersion();

  /** The version that fixes it, when the advisory names one. */
  Optional<String> fixedVersion();

  /** The verdict. */
  FindingStatus status();

  /** Which range and event decided the verdict, in words, e.g. {@code 1.2-3 < fixed 1.2-4}. */
  String evidence();

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Finding}. */
  final class Builder extends ImmutableFinding.Builder {}
}
