package org.cloudpatch.core.advisory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.batch.Printable;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.core.batch.ReadLimitException;
import org.cloudpatch.core.batch.ReadLimits;
import org.cloudpatch.core.internal.CountedInputStream;

/**
 * How every advisory reader reaches its documents: a file, a directory read recursively in path
 * order, or a zip archive streamed entry by entry (and a zip inside it, up to {@link
 * ReadLimits#maxArchiveDepth()}), each document named for quarantine messages ({@code
 * archive.zip!/entry.json}); and the JSON limits they all parse under.
 *
 * <p>Every byte a reader takes passes a counting stream that enforces {@link ReadLimits}: a
 * document, an archive's expanded size, its expansion ratio and its entry count. What breaks a
 * bound is quarantined with its name and the bound, and the reader goes on where that is safe: with
 * the next entry after a document that is too long, with the next file after an archive that is.
 */
final class Documents {
  /** Reads one document into a batch. */
  interface DocumentReader {
    void read(InputStream in, String source, ReadBatch.Collector<Advisory> batch)
        throws IOException;
  }

  private Documents() {}

  /** Bounds that keep a hostile document from exhausting memory or the stack. */
  static StreamReadConstraints constraints(ReadLimits limits) {
    return StreamReadConstraints.builder()
        .maxNestingDepth(64)
        .maxStringLength(1 << 20)
        .maxNumberLength(64)
        .maxDocumentLength(limits.maxDocumentBytes())
        .maxTokenCount(limits.maxJsonTokens())
        .build();
  }

  /** A JSON mapper that parses under {@link #constraints}. */
  static ObjectMapper limitedMapper(ReadLimits limits) {
    JsonMapper m = JsonMapper.builder().build();
    m.getFactory().setStreamReadConstraints(constraints(limits));
    return m;
  }

