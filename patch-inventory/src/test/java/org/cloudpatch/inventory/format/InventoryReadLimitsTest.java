package org.cloudpatch.inventory.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.core.batch.ReadLimits;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Line-based inventories built to exhaust memory (one endless line, {@code /dev/zero}, a paragraph
 * without end) are quarantined naming the input and the {@link ReadLimits} bound, after reading no
 * more than the bound; control characters from them are printed escaped.
 */
class InventoryReadLimitsTest {
  private static final String DPKG_OK =
      "Package: zlib1g\nStatus: install ok installed\nVersion: 1:1.2.13.dfsg-1\n\n";

  /** Counts the characters a reader takes. */
  private static final class Counting extends Reader {
    private final Reader in;
    long count;

    Counting(Reader in) {
      this.in = in;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
      int n = in.read(buf, off, len);
      count += Math.max(n, 0);
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** {@code head}, then {@code fill} without end, as {@code /dev/zero} is. */
  private static Reader endless(String head, char fill) {
    return new Reader() {
      private int at;

      @Override
      public int read(char[] buf, int off, int len) {
        int n = 0;
        while (n < len && at < head.length()) {
          buf[off + n++] = head.charAt(at++);
        }
        Arrays.fill(buf, off + n, off + len, fill);
        return len;
      }

      @Override
      public void close() {}
    };
  }

  private static final List<BiFunction<ReadLimits, Reader, ReadBatch<InstalledPackage>>> READERS =
      List.of(
          (limits, in) -> DpkgStatusReader.create(limits).read(in, "status"),
          (limits, in) -> RpmQaReader.create(limits).read(in, "status"),
          (limits, in) -> ApkInstalledReader.create(limits).read(in, "status"));

  private static final List<String> HEADS =
      List.of(
          DPKG_OK + "Package: x\nDescription: ",
          "bash-5.1.8-6.el9.x86_64\nkernel-",
          "P:musl\nV:1.2.4-r2\n\nP:x\nT:",
          "");

  @Test
  void endlessLines_areQuarantinedNamingTheInput_afterAtMostTheBound() {
    qt().withExamples(40)
        .forAll(
            integers().between(0, READERS.size() - 1),
            integers().between(0, HEADS.size() - 1),
            integers().between(8, 256),
            integers().between(0, 2))
        .checkAssert(
            (reader, head, kib, fill) -> {
              ReadLimits limits =
                  ReadLimits.builder().maxDocumentBytes(kib * 1024L).maxLineLength(512).build();
              Counting in = new Counting(endless(HEADS.get(head), "\u0000a\u001b".charAt(fill)));
              ReadBatch<InstalledPackage> batch = READERS.get(reader).apply(limits, in);
              assertTrue(
                  in.count <= limits.maxDocumentBytes() + 8192,
                  () -> "read " + in.count + " characters");
              assertFalse(batch.quarantined().isEmpty());
              for (Quarantined q : batch.quarantined()) {
                assertEquals("status", q.source());
                assertTrue(q.describe().chars().noneMatch(c -> c < 0x20), q.describe());
              }
              assertTrue(
                  batch.quarantined().stream()
                      .anyMatch(q -> q.reason().contains("ReadLimits.maxDocumentBytes")),
                  batch.quarantined().toString());
            });
  }

  @Test
  void endlessParagraph_ofShortLines_isBoundedByParagraphLength() {
    qt().withExamples(20)
        .forAll(integers().between(0, 1), integers().between(1, 64))
        .checkAssert(
            (reader, kib) -> {
              ReadLimits limits = ReadLimits.builder().maxParagraphLength(kib * 1024).build();
              StringBuilder text =
                  new StringBuilder(
                      reader == 0 ? "Package: big\nVersion: 1\nDescription: d\n" : "P:big\nV:1\n");
              while (text.length() < 2 * kib * 1024) {
                text.append(reader == 0 ? " continuation line of a long field\n" : "R:file\n");
              }
              text.append(reader == 0 ? "\n" + DPKG_OK : "\nP:musl\nV:1.2.4-r2\n");
              ReadBatch<InstalledPackage> batch =
                  reader == 0
                      ? DpkgStatusReader.create(limits).read(new StringReader(text.toString()), "s")
                      : ApkInstalledReader.create(limits)
                          .read(new StringReader(text.toString()), "s");
              assertEquals(1, batch.accepted().size(), batch.quarantined().toString());
              assertEquals(1, batch.quarantined().size());
              assertTrue(
                  batch.quarantined().get(0).reason().contains("ReadLimits.maxParagraphLength"),
                  batch.quarantined().toString());
            });
  }

  @Test
  void dpkgStatus_withAnOverlongLine_losesOnlyThatPackage() {
    String text =
        "Package: huge\nStatus: install ok installed\nVersion: 1\nDescription: "
            + "x".repeat(200_000)
            + "\n\n"
            + DPKG_OK;

    ReadBatch<InstalledPackage> batch =
        DpkgStatusReader.create().read(new StringReader(text), "status");

    assertEquals(List.of("zlib1g"), batch.accepted().stream().map(InstalledPackage::name).toList());
    Quarantined q = batch.quarantined().get(0);
    assertEquals("line 4", q.position());
    assertTrue(q.reason().contains("ReadLimits.maxLineLength"), q.reason());
  }

  @Test
  void devZero_asAnInventory_isRefusedNamingIt() {
    Path zero = Path.of("/dev/zero");
    Assumptions.assumeTrue(Files.exists(zero), "no /dev/zero on this system");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> InventoryReaders.read(zero));

    assertTrue(e.getMessage().startsWith("inventory /dev/zero:line 1: "), e.getMessage());
    assertTrue(e.getMessage().contains("ReadLimits."), e.getMessage());
  }

  @Test
  void osRelease_thatIsOneEndlessLine_isRefusedNamingIt(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("os-release"), "ID=debian\nX=" + "a".repeat(10_000));

    PatchException e = assertThrows(PatchException.class, () -> OsRelease.read(file));

    assertTrue(e.getMessage().contains(file + ":line 2: "), e.getMessage());
  }

  @Test
  void quarantinedLines_withControlCharacters_arePrintedEscaped() {
    ReadBatch<InstalledPackage> batch =
        RpmQaReader.create()
            .read(new StringReader("\u001b]0;pwned\u0007\u001b[2J\n"), "rpm\nqa.txt");

    String printed = batch.quarantined().get(0).describe();

    assertTrue(printed.startsWith("rpm\\nqa.txt:line 1: "), printed);
    assertTrue(printed.chars().noneMatch(c -> c < 0x20 || c == 0x7f), printed);
  }
}
