package org.cloudpatch.core.advisory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AdvisoryId;
import org.immutables.value.Value;

/**
 * A vendor's statement that some package versions are vulnerable and how to remediate them.
 *
 * <p>Immutable and thread-safe. {@link #modified()} is never before {@link #published()}; an
 * advisory with {@link #withdrawn()} present applies to nothing.
 */
@Value.Immutable
@JsonSerialize(as = ImmutableAdvisory.class)
@JsonDeserialize(as = ImmutableAdvisory.class)
public interface Advisory {
  /** The vendor's identifier, e.g. {@code DSA-5678-1} or {@code GHSA-...}. */
  AdvisoryId id();

  /** Other names of the same vulnerability, CVE ids first among them. */
  List<String> aliases();

  /** Who published it: the feed or vendor name. */
  String source();

  /** When the vendor first published it. */
  Instant published();

  /** When the vendor last changed it; equals {@link #published()} until it changes. */
  Instant modified();

  /** When the vendor withdrew it, if it did. */
  Optional<Instant> withdrawn();

  /** One line a human can read. */
  String summary();

  /**
   * The vendor's longer description (OSV {@code details}, CSAF notes and threats); may be empty.
   */
  @Value.Default
  default String details() {
    return "";
  }

  /**
   * Ids of advisories about closely related but not identical vulnerabilities (OSV {@code
   * related}).
   */
  List<String> related();

  /** Ids of the upstream advisories this one derives from (OSV {@code upstream}). */
  List<String> upstream();

  /** The vendor's severity scores, as CVSS vectors. */
  List<SeverityScore> severities();

  /** The packages and version ranges it affects. */
  List<AffectedPackage> affected();

  /**
   * Packages the vendor explicitly states are not affected, with the justification (CSAF {@code
   * known_not_affected}, the Debian tracker's {@code <not-affected>}). A statement may name a
   * package that {@link #affected()} names too (other versions of it, or versions a range covers);
   * {@link org.cloudpatch.core.spi.Applicability} implementations decide between the two.
   */
  List<NotAffected> notAffected();

  /** What the vendor offers against it. */
  List<Remediation> remediations();

  /** Where to read more. */
  List<String> references();

  /** The feed's own extra data, kept as given (OSV {@code database_specific}). */
  Optional<JsonNode> databaseSpecific();

  /**
   * Rejects a value that breaks the invariants stated above; the builder calls it, so no such value
   * exists.
   */
  @Value.Check
  default void check() {
    if (modified().isBefore(published())) {
      throw new IllegalStateException(
          "advisory " + id() + " is modified (" + modified() + ") before it was published");
    }
  }

  /**
   * The same advisory with extra data that is a JSON {@code null} read as absent, as {@link
   * AffectedPackage#normalized()} does for a package: an advisory read back from the journal equals
   * the one written.
   */
  @Value.Check
  default Advisory normalized() {
    if (AffectedPackage.isJsonNull(databaseSpecific())) {
      return builder().from(this).databaseSpecific(Optional.empty()).build();
    }
    return this;
  }

  /** A builder; {@code modified} defaults to nothing and must be set. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link Advisory}. */
  final class Builder extends ImmutableAdvisory.Builder {}
}
