package org.cloudpatch.core.advisory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.core.batch.ReadLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs built to exhaust memory (zip bombs, endless documents, archives of countless entries,
 * archives in archives) are quarantined naming the input and the {@link ReadLimits} bound they
 * break, after reading no more than the bound; corrupt archives say what is wrong with them.
 */
class AdvisoryReadLimitsTest {
  private static final byte[] OSV = AdvisoryReadersTest.OSV.getBytes(StandardCharsets.UTF_8);

  /** Small bounds, so that a test breaks them with a few megabytes. */
  private static final ReadLimits SMALL =
      ReadLimits.builder()
          .maxDocumentBytes(256 * 1024)
          .maxArchiveBytes(4L * 1024 * 1024)
          .maxJsonTokens(10_000)
          .build();

  /** {@code [0,0,0,...]} of about {@code bytes} bytes, the shape that costs most once parsed. */
  private static void zeros(OutputStream out, long bytes) throws IOException {
    byte[] chunk = new byte[8192];
    for (int i = 0; i < chunk.length; i += 2) {
      chunk[i] = '0';
      chunk[i + 1] = ',';
    }
    out.write('[');
    for (long n = 0; n < bytes; n += chunk.length) {
      out.write(chunk);
    }
    out.write('0');
    out.write(']');
  }

  private interface EntryWriter {
    void write(ZipOutputStream out) throws IOException;
  }

