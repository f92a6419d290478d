package org.cloudpatch.core.advisory;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import org.immutables.value.Value;

/**
 * An OSV range: events in version order that switch "affected" on ({@code introduced}) and off
 * ({@code fixed}, after {@code last_affected}).
 */
@Value.Immutable
@JsonSerialize(as = ImmutableAffectedRange.class)
@JsonDeserialize(as = ImmutableAffectedRange.class)
public interface AffectedRange {
  /** How versions in the events compare. */
  @Value.Parameter
  RangeType type();

  /** The events, in the order the advisory gave them. */
  @Value.Parameter
  List<RangeEvent> events();

  /**
   * Rejects a value that breaks the invariants stated above; the builder calls it, so no such value
   * exists.
   */
  @Value.Check
  default void check() {
    if (events().isEmpty()) {
      throw new IllegalStateException("a range needs at least one event");
    }
  }

  /** A range of the given type and events. */
  static AffectedRange of(RangeType type, List<RangeEvent> events) {
    return ImmutableAffectedRange.of(type, events);
  }

  /** The ways an OSV range's versions compare. */
  enum RangeType {
    /** In the ecosystem's own version order. */
    ECOSYSTEM,
    /** In Semantic Versioning 2.0 order. */
    SEMVER,
    /** Commit hashes: cannot be compared without the repository, so never "not affected". */
    GIT
  }
}
