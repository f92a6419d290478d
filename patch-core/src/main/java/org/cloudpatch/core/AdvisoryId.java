package org.cloudpatch.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Identifies a vendor advisory (an OSV id, a CSAF tracking id, a DSA).
 *
 * <p>Never blank; compares and hashes by its text, which is also its JSON form.
 *
 * @param value the identifier's text, never null or blank
 */
public record AdvisoryId(@JsonValue String value) implements Comparable<AdvisoryId> {

  /** Creates the identifier, failing fast on null or blank text. */
  public AdvisoryId {
    Identifiers.requireValid(value, "AdvisoryId");
  }

  /** Returns the identifier with the given text. */
  @JsonCreator
  public static AdvisoryId of(String value) {
    return new AdvisoryId(value);
  }

  @Override
  public int compareTo(AdvisoryId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
