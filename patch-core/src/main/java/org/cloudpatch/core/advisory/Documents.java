package org.cloudpatch.core.advisory;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
import java.util.zip.ZipInputStream;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.batch.ReadBatch;

/**
 * How every advisory reader reaches its documents: a file, a directory read recursively in path
 * order, or a zip archive streamed entry by entry, each document named for quarantine messages
 * ({@code archive.zip!/entry.json}); and the JSON limits they all parse under.
 */
final class Documents {
  /** Bounds that keep a hostile document from exhausting memory or the stack. */
  static final StreamReadConstraints LIMITS =
      StreamReadConstraints.builder()
          .maxNestingDepth(64)
          .maxStringLength(1 << 20)
          .maxNumberLength(64)
          .maxDocumentLength(256L << 20)
          .build();

  /** Reads one document into a batch. */
  interface DocumentReader {
    void read(InputStream in, String source, ReadBatch.Collector<Advisory> batch)
        throws IOException;
  }

  private Documents() {}

  /** A JSON mapper that parses under {@link #LIMITS}. */
  static ObjectMapper limitedMapper() {
    JsonMapper m = JsonMapper.builder().build();
    m.getFactory().setStreamReadConstraints(LIMITS);
    return m;
  }

  /**
   * Reads every document at {@code path} whose name {@code accepts}; zip archives are always
   * opened.
   *
   * @throws PatchException naming the path when it cannot be read at all
   */
  static ReadBatch<Advisory> read(Path path, Predicate<String> accepts, DocumentReader reader) {
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
          batch.addAll(read(file, accepts, reader));
        }
      } else if (isZip(path.toString())) {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(path))) {
          ZipEntry entry;
          while ((entry = in.getNextEntry()) != null) {
            if (!entry.isDirectory() && accepts.test(entry.getName())) {
              reader.read(new NonClosing(in), path + "!/" + entry.getName(), batch);
            }
          }
        }
      } else {
        try (InputStream in = Files.newInputStream(path)) {
          reader.read(in, path.toString(), batch);
        }
      }
    } catch (IOException e) {
      throw new PatchException("cannot read advisories at " + path + ": " + e.getMessage(), e);
    }
    return batch.build();
  }

  /** Reads one document named {@code source}. */
  static ReadBatch<Advisory> read(InputStream in, String source, DocumentReader reader) {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(source, "source");
    ReadBatch.Collector<Advisory> batch = ReadBatch.collector();
    try {
      reader.read(in, source, batch);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return batch.build();
  }

  private static boolean isZip(String name) {
    return name.toLowerCase(Locale.ROOT).endsWith(".zip");
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