  private static byte[] zip(EntryWriter writer) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ZipOutputStream out = new ZipOutputStream(bytes)) {
        writer.write(out);
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path write(Path dir, String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  private static Quarantined only(ReadBatch<Advisory> batch) {
    assertEquals(1, batch.quarantined().size(), () -> batch.quarantined().toString());
    return batch.quarantined().get(0);
  }

  @Test
  void zipBomb_ofZeros_isQuarantinedByItsRatio_withDefaults(@TempDir Path dir) throws IOException {
    // 64 MiB of [0,0,...] deflates to about 64 KiB: a smaller cousin of the 255 KB zip that
    // expands to 250 MB. Today it is parsed into 32 million nodes.
    byte[] bomb =
        zip(
            out -> {
              out.putNextEntry(new ZipEntry("bomb.json"));
              zeros(out, 64L * 1024 * 1024);
            });
    Path file = write(dir, "bomb.zip", bomb);

    ReadBatch<Advisory> batch = AdvisoryReaders.create().read(file);

    Quarantined q = only(batch);
    assertEquals(file.toString(), q.source());
    assertTrue(q.reason().contains("ReadLimits.maxCompressionRatio"), q.reason());
    assertTrue(batch.accepted().isEmpty());
  }

  @Test
  void jsonDocument_ofManySmallTokens_isQuarantinedByItsTokenCount() throws IOException {
    ByteArrayOutputStream doc = new ByteArrayOutputStream();
    zeros(doc, 10L * 1024 * 1024);

    ReadBatch<Advisory> batch =
        AdvisoryReaders.create().read(new ByteArrayInputStream(doc.toByteArray()), "zeros.json");

    Quarantined q = only(batch);
    assertEquals("zeros.json", q.source());
    assertTrue(q.reason().contains("maxJsonTokens"), q.reason());
  }

  @Test
  void archiveBombs_areRejectedByABoundNamingTheArchive_beforeReadingPastIt() {
    // Entries of zeros, or of a repeating pattern, spread over one or more entries: whatever the
    // shape, the archive is quarantined under its own name, and no document was read whole.
    qt().withExamples(12)
        .forAll(integers().between(5, 24), integers().between(1, 6), integers().between(1, 200))
        .checkAssert(
            (megabytes, entries, period) -> {
              byte[] pattern = new byte[period];
              Arrays.fill(pattern, (byte) ' ');
              pattern[0] = '[';
              byte[] bomb =
                  zip(
                      out -> {
                        for (int e = 0; e < entries; e++) {
                          out.putNextEntry(new ZipEntry("d" + e + "/bomb.json"));
                          long size = (long) megabytes * 1024 * 1024 / entries;
                          for (long n = 0; n < size; n += pattern.length) {
                            out.write(pattern);
                          }
                        }
                      });
              Path file;
              try {
                Path dir = Files.createTempDirectory("bomb");
                file = write(dir, "bomb-" + megabytes + "-" + entries + ".zip", bomb);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              ReadBatch<Advisory> batch = AdvisoryReaders.create(SMALL).read(file);
              assertTrue(batch.accepted().isEmpty());
              assertFalse(batch.quarantined().isEmpty());
              for (Quarantined q : batch.quarantined()) {
                assertTrue(q.source().startsWith(file.toString()), q.describe());
                assertTrue(q.reason().contains("ReadLimits."), q.describe());
              }
              // Every document that was opened stopped at its bound; the archive stopped at its
              // own.
              assertTrue(
                  batch.quarantined().stream()
                      .anyMatch(
                          q ->
                              q.source().equals(file.toString())
                                  && (q.reason().contains("maxCompressionRatio")
                                      || q.reason().contains("maxArchiveBytes"))),
                  batch.quarantined().toString());
            });
  }

  /** Counts the bytes a reader takes from a stream. */
  private static final class Counting extends FilterInputStream {
    long count;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count += b >= 0 ? 1 : 0;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      count += Math.max(n, 0);
      return n;
    }
  }

  /** An endless input: {@code /dev/zero}, or an endless repetition of one byte. */
  private static InputStream endless(byte b) {
    return new InputStream() {
      @Override
      public int read() {
        return b & 0xff;
      }

      @Override
      public int read(byte[] buf, int off, int len) {
        Arrays.fill(buf, off, off + len, b);
        return len;
      }
    };
  }

  @Test
  void endlessDocuments_areQuarantined_afterAtMostTheirBound() {
    // Endless JSON whitespace, endless zeros inside an array, an endless tracker line: each is
    // cut at maxDocumentBytes (or sooner), plus at most one buffer of read-ahead.
    qt().withExamples(30)
        .forAll(integers().between(0, 3), integers().between(16, 512))
        .checkAssert(
            (shape, kib) -> {
              ReadLimits limits =
                  ReadLimits.builder()
                      .maxDocumentBytes(kib * 1024L)
                      .maxLineLength(1024)
                      .maxJsonTokens(1_000_000)
                      .build();
              byte[] head =
                  switch (shape) {
                    case 0 -> "[".getBytes(StandardCharsets.UTF_8);
                    case 1 -> "{\"id\": \"".getBytes(StandardCharsets.UTF_8);
                    case 2 -> "[1 Jan 2026] DSA-1-1 x - ".getBytes(StandardCharsets.UTF_8);
                    default -> new byte[] {'[', '0'};
                  };
              byte fill = shape == 3 ? (byte) '0' : shape == 0 ? (byte) ' ' : (byte) 'a';
              Counting in =
                  new Counting(
                      new java.io.SequenceInputStream(
                          new ByteArrayInputStream(head), endless(fill)));
              ReadBatch<Advisory> batch = AdvisoryReaders.create(limits).read(in, "endless");
              assertTrue(in.count <= limits.maxDocumentBytes() + 16 * 1024, () -> in.count + "");
              assertFalse(batch.quarantined().isEmpty());
              batch.quarantined().forEach(q -> assertEquals("endless", q.source()));
            });
  }

  @Test
  void archive_withMoreEntriesThanItsBound_isCutThereWithAQuarantine(@TempDir Path dir)
      throws IOException {
    byte[] many =
        zip(
            out -> {
              for (int i = 0; i < 20; i++) {
                out.putNextEntry(new ZipEntry("a" + i + ".json"));
                out.write(OSV);
              }
            });
    Path file = write(dir, "many.zip", many);

    ReadBatch<Advisory> batch =
        AdvisoryReaders.create(ReadLimits.builder().maxArchiveEntries(5).build()).read(file);

    assertEquals(5, batch.accepted().size());
    Quarantined q = only(batch);
    assertEquals("entry 6", q.position());
    assertTrue(q.reason().contains("ReadLimits.maxArchiveEntries"), q.reason());
  }

  @Test
  void nestedZip_isRead_andOneTooDeepIsReported(@TempDir Path dir) throws IOException {
    byte[] inner =
        zip(
            out -> {
              out.putNextEntry(new ZipEntry("DSA-5678-1.json"));
              out.write(OSV);
            });
    byte[] middle =
        zip(
            out -> {
              out.putNextEntry(new ZipEntry("inner.zip"));
              out.write(inner);
            });
    byte[] outer =
        zip(
            out -> {
              out.putNextEntry(new ZipEntry("middle.zip"));
              out.write(middle);
            });

    ReadBatch<Advisory> once = AdvisoryReaders.create().read(write(dir, "middle.zip", middle));
    ReadBatch<Advisory> twice = AdvisoryReaders.create().read(write(dir, "outer.zip", outer));

    assertEquals(1, once.accepted().size(), once.quarantined().toString());
    assertTrue(twice.accepted().isEmpty());
    Quarantined q = only(twice);
    assertEquals(dir.resolve("outer.zip") + "!/middle.zip!/inner.zip", q.source());
    assertTrue(q.reason().contains("ReadLimits.maxArchiveDepth"), q.reason());
  }

  @Test
  void truncatedZip_saysItIsCorrupt_andKeepsWhatCameBefore(@TempDir Path dir) throws IOException {
    byte[] whole =
        zip(
            out -> {
              out.putNextEntry(new ZipEntry("a.json"));
              out.write(OSV);
              out.putNextEntry(new ZipEntry("b.json"));
              for (int i = 0; i < 200; i++) {
                out.write(OSV);
              }
            });
    Path file = write(dir, "cut.zip", Arrays.copyOf(whole, whole.length / 2));

    ReadBatch<Advisory> batch = AdvisoryReaders.create().read(file);

    assertEquals(1, batch.accepted().size());
    Quarantined q = only(batch);
    assertEquals(file + "!/b.json", q.source());
    assertTrue(q.reason().startsWith("corrupt zip archive: "), q.reason());
    assertFalse(q.reason().contains("null"), q.reason());
  }

  @Test
  void fileNamedZip_thatIsNoArchive_isQuarantinedSayingSo(@TempDir Path dir) throws IOException {
    Path file = write(dir, "advisories.zip", OSV);

    Quarantined q = only(AdvisoryReaders.create().read(file));

    assertEquals(file.toString(), q.source());
    assertTrue(q.reason().contains("not a zip archive"), q.reason());
  }

  @Test
  void entryNames_withControlCharacters_arePrintedEscaped(@TempDir Path dir) throws IOException {
    byte[] archive =
        zip(
            out -> {
              out.putNextEntry(new ZipEntry("evil\u001b[2J\nfake: ok.json"));
              out.write("{".getBytes(StandardCharsets.UTF_8));
            });

    Quarantined q = only(AdvisoryReaders.create().read(write(dir, "names.zip", archive)));

    String printed = q.describe();
    assertTrue(printed.contains("evil\\x1b[2J\\nfake: ok.json"), printed);
    assertTrue(printed.chars().noneMatch(c -> c < 0x20), printed);
  }

  @Test
  void unreadablePath_namesIt_withoutControlCharacters(@TempDir Path dir) {
    Path missing = dir.resolve("gone\u001b.json");
    PatchException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            PatchException.class, () -> AdvisoryReaders.create().read(missing));
    assertTrue(e.getMessage().contains("gone\\x1b.json"), e.getMessage());
    assertTrue(List.of(e.getMessage().split("")).stream().noneMatch(c -> c.equals("\u001b")));
  }
}
