package org.cloudpatch.audit.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.cloudpatch.audit.proof.ProofException;
import org.cloudpatch.core.PatchException;
import org.jspecify.annotations.Nullable;

/**
 * Reads a journal file of wire format v1 (DESIGN §9) line by line, checking each line's hash chain,
 * for the evidence export: which needs the exact bytes of each line, which the journal's own reader
 * does not hand out of its package. Stops at a torn last line (crash debris). Not thread-safe.
 */
final class JournalLines {
  static final int HASH_BYTES = 32;
  private static final int HASH_HEX = 2 * HASH_BYTES;
  private static final int MAX_LINE_BYTES = 16 << 20;
  static final HexFormat HEX = HexFormat.of();
  static final ObjectMapper MAPPER = JsonMapper.builder().build();

  /** One entry: its exact line (without the newline), hashes and parsed JSON. */
  static final class Line {
    private final long seq;
    private final byte[] bytes;
    private final byte[] previous;
    private final byte[] hash;
    private final JsonNode json;

    Line(long seq, byte[] bytes, byte[] previous, byte[] hash, JsonNode json) {
      this.seq = seq;
      this.bytes = bytes;
      this.previous = previous;
      this.hash = hash;
      this.json = json;
    }

    long seq() {
      return seq;
    }

    /** The line's bytes, without the newline. */
    byte[] bytes() {
      return bytes;
    }

    /** The previous entry's hash (zeros for seq 0). */
    byte[] previous() {
      return previous;
    }

    byte[] hash() {
      return hash;
    }

    JsonNode json() {
      return json;
    }

    /** The exact JSON bytes, the leaf of the Merkle tree. */
    byte[] jsonBytes() {
      return Arrays.copyOfRange(bytes, HASH_HEX + 1, bytes.length);
    }

    String type() {
      return json.path("type").asText("");
    }

    /** The text of a field, or null when absent or JSON null. */
    static @Nullable String text(JsonNode node, String field) {
      JsonNode value = node.get(field);
      return value == null || value.isNull() ? null : value.asText();
    }
  }

  /** Receives each entry in seq order. */
  interface Sink {
    /** Returns false to stop reading. */
    boolean accept(Line line);
  }

  private JournalLines() {}

  /** Reads {@code journal}, giving each chained entry to {@code sink} until it returns false. */
  static void read(Path journal, Sink sink) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(journal), 1 << 16)) {
      byte[] previous = new byte[HASH_BYTES];
      long seq = 0;
      while (true) {
        byte[] bytes = nextLine(in, journal, seq);
        if (bytes == null) {
          return;
        }
        Line line = parse(journal, seq, bytes, previous);
        if (!sink.accept(line)) {
          return;
        }
        previous = line.hash();
        seq++;
      }
    } catch (IOException e) {
      throw new PatchException("cannot read journal " + journal + ": " + e, e);
    }
  }

  /** The next complete line, or null at the end of the file or at a torn last line. */
  private static byte @Nullable [] nextLine(InputStream in, Path journal, long seq)
      throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(512);
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        return line.toByteArray();
      }
      if (line.size() >= MAX_LINE_BYTES) {
        throw new ProofException(
            "journal " + journal + ": the line of seq " + seq + " is longer than any entry");
      }
      line.write(b);
    }
    return null; // a line without its newline is crash debris, never covered by a checkpoint
  }

  private static Line parse(Path journal, long seq, byte[] bytes, byte[] previous) {
    if (bytes.length < HASH_HEX + 3 || bytes[HASH_HEX] != ' ') {
      throw new ProofException(
          "journal " + journal + " line " + (seq + 1) + ": not 'HASH JSON' (seq " + seq + ")");
    }
    byte[] stated;
    try {
      stated = HEX.parseHex(new String(bytes, 0, HASH_HEX, StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new ProofException(
          "journal " + journal + " line " + (seq + 1) + ": the hash is not hex (seq " + seq + ")");
    }
    MessageDigest sha = sha256();
    sha.update(previous);
    sha.update(bytes, HASH_HEX + 1, bytes.length - HASH_HEX - 1);
    if (!MessageDigest.isEqual(sha.digest(), stated)) {
      throw new ProofException(
          "journal "
              + journal
              + " line "
              + (seq + 1)
              + ": the hash of seq "
              + seq
              + " does not match SHA-256(previous hash || JSON)");
    }
    JsonNode json;
    try {
      json = MAPPER.readTree(bytes, HASH_HEX + 1, bytes.length - HASH_HEX - 1);
    } catch (IOException e) {
      throw new ProofException(
          "journal " + journal + " line " + (seq + 1) + ": not JSON (seq " + seq + ")", e);
    }
    if (json == null || json.path("seq").asLong(-1) != seq) {
      throw new ProofException(
          "journal " + journal + " line " + (seq + 1) + ": the entry does not hold seq " + seq);
    }
    return new Line(seq, bytes, previous, stated, json);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every Java platform has SHA-256
    }
  }
}
