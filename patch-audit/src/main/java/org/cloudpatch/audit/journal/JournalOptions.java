package org.cloudpatch.audit.journal;

import java.time.Clock;
import java.util.Optional;
import org.cloudpatch.audit.spi.KeyProvider;
import org.immutables.value.Value;

/**
 * How a {@link FileJournal} signs checkpoints. Without a signer it writes none (the chain alone).
 * Immutable.
 */
@Value.Immutable
public interface JournalOptions {
  /** The key that signs checkpoints; empty for a journal without checkpoints. */
  Optional<KeyProvider> signer();

  /**
   * The checkpoints' origin line, the log's name (C2SP {@code tlog-checkpoint}); the signer's key
   * name by default.
   */
  @Value.Default
  default String origin() {
    return signer().map(KeyProvider::name).orElse("cloudpatch-journal");
  }

  /**
   * A checkpoint entry is added at the end of the batch in which this many entries have been
   * written since the last one, and on close. Default 1000.
   */
  @Value.Default
  default int checkpointEvery() {
    return 1000;
  }

  /** The clock that dates the journal's own entries (checkpoints, recoveries). */
  @Value.Default
  default Clock clock() {
    return Clock.systemUTC();
  }

  /** Rejects an interval below 1 or an origin that is not one non-empty line. */
  @Value.Check
  default void check() {
    if (checkpointEvery() < 1) {
      throw new IllegalStateException("checkpointEvery must be at least 1: " + checkpointEvery());
    }
    if (origin().isEmpty() || origin().contains("\n")) {
      throw new IllegalStateException("origin must be one non-empty line");
    }
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds {@link JournalOptions}. */
  final class Builder extends ImmutableJournalOptions.Builder {}
}
