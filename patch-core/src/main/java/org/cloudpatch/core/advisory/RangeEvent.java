package org.cloudpatch.core.advisory;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import org.immutables.value.Value;

/** One event of an OSV range: a version where "affected" switches on or off. */
@Value.Immutable
@JsonSerialize(as = ImmutableRangeEvent.class)
@JsonDeserialize(as = ImmutableRangeEvent.class)
public interface RangeEvent {
  /** What happens at {@link #version()}. */
  @Value.Parameter
  Kind kind();

  /** The version; {@code 0} for {@code introduced} means "since the first version". */
  @Value.Parameter
  String version();

  /** An event of the given kind at the given version. */
  static RangeEvent of(Kind kind, String version) {
    return ImmutableRangeEvent.of(kind, version);
  }

  /** An {@code introduced} event. */
  static RangeEvent introduced(String version) {
    return of(Kind.INTRODUCED, version);
  }

  /** A {@code fixed} event. */
  static RangeEvent fixed(String version) {
    return of(Kind.FIXED, version);
  }

  /** The OSV event kinds. */
  enum Kind {
    /** Versions from here on are affected. */
    INTRODUCED,
    /** This version and later ones are not affected. */
    FIXED,
    /** This version is the last affected one. */
    LAST_AFFECTED,
    /** Nothing at or above this version is in the range. */
    LIMIT
  }
}
