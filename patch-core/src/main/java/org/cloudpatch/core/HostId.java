package org.cloudpatch.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Identifies a hypervisor host.
 *
 * <p>Never blank; compares and hashes by its text, which is also its JSON form.
 *
 * @param value the identifier's text, never null or blank
 */
public record HostId(@JsonValue String value) implements Comparable<HostId> {

  /** Creates the identifier, failing fast on null or blank text. */
  public HostId {
    Identifiers.requireValid(value, "HostId");
  }

  /** Returns the identifier with the given text. */
  @JsonCreator
  public static HostId of(String value) {
    return new HostId(value);
  }

  @Override
  public int compareTo(HostId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
