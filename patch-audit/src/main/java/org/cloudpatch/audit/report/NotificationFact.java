package org.cloudpatch.audit.report;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TenantId;
import org.immutables.value.Value;

/** A notification delivered to one tenant about one advisory. */
@Value.Immutable
public interface NotificationFact {
  /** The tenant notified. */
  TenantId tenant();

  /** The advisory it was about. */
  AdvisoryId advisory();

  /** The tenant's assets it named. */
  List<AssetId> assets();

  /** How many of the tenant's accounts received it. */
  @Value.Default
  default int recipients() {
    return 0;
  }

  /** When it was delivered, if known. */
  Optional<Instant> at();

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link NotificationFact}. */
  final class Builder extends ImmutableNotificationFact.Builder {}
}
