package org.cloudpatch.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Identifies a tenant (a customer account whose assets and notifications never mix with another's).
 *
 * <p>Never blank; compares and hashes by its text, which is also its JSON form.
 *
 * @param value the identifier's text, never null or blank
 */
public record TenantId(@JsonValue String value) implements Comparable<TenantId> {

  /** Creates the identifier, failing fast on null or blank text. */
  public TenantId {
    Identifiers.requireValid(value, "TenantId");
  }

  /** Returns the identifier with the given text. */
  @JsonCreator
  public static TenantId of(String value) {
    return new TenantId(value);
  }

  @Override
  public int compareTo(TenantId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
