package org.cloudpatch.audit.journal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.security.DigestException;
import java.security.MessageDigest;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.TrackingId;
import org.jspecify.annotations.Nullable;

/**
 * Accepts a journal line without building its JSON tree: one pass of Jackson's streaming parser
 * (with the writer's duplicate detection and limits) checks the v1 fields, and the chain hash is
 * computed into reused buffers. It only ever accepts: a line it does not accept is judged by {@link
 * ChainReader}'s tree-based check, which names the problem, so both give one verdict per line (held
 * to that by {@code StreamingCheckTest}). Building the tree was the largest cost of verification.
 */
final class StreamingCheck {
  private StreamingCheck() {}

  /**
   * The type of the current line of {@code lines} if it is a whole v1 entry at {@code seq} whose
   * hash chains to {@code previous}, with that hash written to {@code hash}; or null if the
   * tree-based check must judge it.
   */
  static @Nullable String accepted(
      ChainReader.Lines lines, long seq, byte[] previous, MessageDigest sha256, byte[] hash) {
    if (lines.overlong || !lines.terminated) {
      return null;
    }
    byte[] b = lines.bytes;
    int start = lines.start;
    int length = lines.lineLength;
    int jsonOffset = start + WireFormat.HASH_HEX + 1;
    if (length <= WireFormat.HASH_HEX + 1 || b[start + WireFormat.HASH_HEX] != ' ') {
      return null;
    }
    // No scan for NUL bytes or for the hex digits here: JSON that parses holds no raw NUL, and a
    // stated hash that is not lowercase hex cannot equal the computed one.
    String type = fields(b, jsonOffset, start + length - jsonOffset, seq);
    if (type == null) {
      return null;
    }
    return chains(b, start, length, previous, sha256, hash) ? type : null;
  }

  /**
   * Whether the line's JSON chains to {@code previous} as it states; the hash in {@code computed}.
   */
  private static boolean chains(
      byte[] b, int start, int length, byte[] previous, MessageDigest sha256, byte[] computed) {
    int jsonOffset = start + WireFormat.HASH_HEX + 1;
    sha256.update(previous);
    sha256.update(b, jsonOffset, start + length - jsonOffset);
    try {
      sha256.digest(computed, 0, computed.length);
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 digest of 32 bytes did not fit 32 bytes", e);
    }
    for (int i = 0; i < computed.length; i++) {
      int high = hexValue(b[start + 2 * i]);
      int low = hexValue(b[start + 2 * i + 1]);
      if (high < 0 || low < 0 || (computed[i] & 0xff) != (high << 4 | low)) {
        return false;
      }
    }
    return true;
  }

  /** 0–15 for a lowercase hex digit, -1 for anything else (uppercase too, as the format says). */
  private static int hexValue(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  /**
   * The entry's type if the JSON is one object holding the v1 fields as {@link ChainReader} reads
   * them ({@code seq} equal to {@code seq}, {@code at} as {@code Instant.toString} writes it,
   * {@code type}, {@code tenant} and {@code record} ids or null, {@code data} an object), with
   * nothing after it; null for anything else, including what the tree-based check would accept but
   * this one does not look at closely (a seq beyond a long).
   */
  private static @Nullable String fields(byte[] b, int offset, int length, long seq) {
    try (JsonParser p = WireFormat.parser(b, offset, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      boolean seqOk = false;
      boolean atOk = false;
      boolean tenantOk = false;
      boolean recordOk = false;
      boolean dataOk = false;
      String type = null;
      JsonToken token;
      while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "seq" ->
              seqOk =
                  value == JsonToken.VALUE_NUMBER_INT
                      && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                      && p.getLongValue() == seq;
          case "at" -> atOk = value == JsonToken.VALUE_STRING && instant(p.getText());
          case "type" -> type = value == JsonToken.VALUE_STRING ? p.getText() : null;
          case "tenant" -> tenantOk = value == JsonToken.VALUE_NULL || tenant(p, value);
          case "record" -> recordOk = value == JsonToken.VALUE_NULL || trackingId(p, value);
          case "data" -> {
            dataOk = value == JsonToken.START_OBJECT;
            p.skipChildren();
          }
          default -> p.skipChildren();
        }
      }
      if (token != JsonToken.END_OBJECT || p.nextToken() != null) {
        return null;
      }
      return seqOk && atOk && tenantOk && recordOk && dataOk ? type : null;
    } catch (IOException | RuntimeException e) {
      // Whatever the streaming parser or an id rejects, the tree-based check names.
      return null;
    }
  }

  private static boolean instant(String text) {
    try {
      UtcInstants.parse(text);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean tenant(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.VALUE_STRING) {
      return false;
    }
    TenantId.of(p.getText());
    return true;
  }

  private static boolean trackingId(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.VALUE_STRING) {
      return false;
    }
    TrackingId.of(p.getText());
    return true;
  }
}
