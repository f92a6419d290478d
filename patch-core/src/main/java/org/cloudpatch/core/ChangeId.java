package org.cloudpatch.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Identifies a change request in the host's change system.
 *
 * <p>Never blank; compares and hashes by its text, which is also its JSON form.
 *
 * @param value the identifier's text, never null or blank
 */
public record ChangeId(@JsonValue String value) implements Comparable<ChangeId> {

  /** Creates the identifier, failing fast on null or blank text. */
  public ChangeId {
    Identifiers.requireValid(value, "ChangeId");
  }

  /** Returns the identifier with the given text. */
  @JsonCreator
  public static ChangeId of(String value) {
    return new ChangeId(value);
  }

  @Override
  public int compareTo(ChangeId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
