package org.cloudpatch.adapters.osv;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where a reader of the feed stands: after the record {@code (modified, id)} in the feed's order,
 * and the validators of the archive that position was read from.
 *
 * <p>Encoded as {@code osv1.} and base64url of newline-separated fields, so that it survives any
 * journal; the feed name is part of it, so that one feed refuses another's cursor. {@code atEnd}
 * says nothing of that archive came after the position: a new process may then ask the server
 * whether the archive changed (a 304 means nothing is new) instead of downloading it.
 */
record Cursor(
    String feed,
    Instant modified,
    String id,
    Optional<String> etag,
    Optional<String> lastModified,
    boolean atEnd) {
  private static final String PREFIX = "osv1.";

  /** Before every record. */
  static Cursor start(String feed) {
    return new Cursor(feed, Instant.MIN, "", Optional.empty(), Optional.empty(), false);
  }

  /** Whether the record keyed {@code (m, i)} comes after this position. */
  boolean before(Instant m, String i) {
    int c = m.compareTo(modified);
    return c > 0 || (c == 0 && i.compareTo(id) > 0);
  }

  String encode() {
    String plain =
        String.join(
            "\n",
            feed,
            modified.toString(),
            id,
            etag.orElse(""),
            lastModified.orElse(""),
            atEnd ? "end" : "more");
    return PREFIX
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Decodes a cursor this feed issued.
   *
   * @throws IllegalArgumentException naming the cursor when the feed did not issue it
   */
  static Cursor decode(String feed, String cursor) {
    if (!cursor.startsWith(PREFIX)) {
      throw notOurs(feed, cursor, "it does not start with " + PREFIX);
    }
    String plain;
    try {
      plain =
          new String(
              Base64.getUrlDecoder().decode(cursor.substring(PREFIX.length())),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw notOurs(feed, cursor, "it is not base64url");
    }
    String[] f = plain.split("\n", -1);
    if (f.length != 6) {
      throw notOurs(feed, cursor, "it has " + f.length + " fields, not 6");
    }
    if (!f[0].equals(feed)) {
      throw notOurs(feed, cursor, "it belongs to feed '" + f[0] + "'");
    }
    Instant modified;
    try {
      modified = Instant.parse(f[1]);
    } catch (DateTimeException e) {
      throw notOurs(feed, cursor, "its position '" + f[1] + "' is not an instant");
    }
    if (!f[5].equals("end") && !f[5].equals("more")) {
      throw notOurs(feed, cursor, "its last field is '" + f[5] + "'");
    }
    return new Cursor(feed, modified, f[2], nonEmpty(f[3]), nonEmpty(f[4]), f[5].equals("end"));
  }

  private static Optional<String> nonEmpty(@Nullable String s) {
    return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  private static IllegalArgumentException notOurs(String feed, String cursor, String why) {
    String shown = cursor.length() > 80 ? cursor.substring(0, 80) + "..." : cursor;
    return new IllegalArgumentException(
        "not a cursor of feed '" + feed + "': '" + shown + "' (" + why + ")");
  }
}
