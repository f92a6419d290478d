package org.cloudpatch.core.rollout;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.Map;
import org.immutables.value.Value;

/** How a patch job ended: per package, the version reached or the error. */
@Value.Immutable
@JsonSerialize(as = ImmutablePatchOutcome.class)
@JsonDeserialize(as = ImmutablePatchOutcome.class)
public interface PatchOutcome {
  /** Whether every update succeeded. */
  boolean succeeded();

  /** When the job ended. */
  Instant finishedAt();

  /** Per package name: the version now installed, or {@code error: reason}. */
  Map<String, String> packages();

  /** A summary in words; the reason when it failed. */
  String message();

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link PatchOutcome}. */
  final class Builder extends ImmutablePatchOutcome.Builder {}
}
