package org.cloudpatch.adapters.notify;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.spi.Notifier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers each notification as one plain-text UTF-8 e-mail to the registered addresses of its
 * tenant, over SMTP (RFC 5321) on a socket of its own, with the JDK only.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li><b>Tenant isolation.</b> A message goes to the addresses registered for {@link
 *       Notification#tenant()} and to no other; its body is the notification's body and its headers
 *       name the notification's assets only. A tenant without addresses is refused before any
 *       connection.
 *   <li><b>Confirmed means accepted.</b> {@link #deliver} returns only after the server answered
 *       2xx to the end of DATA, so that the engine journals {@code notification.sent} only for a
 *       message a mail server took responsibility for. All recipients are accepted or none: a
 *       refused recipient aborts the transaction before DATA.
 *   <li><b>Failures are precise.</b> Anything else throws {@link NotificationException} naming the
 *       server, the step and the reply: a 4xx reply, a timeout or a lost connection is transient, a
 *       5xx reply (or a refused certificate or login) is permanent. The engine retries both with
 *       its own backoff, so this class does not retry.
 *   <li><b>At least once, recognisably.</b> When the connection is lost after the message was sent
 *       but before the server's reply, the outcome is unknown ({@link
 *       NotificationException#maybeDelivered()}), and the engine's retry may deliver a second copy.
 *       Both copies carry the same {@code Message-ID}, derived from the notification key, and an
 *       {@code X-Cloudpatch-Key} header, so mail clients and ticket systems can drop the second.
 *   <li><b>Transport security.</b> With {@link Tls#REQUIRED} (the default) the session upgrades
 *       with STARTTLS and fails, permanently, when the server does not offer it; with {@link
 *       Tls#IMPLICIT} TLS starts on connect (port 465); the server certificate is checked against
 *       the host name. Credentials are never sent before TLS is up.
 *   <li><b>Time bounds.</b> Connecting, every wait for a reply and the whole delivery are bounded
 *       ({@link Builder#timeout}, 25 s by default), so that a call ends before the engine's own
 *       bound for a {@code Notifier} call (30 s unless the host sets it), after which the engine
 *       would count even a delivered message as failed and send it again.
 * </ul>
 *
 * <p>Thread-safe: each delivery uses its own connection.
 */
public final class SmtpNotifier implements Notifier {
  private static final Logger log = LoggerFactory.getLogger(SmtpNotifier.class);

  /** How the session is protected. */
  public enum Tls {
    /** TLS from the first byte (SMTPS, port 465). */
    IMPLICIT,
    /** STARTTLS before anything else; a server that does not offer it is a permanent failure. */
    REQUIRED,
    /** STARTTLS when the server offers it, plain text otherwise (credentials then not sent). */
    OPPORTUNISTIC
  }

  private final String host;
  private final int port;
  private final Tls tls;
  private final SSLContext sslContext;
  private final @Nullable String username;
  private final @Nullable String password;
  private final String from;
  private final String heloName;
  private final Clock clock;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Duration timeout;
  private final Map<TenantId, List<String>> recipients;

  private SmtpNotifier(Builder b, SSLContext sslContext) {
    this.host = Objects.requireNonNull(b.host, "host");
    this.port = b.port != 0 ? b.port : b.tls == Tls.IMPLICIT ? 465 : 587;
    this.tls = b.tls;
    this.sslContext = sslContext;
    this.username = b.username;
    this.password = b.password;
    this.from = Objects.requireNonNull(b.from, "from");
    this.heloName = b.heloName;
    this.clock = Objects.requireNonNull(b.clock, "clock");
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.timeout = b.timeout;
    this.recipients = Map.copyOf(b.recipients);
  }

  /** A builder; {@code host}, {@code from} and {@code clock} are required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void deliver(Notification notification) {
    Objects.requireNonNull(notification, "notification");
    List<String> to = recipients.get(notification.tenant());
    if (to == null) {
      throw new NotificationException(
          "tenant " + notification.tenant() + " has no e-mail addresses to notify", true, false);
    }
    new Session(notification, to).run();
    log.info(
        "notification {} for tenant {} accepted by {}:{} for {} recipient(s)",
        notification.key(),
        notification.tenant(),
        host,
        port,
        to.size());
  }

  /** One SMTP transaction: connect, greet, secure, authenticate, send, quit. */
  private final class Session {
    private final Notification n;
    private final List<String> to;
    private String step = "connect";
    private boolean dataSent;
    private @Nullable Socket socket;
    private @Nullable InputStream in;
    private @Nullable OutputStream out;
    private final long deadline = System.nanoTime() + timeout.toNanos();
    private boolean boundedByDeadline;

    Session(Notification n, List<String> to) {
      this.n = n;
      this.to = to;
    }

    /** The wait allowed for the next step: its own bound, or what is left of the delivery's. */
    private int waitMillis(Duration stepBound) throws SocketTimeoutException {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        boundedByDeadline = true;
        throw new SocketTimeoutException("nothing left of the delivery's bound");
      }
      boundedByDeadline = left < stepBound.toNanos();
      return millis(boundedByDeadline ? Duration.ofNanos(left) : stepBound);
    }

    void run() {
      try {
        transact();
      } catch (SocketTimeoutException e) {
        String bound =
            boundedByDeadline
                ? "the delivery's bound of " + timeout + " was spent"
                : step.equals("connect")
                    ? "no connection within " + connectTimeout
                    : "no reply within " + readTimeout;
        throw failure(bound + " (" + e.getMessage() + ")", false, e);
      } catch (SSLHandshakeException e) {
        // An untrusted or misnamed certificate does not fix itself by retrying.
        throw failure("TLS handshake failed: " + e.getMessage(), true, e);
      } catch (SSLException e) {
        throw failure("TLS failed: " + e.getMessage(), false, e);
      } catch (IOException e) {
        throw failure(e.getClass().getSimpleName() + ": " + e.getMessage(), false, e);
      } finally {
        close();
      }
    }

    private void transact() throws IOException {
      Socket plain = new Socket();
      socket = plain;
      plain.connect(new InetSocketAddress(host, port), waitMillis(connectTimeout));
      plain.setSoTimeout(waitMillis(readTimeout));
      if (tls == Tls.IMPLICIT) {
        step = "TLS handshake";
        upgrade();
      } else {
        streams(plain);
      }
      step = "greeting";
      expect(read(), 2);
      Set<String> ext = ehlo();
      boolean secure = tls == Tls.IMPLICIT;
      if (!secure && ext.contains("STARTTLS")) {
        step = "STARTTLS";
        command("STARTTLS", 2);
        step = "TLS handshake";
        upgrade();
        secure = true;
        ext = ehlo();
      } else if (!secure && tls == Tls.REQUIRED) {
        throw new NotificationException(
            where() + "STARTTLS is required but the server does not offer it", true, false);
      }
      if (username != null) {
        authenticate(ext, secure);
      }
      byte[] message = MailFormat.render(n, from, to, clock.instant(), ext.contains("8BITMIME"));
      boolean eightBit = ext.contains("8BITMIME");
      step = "MAIL FROM";
      command("MAIL FROM:<" + from + ">" + (eightBit ? " BODY=8BITMIME" : ""), 2);
      for (String rcpt : to) {
        step = "RCPT TO:<" + rcpt + ">";
        Reply r = send("RCPT TO:<" + rcpt + ">");
        if (r.code / 100 != 2) {
          String refused = where() + r;
          quietly("RSET");
          throw new NotificationException(
              refused + " (no recipient was sent the message)", r.code / 100 == 5, false);
        }
      }
      step = "DATA";
      command("DATA", 3);
      step = "end of DATA";
      OutputStream o = Objects.requireNonNull(out);
      o.write(MailFormat.dotStuffed(message));
      o.flush();
      // From here a lost reply leaves the outcome unknown: the server may have queued the message.
      dataSent = true;
      expect(read(), 2);
      dataSent = false;
      quietly("QUIT");
    }

    private Set<String> ehlo() throws IOException {
      step = "EHLO";
      Reply r = send("EHLO " + heloName);
      if (r.code / 100 != 2) {
        // A server from before RFC 1869 answers 500/502 to EHLO; it still speaks HELO.
        if (r.code != 500 && r.code != 502) {
          throw replyFailure(r);
        }
        step = "HELO";
        command("HELO " + heloName, 2);
        return Set.of();
      }
      Set<String> ext = new TreeSet<>();
      for (String line : r.lines.subList(1, r.lines.size())) {
        ext.add(line.toUpperCase(Locale.ROOT).split(" ", 2)[0]);
        if (line.toUpperCase(Locale.ROOT).startsWith("AUTH ")) {
          for (String mech : line.substring(5).trim().split(" +")) {
            ext.add("AUTH=" + mech.toUpperCase(Locale.ROOT));
          }
        }
      }
      return ext;
    }

    private void authenticate(Set<String> ext, boolean secure) throws IOException {
      step = "AUTH";
      String user = Objects.requireNonNull(username);
      String pass = Objects.requireNonNull(password);
      if (!secure) {
        throw new NotificationException(
            where()
                + "credentials are configured but the session is not encrypted; refusing to"
                + " send them in plain text",
            true,
            false);
      }
      if (ext.contains("AUTH=PLAIN")) {
        step = "AUTH PLAIN";
        String token = "\0" + user + "\0" + pass;
        command("AUTH PLAIN " + base64(token), 2);
      } else if (ext.contains("AUTH=LOGIN")) {
        step = "AUTH LOGIN";
        command("AUTH LOGIN", 3);
        command(base64(user), 3);
        command(base64(pass), 2);
      } else {
        throw new NotificationException(
            where()
                + "credentials are configured but the server offers neither AUTH PLAIN nor"
                + " AUTH LOGIN",
            true,
            false);
      }
    }

    private void upgrade() throws IOException {
      Socket plain = Objects.requireNonNull(socket);
      SSLSocket secure =
          (SSLSocket) sslContext.getSocketFactory().createSocket(plain, host, port, true);
      SSLParameters params = secure.getSSLParameters();
      // The certificate must name the host we dialled, as for HTTPS (RFC 6125).
      params.setEndpointIdentificationAlgorithm("HTTPS");
      secure.setSSLParameters(params);
      secure.setUseClientMode(true);
      secure.setSoTimeout(waitMillis(readTimeout));
      secure.startHandshake();
      socket = secure;
      streams(secure);
    }

    private void streams(Socket s) throws IOException {
      in = new BufferedInputStream(s.getInputStream());
      out = s.getOutputStream();
    }

    private void command(String line, int expectedClass) throws IOException {
      expect(send(line), expectedClass);
    }

    private Reply send(String line) throws IOException {
      OutputStream o = Objects.requireNonNull(out);
      o.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
      o.flush();
      return read();
    }

    private void expect(Reply r, int expectedClass) {
      if (r.code / 100 != expectedClass) {
        throw replyFailure(r);
      }
    }

    private NotificationException replyFailure(Reply r) {
      boolean permanent = r.code / 100 == 5;
      return new NotificationException(
          where()
              + r
              + (permanent ? " (permanent)" : " (transient)")
              + (dataSent ? "; the message was refused, not delivered" : ""),
          permanent,
          false);
    }

    /** Reads one reply, all of its lines (RFC 5321 section 4.2.1). */
    private Reply read() throws IOException {
      Objects.requireNonNull(socket).setSoTimeout(waitMillis(readTimeout));
      List<String> lines = new ArrayList<>();
      int code;
      while (true) {
        String line = readLine();
        if (line.length() < 3
            || !isCode(line)
            || (line.length() > 3 && " -".indexOf(line.charAt(3)) < 0)) {
          throw new NotificationException(
              where() + "malformed reply " + abbreviate(line), false, dataSent);
        }
        code = Integer.parseInt(line.substring(0, 3));
        lines.add(line.length() > 4 ? line.substring(4) : "");
        if (line.length() == 3 || line.charAt(3) == ' ') {
          return new Reply(code, lines);
        }
      }
    }

    private String readLine() throws IOException {
      InputStream i = Objects.requireNonNull(in);
      ByteArrayOutputStream line = new ByteArrayOutputStream(128);
      while (true) {
        int b = i.read();
        if (b < 0) {
          throw new IOException("connection closed by the server");
        }
        if (b == '\n') {
          byte[] bytes = line.toByteArray();
          int len =
              bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
          return new String(bytes, 0, len, StandardCharsets.UTF_8);
        }
        if (line.size() > 4096) {
          throw new NotificationException(
              where() + "reply line longer than 4096 bytes", false, dataSent);
        }
        line.write(b);
      }
    }

    private void quietly(String line) {
      try {
        send(line);
      } catch (IOException | RuntimeException e) {
        // The outcome is already decided; a server that hangs up on QUIT or RSET changes nothing.
        log.debug(
            "{} to {}:{} failed after the outcome was decided: {}", line, host, port, e.toString());
      }
    }

    private NotificationException failure(String what, boolean permanent, Throwable cause) {
      String suffix =
          dataSent
              ? "; the message was sent but its acceptance was not confirmed, so it may have been"
                  + " delivered: a retry under the same key resends Message-ID "
                  + MailFormat.messageId(n.key(), from)
              : "";
      return new NotificationException(where() + what + suffix, permanent, dataSent, cause);
    }

    private String where() {
      return "SMTP "
          + host
          + ":"
          + port
          + " for tenant "
          + n.tenant()
          + ", notification "
          + n.key()
          + ", at "
          + step
          + ": ";
    }

    private void close() {
      Socket s = socket;
      if (s != null) {
        try {
          s.close();
        } catch (IOException e) {
          log.debug("closing the SMTP connection to {}:{}: {}", host, port, e.toString());
        }
      }
    }
  }

  private static boolean isCode(String line) {
    return Character.isDigit(line.charAt(0))
        && Character.isDigit(line.charAt(1))
        && Character.isDigit(line.charAt(2));
  }

  private static String abbreviate(String s) {
    return "'" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "'";
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
  }

  /** An SMTP reply: its code and the text of each line. */
  private static final class Reply {
    final int code;
    final List<String> lines;

    Reply(int code, List<String> lines) {
      this.code = code;
      this.lines = lines;
    }

    @Override
    public String toString() {
      return "server replied " + code + " " + String.join(" / ", lines);
    }
  }

  /** Builds a {@link SmtpNotifier}. */
  public static final class Builder {
    private @Nullable String host;
    private int port;
    private Tls tls = Tls.REQUIRED;
    private @Nullable SSLContext sslContext;
    private @Nullable String username;
    private @Nullable String password;
    private @Nullable String from;
    private String heloName = "localhost";
    private @Nullable Clock clock;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(20);
    private Duration timeout = Duration.ofSeconds(25);
    private final Map<TenantId, List<String>> recipients = new LinkedHashMap<>();

    private Builder() {}

    /** The mail server (submission agent or relay). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** Its port; by default 465 for {@link Tls#IMPLICIT}, 587 (submission) otherwise. */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is outside 1..65535");
      }
      this.port = port;
      return this;
    }

    /** How the session is protected; {@link Tls#REQUIRED} by default. */
    public Builder tls(Tls tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /** The TLS context whose trust store checks the server; the JDK's default otherwise. */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
      return this;
    }

    /** Log in with AUTH PLAIN (or LOGIN where PLAIN is not offered), over TLS only. */
    public Builder credentials(String username, String password) {
      this.username = Objects.requireNonNull(username, "username");
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /** The envelope sender and From address, e.g. {@code patches@example.com}. */
    public Builder from(String address) {
      this.from = address(address, "from");
      return this;
    }

    /** The name this client gives in EHLO; {@code localhost} by default. */
    public Builder heloName(String heloName) {
      if (heloName.isBlank() || !heloName.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new IllegalArgumentException(
            "heloName must be a domain or address literal: " + heloName);
      }
      this.heloName = heloName;
      return this;
    }

    /** The clock of the Date header. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The bound on establishing the TCP connection; 10 s by default. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** The bound on each wait for a reply (and the TLS handshake); 20 s by default. */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = positive(timeout, "readTimeout");
      return this;
    }

    /**
     * The bound on a whole delivery, from connecting to the reply to the end of DATA; 25 s by
     * default. Keep it below the engine's bound on a {@code Notifier} call.
     */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    /** The addresses that receive a tenant's notifications; replaces earlier ones. */
    public Builder recipients(TenantId tenant, List<String> addresses) {
      Objects.requireNonNull(tenant, "tenant");
      if (addresses.isEmpty()) {
        throw new IllegalArgumentException("tenant " + tenant + " needs at least one address");
      }
      List<String> checked = new ArrayList<>();
      for (int i = 0; i < addresses.size(); i++) {
        checked.add(address(addresses.get(i), "address " + i + " of tenant " + tenant));
      }
      recipients.put(tenant, List.copyOf(checked));
      return this;
    }

    /** The notifier. */
    public SmtpNotifier build() {
      SSLContext context = sslContext;
      if (context == null) {
        try {
          context = SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException("the JDK has no default TLS context", e);
        }
      }
      return new SmtpNotifier(this, context);
    }

    private static String address(String address, String what) {
      Objects.requireNonNull(address, what);
      int at = address.lastIndexOf('@');
      boolean ok =
          at > 0
              && at < address.length() - 1
              && address
                  .chars()
                  .allMatch(c -> c > 0x20 && c < 0x7f && "<>(),;:\\\"[]".indexOf(c) < 0);
      if (!ok) {
        throw new IllegalArgumentException(
            what + " is not a plain ASCII mailbox like name@example.com: '" + address + "'");
      }
      return address;
    }

    private static Duration positive(Duration d, String what) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
