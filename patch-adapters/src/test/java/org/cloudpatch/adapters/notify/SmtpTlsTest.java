package org.cloudpatch.adapters.notify;

import static org.cloudpatch.adapters.notify.Notifications.ACME;
import static org.cloudpatch.adapters.notify.Notifications.CLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.cloudpatch.core.spi.Notifier.Notification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The e-mail notifier over TLS, with the host name checked against a certificate for localhost that
 * the test makes with keytool and trusts: implicit TLS against GreenMail's own SMTPS server, and
 * STARTTLS (which GreenMail lacks) through a relay that terminates TLS in front of it. Both log in
 * with a GreenMail account.
 */
class SmtpTlsTest {
  @TempDir static Path dir;
  static TestCertificates certs;

  private GreenMail mail;
  private SmtpRelay relay;
  private final Notification n = Notifications.of("N-tls~acme", ACME, "über TLS ✓", "vm-1");

  @BeforeAll
  static void certificate() throws Exception {
    certs = TestCertificates.create(dir);
    // GreenMail reads its server certificate from these once, when it first opens a TLS port.
    System.setProperty("greenmail.tls.keystore.file", certs.keystore.toString());
    System.setProperty("greenmail.tls.keystore.password", new String(TestCertificates.PASSWORD));
    System.setProperty("greenmail.tls.key.password", new String(TestCertificates.PASSWORD));
  }

  @AfterAll
  static void clear() {
    System.clearProperty("greenmail.tls.keystore.file");
    System.clearProperty("greenmail.tls.keystore.password");
    System.clearProperty("greenmail.tls.key.password");
  }

  @BeforeEach
  void start() throws Exception {
    mail =
        new GreenMail(
            new ServerSetup[] {
              Notifications.greenMail(ServerSetupTest.SMTP),
              Notifications.greenMail(ServerSetupTest.SMTPS)
            });
    mail.withConfiguration(
        GreenMailConfiguration.aConfig()
            .withUser("notifier@cloudpatch.example", "notifier", "s3cret"));
    mail.start();
    relay =
        new SmtpRelay(
            InetAddress.getLoopbackAddress(),
            mail.getSmtp().getPort(),
            certs.serverContext(),
            true);
  }

  @AfterEach
  void stop() throws Exception {
    relay.close();
    mail.stop();
  }

  private SmtpNotifier.Builder notifier(int port, SmtpNotifier.Tls tls) throws Exception {
    return SmtpNotifier.builder()
        .host("localhost")
        .port(port)
        .tls(tls)
        .sslContext(certs.clientContext())
        .credentials("notifier", "s3cret")
        .from("patches@cloudpatch.example")
        .clock(CLOCK)
        .recipients(ACME, List.of("secops@acme.example"));
  }

  @Test
  void startTlsRequired_upgradesLogsInAndDeliversEightBit() throws Exception {
    notifier(relay.port(), SmtpNotifier.Tls.REQUIRED).build().deliver(n);

    MimeMessage[] got = mail.getReceivedMessagesForDomain("acme.example");
    assertEquals(1, got.length);
    assertEquals("8bit", got[0].getEncoding(), "the relay offers 8BITMIME");
    assertEquals("über TLS ✓", SmtpNotifierTest.content(got[0]));
    List<String> commands = relay.clientCommands();
    int tls = commands.indexOf("STARTTLS");
    assertTrue(tls >= 0, "STARTTLS was used: " + commands);
    assertTrue(
        commands.subList(tls + 1, commands.size()).stream()
            .anyMatch(c -> c.startsWith("AUTH PLAIN")),
        "logged in after STARTTLS, not before: " + commands);
    assertFalse(commands.subList(0, tls).stream().anyMatch(c -> c.startsWith("AUTH")));
  }

  @Test
  void implicitTls_deliversToGreenMailsSmtps() throws Exception {
    notifier(mail.getSmtps().getPort(), SmtpNotifier.Tls.IMPLICIT).build().deliver(n);
    MimeMessage[] got = mail.getReceivedMessagesForDomain("acme.example");
    assertEquals(1, got.length);
    assertEquals("über TLS ✓", SmtpNotifierTest.content(got[0]));
  }

  @Test
  void wrongPassword_isPermanentAndNamesTheReply() throws Exception {
    NotificationException e =
        assertThrows(
            NotificationException.class,
            () ->
                notifier(relay.port(), SmtpNotifier.Tls.REQUIRED)
                    .credentials("notifier", "wrong")
                    .build()
                    .deliver(n));
    assertTrue(e.permanent());
    assertTrue(e.getMessage().contains("at AUTH PLAIN: server replied 535"), e.getMessage());
    assertFalse(e.getMessage().contains("wrong"), "the password is not in the message");
    assertEquals(0, mail.getReceivedMessages().length);
  }

  @Test
  void untrustedCertificate_isAPermanentTlsFailure() throws Exception {
    NotificationException e =
        assertThrows(
            NotificationException.class,
            () ->
                SmtpNotifier.builder()
                    .host("localhost")
                    .port(relay.port())
                    .from("patches@cloudpatch.example")
                    .clock(CLOCK)
                    .recipients(ACME, List.of("secops@acme.example"))
                    .build() // the JDK's default trust store does not know the test certificate
                    .deliver(n));
    assertTrue(e.permanent());
    assertTrue(e.getMessage().contains("at TLS handshake: TLS handshake failed"), e.getMessage());
    assertEquals(0, mail.getReceivedMessages().length);
  }

  @Test
  void certificateForAnotherName_isRefused() throws Exception {
    // 127.0.0.2 is loopback too, but the certificate names only localhost and 127.0.0.1.
    InetAddress other = InetAddress.getByName("127.0.0.2");
    SmtpRelay elsewhere;
    try {
      elsewhere = new SmtpRelay(other, mail.getSmtp().getPort(), certs.serverContext(), true);
    } catch (java.io.IOException e) {
      Assumptions.abort("127.0.0.2 is not usable here: " + e);
      return;
    }
    relay.close();
    relay = elsewhere;
    NotificationException e =
        assertThrows(
            NotificationException.class,
            () ->
                SmtpNotifier.builder()
                    .host("127.0.0.2")
                    .port(relay.port())
                    .sslContext(certs.clientContext())
                    .from("patches@cloudpatch.example")
                    .clock(CLOCK)
                    .recipients(ACME, List.of("secops@acme.example"))
                    .build()
                    .deliver(n));
    assertTrue(e.permanent(), e.getMessage());
    assertEquals(0, mail.getReceivedMessages().length);
  }
}
