package org.cloudpatch.core.asset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * An operating system distribution and release, e.g. {@code Debian:12}.
 *
 * <p>Its text form is the OSV ecosystem name of the distribution's packages.
 *
 * @param distribution the OSV ecosystem name of the distribution, e.g. {@code Debian}
 * @param release the release, e.g. {@code 12}; empty for ecosystems without releases
 */
public record Platform(String distribution, String release) {

  /** Fails fast on null or blank names. */
  public Platform {
    Objects.requireNonNull(distribution, "distribution");
    Objects.requireNonNull(release, "release");
    if (distribution.isBlank() || distribution.contains(":")) {
      throw new IllegalArgumentException("bad distribution name '" + distribution + "'");
    }
  }

  /** Parses {@code Debian:12} (or {@code PyPI}, without a release). */
  @JsonCreator
  public static Platform parse(String text) {
    Objects.requireNonNull(text, "text");
    int colon = text.indexOf(':');
    return colon < 0
        ? new Platform(text, "")
        : new Platform(text.substring(0, colon), text.substring(colon + 1));
  }

  /** The OSV ecosystem name, e.g. {@code Debian:12}. */
  @JsonValue
  public String ecosystem() {
    return release.isEmpty() ? distribution : distribution + ":" + release;
  }

  @Override
  public String toString() {
    return ecosystem();
  }
}
