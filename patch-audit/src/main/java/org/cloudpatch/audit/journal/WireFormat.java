package org.cloudpatch.audit.journal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.POJONode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.cloudpatch.core.spi.JournalEntry;

/**
 * Wire format v1 (DESIGN §9): how one entry becomes the bytes of one line, and how its hash chains
 * to the previous one. Writer and reader share one mapper so that whatever {@link FileJournal}
 * writes, it can read back.
 */
final class WireFormat {
  /** SHA-256 output length; also the length of the all-zero "previous hash" of entry 0. */
  static final int HASH_BYTES = 32;

  /** Hex digits of a hash at the start of each line. */
  static final int HASH_HEX = 2 * HASH_BYTES;

  /**
   * The longest line accepted, so that a file of garbage without newlines cannot exhaust memory on
   * open; far beyond any event the engine writes.
   */
  static final int MAX_LINE_BYTES = 16 << 20;

  private static final HexFormat HEX = HexFormat.of();

  /** The same nesting limit both ways: a draft the writer accepts never becomes unreadable. */
  private static final int MAX_NESTING = 500;

  /**
   * Pinned explicitly rather than left to Jackson's defaults: a future default that sorted or
   * dropped properties would change the bytes, and so every hash after it.
   */
  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_NESTING)
                          .maxStringLength(MAX_LINE_BYTES)
                          .maxNumberLength(MAX_LINE_BYTES)
                          .maxNameLength(MAX_LINE_BYTES)
                          .build())
                  .streamWriteConstraints(
                      StreamWriteConstraints.builder().maxNestingDepth(MAX_NESTING).build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
          .enable(JsonNodeFeature.WRITE_NULL_PROPERTIES)
          .build();

  private WireFormat() {}

  /**
   * The JSON of {@code draft} at {@code seq}: {@code seq, at, type, tenant, record, data} in this
   * order, compact, UTF-8, {@code data} in its own field order.
   *
   * @throws IllegalArgumentException if the draft cannot become one line of plain JSON
   */
  static byte[] json(long seq, JournalEntry.Draft draft) {
    Optional<String> pojo = findPojo(draft.data());
    if (pojo.isPresent()) {
      // A POJO serializes however its class decides, possibly differently next release; the chain
      // needs bytes that a reader can reproduce from the line alone.
      throw new IllegalArgumentException(
          "draft data holds a Java object at /data"
              + pojo.get()
              + "; journal data must be plain JSON");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator gen = MAPPER.createGenerator(out, JsonEncoding.UTF8)) {
      gen.writeStartObject();
      gen.writeNumberField("seq", seq);
      gen.writeStringField("at", draft.at().toString());
      gen.writeStringField("type", draft.type());
      gen.writeFieldName("tenant");
      writeNullable(gen, draft.tenant().map(Object::toString));
      gen.writeFieldName("record");
      writeNullable(gen, draft.record().map(Object::toString));
      gen.writeFieldName("data");
      MAPPER.writeTree(gen, draft.data());
      gen.writeEndObject();
    } catch (IOException e) {
      // Only a generator error can get here (nesting too deep, a lone surrogate): bad input.
      throw new IllegalArgumentException("draft cannot be written as JSON: " + e.getMessage(), e);
    }
    byte[] json = out.toByteArray();
    for (byte b : json) {
      if (b == '\n') {
        // Jackson escapes control characters, so this cannot happen; if it ever did, the line
        // would split in two and the journal would read as tampered.
        throw new IllegalArgumentException("draft serializes to JSON containing a newline");
      }
    }
    if (json.length + HASH_HEX + 2 > MAX_LINE_BYTES) {
      throw new IllegalArgumentException(
          "draft is "
              + json.length
              + " bytes as JSON; a journal line holds at most "
              + MAX_LINE_BYTES);
    }
    return json;
  }

  /** SHA-256 over the previous entry's hash followed by this entry's JSON bytes. */
  static byte[] chain(byte[] previous, byte[] line, int offset, int length) {
    MessageDigest sha256 = sha256();
    sha256.update(previous);
    sha256.update(line, offset, length);
    return sha256.digest();
  }

  /** The full line: {@code HASH SPACE JSON NEWLINE}. */
  static byte[] line(byte[] hash, byte[] json) {
    byte[] hex = HEX.formatHex(hash).getBytes(StandardCharsets.US_ASCII);
    byte[] line = new byte[hex.length + 1 + json.length + 1];
    System.arraycopy(hex, 0, line, 0, hex.length);
    line[hex.length] = ' ';
    System.arraycopy(json, 0, line, hex.length + 1, json.length);
    line[line.length - 1] = '\n';
    return line;
  }

  /** The hash a line states in its first 64 characters, which must be lowercase hex. */
  static byte[] statedHash(byte[] line) {
    return HEX.parseHex(new String(line, 0, HASH_HEX, StandardCharsets.US_ASCII));
  }

  static String hex(byte[] hash) {
    return HEX.formatHex(hash);
  }

  private static void writeNullable(JsonGenerator gen, Optional<String> text) throws IOException {
    if (text.isPresent()) {
      gen.writeString(text.get());
    } else {
      gen.writeNull();
    }
  }

  /** The JSON pointer (relative to {@code node}) of the first POJO node under it, if any. */
  private static Optional<String> findPojo(JsonNode node) {
    if (node instanceof POJONode) {
      return Optional.of("");
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        Optional<String> found = findPojo(field.getValue());
        if (found.isPresent()) {
          String key = field.getKey().replace("~", "~0").replace("/", "~1");
          return Optional.of("/" + key + found.get());
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        Optional<String> found = findPojo(node.get(i));
        if (found.isPresent()) {
          return Optional.of("/" + i + found.get());
        }
      }
    }
    return Optional.empty();
  }

  static MessageDigest sha256() {
    try {
      // A clone of a prototype: getInstance looks the provider up and constructs the engine
      // reflectively, which cost more than hashing a journal line (profiled in JournalVerify).
      return (MessageDigest) SHA256.clone();
    } catch (CloneNotSupportedException e) {
      return newSha256();
    }
  }

  private static final MessageDigest SHA256 = newSha256();

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest Javadoc).
      throw new IllegalStateException(e);
    }
  }

  /** A streaming parser over a line's JSON, with the writer's duplicate detection and limits. */
  static JsonParser parser(byte[] line, int offset, int length) throws IOException {
    return MAPPER.createParser(line, offset, length);
  }

  /** Parses a line's JSON with the writer's mapper. */
  static JsonNode parse(byte[] line, int offset, int length) throws IOException {
    return TREE_READER.readTree(line, offset, length);
  }

  /** The mapper's reader of trees, built once: ObjectMapper.readTree resolves its type per call. */
  private static final ObjectReader TREE_READER = MAPPER.reader();
}
