package org.cloudpatch.adapters.notify;

import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.spi.Notifier;

/**
 * A notification was not confirmed delivered. The message names the tenant, the endpoint, the
 * protocol step and the server's answer (SMTP reply code, HTTP status), because the engine journals
 * it verbatim as the reason of {@code notification.failed}.
 *
 * <p>{@link #permanent()} is true when repeating the same request cannot succeed without a change
 * elsewhere (a 5xx SMTP reply, an HTTP 4xx other than 408 and 429, a refused certificate, a tenant
 * without addresses or endpoint); it is the SPI's failure class ({@link Notifier.Failure}, read by
 * {@link Notifier#isPermanent}), so a host can dead-letter such a notification at once instead of
 * retrying it until its deadline. {@link #maybeDelivered()} is true when the receiver may have
 * accepted the message before the failure (the reply to the end of SMTP DATA or to an HTTP request
 * was lost): a retry under the same key can then reach the receiver twice, recognisably.
 */
public final class NotificationException extends PatchException implements Notifier.Failure {
  private static final long serialVersionUID = 1L;

  private final boolean permanent;
  private final boolean maybeDelivered;

  NotificationException(String message, boolean permanent, boolean maybeDelivered) {
    super(message);
    this.permanent = permanent;
    this.maybeDelivered = maybeDelivered;
  }

  NotificationException(
      String message, boolean permanent, boolean maybeDelivered, Throwable cause) {
    super(message, cause);
    this.permanent = permanent;
    this.maybeDelivered = maybeDelivered;
  }

  /** Whether the same request cannot succeed by repeating it. */
  @Override
  public boolean permanent() {
    return permanent;
  }

  /** Whether the receiver may have accepted the notification before the failure. */
  public boolean maybeDelivered() {
    return maybeDelivered;
  }
}
