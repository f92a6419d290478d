package org.cloudpatch.adapters.notify;

import com.icegreen.greenmail.util.ServerSetup;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.spi.Notifier;
import org.cloudpatch.core.spi.Notifier.Notification;

/** Notifications for the tests, and the engine's way of retrying them. */
final class Notifications {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T18:00:00Z"), ZoneOffset.UTC);
  static final TenantId ACME = TenantId.of("acme");
  static final TenantId GLOBEX = TenantId.of("globex");

  private Notifications() {}

  /**
   * A GreenMail server setup on a free port, with a start-up bound that a busy shared machine meets
   * (GreenMail's default is two seconds).
   */
  static ServerSetup greenMail(ServerSetup protocol) {
    ServerSetup setup = protocol.dynamicPort();
    setup.setServerStartupTimeout(60_000);
    return setup;
  }

  static Notification of(String key, TenantId tenant, String body, String... assets) {
    List<AssetId> ids = new ArrayList<>();
    for (String a : assets) {
      ids.add(AssetId.of(a));
    }
    return Notification.builder()
        .key(key)
        .tenant(tenant)
        .advisory(AdvisoryId.of("DSA-5678-1"))
        .assets(ids)
        .subject("[P1] DSA-5678-1 affects " + ids.size() + " of your assets")
        .body(body)
        .build();
  }

  /**
   * What the engine's notification step does with a queued notification: deliver it under its key,
   * and after a failure deliver the same key again later, until the notifier confirms.
   *
   * @return the failures before the confirmation
   */
  static List<NotificationException> deliverLikeTheEngine(
      Notifier notifier, Notification n, int maxTries) {
    List<NotificationException> failures = new ArrayList<>();
    for (int i = 0; i < maxTries; i++) {
      try {
        notifier.deliver(n);
        return failures;
      } catch (NotificationException e) {
        failures.add(e);
      }
    }
    throw new AssertionError("not confirmed after " + maxTries + " tries: " + failures);
  }
}
