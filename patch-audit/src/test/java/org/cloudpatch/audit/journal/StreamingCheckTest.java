package org.cloudpatch.audit.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.cloudpatch.core.spi.JournalEntry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming check that verification and {@code open} use gives every line the verdict of the
 * tree-based check that {@code readAll} uses: the same entries, head, valid length and first
 * defect, over lines whose JSON was changed and whose chain was then recomputed (so that the JSON,
 * not the hash, is what is judged), and over lines that straddle or outgrow the reader's buffer.
 */
class StreamingCheckTest {
  @TempDir static Path dir;

  /** The JSON of each entry of a journal written by {@link FileJournal}. */
  private static final List<String> JSONS = new ArrayList<>();

  /** Pieces a writer (or an attacker with the chain) might put into an entry's JSON. */
  private static final List<String> SNIPPETS =
      List.of(
          ",\"seq\":1",
          ",\"extra\":{\"k\":[1,2,{\"x\":null}]}",
          "\"a\":1,\"a\":2,",
          "\u0000",
          "\\ud800",
          "\\u00e9",
          "99999999999999999999999",
          "1.0",
          "-0",
          "1e3",
          "null",
          "\"2025-03-30T01:30Z\"",
          "\"2025-03-30T01:30:00+00:00\"",
          "}",
          "]",
          " x",
          "{}",
          "\"",
          "\\",
          "[[[[[[[[[[",
          "\"tenant\":\"\",",
          "\"record\":7,",
          "\"data\":[],");

  @BeforeAll
  static void writeAJournal() {
    Path file = dir.resolve("streaming.log");
    Drafts.journal(file, 40);
    for (String line : new String(Drafts.read(file), UTF_8).split("\n")) {
      JSONS.add(line.substring(WireFormat.HASH_HEX + 1));
    }
  }

  @Test
  void aChangedLineWithItsChainRecomputed_getsTheTreeChecksVerdict() {
    qt().withExamples(1500)
        .forAll(
            integers().between(0, JSONS.size() - 1),
            integers().allPositive(),
            integers().between(0, SNIPPETS.size()),
            integers().between(0, 255))
        .checkAssert(
            (index, where, snippet, value) -> {
              List<byte[]> jsons = jsonBytes(JSONS);
              byte[] json = jsons.get(index);
              int at = where % (json.length + 1);
              jsons.set(
                  index,
                  snippet == SNIPPETS.size()
                      ? replaced(json, Math.min(at, json.length - 1), (byte) (int) value)
                      : inserted(json, at, SNIPPETS.get(snippet).getBytes(UTF_8)));
              assertSameVerdict(chained(jsons));
            });
  }

  /** Values put in place of one v1 field's value, or of the whole field ("-" removes it). */
  private static final List<String> VALUES =
      List.of(
          "-",
          "0",
          "-1",
          "3.0",
          "\"3\"",
          "99999999999999999999",
          "null",
          "true",
          "{}",
          "[]",
          "\"\"",
          "\"2025-03-30T01:30:00Z\"",
          "\"2025-03-30T01:30Z\"",
          "\"2025-03-30T01:30:00.000Z\"",
          "\"2025-03-30T01:30:00.5Z\"",
          "\"2025-03-30T01:30:00+00:00\"",
          "\"+12025-03-30T01:30:00Z\"",
          "\"tenant-0\"",
          "\"TR-1\"",
          "\" padded \"",
          "\"a\\nb\"",
          "{\"note\":1}");

  private static final List<String> FIELDS =
      List.of("seq", "at", "type", "tenant", "record", "data");

  @Test
  void aV1FieldGivenAnotherValue_orRemoved_orRepeated_getsTheTreeChecksVerdict() {
    qt().withExamples(1000)
        .forAll(
            integers().between(0, JSONS.size() - 1),
            integers().between(0, FIELDS.size() - 1),
            integers().between(0, VALUES.size()),
            integers().between(0, 1))
        .checkAssert(
            (index, field, value, seqToo) -> {
              List<String> jsons = new ArrayList<>(JSONS);
              String json = jsons.get(index);
              String name = FIELDS.get(field);
              // VALUES.size() stands for the field written twice with its own value.
              String changed =
                  value == VALUES.size()
                      ? withField(json, name, null)
                      : withField(json, name, VALUES.get(value));
              if (seqToo == 1 && !name.equals("seq")) {
                // Also a seq that is right in value but not in spelling, so both fields count.
                changed = withField(changed, "seq", index + ".0");
              }
              jsons.set(index, changed);
              assertSameVerdict(chained(jsonBytes(jsons)));
            });
  }

