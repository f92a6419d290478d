package org.cloudpatch.inventory.format;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.batch.BoundedLines;
import org.cloudpatch.core.batch.Printable;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.core.batch.ReadLimitException;
import org.cloudpatch.core.batch.ReadLimits;
import org.cloudpatch.inventory.version.VersionScheme;
import org.cloudpatch.inventory.version.VersionSchemes;
import org.jspecify.annotations.Nullable;

/**
 * Reads apk's database of installed packages ({@code /lib/apk/db/installed}) into {@link
 * InstalledPackage} values.
 *
 * <p>Each package is a block of {@code X:value} lines ended by a blank line: {@code P} the name,
 * {@code V} the version, {@code o} the origin, which becomes the source name when it differs from
 * the package's (Alpine advisories name origins, as Debian's name source packages). Other fields
 * (files, checksums) are ignored. A block without {@code P} or {@code V}, or with a version
 * apk-tools would reject, is quarantined with the line it starts on; the rest is read. Lines,
 * blocks and the input are bounded by {@link ReadLimits}. Stateless and thread-safe.
 */
public final class ApkInstalledReader {
  private static final VersionScheme APK = VersionSchemes.forEcosystem("Alpine").orElseThrow();

  private final ReadLimits limits;

  private ApkInstalledReader(ReadLimits limits) {
    this.limits = limits;
  }

  /** A reader under {@link ReadLimits#defaults()}. */
  public static ApkInstalledReader create() {
    return new ApkInstalledReader(ReadLimits.defaults());
  }

  /** A reader under {@code limits}. */
  public static ApkInstalledReader create(ReadLimits limits) {
    return new ApkInstalledReader(Objects.requireNonNull(limits, "limits"));
  }

  /**
   * Reads an installed database file.
   *
   * @throws PatchException if it cannot be read at all
   */
  public ReadBatch<InstalledPackage> read(Path path) {
    Objects.requireNonNull(path, "path");
    try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      return parse(in, path.toString());
    } catch (IOException | UncheckedIOException e) {
      throw new PatchException(
          Printable.escape("cannot read apk database " + path + ": " + e.getMessage()), e);
    }
  }

  /**
   * Reads installed-database text.
   *
   * @param source what to call the input in quarantine records; never null
   * @throws UncheckedIOException if reading fails
   */
  public ReadBatch<InstalledPackage> read(Reader in, String source) {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(source, "source");
    try {
      return parse(in, source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ReadBatch<InstalledPackage> parse(Reader in, String source) throws IOException {
    ReadBatch.Collector<InstalledPackage> batch = ReadBatch.collector();
    Block block = new Block();
    BoundedLines lines = BoundedLines.of(in, source, limits);
    long blockLength = 0;
    while (true) {
      String line;
      try {
        line = lines.next();
      } catch (ReadLimitException e) {
        if (e.endsInput()) {
          batch.quarantine(e.quarantined());
          break;
        }
        block.start = block.start == 0 ? lines.lineNumber() : block.start;
        block.problem = block.problem == null ? e.quarantined().reason() : block.problem;
        continue;
      }
      if (line == null) {
        break;
      }
      int number = lines.lineNumber();
      String t = line.strip();
      if (t.isEmpty()) {
        block.finish(batch, source);
        block = new Block();
        blockLength = 0;
        continue;
      }
      if (block.start == 0) {
        block.start = number;
      }
      blockLength += t.length();
      if (blockLength > limits.maxParagraphLength()) {
        if (block.problem == null) {
          block.problem =
              "the package block is longer than "
                  + limits.maxParagraphLength()
                  + " characters (ReadLimits.maxParagraphLength)";
        }
        continue;
      }
      if (t.length() < 2 || t.charAt(1) != ':') {
        block.problem = "line " + number + " is not a field (X:value)";
        continue;
      }
      String value = t.substring(2);
      switch (t.charAt(0)) {
        case 'P' -> block.name = value;
        case 'V' -> block.version = value;
        case 'o' -> block.origin = value;
        default -> {}
      }
    }
    block.finish(batch, source);
    return batch.build();
  }

  private static final class Block {
    /** The line the block starts on, or 0 while it has no line. */
    int start;

    // Each is null until the block has a line for it.
    @Nullable String name;
    @Nullable String version;
    @Nullable String origin;
    @Nullable String problem;

    void finish(ReadBatch.Collector<InstalledPackage> batch, String source) {
      if (start == 0) {
        return;
      }
      String name = this.name;
      String version = this.version;
      if (problem != null) {
        quarantine(batch, source, problem);
        return;
      }
      if (name == null || name.isEmpty()) {
        quarantine(batch, source, "the package has no name (P:)");
        return;
      }
      if (version == null || version.isEmpty()) {
        quarantine(batch, source, "package " + name + " has no version (V:)");
        return;
      }
      try {
        APK.validate(version);
      } catch (IllegalArgumentException e) {
        quarantine(batch, source, "package " + name + ": " + e.getMessage());
        return;
      }
      InstalledPackage.Builder b = InstalledPackage.builder().name(name).version(version);
      if (origin != null && !origin.isEmpty() && !origin.equals(name)) {
        b.sourceName(origin);
      }
      batch.accept(b.build());
    }

    private void quarantine(
        ReadBatch.Collector<InstalledPackage> batch, String source, String why) {
      batch.quarantine(Quarantined.of(source, "line " + start, why));
    }
  }
}
