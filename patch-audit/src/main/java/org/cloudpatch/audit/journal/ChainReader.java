package org.cloudpatch.audit.journal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.spi.JournalEntry;
import org.jspecify.annotations.Nullable;

/**
 * Reads a journal's bytes line by line, recomputing the hash chain, and stops at the first bad
 * line. Shared by {@link FileJournal} (open, readAll) and {@link JournalVerifier} so that both
 * judge a file the same way.
 *
 * <p>Each line is checked in this order: shape ({@code 64 hex SPACE JSON}), JSON, seq, hash, then
 * the fields of a v1 entry. What a crash can leave is told apart from tampering by the first bad
 * line: a last line without its newline, or a line that is not an entry at all (wrong shape, JSON
 * that does not parse, zeros from an unwritten block) followed by nothing that is, is crash debris,
 * which recovery truncates. A complete line that is an entry but fails its seq or hash, or garbage
 * followed by complete entries, was written on purpose: tampering. {@code docs/verify-journal.py}
 * follows the same order.
 */
final class ChainReader {
  private ChainReader() {}

  /**
   * What reading found.
   *
   * @param entries how many entries verified, from the start of the file
   * @param head the hash of the last verified entry, or 32 zero bytes
   * @param validLength the byte length of the verified prefix
   * @param defect the first bad line, if any
   */
  // Never compared or hashed: a carrier of one verification's outcome, so array identity is fine.
  @SuppressWarnings("ArrayRecordComponent")
  record Result(long entries, byte[] head, long validLength, Optional<Defect> defect) {}

  /**
   * The first bad line.
   *
   * @param seq the seq an entry at this line should have had
   * @param line the 1-based line number
   * @param detail what is wrong
   * @param torn whether this is the last line and looks like an interrupted write
   */
  record Defect(long seq, long line, String detail, boolean torn, boolean lastLine) {
    String reason() {
      if (!torn) {
        return "line " + line + ": " + detail;
      }
      return (lastLine ? "torn last line " + line : "torn tail from line " + line)
          + ": "
          + detail
          + " (crash artefact; recovery truncates it)";
    }
  }

  /** Receives each verified entry with the exact bytes of its line. */
  interface Sink {
    /**
     * One verified entry.
     *
     * @param entry the entry
     * @param line its line without the newline
     * @param jsonOffset where its JSON starts in {@code line}; it runs to the end
     */
    void accept(JournalEntry entry, byte[] line, int jsonOffset);
  }

  /**
   * Receives each verified line without building its entry unless asked: what verification and
   * {@link FileJournal#open} need, where building every entry's JSON tree cost more than all the
   * hashing (profiled in {@code JournalVerify}).
   */
  interface LineSink {
    /** One verified line; the view is valid only during this call. */
    void accept(VerifiedLine line);
  }

  /** Reads {@code in} to its end or to the first bad line; passes each good entry to sink. */
  static Result read(InputStream in, Consumer<JournalEntry> sink) throws IOException {
    return read(in, (entry, line, offset) -> sink.accept(entry));
  }

  /** Reads {@code in} to its end or to the first bad line; passes each good entry to sink. */
  static Result read(InputStream in, Sink sink) throws IOException {
    return read(
        in,
        0,
        new byte[WireFormat.HASH_BYTES],
        line -> sink.accept(line.entry(), line.copy(), WireFormat.HASH_HEX + 1),
        /* streaming= */ false);
  }

  /**
   * Reads {@code in} to its end or to the first bad line; passes each good line to sink, checking
   * its fields with a streaming parser and building its entry only if the sink asks. The verdict on
   * every line is that of {@link #read(InputStream, Sink)}: a line the streaming check does not
   * accept at once is judged by the same tree-based check.
   */
  static Result readLines(InputStream in, LineSink sink) throws IOException {
    return read(in, 0, new byte[WireFormat.HASH_BYTES], sink, /* streaming= */ true);
  }

  /**
   * {@link #readLines(InputStream, LineSink)} over a stream that starts at the line of entry {@code
   * firstSeq}, whose predecessor's hash is {@code head}: the lines from there are verified as a
   * whole read verifies them. The result's entries is the seq after the last line (the journal's
   * entry count), its valid length counted from the stream's start.
   */
  static Result readLinesFrom(InputStream in, long firstSeq, byte[] head, LineSink sink)
      throws IOException {
    return read(in, firstSeq, head.clone(), sink, /* streaming= */ true);
  }

