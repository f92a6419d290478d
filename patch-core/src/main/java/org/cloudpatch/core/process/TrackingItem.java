package org.cloudpatch.core.process;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.finding.Finding;
import org.immutables.value.Value;

/** One affected asset of a tracking record, and how far its remediation has come. */
@Value.Immutable
@JsonSerialize(as = ImmutableTrackingItem.class)
@JsonDeserialize(as = ImmutableTrackingItem.class)
public interface TrackingItem {
  /** The asset. */
  AssetId asset();

  /** The findings that made it affected: one per package of the advisory it has installed. */
  List<Finding> findings();

  /** Where it stands. */
  ItemState state();

  /** How many patch attempts have been made. */
  @Value.Default
  default int attempts() {
    return 0;
  }

  /** The wave it is planned in, while planned or patching. */
  Optional<String> wave();

  /** The installed version that verification observed, once verified. */
  Optional<String> verifiedVersion();

  /** Why it is where it is, in words. */
  @Value.Default
  default String note() {
    return "";
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link TrackingItem}. */
  final class Builder extends ImmutableTrackingItem.Builder {}

  /** The states of an item. */
  enum ItemState {
    /** Affected, not yet in a plan. */
    AFFECTED(false),
    /** In a wave of a rollout plan. */
    PLANNED(false),
    /** A patch job runs. */
    PATCHING(false),
    /** Its wave came while it could not be patched (suspended, off); patched on catch-up. */
    DEFERRED(false),
    /**
     * The advisory names no fixed version for it yet: it waits (its due date running) and is
     * planned as soon as an updated advisory names a fix.
     */
    NO_FIX_AVAILABLE(false),
    /** Re-inventory shows the fixed version. */
    VERIFIED(true),
    /** Could not be patched; covered by an open risk item. */
    RISK_ACCEPTED(true),
    /** The advisory was withdrawn. */
    WITHDRAWN(true);

    private final boolean settled;

    ItemState(boolean settled) {
      this.settled = settled;
    }

    /** Whether no more work is planned for the item. */
    public boolean isSettled() {
      return settled;
    }
  }
}
