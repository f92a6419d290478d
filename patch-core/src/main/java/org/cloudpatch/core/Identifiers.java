package org.cloudpatch.core;

import java.util.Objects;

/** Shared validation of identifier text. */
final class Identifiers {
  /** Long enough for any vendor id seen in the wild, short enough to keep journals sane. */
  static final int MAX_LENGTH = 512;

  private Identifiers() {}

  static void requireValid(String value, String kind) {
    Objects.requireNonNull(value, kind + " value");
    if (value.isBlank()) {
      throw new IllegalArgumentException(kind + " must not be blank");
    }
    if (value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          kind + " is " + value.length() + " characters long; at most " + MAX_LENGTH);
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new IllegalArgumentException(
            kind + " contains a control character at index " + i + ": " + value.strip());
      }
    }
  }
}