  /**
   * Reads every document at {@code path} whose name {@code accepts}; zip archives are always
   * opened.
   *
   * @throws PatchException naming the path when it cannot be read at all
   */
  static ReadBatch<Advisory> read(
      Path path, Predicate<String> accepts, DocumentReader reader, ReadLimits limits) {
    Objects.requireNonNull(path, "path");
    ReadBatch.Collector<Advisory> batch = ReadBatch.collector();
    try {
      if (Files.isDirectory(path)) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(path)) {
          files =
              walk.filter(Files::isRegularFile)
                  .filter(p -> isZip(p.toString()) || accepts.test(p.getFileName().toString()))
                  .sorted()
                  .toList();
        }
        for (Path file : files) {
          batch.addAll(read(file, accepts, reader, limits));
        }
      } else if (isZip(path.toString())) {
        try (InputStream in = Files.newInputStream(path)) {
          new Archive(accepts, reader, limits, batch).read(in, path.toString(), 1);
        }
      } else {
        try (InputStream in = Files.newInputStream(path)) {
          readDocument(in, path.toString(), reader, limits, batch);
        }
      }
    } catch (IOException e) {
      throw new PatchException(
          Printable.escape("cannot read advisories at " + path + ": " + why(e)), e);
    }
    return batch.build();
  }

  /** Reads one document named {@code source}. */
  static ReadBatch<Advisory> read(
      InputStream in, String source, DocumentReader reader, ReadLimits limits) {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(source, "source");
    ReadBatch.Collector<Advisory> batch = ReadBatch.collector();
    try {
      readDocument(in, source, reader, limits, batch);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return batch.build();
  }

  /** One document under {@link ReadLimits#maxDocumentBytes()}, a broken bound quarantined. */
  private static void readDocument(
      InputStream in,
      String source,
      DocumentReader reader,
      ReadLimits limits,
      ReadBatch.Collector<Advisory> batch)
      throws IOException {
    try {
      reader.read(new Bounded(in, source, limits.maxDocumentBytes()), source, batch);
    } catch (ReadLimitException e) {
      batch.quarantine(e.quarantined());
    }
  }

  /** The reason a document that Jackson refused is quarantined. */
  static String notJson(JsonProcessingException e) {
    if (e instanceof StreamConstraintsException) {
      return "beyond a read limit (ReadLimits.maxDocumentBytes, maxJsonTokens, or the fixed bounds"
          + " on nesting, string and number length): "
          + e.getOriginalMessage();
    }
    return "not valid JSON: " + e.getOriginalMessage();
  }

  /** What an exception says, or what kind it is when it says nothing. */
  static String why(IOException e) {
    String message = e.getMessage();
    if (e instanceof EOFException) {
      return "the file ends early (truncated?)" + (message == null ? "" : ": " + message);
    }
    return message == null ? e.getClass().getSimpleName() : message;
  }

  private static boolean isZip(String name) {
    return name.toLowerCase(Locale.ROOT).endsWith(".zip");
  }

  /** One archive read under the archive bounds, entries in the order the archive stores them. */
  private static final class Archive {
    private final Predicate<String> accepts;
    private final DocumentReader reader;
    private final ReadLimits limits;
    private final ReadBatch.Collector<Advisory> batch;

    Archive(
        Predicate<String> accepts,
        DocumentReader reader,
        ReadLimits limits,
        ReadBatch.Collector<Advisory> batch) {
      this.accepts = accepts;
      this.reader = reader;
      this.limits = limits;
      this.batch = batch;
    }

    /**
     * Reads the archive {@code name} from {@code raw}, {@code depth} 1 for an archive that is no
     * entry of another.
     *
     * @throws ReadLimitException when an archive around this one breaks its bounds
     */
    void read(InputStream raw, String name, int depth) throws IOException {
      Counting compressed = new Counting(raw);
      ZipInputStream zip = new ZipInputStream(compressed);
      Expansion expansion = new Expansion(zip, compressed, name, limits);
      int entries = 0;
      String at = name;
      try {
        ZipEntry entry;
        while ((entry = zip.getNextEntry()) != null) {
          entries++;
          at = name + "!/" + entry.getName();
          if (entries > limits.maxArchiveEntries()) {
            batch.quarantine(
                Quarantined.of(
                    name,
                    "entry " + entries,
                    "more than "
                        + limits.maxArchiveEntries()
                        + " entries (ReadLimits.maxArchiveEntries); the rest is not read"));
            return;
          }
          if (entry.isDirectory()) {
            continue;
          }
          if (isZip(entry.getName())) {
            nested(expansion, at, depth);
          } else if (accepts.test(entry.getName())) {
            document(expansion, at);
          }
        }
        if (entries == 0) {
          batch.quarantine(
              Quarantined.of(name, "byte 0", "not a zip archive, or one without entries"));
        }
      } catch (ReadLimitException e) {
        if (e.quarantined().source().equals(name)) {
          batch.quarantine(e.quarantined());
          return;
        }
        throw e;
      } catch (ZipException | EOFException e) {
        batch.quarantine(
            Quarantined.of(
                at,
                "byte " + compressed.count(),
                "corrupt zip archive: " + why(e) + "; the rest of " + name + " is not read"));
      }
    }

    private void nested(Expansion expansion, String at, int depth) throws IOException {
      if (depth >= limits.maxArchiveDepth()) {
        batch.quarantine(
            Quarantined.of(
                at,
                "byte 0",
                "an archive nested "
                    + depth
                    + " deep is not read (ReadLimits.maxArchiveDepth is "
                    + limits.maxArchiveDepth()
                    + ")"));
        return;
      }
      read(new NonClosing(expansion), at, depth + 1);
      expansion.drain();
    }

    private void document(Expansion expansion, String at) throws IOException {
      try {
        reader.read(new Bounded(expansion, at, limits.maxDocumentBytes()), at, batch);
      } catch (ReadLimitException e) {
        if (!e.quarantined().source().equals(at)) {
          throw e;
        }
        batch.quarantine(e.quarantined());
      }
      // The archive's own bounds apply to the part no reader wanted, too.
      expansion.drain();
    }
  }

  /** Counts the bytes taken from a stream. */
  private static final class Counting extends CountedInputStream {
    Counting(InputStream in) {
      super(in);
    }

    @Override
    protected void counted(int n) {}
  }

  /**
   * The expanded bytes of an archive's current entry, checked against the archive's total and its
   * ratio to the compressed bytes read so far; closing it does not close the archive.
   */
  private static final class Expansion extends CountedInputStream {
    private final Counting compressed;
    private final String archive;
    private final ReadLimits limits;

    Expansion(ZipInputStream zip, Counting compressed, String archive, ReadLimits limits) {
      super(zip);
      this.compressed = compressed;
      this.archive = archive;
      this.limits = limits;
    }

    @Override
    public void close() {}

    @Override
    protected void counted(int n) throws ReadLimitException {
      long expanded = count();
      if (expanded > limits.maxArchiveBytes()) {
        throw new ReadLimitException(
            Quarantined.of(
                archive,
                "byte " + compressed.count(),
                "expands to more than "
                    + limits.maxArchiveBytes()
                    + " bytes (ReadLimits.maxArchiveBytes); the rest is not read"),
            true);
      }
      if (CountedInputStream.beyondRatio(expanded, compressed.count(), limits)) {
        throw new ReadLimitException(
            Quarantined.of(
                archive,
                "byte " + compressed.count(),
                "expands more than "
                    + limits.maxCompressionRatio()
                    + " times its compressed size ("
                    + compressed.count()
                    + " bytes to "
                    + expanded
                    + ", ReadLimits.maxCompressionRatio), as a zip bomb does; the rest is not"
                    + " read"),
            true);
      }
    }
  }

  /** One document's bytes, at most a bound; closing it does not close what it reads. */
  private static final class Bounded extends FilterInputStream {
    private final String source;
    private final long max;
    private long count;

    Bounded(InputStream in, String source, long max) {
      super(in);
      this.source = source;
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      // Never more than one byte past the bound, so that the bound is what is read.
      int n = super.read(b, off, (int) Math.min(len, Math.max(1, max + 1 - count)));
      if (n > 0) {
        count(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(Math.min(n, Math.max(1, max + 1 - count)));
      if (skipped > 0) {
        count((int) skipped);
      }
      return skipped;
    }

    // Marks would let a reader re-read bytes already counted against the bound.
    @Override
    public boolean markSupported() {
      return false;
    }

    @Override
    public void close() {}

    private void count(int n) throws ReadLimitException {
      count += n;
      if (count > max) {
        throw new ReadLimitException(
            Quarantined.of(
                source,
                "byte " + max,
                "longer than "
                    + max
                    + " bytes (ReadLimits.maxDocumentBytes); the document is not read"),
            true);
      }
    }
  }

  /** Lets a parser close what it reads without closing the archive around it. */
  private static final class NonClosing extends FilterInputStream {
    NonClosing(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