  private static Result read(
      InputStream in, long firstSeq, byte[] firstHead, LineSink sink, boolean streaming)
      throws IOException {
    Lines lines = new Lines(in);
    VerifiedLine view = new VerifiedLine();
    MessageDigest sha256 = WireFormat.sha256();
    byte[] head = firstHead; // what entry firstSeq chains to: 32 zero bytes for entry 0
    long seq = firstSeq;
    long validLength = 0;
    while (lines.next()) {
      long lineNumber = seq + 1;
      boolean last = lines.atEnd();
      if (last && !lines.terminated) {
        // Whatever else is wrong with it, a line without its newline was never acknowledged:
        // append forces the batch only after writing the newline.
        return new Result(
            seq,
            head,
            validLength,
            Optional.of(new Defect(seq, lineNumber, "no trailing newline", true, true)));
      }
      byte[] hash = null;
      JournalEntry entry = null;
      byte[] computed = new byte[WireFormat.HASH_BYTES];
      String type = streaming ? StreamingCheck.accepted(lines, seq, head, sha256, computed) : null;
      if (type != null) {
        hash = computed; // equal to the hash the line states
      } else {
        // The tree-based check: every line when entries are wanted, and the judge of any line the
        // streaming check did not accept, so that both paths give one verdict.
        Check check = check(lines.line(), seq, head);
        // Check.ok sets the entry and its hash, Check.bad the problem: exactly one side is present.
        entry = check.entry();
        hash = check.hash();
        if (entry == null || hash == null) {
          return new Result(seq, head, validLength, Optional.of(defect(lines, seq, check, last)));
        }
        type = entry.type();
      }
      view.set(seq, type, entry, lines);
      sink.accept(view);
      head = hash;
      seq++;
      validLength += lines.length;
    }
    return new Result(seq, head, validLength, Optional.empty());
  }

  /**
   * One line that verified: its seq, its type, the exact bytes of the line, and its entry, built
   * from the JSON when first asked for. A view over the reader's buffer, valid only during {@link
   * LineSink#accept}.
   */
  static final class VerifiedLine {
    private long seq;
    private String type = "";
    private @Nullable JournalEntry entry;
    private byte[] bytes = new byte[0];
    private int start;
    private int length;

    private void set(long seq, String type, @Nullable JournalEntry entry, Lines lines) {
      this.seq = seq;
      this.type = type;
      this.entry = entry;
      this.bytes = lines.bytes;
      this.start = lines.start;
      this.length = lines.lineLength;
    }

    long seq() {
      return seq;
    }

    String type() {
      return type;
    }

    /** The buffer holding the line. */
    byte[] bytes() {
      return bytes;
    }

    /** Where the line's JSON starts in {@link #bytes()}. */
    int jsonOffset() {
      return start + WireFormat.HASH_HEX + 1;
    }

    /** The length of the line's JSON, to the end of the line. */
    int jsonLength() {
      return length - WireFormat.HASH_HEX - 1;
    }

    /** The length of the line without its newline. */
    int length() {
      return length;
    }

    /** The line without its newline, copied out of the buffer. */
    byte[] copy() {
      return Arrays.copyOfRange(bytes, start, start + length);
    }

    /** The entry, parsed from the line's JSON on first call. */
    JournalEntry entry() {
      JournalEntry e = entry;
      if (e == null) {
        Check check = check(copy(), seq, null);
        e = check.entry();
        if (e == null) {
          // The streaming check accepted this line; the tree-based one must agree.
          throw new IllegalStateException(
              "journal line " + (seq + 1) + " passed the streaming check but: " + check.problem());
        }
        entry = e;
      }
      return e;
    }
  }

  /**
   * The first bad line is crash debris if it is not an entry at all (garbage) and no complete entry
   * follows it; reads the rest of the file to tell.
   */
  private static Defect defect(Lines lines, long seq, Check check, boolean last)
      throws IOException {
    String problem = String.valueOf(check.problem());
    long lineNumber = seq + 1;
    if (!check.garbage()) {
      return new Defect(seq, lineNumber, problem, false, last);
    }
    long more = 0;
    while (lines.next()) {
      more++;
      if (lines.terminated && isEntry(lines.line())) {
        // Garbage with entries after it: not the end of an interrupted write.
        return new Defect(seq, lineNumber, problem, false, false);
      }
    }
    return more == 0
        ? new Defect(seq, lineNumber, problem, true, true)
        : new Defect(
            seq, lineNumber, problem + ", and " + more + " more lines of debris", true, false);
  }

