package org.cloudpatch.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Identifies a tracking record.
 *
 * <p>Never blank; compares and hashes by its text, which is also its JSON form.
 *
 * @param value the identifier's text, never null or blank
 */
public record TrackingId(@JsonValue String value) implements Comparable<TrackingId> {

  /** Creates the identifier, failing fast on null or blank text. */
  public TrackingId {
    Identifiers.requireValid(value, "TrackingId");
  }

  /** Returns the identifier with the given text. */
  @JsonCreator
  public static TrackingId of(String value) {
    return new TrackingId(value);
  }

  @Override
  public int compareTo(TrackingId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
