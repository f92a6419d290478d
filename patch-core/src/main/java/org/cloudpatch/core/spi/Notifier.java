package org.cloudpatch.core.spi;

import java.util.List;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TenantId;
import org.immutables.value.Value;

/**
 * Delivers notifications to the predefined accounts of one tenant.
 *
 * <p>Contract: a notification goes to the accounts of {@link Notification#tenant()} only;
 * delivering the same {@link Notification#key()} twice may notify twice (at-least-once), so the
 * engine delivers once per key unless the first attempt failed. A tenant without accounts cannot be
 * notified: {@link #deliver} throws {@link org.cloudpatch.core.PatchException}. Arguments are never
 * null. The engine calls it from one thread at a time.
 *
 * @see org.cloudpatch.core.testkit.NotifierContract
 */
public interface Notifier {
  /**
   * Delivers the notification.
   *
   * @throws org.cloudpatch.core.PatchException when it could not be delivered
   */
  void deliver(Notification notification);

  /** A message to one tenant about one advisory and that tenant's affected assets. */
  @Value.Immutable
  interface Notification {
    /** Unique per message, for deduplication. */
    String key();

    /** The tenant, whose accounts receive it. */
    TenantId tenant();

    /** The advisory. */
    AdvisoryId advisory();

    /** The tenant's affected assets, and no other tenant's. */
    List<AssetId> assets();

    /** The subject line. */
    String subject();

    /** The message body. */
    String body();

    /** A builder. */
    static Builder builder() {
      return new Builder();
    }

    /** Builds a {@link Notification}. */
    final class Builder extends ImmutableNotification.Builder {}
  }
}
