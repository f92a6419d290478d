package org.cloudpatch.adapters.notify;

import static org.cloudpatch.adapters.notify.Notifications.ACME;
import static org.cloudpatch.adapters.notify.Notifications.CLOCK;
import static org.cloudpatch.adapters.notify.Notifications.deliverLikeTheEngine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.cloudpatch.adapters.notify.SmtpRelay.Fault;
import org.cloudpatch.core.spi.Notifier.Notification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Network faults between the e-mail notifier and a real SMTP server (GreenMail behind a relay that
 * injects them), and the guarantee that holds when the engine retries under the same key: nothing
 * is lost; a message is duplicated only when the server's reply to the end of DATA was lost or
 * wrong after it had accepted the message, and then both copies carry the same Message-ID.
 */
class SmtpFaultsTest {
  @RegisterExtension
  static final GreenMailExtension MAIL =
      new GreenMailExtension(Notifications.greenMail(ServerSetupTest.SMTP))
          .withPerMethodLifecycle(true);

  private SmtpRelay relay;
  private SmtpNotifier notifier;
  private final Notification n = Notifications.of("N-fault~acme", ACME, "patch now", "vm-1");

  @BeforeEach
  void start() throws Exception {
    relay = new SmtpRelay(MAIL.getSmtp().getPort(), null, false);
    notifier =
        SmtpNotifier.builder()
            .host("127.0.0.1")
            .port(relay.port())
            .tls(SmtpNotifier.Tls.OPPORTUNISTIC)
            .from("patches@cloudpatch.example")
            .clock(CLOCK)
            .recipients(ACME, List.of("secops@acme.example"))
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    relay.close();
  }

  private MimeMessage[] arrived() {
    return MAIL.getReceivedMessagesForDomain("acme.example");
  }

  @Test
  void busyGreeting421_isTransient_andTheRetryDeliversOnce() throws Exception {
    relay.inject(Fault.GREETING_421);
    List<NotificationException> failures = deliverLikeTheEngine(notifier, n, 3);
    assertEquals(1, failures.size());
    NotificationException e = failures.get(0);
    assertFalse(e.permanent());
    assertFalse(e.maybeDelivered());
    assertTrue(e.getMessage().contains("at greeting: server replied 421 4.3.2"), e.getMessage());
    assertEquals(1, arrived().length);
  }

  @Test
  void connectionResetInTheMiddleOfData_losesNothingAndDuplicatesNothing() throws Exception {
    relay.inject(Fault.RESET_MID_DATA);
    NotificationException e = assertThrows(NotificationException.class, () -> notifier.deliver(n));
    assertFalse(e.permanent());
    assertEquals(0, arrived().length, "the server never saw the end of DATA");
    deliverLikeTheEngine(notifier, n, 3);
    assertEquals(1, arrived().length);
  }

  @Test
  void replyLostAfterTheServerAcceptedTheMessage_isMaybeDelivered_andTheResendHasTheSameMessageId()
      throws Exception {
    relay.inject(Fault.LOSE_REPLY_AFTER_DATA);
    NotificationException e = assertThrows(NotificationException.class, () -> notifier.deliver(n));
    assertTrue(e.maybeDelivered(), e.getMessage());
    assertTrue(e.getMessage().contains("at end of DATA"), e.getMessage());
    assertTrue(
        e.getMessage().contains("<cloudpatch.N-fault~acme@cloudpatch.example>"), e.getMessage());
    assertEquals(1, arrived().length, "the server has it although the client could not know");

    deliverLikeTheEngine(notifier, n, 3);
    MimeMessage[] copies = arrived();
    assertEquals(2, copies.length, "SMTP is at-least-once: the retry is a second copy");
    assertEquals(
        List.of("<cloudpatch.N-fault~acme@cloudpatch.example>"),
        Arrays.stream(copies).map(SmtpFaultsTest::messageId).distinct().toList(),
        "both copies are recognisably the same message");
  }

