package org.cloudpatch.core.rollout;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.immutables.value.Value;

/** A request to the change system: this work, on these assets, in this window. */
@Value.Immutable
@JsonSerialize(as = ImmutableChangeRequest.class)
@JsonDeserialize(as = ImmutableChangeRequest.class)
public interface ChangeRequest {
  /** A key unique per request, so that opening it twice opens one change. */
  String key();

  /** The kind of change. */
  ChangeType type();

  /** The window it will be implemented in. */
  MaintenanceWindow window();

  /** The assets it touches. */
  List<AssetId> scope();

  /** The advisories it remediates. */
  List<AdvisoryId> advisories();

  /** One line for the change board. */
  String summary();

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ChangeRequest}. */
  final class Builder extends ImmutableChangeRequest.Builder {}

  /** ITIL change types. */
  enum ChangeType {
    /** Pre-approved, low-risk, repeatable. */
    STANDARD,
    /** Goes through the change board. */
    NORMAL,
    /** Must be implemented as soon as possible. */
    EMERGENCY
  }

  /** Where a change stands in its approval. */
  enum Approval {
    /** Waiting for a decision. */
    PENDING,
    /** May be implemented. */
    APPROVED,
    /** Must not be implemented. */
    REJECTED
  }
}
