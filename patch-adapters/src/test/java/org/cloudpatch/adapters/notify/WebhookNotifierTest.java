package org.cloudpatch.adapters.notify;

import static org.cloudpatch.adapters.notify.Notifications.ACME;
import static org.cloudpatch.adapters.notify.Notifications.CLOCK;
import static org.cloudpatch.adapters.notify.Notifications.GLOBEX;
import static org.cloudpatch.adapters.notify.Notifications.deliverLikeTheEngine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cloudpatch.adapters.notify.WebhookReceiver.Behaviour;
import org.cloudpatch.core.spi.Notifier.Notification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook notifier against a JDK HTTP server on loopback that verifies signatures and drops
 * repeated idempotency keys as {@code docs/webhooks.md} tells receivers to.
 */
class WebhookNotifierTest {
  private static final byte[] ACME_SECRET =
      "acme-secret-0123456789".getBytes(StandardCharsets.UTF_8);
  private static final byte[] GLOBEX_SECRET =
      "globex-secret-9876543210".getBytes(StandardCharsets.UTF_8);

  private WebhookReceiver receiver;
  private final Notification n =
      Notifications.of(
          "N-DSA-5678-1~acme~2026", ACME, "openssl: patch by Friday ✓", "vm-1", "vm-2");

  @BeforeEach
  void start() throws IOException {
    receiver = new WebhookReceiver(CLOCK);
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  private WebhookNotifier.Builder notifier() {
    return WebhookNotifier.builder()
        .clock(CLOCK)
        .endpoint(ACME, receiver.endpoint(ACME, ACME_SECRET), ACME_SECRET)
        .endpoint(GLOBEX, receiver.endpoint(GLOBEX, GLOBEX_SECRET), GLOBEX_SECRET)
        // Generous bounds: the shared build machine can be slow to answer a first request.
        .requestTimeout(Duration.ofSeconds(10))
        .timeout(Duration.ofSeconds(60))
        .backoff(Duration.ofMillis(10));
  }

  @Test
  void deliver_postsSignedJson_thatTheReceiverVerifiesAndProcessesOnce() {
    notifier().build().deliver(n);
    assertEquals(List.of(n), receiver.processed(ACME));
    assertEquals(
        List.of(new WebhookReceiver.Request(ACME, n.key(), "1", 200)), receiver.requests());
  }

  @Test
  void serverError500Then200_isRetriedWithinTheCall_underTheSameKey() {
    receiver.script(Behaviour.FAIL_500);
    notifier().build().deliver(n);
    assertEquals(
        List.of(
            new WebhookReceiver.Request(ACME, n.key(), "1", 500),
            new WebhookReceiver.Request(ACME, n.key(), "2", 200)),
        receiver.requests());
    assertEquals(List.of(n), receiver.processed(ACME));
  }

  @Test
  void responseLostAfterTheReceiverProcessedIt_retryIsDroppedByTheReceiver() {
    receiver.script(Behaviour.PROCESS_THEN_HANG_UP);
    notifier().build().deliver(n);
    assertEquals(2, receiver.requests().size(), "the sender could not know: it tried again");
    assertEquals(List.of(n), receiver.processed(ACME), "processed once");
  }

  @Test
  void receiverSlowerThanTheTimeout_retryIsDroppedByTheReceiver() {
    receiver.script(Behaviour.PROCESS_THEN_STALL);
    notifier().requestTimeout(Duration.ofSeconds(1)).maxAttempts(5).build().deliver(n);
    assertEquals(List.of(n), receiver.processed(ACME), "processed once");
    assertTrue(
        receiver.requests().stream().anyMatch(r -> r.status() == 200 && !r.attempt().equals("1")),
        "a later attempt was answered: " + receiver.requests());
  }

  @Test
  void noAttemptStartsThatCouldOutlastTheCallsBound() {
    receiver.script(Behaviour.PROCESS_THEN_STALL);
    WebhookNotifier bounded =
        notifier()
            .requestTimeout(Duration.ofSeconds(1))
            .timeout(Duration.ofMillis(1500))
            .maxAttempts(5)
            .build();
    NotificationException e = assertThrows(NotificationException.class, () -> bounded.deliver(n));
    assertTrue(
        e.getMessage()
            .contains("gave up after 1 attempt(s) (no time left in the call's bound of PT1.5S)"),
        e.getMessage());
    assertTrue(e.maybeDelivered(), "the receiver may have it: it does, and dedupes the retry");
    deliverLikeTheEngine(notifier().build(), n, 1);
    assertEquals(List.of(n), receiver.processed(ACME));
  }

  @Test
  void engineRetriesAfterALostResponse_theReceiverStillProcessesOnce() {
    receiver.script(Behaviour.PROCESS_THEN_HANG_UP);
    WebhookNotifier once = notifier().maxAttempts(1).build();
    List<NotificationException> failures = deliverLikeTheEngine(once, n, 3);
    assertEquals(1, failures.size());
    assertTrue(failures.get(0).maybeDelivered(), failures.get(0).getMessage());
    assertFalse(failures.get(0).permanent());
    assertEquals(List.of(n), receiver.processed(ACME));
  }

  @Test
  void clientError400_isPermanent_notRetried_andNamesStatusAndAnswer() {
    receiver.script(Behaviour.BAD_REQUEST_400);
    NotificationException e =
        assertThrows(NotificationException.class, () -> notifier().build().deliver(n));
    assertTrue(e.permanent());
    assertFalse(e.maybeDelivered());
    assertEquals(1, receiver.requests().size());
    assertTrue(
        e.getMessage().contains("HTTP 400, answer 'unknown tenant account' on attempt 1"),
        e.getMessage());
    assertFalse(e.getMessage().contains("token="), "the endpoint's query is not in the reason");
  }

  @Test
  void tooManyRequests429_isRetried() {
    receiver.script(Behaviour.TOO_MANY_429);
    notifier().build().deliver(n);
    assertEquals(List.of(429, 200), receiver.requests().stream().map(r -> r.status()).toList());
  }

  @Test
  void persistent503_givesUpWithAPreciseReason_andTheEnginesLaterRetryDeliversOnce() {
    receiver.script(Behaviour.BUSY_503, Behaviour.BUSY_503, Behaviour.BUSY_503);
    WebhookNotifier notifier = notifier().build();
    NotificationException e = assertThrows(NotificationException.class, () -> notifier.deliver(n));
    assertFalse(e.permanent());
    assertTrue(
        e.getMessage()
            .matches(
                "webhook http://127\\.0\\.0\\.1:\\d+/hooks/acme for tenant acme, notification"
                    + " N-DSA-5678-1~acme~2026: gave up after 3 attempt\\(s\\), last: HTTP 503,"
                    + " answer 'busy'"),
        e.getMessage());
    assertEquals(List.of(), receiver.processed(ACME));
    deliverLikeTheEngine(notifier, n, 1);
    assertEquals(List.of(n), receiver.processed(ACME));
  }

  @Test
  void receiverWithAnotherSecret_refuses401_permanently() {
    WebhookNotifier wrong =
        WebhookNotifier.builder()
            .clock(CLOCK)
            .endpoint(ACME, receiver.endpoint(ACME, ACME_SECRET), GLOBEX_SECRET)
            .build();
    NotificationException e = assertThrows(NotificationException.class, () -> wrong.deliver(n));
    assertTrue(e.permanent());
    assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
    assertEquals(List.of(), receiver.processed(ACME));
  }

  @Test
  void deliver_forOneTenant_reachesOnlyItsEndpoint_signedWithItsSecret() {
    WebhookNotifier notifier = notifier().build();
    Notification g = Notifications.of("N-g", GLOBEX, "globex only", "vm-g1");
    notifier.deliver(n);
    notifier.deliver(g);
    assertEquals(List.of(n), receiver.processed(ACME));
    assertEquals(List.of(g), receiver.processed(GLOBEX));
  }

  @Test
  void tenantWithoutEndpoint_failsPermanentlyWithoutARequest() {
    NotificationException e =
        assertThrows(
            NotificationException.class,
            () ->
                notifier()
                    .build()
                    .deliver(
                        Notifications.of(
                            "N-x", org.cloudpatch.core.TenantId.of("initech"), "x", "vm-1")));
    assertTrue(e.permanent());
    assertEquals(List.of(), receiver.requests());
  }

  @Test
  void signatureHeader_matchesOpenssl() throws Exception {
    Path openssl =
        Stream.of(System.getenv("PATH").split(java.io.File.pathSeparator))
            .map(d -> Path.of(d, "openssl"))
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(null);
    assumeTrue(openssl != null, "openssl is not on the PATH");
    byte[] body = WebhookNotifier.payload(n);
    long t = CLOCK.instant().getEpochSecond();
    Process p =
        new ProcessBuilder(
                openssl.toString(),
                "dgst",
                "-sha256",
                "-hmac",
                new String(ACME_SECRET, StandardCharsets.UTF_8))
            .start();
    p.getOutputStream().write((t + ".").getBytes(StandardCharsets.US_ASCII));
    p.getOutputStream().write(body);
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String hex = out.substring(out.lastIndexOf(' ') + 1);
    assertEquals("t=" + t + ",v1=" + hex, WebhookNotifier.signatureHeader(ACME_SECRET, t, body));
  }
}
