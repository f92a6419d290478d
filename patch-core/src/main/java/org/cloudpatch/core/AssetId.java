package org.cloudpatch.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Identifies an asset (a VM or a host).
 *
 * <p>Never blank; compares and hashes by its text, which is also its JSON form.
 *
 * @param value the identifier's text, never null or blank
 */
public record AssetId(@JsonValue String value) implements Comparable<AssetId> {

  /** Creates the identifier, failing fast on null or blank text. */
  public AssetId {
    Identifiers.requireValid(value, "AssetId");
  }

  /** Returns the identifier with the given text. */
  @JsonCreator
  public static AssetId of(String value) {
    return new AssetId(value);
  }

  @Override
  public int compareTo(AssetId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