  /** Whether a line has the shape of an entry: a hash, a space and a JSON object. */
  private static boolean isEntry(byte @Nullable [] line) {
    if (line == null || !hasHashPrefix(line)) {
      return false;
    }
    try {
      return WireFormat.parse(line, WireFormat.HASH_HEX + 1, line.length - WireFormat.HASH_HEX - 1)
          instanceof ObjectNode;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The outcome for one line: an entry and its hash, or a problem and whether the line is garbage
   * rather than an entry (what a crash can leave).
   */
  // Never compared or hashed: a carrier of one line's outcome, so array identity is fine.
  @SuppressWarnings("ArrayRecordComponent")
  private record Check(
      @Nullable JournalEntry entry,
      byte @Nullable [] hash,
      @Nullable String problem,
      boolean garbage) {
    static Check ok(JournalEntry entry, byte[] hash) {
      return new Check(entry, hash, null, false);
    }

    static Check bad(String problem, boolean garbage) {
      return new Check(null, null, problem, garbage);
    }
  }

  /**
   * Judges one line; {@code previous} null when the chain was checked already and only the entry is
   * wanted.
   */
  private static Check check(byte @Nullable [] line, long seq, byte @Nullable [] previous) {
    if (line == null) {
      return Check.bad("longer than " + WireFormat.MAX_LINE_BYTES + " bytes", true);
    }
    if (!hasHashPrefix(line)) {
      return Check.bad("not '<64 lowercase hex> SPACE <JSON>'", true);
    }
    for (byte b : line) {
      if (b == 0) {
        // Never in an entry (JSON escapes control characters): an unwritten block after a crash.
        return Check.bad("holds NUL bytes", true);
      }
    }
    int offset = WireFormat.HASH_HEX + 1;
    int length = line.length - offset;
    JsonNode json;
    try {
      json = WireFormat.parse(line, offset, length);
    } catch (JacksonException e) {
      return Check.bad("JSON does not parse: " + e.getOriginalMessage(), true);
    } catch (IOException e) {
      // Reading from a byte array, so this is the parser reporting bad input, not I/O.
      return Check.bad("JSON does not parse: " + e.getMessage(), true);
    }
    if (!(json instanceof ObjectNode object)) {
      // A crash cuts an object short; it cannot leave a complete JSON value of another kind.
      return Check.bad("JSON is not an object", false);
    }
    JsonNode seqNode = json.get("seq");
    if (seqNode == null
        || !seqNode.isIntegralNumber()
        || !seqNode.canConvertToLong()
        || seqNode.longValue() != seq) {
      String found = seqNode == null ? "missing" : abbreviate(seqNode.toString());
      return Check.bad("seq is " + found + ", expected " + seq, false);
    }
    byte[] hash =
        previous == null
            ? WireFormat.statedHash(line)
            : WireFormat.chain(previous, line, offset, length);
    if (!MessageDigest.isEqual(hash, WireFormat.statedHash(line))) {
      // A complete entry whose hash fails: a crash cannot write that, someone changed it.
      return Check.bad("hash does not match the chain", false);
    }
    try {
      return Check.ok(entry(seq, object), hash);
    } catch (IllegalArgumentException e) {
      // The hash is right, so a writer produced this on purpose: not a crash artefact.
      return Check.bad("not a v1 entry: " + e.getMessage(), false);
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }

  private static boolean hasHashPrefix(byte[] line) {
    if (line.length <= WireFormat.HASH_HEX || line[WireFormat.HASH_HEX] != ' ') {
      return false;
    }
    for (int i = 0; i < WireFormat.HASH_HEX; i++) {
      byte b = line[i];
      if (!((b >= '0' && b <= '9') || (b >= 'a' && b <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static JournalEntry entry(long seq, ObjectNode json) {
    JsonNode data = json.get("data");
    if (!(data instanceof ObjectNode dataObject)) {
      throw new IllegalArgumentException("'data' is missing or not an object");
    }
    return JournalEntry.builder()
        .seq(seq)
        .at(instant(json))
        .type(text(json, "type"))
        .tenant(optionalId(json, "tenant", TenantId::of))
        .record(optionalId(json, "record", TrackingId::of))
        .data(dataObject)
        .build();
  }

  private static Instant instant(ObjectNode json) {
    String text = text(json, "at");
    try {
      return UtcInstants.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'at' is not an ISO-8601 instant: " + text, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'at' is " + e.getMessage(), e);
    }
  }

  private static String text(ObjectNode json, String field) {
    JsonNode node = json.get(field);
    if (node == null || !node.isTextual()) {
      throw new IllegalArgumentException("'" + field + "' is missing or not a string");
    }
    return node.textValue();
  }

  private static <T> Optional<T> optionalId(
      ObjectNode json, String field, Function<String, T> parse) {
    JsonNode node = json.get(field);
    if (node == null) {
      throw new IllegalArgumentException("'" + field + "' is missing");
    }
    if (node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw new IllegalArgumentException("'" + field + "' is neither a string nor null");
    }
    return Optional.of(parse.apply(node.textValue()));
  }

  /**
   * Splits a stream into lines at {@code '\n'} only (never at {@code '\r'} or U+2028: the hash
   * covers the exact bytes between newlines), capping each line at {@link
   * WireFormat#MAX_LINE_BYTES}. A line is a view of the buffer ({@link #bytes}, {@link #start},
   * {@link #lineLength}), copied only when asked: one journal line is ~150 bytes, and copying each
   * cost as much as hashing it.
   */
  static final class Lines {
    private final InputStream in;
    private int position;
    private int limit;
    private boolean eof;

    /** The buffer holding the current line, if it was not longer than the cap. */
    byte[] bytes = new byte[1 << 16];

    /** Where the current line starts in {@link #bytes}. */
    int start;

    /** The current line's length without its newline, as far as it is held (not when overlong). */
    int lineLength;

    /** Whether the current line was longer than the cap, so that it is not held. */
    boolean overlong;

    /** Whether the current line ended with a newline. */
    boolean terminated;

    /** The current line's length in the file, newline included. */
    long length;

    Lines(InputStream in) {
      this.in = in;
    }

    /** The current line without its newline, copied, or null if it was longer than the cap. */
    byte @Nullable [] line() {
      return overlong ? null : Arrays.copyOfRange(bytes, start, start + lineLength);
    }

    /** Advances to the next line; false at the end of the stream. */
    boolean next() throws IOException {
      if (position >= limit && !fill(position)) {
        return false;
      }
      start = position;
      overlong = false;
      terminated = false;
      length = 0;
      int scan = position;
      while (true) {
        int newline = indexOfNewline(scan);
        if (newline >= 0) {
          int n = newline - start;
          length += n + 1;
          if (!overlong) {
            if (n > WireFormat.MAX_LINE_BYTES) {
              overlong = true;
            }
            lineLength = n;
          }
          position = newline + 1;
          terminated = true;
          return true;
        }
        if (!overlong && limit - start > WireFormat.MAX_LINE_BYTES) {
          // Longer than any entry: counted, not held, so garbage without newlines cannot exhaust
          // memory.
          overlong = true;
        }
        if (overlong) {
          length += limit - start;
          start = limit;
        }
        int held = limit - start;
        if (!fill(start)) {
          length += overlong ? 0 : held;
          lineLength = overlong ? 0 : held;
          position = limit;
          return true;
        }
        scan = start + held;
      }
    }

    /** Whether the current line is the last one. */
    boolean atEnd() throws IOException {
      // Keeps the current line: its caller reads it after asking.
      return position >= limit && !fill(start);
    }

    private int indexOfNewline(int from) {
      byte[] b = bytes;
      for (int i = from; i < limit; i++) {
        if (b[i] == '\n') {
          return i;
        }
      }
      return -1;
    }

    /**
     * Reads more bytes, keeping those from {@code keep} on (moved to the front of the buffer, which
     * grows when they fill it); false at the end of the stream, with nothing read.
     */
    private boolean fill(int keep) throws IOException {
      if (eof) {
        return false;
      }
      int kept = limit - keep;
      if (keep > 0) {
        System.arraycopy(bytes, keep, bytes, 0, kept);
        start -= keep;
        position = Math.max(0, position - keep);
      } else if (kept == bytes.length) {
        bytes = Arrays.copyOf(bytes, bytes.length * 2);
      }
      limit = kept;
      int n = in.read(bytes, limit, bytes.length - limit);
      if (n < 0) {
        eof = true;
        return false;
      }
      limit += n;
      return true;
    }
  }
}
