package org.cloudpatch.adapters.notify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.spi.Notifier.Notification;
import org.cloudpatch.core.testkit.NotifierContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The {@link NotifierContract} kit against the webhook notifier and a verifying, deduplicating
 * receiver on loopback that can be scripted to refuse (400) or be busy (503); what a tenant
 * received is what its endpoint processed.
 */
class WebhookNotifierContractTest extends NotifierContract<WebhookNotifier> {
  private WebhookReceiver receiver;

  @BeforeEach
  void start() throws IOException {
    receiver = new WebhookReceiver(Notifications.CLOCK);
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  @Override
  protected WebhookNotifier newNotifier() {
    byte[] first = "first-tenant-secret-0001".getBytes(StandardCharsets.UTF_8);
    byte[] second = "second-tenant-secret-002".getBytes(StandardCharsets.UTF_8);
    return WebhookNotifier.builder()
        .clock(Notifications.CLOCK)
        .endpoint(FIRST, receiver.endpoint(FIRST, first), first)
        .endpoint(SECOND, receiver.endpoint(SECOND, second), second)
        .build();
  }

  @Override
  protected boolean refuseNextDelivery(WebhookNotifier notifier) {
    receiver.script(WebhookReceiver.Behaviour.BAD_REQUEST_400);
    return true;
  }

  /** 503 to each of the notifier's own three attempts; the engine's retry then arrives. */
  @Override
  protected boolean failNextDeliveryTransiently(WebhookNotifier notifier) {
    receiver.script(
        WebhookReceiver.Behaviour.BUSY_503,
        WebhookReceiver.Behaviour.BUSY_503,
        WebhookReceiver.Behaviour.BUSY_503);
    return true;
  }

  @Override
  protected List<Notification> received(WebhookNotifier notifier, TenantId tenant) {
    return receiver.processed(tenant);
  }
}
