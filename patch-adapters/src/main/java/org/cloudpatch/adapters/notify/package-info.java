/**
 * Notifiers that reach a tenant's people outside the process: e-mail over SMTP (STARTTLS, AUTH,
 * Message-ID derived from the notification key) and signed JSON webhooks with an idempotency
 * header. Each delivers at least once per key and fails with a {@link
 * org.cloudpatch.adapters.notify.NotificationException} that says whether a retry can help.
 */
@NullMarked
package org.cloudpatch.adapters.notify;

import org.jspecify.annotations.NullMarked;
