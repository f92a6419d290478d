package org.cloudpatch.core.process;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.severity.Priority;
import org.immutables.value.Value;

/**
 * The unit of work and of audit: one advisory, for one tenant's assets that one resolver group
 * owns. Its state changes only through journaled events.
 *
 * <p>It is {@link Status#CLOSED} only when every item is verified (or no longer applies). An item
 * that could not be patched is covered by a risk item with an owner and an expiry: the record is
 * then {@link Status#CLOSED_WITH_EXCEPTIONS} (naming the risk items) when its other items are
 * verified, or {@link Status#RISK_ACCEPTED} when no item is; never closed as done. An expired risk
 * re-opens its item and the record. Its items are all of its own tenant's assets.
 */
@Value.Immutable
@JsonSerialize(as = ImmutableTrackingRecord.class)
@JsonDeserialize(as = ImmutableTrackingRecord.class)
public interface TrackingRecord {
  /** Its identifier. */
  TrackingId id();

  /** The advisory it remediates. */
  AdvisoryId advisory();

  /** The tenant whose assets it covers. */
  TenantId tenant();

  /** Who resolves it. */
  String resolverGroup();

  /** The priority from the severity assessment. */
  Priority priority();

  /** When it must be remediated. */
  Instant due();

  /** How its assets are placed in time. */
  TimingMode timingMode();

  /** When it was opened. */
  Instant opened();

  /** Where it stands. */
  Status status();

  /** When it was closed, once it is. */
  Optional<Instant> closed();

  /** Its items, one per affected asset. */
  Map<AssetId, TrackingItem> items();

  /** Whether every item has reached an end state. */
  default boolean allItemsSettled() {
    return items().values().stream().allMatch(i -> i.state().isSettled());
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link TrackingRecord}. */
  final class Builder extends ImmutableTrackingRecord.Builder {}

  /** Where a tracking record stands. */
  enum Status {
    /** Work is under way. */
    OPEN,
    /** Every item is verified; the evidence bundle is stored. */
    CLOSED,
    /** Every item is settled, none verified: all are covered by open risk items. */
    RISK_ACCEPTED,
    /** Every item is settled: some verified, the others covered by open risk items. */
    CLOSED_WITH_EXCEPTIONS,
    /** The advisory was withdrawn. */
    WITHDRAWN
  }
}
