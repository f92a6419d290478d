package org.cloudpatch.adapters.notify;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.util.ArrayList;
import java.util.List;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.spi.Notifier.Notification;
import org.cloudpatch.core.testkit.NotifierContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@link NotifierContract} kit against the e-mail notifier and GreenMail, reached through a
 * relay that can make the next session fail (a 550 to the recipient, a 451 to MAIL FROM); what a
 * tenant received is read back from its mailboxes (the kit's tenants have addresses in their own
 * domains).
 */
class SmtpNotifierContractTest extends NotifierContract<SmtpNotifier> {
  @RegisterExtension
  static final GreenMailExtension MAIL =
      new GreenMailExtension(Notifications.greenMail(ServerSetupTest.SMTP))
          .withPerMethodLifecycle(true);

  private SmtpRelay relay;

  @BeforeEach
  void startRelay() throws IOException {
    relay = new SmtpRelay(MAIL.getSmtp().getPort(), null, false);
  }

  @AfterEach
  void stopRelay() throws IOException {
    relay.close();
  }

  @Override
  protected boolean refuseNextDelivery(SmtpNotifier notifier) {
    relay.inject(SmtpRelay.Fault.RCPT_550);
    return true;
  }

  @Override
  protected boolean failNextDeliveryTransiently(SmtpNotifier notifier) {
    relay.inject(SmtpRelay.Fault.MAIL_451);
    return true;
  }

  @Override
  protected SmtpNotifier newNotifier() {
    return SmtpNotifier.builder()
        .host("127.0.0.1")
        .port(relay.port())
        .tls(SmtpNotifier.Tls.OPPORTUNISTIC)
        .from("patches@cloudpatch.example")
        .clock(Notifications.CLOCK)
        .recipients(FIRST, List.of("ops@first.example", "sec@first.example"))
        .recipients(SECOND, List.of("ops@second.example"))
        .build();
  }

  @Override
  protected List<Notification> received(SmtpNotifier notifier, TenantId tenant) {
    String domain = tenant.equals(FIRST) ? "first.example" : "second.example";
    List<Notification> out = new ArrayList<>();
    try {
      for (MimeMessage m : MAIL.getReceivedMessagesForDomain(domain)) {
        List<AssetId> assets = new ArrayList<>();
        for (String a : header(m, "X-Cloudpatch-Assets").split(", ")) {
          assets.add(AssetId.of(a));
        }
        out.add(
            Notification.builder()
                .key(header(m, "X-Cloudpatch-Key"))
                .tenant(TenantId.of(header(m, "X-Cloudpatch-Tenant")))
                .advisory(AdvisoryId.of(header(m, "X-Cloudpatch-Advisory")))
                .assets(assets)
                .subject(m.getSubject())
                .body(SmtpNotifierTest.content(m).replace("\r\n", "\n"))
                .build());
      }
    } catch (Exception e) {
      throw new AssertionError("cannot read the mailboxes of " + tenant, e);
    }
    return out;
  }

  private static String header(MimeMessage m, String name)
      throws MessagingException, UnsupportedEncodingException {
    return MimeUtility.decodeText(MimeUtility.unfold(m.getHeader(name)[0]));
  }
}
