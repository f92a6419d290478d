package org.cloudpatch.core.process;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TrackingId;
import org.immutables.value.Value;

/**
 * A risk the enterprise carries because a patch could not be applied: who owns it, why, and until
 * when it is accepted.
 */
@Value.Immutable
@JsonSerialize(as = ImmutableRiskItem.class)
@JsonDeserialize(as = ImmutableRiskItem.class)
public interface RiskItem {
  /** Its identifier, e.g. {@code RISK-0003}. */
  String id();

  /** The tracking record it belongs to; empty for a catch-up that failed. */
  Optional<TrackingId> record();

  /** The asset left exposed. */
  AssetId asset();

  /** The advisories it is exposed to. */
  List<AdvisoryId> advisories();

  /** The resolver group that owns it. */
  String owner();

  /** Why the patch could not be applied. */
  String reason();

  /** When it was opened. */
  Instant opened();

  /** When the acceptance expires and must be reviewed. */
  Instant expires();

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link RiskItem}. */
  final class Builder extends ImmutableRiskItem.Builder {}
}