  @Test
  void transient451AfterData_isRetried_andCopiesShareTheMessageId() throws Exception {
    relay.inject(Fault.REPLY_451_AFTER_DATA);
    List<NotificationException> failures = deliverLikeTheEngine(notifier, n, 3);
    assertEquals(1, failures.size());
    assertFalse(failures.get(0).permanent());
    assertTrue(failures.get(0).getMessage().contains("451 4.3.0"), failures.get(0).getMessage());
    // GreenMail had accepted the first copy before the relay replaced its 250 by a 451.
    assertEquals(1, Arrays.stream(arrived()).map(SmtpFaultsTest::messageId).distinct().count());
  }

  @Test
  void greylisted451AtMailFrom_isTransient_andNothingIsSentUntilTheRetry() throws Exception {
    relay.inject(Fault.MAIL_451);
    NotificationException e = assertThrows(NotificationException.class, () -> notifier.deliver(n));
    assertFalse(e.permanent());
    assertTrue(e.getMessage().contains("at MAIL FROM: server replied 451 4.7.1"), e.getMessage());
    assertEquals(0, arrived().length);
    deliverLikeTheEngine(notifier, n, 3);
    assertEquals(1, arrived().length);
  }

  @Test
  void recipientRefused550_isPermanent_namesTheCodeAndRecipient_andSendsNothing() {
    relay.inject(Fault.RCPT_550);
    NotificationException e = assertThrows(NotificationException.class, () -> notifier.deliver(n));
    assertTrue(e.permanent());
    assertFalse(e.maybeDelivered());
    assertTrue(
        e.getMessage().contains("at RCPT TO:<secops@acme.example>: server replied 550 5.1.1"),
        e.getMessage());
    assertTrue(relay.clientCommands().contains("RSET"), "the transaction is reset");
    assertEquals(0, arrived().length);
  }

  @Test
  void serverThatNeverAnswers_timesOutAsTransient() {
    relay.inject(Fault.SILENT);
    SmtpNotifier impatient =
        SmtpNotifier.builder()
            .host("127.0.0.1")
            .port(relay.port())
            .tls(SmtpNotifier.Tls.OPPORTUNISTIC)
            .from("patches@cloudpatch.example")
            .clock(CLOCK)
            .readTimeout(Duration.ofMillis(500))
            .recipients(ACME, List.of("secops@acme.example"))
            .build();
    NotificationException e = assertThrows(NotificationException.class, () -> impatient.deliver(n));
    assertFalse(e.permanent());
    assertTrue(e.getMessage().contains("at greeting: no reply within PT0.5S"), e.getMessage());
    assertEquals(0, arrived().length);
  }

  @Test
  void serverSlowerThanTheDeliveryBound_isCutOffAtTheBound() {
    relay.inject(Fault.SILENT);
    SmtpNotifier bounded =
        SmtpNotifier.builder()
            .host("127.0.0.1")
            .port(relay.port())
            .tls(SmtpNotifier.Tls.OPPORTUNISTIC)
            .from("patches@cloudpatch.example")
            .clock(CLOCK)
            .timeout(Duration.ofMillis(500)) // the per-reply bound stays at its 20 s default
            .recipients(ACME, List.of("secops@acme.example"))
            .build();
    NotificationException e = assertThrows(NotificationException.class, () -> bounded.deliver(n));
    assertFalse(e.permanent());
    assertTrue(
        e.getMessage().contains("at greeting: the delivery's bound of PT0.5S was spent"),
        e.getMessage());
  }

  @Test
  void nothingListening_isTransientAndNamesTheServer() throws Exception {
    int port;
    try (java.net.ServerSocket probe =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    SmtpNotifier closed =
        SmtpNotifier.builder()
            .host("127.0.0.1")
            .port(port)
            .tls(SmtpNotifier.Tls.OPPORTUNISTIC)
            .from("patches@cloudpatch.example")
            .clock(CLOCK)
            .recipients(ACME, List.of("secops@acme.example"))
            .build();
    NotificationException e = assertThrows(NotificationException.class, () -> closed.deliver(n));
    assertFalse(e.permanent());
    assertTrue(e.getMessage().startsWith("SMTP 127.0.0.1:" + port), e.getMessage());
  }

  private static String messageId(MimeMessage m) {
    try {
      return m.getHeader("Message-ID")[0];
    } catch (jakarta.mail.MessagingException e) {
      throw new AssertionError(e);
    }
  }
}
