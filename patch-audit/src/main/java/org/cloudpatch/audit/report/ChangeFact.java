package org.cloudpatch.audit.report;

import java.util.List;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.rollout.ChangeRequest;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.immutables.value.Value;

/** A change record as the change system holds it: what it covers, when, and its approval. */
@Value.Immutable
public interface ChangeFact {
  /** The change system's identifier, e.g. {@code CR0000012}. */
  String id();

  /** The kind of change. */
  ChangeRequest.ChangeType type();

  /** The maintenance window it is implemented in. */
  MaintenanceWindow window();

  /** The advisories it remediates. */
  List<AdvisoryId> advisories();

  /** The assets it touches. */
  List<AssetId> scope();

  /** Where it stands in its approval. */
  ChangeRequest.Approval approval();

  /** Whether it is closed. */
  @Value.Default
  default boolean closed() {
    return false;
  }

  /** A change from a request as it was opened. */
  static ChangeFact of(String id, ChangeRequest request, ChangeRequest.Approval approval) {
    return builder()
        .id(id)
        .type(request.type())
        .window(request.window())
        .advisories(request.advisories())
        .scope(request.scope())
        .approval(approval)
        .build();
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ChangeFact}. */
  final class Builder extends ImmutableChangeFact.Builder {}
}
