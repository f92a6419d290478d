package org.cloudpatch.core.spi;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TenantId;
import org.immutables.value.Value;
import org.jspecify.annotations.Nullable;

/**
 * Delivers notifications to the predefined accounts of one tenant.
 *
 * <p>Contract: a notification goes to the accounts of {@link Notification#tenant()} only;
 * delivering the same {@link Notification#key()} twice may notify twice (at-least-once), so the
 * engine delivers once per key unless the first attempt failed. A tenant without accounts cannot be
 * notified: {@link #deliver} throws {@link org.cloudpatch.core.PatchException}. Arguments are never
 * null. The engine calls it from one thread at a time.
 *
 * <p>Failure classes: an exception from {@link #deliver} that implements {@link Failure} says
 * whether repeating the same delivery can succeed; {@link #isPermanent} reads it (anywhere in the
 * cause chain). A permanent failure (an SMTP 5xx reply, an HTTP 4xx other than 408 and 429, a
 * tenant without accounts, a refused certificate) needs a change elsewhere first, so retrying it
 * until a deadline only delays the dead letter; any other failure is transient and worth retrying.
 * Notifiers that do not classify their failures stay correct: every failure is then transient.
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

  /**
   * Whether {@code failure}, thrown by {@link #deliver}, is permanent: it, or an exception in its
   * cause chain, is a {@link Failure} that says so. False for every other failure and for null.
   */
  static boolean isPermanent(@Nullable Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof Failure f) {
        return f.permanent();
      }
    }
    return false;
  }

  /**
   * Implemented by an exception that {@link #deliver} throws to say whether it is permanent. The
   * first {@code Failure} in a cause chain decides, so a wrapper may reclassify what it wraps.
   */
  interface Failure {
    /**
     * Whether repeating the same delivery cannot succeed without a change elsewhere (the receiver
     * refused the recipient or the request, or the tenant has nowhere to be notified).
     */
    boolean permanent();
  }

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