  /**
   * The JSON object with {@code name}'s value replaced by {@code raw} ("-" removes the field; null
   * writes it twice), every other field as it was, in its order.
   */
  private static String withField(String json, String name, @Nullable String raw) {
    try {
      ObjectNode object = (ObjectNode) new ObjectMapper().readTree(json);
      StringBuilder out = new StringBuilder("{");
      for (Map.Entry<String, JsonNode> f : object.properties()) {
        String value = f.getValue().toString();
        List<String> written = new ArrayList<>();
        if (!f.getKey().equals(name)) {
          written.add(value);
        } else if (raw == null) {
          written.add(value);
          written.add(value);
        } else if (!raw.equals("-")) {
          written.add(raw);
        }
        for (String w : written) {
          out.append(out.length() > 1 ? "," : "")
              .append(new ObjectMapper().writeValueAsString(f.getKey()))
              .append(':')
              .append(w);
        }
      }
      return out.append('}').toString();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aJournalAsWritten_isAcceptedByBoth_withTheSameEntries() throws IOException {
    byte[] file = chained(jsonBytes(JSONS));
    Outcome tree = tree(file);
    Outcome streaming = streaming(file);
    assertTrue(tree.result.defect().isEmpty(), () -> tree.result.toString());
    assertEquals(JSONS.size(), streaming.result.entries());
    assertEquals(tree.entries, streaming.entries);
  }

  @Test
  void linesLongerThanTheReadersBuffer_areReadWhole_acrossRefills() throws IOException {
    List<String> jsons = new ArrayList<>(JSONS);
    int[] sizes = {1, 65_000, 65_536, 70_000, 140_000, 300_000};
    for (int i = 0; i < sizes.length; i++) {
      int index = 7 * i;
      jsons.set(
          index, jsons.get(index).replace("\"note\":\"", "\"note\":\"" + "x".repeat(sizes[i])));
    }
    byte[] file = chained(jsonBytes(jsons));
    Outcome streaming = streaming(file);
    assertTrue(streaming.result.defect().isEmpty(), () -> streaming.result.toString());
    assertEquals(tree(file).entries, streaming.entries);
    assertEquals(file.length, streaming.result.validLength());
  }

  @Test
  void aSeqWrittenAsADecimal_isRejectedByBoth_asTheTreeCheckNamesIt() throws IOException {
    List<String> jsons = new ArrayList<>(JSONS);
    jsons.set(3, jsons.get(3).replace("\"seq\":3,", "\"seq\":3.0,"));
    byte[] file = chained(jsonBytes(jsons));
    Outcome streaming = assertSameVerdict(file);
    assertEquals(3, streaming.result.entries());
    assertEquals(
        "line 4: seq is 3.0, expected 3", streaming.result.defect().orElseThrow().reason());
  }

  @Test
  void aDuplicateKeyDeepInData_isRejectedByBoth() throws IOException {
    List<String> jsons = new ArrayList<>(JSONS);
    jsons.set(5, jsons.get(5).replace("\"z\":true", "\"z\":true,\"z\":false"));
    Outcome streaming = assertSameVerdict(chained(jsonBytes(jsons)));
    assertEquals(5, streaming.result.entries());
    assertFalse(streaming.result.defect().orElseThrow().torn());
  }

  private static Outcome assertSameVerdict(byte[] file) {
    try {
      Outcome tree = tree(file);
      Outcome streaming = streaming(file);
      assertEquals(tree.result.entries(), streaming.result.entries());
      assertArrayEquals(tree.result.head(), streaming.result.head());
      assertEquals(tree.result.validLength(), streaming.result.validLength());
      assertEquals(tree.result.defect(), streaming.result.defect());
      assertEquals(tree.entries, streaming.entries);
      return streaming;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private record Outcome(ChainReader.Result result, List<JournalEntry> entries) {}

  private static Outcome tree(byte[] file) throws IOException {
    List<JournalEntry> entries = new ArrayList<>();
    ChainReader.Result result = ChainReader.read(input(file), entries::add);
    return new Outcome(result, entries);
  }

  /** The streaming path, asking every line for its entry, and checking its type on the way. */
  private static Outcome streaming(byte[] file) throws IOException {
    List<JournalEntry> entries = new ArrayList<>();
    ChainReader.Result result =
        ChainReader.readLines(
            input(file),
            line -> {
              JournalEntry entry = line.entry();
              assertEquals(entry.type(), line.type());
              assertEquals(entry.seq(), line.seq());
              entries.add(entry);
            });
    return new Outcome(result, entries);
  }

  /** A stream that hands out few bytes per read, so lines straddle the reader's refills. */
  private static InputStream input(byte[] file) {
    return new ByteArrayInputStream(file) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1 + (int) ((pos * 7919L) % 65_537)));
      }
    };
  }

  private static List<byte[]> jsonBytes(List<String> jsons) {
    List<byte[]> out = new ArrayList<>();
    jsons.forEach(j -> out.add(j.getBytes(UTF_8)));
    return out;
  }

  private static byte[] replaced(byte[] json, int at, byte value) {
    byte[] out = json.clone();
    out[at] = value;
    return out;
  }

  private static byte[] inserted(byte[] json, int at, byte[] piece) {
    byte[] out = new byte[json.length + piece.length];
    System.arraycopy(json, 0, out, 0, at);
    System.arraycopy(piece, 0, out, at, piece.length);
    System.arraycopy(json, at, out, at + piece.length, json.length - at);
    return out;
  }

  /** A journal of these JSON lines with a correct hash chain, as one with the key could write. */
  private static byte[] chained(List<byte[]> jsons) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] previous = new byte[WireFormat.HASH_BYTES];
    try {
      for (byte[] json : jsons) {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(previous);
        sha256.update(json);
        previous = sha256.digest();
        out.write(HexFormat.of().formatHex(previous).getBytes(UTF_8));
        out.write(' ');
        out.write(json);
        out.write('\n');
      }
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }
}
