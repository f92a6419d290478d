package org.cloudpatch.core.advisory;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import org.immutables.value.Value;

/** A severity statement in an advisory: the scoring system and its vector. */
@Value.Immutable
@JsonSerialize(as = ImmutableSeverityScore.class)
@JsonDeserialize(as = ImmutableSeverityScore.class)
public interface SeverityScore {
  /** The scoring system, e.g. {@code CVSS_V3} or {@code CVSS_V4}, as OSV names them. */
  @Value.Parameter
  String type();

  /** The vector, e.g. {@code CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H}. */
  @Value.Parameter
  String vector();

  /** A score of the given type and vector. */
  static SeverityScore of(String type, String vector) {
    return ImmutableSeverityScore.of(type, vector);
  }
}
