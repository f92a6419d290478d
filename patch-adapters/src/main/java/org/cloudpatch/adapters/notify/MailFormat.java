package org.cloudpatch.adapters.notify;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.spi.Notifier.Notification;

/**
 * RFC 5322 / MIME rendering of a notification: pure, so that the same notification and instant give
 * the same bytes (apart from the transfer encoding the server allows).
 */
final class MailFormat {
  /** RFC 5322 section 3.3: "Thu, 3 Dec 2026 18:00:00 +0000", always in English. */
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  /** RFC 5322 section 2.1.1: no line may exceed 998 octets before its CRLF. */
  static final int MAX_LINE = 998;

  /** RFC 2045 section 6.7: encoded lines of at most 76 characters. */
  private static final int QP_LINE = 76;

  private static final String ATEXT_SPECIALS = "!#$%&'*+-/?^_`{|}~";

  private MailFormat() {}

  /** How the body travels. */
  enum Encoding {
    SEVEN_BIT("7bit"),
    EIGHT_BIT("8bit"),
    QUOTED_PRINTABLE("quoted-printable");

    final String header;

    Encoding(String header) {
      this.header = header;
    }
  }

  /** The body's lines, CRLF-normalised, as UTF-8. */
  static byte[] crlfBody(String body) {
    String normalised = body.replace("\r\n", "\n").replace('\r', '\n');
    if (!normalised.endsWith("\n")) {
      normalised = normalised + "\n";
    }
    return normalised.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  /** The lightest encoding that keeps the body intact on a server with or without 8BITMIME. */
  static Encoding encodingFor(byte[] crlfBody, boolean eightBitMime) {
    boolean ascii = true;
    int run = 0;
    int longest = 0;
    for (byte b : crlfBody) {
      if (b < 0 || b == 0) {
        ascii = false;
      }
      if (b == '\r' || b == '\n') {
        run = 0;
      } else {
        longest = Math.max(longest, ++run);
      }
    }
    if (longest > MAX_LINE) {
      return Encoding.QUOTED_PRINTABLE;
    }
    if (ascii) {
      return Encoding.SEVEN_BIT;
    }
    return eightBitMime ? Encoding.EIGHT_BIT : Encoding.QUOTED_PRINTABLE;
  }

  /**
   * The whole message, headers and body, CRLF line ends, not yet dot-stuffed.
   *
   * @param recipients the tenant's own accounts, and no other tenant's
   */
  static byte[] render(
      Notification n, String from, List<String> recipients, Instant date, boolean eightBitMime) {
    byte[] body = crlfBody(n.body());
    Encoding encoding = encodingFor(body, eightBitMime);
    StringBuilder h = new StringBuilder();
    header(h, "Date", DATE.format(date));
    header(h, "From", from);
    header(h, "To", String.join(", ", recipients));
    header(h, "Subject", n.subject());
    header(h, "Message-ID", messageId(n.key(), from));
    header(h, "MIME-Version", "1.0");
    header(h, "Content-Type", "text/plain; charset=UTF-8");
    header(h, "Content-Transfer-Encoding", encoding.header);
    header(h, "X-Cloudpatch-Key", n.key());
    header(h, "X-Cloudpatch-Tenant", n.tenant().value());
    header(h, "X-Cloudpatch-Advisory", n.advisory().value());
    header(
        h,
        "X-Cloudpatch-Assets",
        String.join(", ", n.assets().stream().map(AssetId::value).toList()));
    h.append("\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(encoding == Encoding.QUOTED_PRINTABLE ? quotedPrintable(body) : body);
    return out.toByteArray();
  }

  /**
   * The Message-ID of a notification: its key, with every character outside RFC 5322 atext written
   * as {@code =HH} per UTF-8 byte, at the sender's domain. The same key always gives the same
   * Message-ID, so that a resend after a lost reply is recognisable as the same message.
   */
  static String messageId(String key, String from) {
    StringBuilder id = new StringBuilder("<cloudpatch.");
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (b > 0 && c != '=' && (Character.isLetterOrDigit(c) || ATEXT_SPECIALS.indexOf(c) >= 0)) {
        id.append(c);
      } else {
        id.append('=').append(String.format(Locale.ROOT, "%02X", b & 0xff));
      }
    }
    return id.append('@').append(from.substring(from.lastIndexOf('@') + 1)).append('>').toString();
  }

  /**
   * Appends a header, folded at spaces below 78 characters where it can be; a value with characters
   * outside printable ASCII (or a line break, which could forge a header) becomes RFC 2047 encoded
   * words in UTF-8.
   */
  static void header(StringBuilder out, String name, String value) {
    boolean plain = value.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    List<String> words =
        plain ? List.of(value.split(" ", -1)) : encodedWords(value, 75 - name.length() - 2);
    StringBuilder line = new StringBuilder(name).append(':');
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      // Folding is CRLF before the space, which unfolding removes again; never before an empty
      // word, which would leave a line of white space only.
      if (i > 0 && !word.isEmpty() && line.length() + 1 + word.length() > 78) {
        out.append(line).append("\r\n");
        line = new StringBuilder();
      }
      line.append(' ').append(word);
    }
    out.append(line).append("\r\n");
  }

