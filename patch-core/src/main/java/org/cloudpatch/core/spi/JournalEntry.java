package org.cloudpatch.core.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.TrackingId;
import org.immutables.value.Value;

/**
 * One journal entry: its seq, when, what type of event, for which tenant and tracking record, and
 * the event's data. {@link #data()} must not be modified.
 */
@Value.Immutable
public interface JournalEntry {
  /** 0, 1, 2, ... without gaps. */
  long seq();

  /** When the event happened (UTC). */
  Instant at();

  /** The event type, e.g. {@code patch.verified}. */
  String type();

  /** The tenant the event concerns, if one. */
  Optional<TenantId> tenant();

  /** The tracking record the event concerns, if one. */
  Optional<TrackingId> record();

  /** The event's data. */
  ObjectNode data();

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link JournalEntry}. */
  final class Builder extends ImmutableJournalEntry.Builder {}

  /** An entry before the journal gave it a seq. */
  @Value.Immutable
  interface Draft {
    /** When the event happened. */
    Instant at();

    /** The event type. */
    String type();

    /** The tenant, if one. */
    Optional<TenantId> tenant();

    /** The tracking record, if one. */
    Optional<TrackingId> record();

    /** The data. */
    ObjectNode data();

    /** The entry this draft becomes at {@code seq}. */
    default JournalEntry at(long seq) {
      return JournalEntry.builder()
          .seq(seq)
          .at(at())
          .type(type())
          .tenant(tenant())
          .record(record())
          .data(data())
          .build();
    }

    /** A builder. */
    static Builder builder() {
      return new Builder();
    }

    /** Builds a {@link Draft}. */
    final class Builder extends ImmutableDraft.Builder {}
  }
}
