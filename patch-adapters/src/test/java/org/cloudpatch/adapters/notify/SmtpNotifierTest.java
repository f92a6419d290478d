package org.cloudpatch.adapters.notify;

import static org.cloudpatch.adapters.notify.Notifications.ACME;
import static org.cloudpatch.adapters.notify.Notifications.CLOCK;
import static org.cloudpatch.adapters.notify.Notifications.GLOBEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.cloudpatch.core.spi.Notifier.Notification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The e-mail notifier against GreenMail, a real SMTP server on loopback. */
class SmtpNotifierTest {
  @RegisterExtension
  static final GreenMailExtension MAIL =
      new GreenMailExtension(Notifications.greenMail(ServerSetupTest.SMTP))
          .withPerMethodLifecycle(true);

  private static SmtpNotifier.Builder notifier() {
    return SmtpNotifier.builder()
        .host("127.0.0.1")
        .port(MAIL.getSmtp().getPort())
        .tls(SmtpNotifier.Tls.OPPORTUNISTIC)
        .from("patches@cloudpatch.example")
        .clock(CLOCK)
        .recipients(ACME, List.of("secops@acme.example", "oncall@acme.example"))
        .recipients(GLOBEX, List.of("it@globex.example"));
  }

  @Test
  void deliver_reachesEveryAddressOfTheTenant_withDateFromClockAndMessageIdFromKey()
      throws Exception {
    Notification n =
        Notifications.of("N-DSA-5678-1~acme~2026", ACME, "glibc is out of date", "vm-1");
    notifier().build().deliver(n);

    MimeMessage[] got = MAIL.getReceivedMessagesForDomain("acme.example");
    assertEquals(2, got.length, "one copy per address");
    for (MimeMessage m : got) {
      assertEquals("Thu, 3 Dec 2026 18:00:00 +0000", m.getHeader("Date")[0]);
      assertEquals(
          "<cloudpatch.N-DSA-5678-1~acme~2026@cloudpatch.example>", m.getHeader("Message-ID")[0]);
      assertEquals(n.subject(), m.getSubject());
      assertEquals("N-DSA-5678-1~acme~2026", m.getHeader("X-Cloudpatch-Key")[0]);
      assertEquals(
          List.of(
              new InternetAddress("secops@acme.example"),
              new InternetAddress("oncall@acme.example")),
          Arrays.asList(m.getRecipients(Message.RecipientType.TO)));
      assertEquals("glibc is out of date", content(m));
    }
  }

  @Test
  void deliver_utf8BodyWithDotsAndLongLines_arrivesUnchangedThroughQuotedPrintable()
      throws Exception {
    String longLine = "é".repeat(700) + " end"; // 1404 octets: over SMTP's 998 limit
    String body =
        "Grüße aus Köln — ✓\n.\n..two dots\n.leading dot\n" + longLine + "\ntrailing space \nlast";
    Notification n = Notifications.of("N-utf8", ACME, body, "vm-ü");
    notifier().build().deliver(n);

    MimeMessage m = MAIL.getReceivedMessagesForDomain("acme.example")[0];
    assertEquals("quoted-printable", m.getEncoding(), "no 8BITMIME offered: must encode");
    assertEquals(body.replace("\n", "\r\n"), content(m));
    assertEquals("vm-ü", MimeUtility.decodeText(m.getHeader("X-Cloudpatch-Assets")[0]));
  }

  @Test
  void deliver_nonAsciiSubject_isEncodedAndDecodesBack() throws Exception {
    Notification n =
        Notification.builder()
            .from(Notifications.of("N-subject", ACME, "x", "vm-1"))
            .subject("[P1] Überfällig: ✓ " + "lang ".repeat(30))
            .build();
    notifier().build().deliver(n);
    MimeMessage m = MAIL.getReceivedMessagesForDomain("acme.example")[0];
    assertEquals(n.subject(), m.getSubject());
  }

  @Test
  void deliver_forOneTenant_neverReachesOrNamesAnotherTenant() throws Exception {
    SmtpNotifier notifier = notifier().build();
    notifier.deliver(Notifications.of("N-a", ACME, "acme's own: vm-a1, vm-a2", "vm-a1", "vm-a2"));
    notifier.deliver(Notifications.of("N-g", GLOBEX, "globex's own: vm-g1", "vm-g1"));

    for (MimeMessage m : MAIL.getReceivedMessagesForDomain("acme.example")) {
      String all = raw(m);
      assertFalse(all.contains("vm-g1"), "acme's mail names globex's asset:\n" + all);
      assertFalse(all.contains("globex"), "acme's mail names globex:\n" + all);
    }
    MimeMessage[] globex = MAIL.getReceivedMessagesForDomain("globex.example");
    assertEquals(1, globex.length);
    assertFalse(raw(globex[0]).contains("vm-a"), "globex's mail names acme's assets");
    assertEquals(3, MAIL.getReceivedMessages().length, "2 acme addresses + 1 globex address");
  }

  @Test
  void deliver_tenantWithoutAddresses_failsPermanentlyWithoutConnecting() {
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
    assertTrue(e.getMessage().contains("initech"), e.getMessage());
    assertEquals(0, MAIL.getReceivedMessages().length);
  }

  @Test
  void deliver_tlsRequiredButNotOffered_failsPermanentlyAndSendsNothing() {
    NotificationException e =
        assertThrows(
            NotificationException.class,
            () ->
                notifier()
                    .tls(SmtpNotifier.Tls.REQUIRED)
                    .build()
                    .deliver(Notifications.of("N-tls", ACME, "x", "vm-1")));
    assertTrue(e.permanent());
    assertTrue(e.getMessage().contains("STARTTLS is required"), e.getMessage());
    assertEquals(0, MAIL.getReceivedMessages().length);
  }

  @Test
  void deliver_credentialsOverPlainText_areRefusedBeforeSending() {
    NotificationException e =
        assertThrows(
            NotificationException.class,
            () ->
                notifier()
                    .credentials("notifier", "secret")
                    .build()
                    .deliver(Notifications.of("N-auth", ACME, "x", "vm-1")));
    assertTrue(e.getMessage().contains("not encrypted"), e.getMessage());
    assertEquals(0, MAIL.getReceivedMessages().length);
  }

  @Test
  void builder_rejectsAnAddressThatCouldInjectACommand() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> notifier().recipients(ACME, List.of("a@acme.example>\r\nRCPT TO:<x@evil")));
    assertTrue(e.getMessage().contains("address 0 of tenant acme"), e.getMessage());
  }

  /**
   * The decoded body. GreenMail stores the data without the CRLF that ends its last line (RFC 5321
   * counts it as part of the terminator), so the notifier's closing line end is not compared.
   */
  static String content(MimeMessage m) throws Exception {
    String s = (String) m.getContent();
    return s.endsWith("\r\n") ? s.substring(0, s.length() - 2) : s;
  }

  static String raw(MimeMessage m) throws Exception {
    StringBuilder s = new StringBuilder();
    for (String h : Collections.list(m.getAllHeaderLines())) {
      s.append(h).append('\n');
    }
    return s.append(m.getContent()).toString();
  }
}