  /** RFC 2047 "B" encoded words of at most {@code room} characters each, split at code points. */
  private static List<String> encodedWords(String value, int room) {
    int maxBytes = Math.max(12, (Math.max(room, 40) - "=?UTF-8?B??=".length()) / 4 * 3);
    java.util.ArrayList<String> words = new java.util.ArrayList<>();
    int start = 0;
    while (start < value.length()) {
      int end = start;
      int bytes = 0;
      while (end < value.length()) {
        int cp = value.codePointAt(end);
        int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
        if (bytes + len > maxBytes && end > start) {
          break;
        }
        bytes += len;
        end += Character.charCount(cp);
      }
      words.add(
          "=?UTF-8?B?"
              + Base64.getEncoder()
                  .encodeToString(value.substring(start, end).getBytes(StandardCharsets.UTF_8))
              + "?=");
      start = end;
    }
    return words;
  }

  /** RFC 2045 quoted-printable of a CRLF body: line breaks stay hard breaks. */
  static byte[] quotedPrintable(byte[] crlfBody) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int lineStart = 0;
    for (int i = 0; i <= crlfBody.length; i++) {
      boolean end = i == crlfBody.length;
      if (end || (crlfBody[i] == '\r' && i + 1 < crlfBody.length && crlfBody[i + 1] == '\n')) {
        if (!end || i > lineStart) {
          qpLine(out, crlfBody, lineStart, i);
          if (!end) {
            out.writeBytes(new byte[] {'\r', '\n'});
          }
        }
        lineStart = i + 2;
        i++;
      }
    }
    return out.toByteArray();
  }

  private static void qpLine(ByteArrayOutputStream out, byte[] b, int from, int to) {
    int col = 0;
    for (int i = from; i < to; i++) {
      int v = b[i] & 0xff;
      boolean lastOfLine = i == to - 1;
      String piece;
      if ((v >= 33 && v <= 126 && v != '=') || ((v == ' ' || v == '\t') && !lastOfLine)) {
        piece = String.valueOf((char) v);
      } else {
        piece = String.format(Locale.ROOT, "=%02X", v);
      }
      // Leave room for the soft break "=" unless this piece ends the line.
      int limit = lastOfLine ? QP_LINE : QP_LINE - 1;
      if (col + piece.length() > limit) {
        out.writeBytes(new byte[] {'=', '\r', '\n'});
        col = 0;
      }
      out.writeBytes(piece.getBytes(StandardCharsets.US_ASCII));
      col += piece.length();
    }
  }

  /**
   * SMTP transparency (RFC 5321 section 4.5.2): a line that starts with a period gets one more, and
   * the data ends with CRLF.CRLF.
   */
  static byte[] dotStuffed(byte[] crlfMessage) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(crlfMessage.length + 16);
    boolean lineStart = true;
    for (byte b : crlfMessage) {
      if (lineStart && b == '.') {
        out.write('.');
      }
      out.write(b);
      lineStart = b == '\n';
    }
    if (!lineStart) {
      out.writeBytes(new byte[] {'\r', '\n'});
    }
    out.writeBytes(new byte[] {'.', '\r', '\n'});
    return out.toByteArray();
  }
}
