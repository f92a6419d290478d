package org.cloudpatch.core.advisory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A package an advisory names, in one ecosystem, with the versions it affects.
 *
 * <p>A version is affected when any range contains it or {@link #versions()} lists it.
 */
@Value.Immutable
@JsonSerialize(as = ImmutableAffectedPackage.class)
@JsonDeserialize(as = ImmutableAffectedPackage.class)
public interface AffectedPackage {
  /**
   * The OSV ecosystem, with the release where the ecosystem has releases: {@code Debian:12}, {@code
   * Alpine:v3.20}, {@code PyPI}.
   */
  String ecosystem();

  /** The package name as the ecosystem spells it (for Debian, the source package). */
  String name();

  /** The package URL, when the vendor gave one. */
  Optional<String> purl();

  /** The CPE 2.3 name of the product, when the vendor gave one (CSAF). */
  Optional<String> cpe();

  /** The affected version ranges. */
  List<AffectedRange> ranges();

  /** Affected versions listed one by one. */
  List<String> versions();

  /** The ecosystem's own extra data, kept as given (OSV {@code ecosystem_specific}). */
  Optional<JsonNode> ecosystemSpecific();

  /** The feed's own extra data for this package, kept as given (OSV {@code database_specific}). */
  Optional<JsonNode> databaseSpecific();

  /**
   * The same package with extra data that is a JSON {@code null} read as absent. An absent value is
   * written as {@code null}, which Jackson reads back as a present {@code NullNode}: without this,
   * a package read back from the journal (or a state snapshot) would differ from the one written.
   */
  @Value.Check
  default AffectedPackage normalized() {
    if (isJsonNull(ecosystemSpecific()) || isJsonNull(databaseSpecific())) {
      return builder()
          .from(this)
          .ecosystemSpecific(ecosystemSpecific().filter(n -> !n.isNull()))
          .databaseSpecific(databaseSpecific().filter(n -> !n.isNull()))
          .build();
    }
    return this;
  }

  /** Whether extra data is present but a JSON {@code null}. */
  static boolean isJsonNull(Optional<JsonNode> extra) {
    return extra.isPresent() && extra.get().isNull();
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link AffectedPackage}. */
  final class Builder extends ImmutableAffectedPackage.Builder {}
}
