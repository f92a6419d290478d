package org.cloudpatch.core.advisory;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A vendor's explicit statement that a package is not affected, and why.
 *
 * <p>Stronger than silence: an asset that has the package is "not affected" with this justification
 * as its evidence, not "unknown".
 */
@Value.Immutable
@JsonSerialize(as = ImmutableNotAffected.class)
@JsonDeserialize(as = ImmutableNotAffected.class)
public interface NotAffected {
  /** The ecosystem, as in {@link AffectedPackage#ecosystem()}. */
  String ecosystem();

  /** The package name as the ecosystem spells it. */
  String name();

  /** The package URL, when the vendor gave one. */
  Optional<String> purl();

  /** The versions the statement is about; empty when it is about every version. */
  List<String> versions();

  /**
   * Why: a CSAF flag label such as {@code vulnerable_code_not_present}, or the vendor's words.
   * Never blank.
   */
  String justification();

  /**
   * Rejects a value that breaks the invariants stated above; the builder calls it, so no such value
   * exists.
   */
  @Value.Check
  default void check() {
    if (justification().isBlank()) {
      throw new IllegalStateException("a not-affected statement needs a justification");
    }
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link NotAffected}. */
  final class Builder extends ImmutableNotAffected.Builder {}
}
