package org.cloudpatch.inventory.format;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.batch.BoundedLines;
import org.cloudpatch.core.batch.Printable;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.core.batch.ReadLimitException;
import org.cloudpatch.core.batch.ReadLimits;
import org.cloudpatch.inventory.version.DebianVersion;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads dpkg's database of installed packages ({@code /var/lib/dpkg/status}) into {@link
 * InstalledPackage} values.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>Only packages whose {@code Status} state (its third word) is {@code installed} are
 *       returned, whatever the wanted action: {@code install ok installed}, {@code hold ok
 *       installed}, even {@code deinstall ok installed}, because their files are on disk until dpkg
 *       acts. Other states ({@code config-files}, {@code half-installed}, ...) are skipped.
 *   <li>{@code Source: name} and {@code Source: name (version)} become the package's source name
 *       and source version when they differ from the binary's.
 *   <li>A paragraph that cannot be trusted is quarantined with the file, the line and the reason,
 *       and the rest is read: a line that is not a field, no {@code Package}, no {@code Status}, no
 *       {@code Version}, or a version or source that is not valid in Debian.
 *   <li>Lines may end in CRLF or trailing blanks; the file need not end in a newline; bytes that
 *       are not UTF-8 (old package descriptions) are tolerated.
 * </ul>
 *
 * <p>A directory is read as distroless images write it ({@code /var/lib/dpkg/status.d/}): one
 * paragraph file per package, {@code *.md5sums} ignored, and a missing {@code Status} meaning
 * installed; an entry that is a symbolic link is quarantined, not followed. Lines, paragraphs and
 * the input are bounded by {@link ReadLimits}: what goes beyond is quarantined, not read whole.
 * Stateless and thread-safe.
 */
public final class DpkgStatusReader {
  private static final Logger LOG = LoggerFactory.getLogger(DpkgStatusReader.class);

  private final ReadLimits limits;

  private DpkgStatusReader(ReadLimits limits) {
    this.limits = limits;
  }

  /** A reader under {@link ReadLimits#defaults()}. */
  public static DpkgStatusReader create() {
    return new DpkgStatusReader(ReadLimits.defaults());
  }

  /** A reader under {@code limits}. */
  public static DpkgStatusReader create(ReadLimits limits) {
    return new DpkgStatusReader(Objects.requireNonNull(limits, "limits"));
  }

  /**
   * Reads a status file, or a {@code status.d} directory.
   *
   * @param path the file or directory, never null
   * @throws PatchException if it cannot be read at all
   */
  public ReadBatch<InstalledPackage> read(Path path) {
    Objects.requireNonNull(path, "path");
    try {
      if (Files.isDirectory(path)) {
        return readDirectory(path);
      }
      try (BufferedReader in = open(path)) {
        return parse(in, path.toString(), true);
      }
    } catch (IOException | UncheckedIOException e) {
      throw new PatchException(
          Printable.escape("cannot read dpkg status " + path + ": " + e.getMessage()), e);
    }
  }

  /**
   * Reads status-file text.
   *
   * @param in the text, never null; not closed
   * @param source what to call the input in quarantine records, e.g. a file name; never null
   * @throws UncheckedIOException if reading fails
   */
  public ReadBatch<InstalledPackage> read(Reader in, String source) {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(source, "source");
    try {
      return parse(in, source, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a status file into the inventory of one asset, with source {@code dpkg-status:PATH}.
   * Quarantined paragraphs are logged at WARN and left out; call {@link #read(Path)} to act on
   * them.
   *
   * @throws PatchException if the file cannot be read at all
   */
  public Inventory readInventory(Path path, AssetId asset, Platform platform, Instant observedAt) {
    Objects.requireNonNull(asset, "asset");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(observedAt, "observedAt");
    ReadBatch<InstalledPackage> batch = read(path);
    for (Quarantined q : batch.quarantined()) {
      LOG.warn("inventory of {}: left out {}", asset, q.describe());
    }
    return Inventory.builder()
        .asset(asset)
        .platform(platform)
        .observedAt(observedAt)
        .source("dpkg-status:" + path)
        .addAllPackages(batch.accepted())
        .build();
  }

  private ReadBatch<InstalledPackage> readDirectory(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files =
          list.filter(p -> !p.getFileName().toString().endsWith(".md5sums"))
              .filter(p -> Files.isRegularFile(p) || Files.isSymbolicLink(p))
              .sorted()
              .toList();
    }
    ReadBatch.Collector<InstalledPackage> batch = ReadBatch.collector();
    for (Path file : files) {
      // A link in status.d may lead anywhere on the reading host (/etc/shadow); dpkg writes none.
      if (Files.isSymbolicLink(file)) {
        batch.quarantine(
            Quarantined.of(
                file.toString(), "line 1", "a symbolic link; dpkg writes none here, not followed"));
        continue;
      }
      try (BufferedReader in = open(file)) {
        batch.addAll(parse(in, file.toString(), false));
      }
    }
    return batch.build();
  }

  private static BufferedReader open(Path file) throws IOException {
    // Descriptions of old packages are not always UTF-8; none of the fields read here is affected.
    return new BufferedReader(
        new InputStreamReader(
            Files.newInputStream(file),
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)));
  }

  private ReadBatch<InstalledPackage> parse(Reader in, String source, boolean statusRequired)
      throws IOException {
    ReadBatch.Collector<InstalledPackage> batch = ReadBatch.collector();
    BoundedLines lines = BoundedLines.of(in, source, limits);
    Paragraph paragraph = null;
    long paragraphLength = 0;
    int skipped = 0;
    while (true) {
      String line;
      try {
        line = lines.next();
      } catch (ReadLimitException e) {
        if (e.endsInput()) {
          batch.quarantine(e.quarantined());
          break;
        }
        if (paragraph == null) {
          paragraph = new Paragraph(lines.lineNumber());
        }
        paragraph.fail(lines.lineNumber(), e.quarantined().reason());
        continue;
      }
      if (line == null) {
        break;
      }
      int lineNo = lines.lineNumber();
      String text = line.stripTrailing();
      if (text.isEmpty()) {
        if (paragraph != null) {
          skipped += paragraph.finish(source, statusRequired, batch);
          paragraph = null;
        }
        continue;
      }
      if (paragraph == null) {
        paragraph = new Paragraph(lineNo);
        paragraphLength = 0;
      }
      paragraphLength += text.length();
      if (paragraphLength > limits.maxParagraphLength()) {
        paragraph.fail(
            lineNo,
            "the paragraph is longer than "
                + limits.maxParagraphLength()
                + " characters (ReadLimits.maxParagraphLength)");
        continue;
      }
      paragraph.line(text, lineNo);
    }
    if (paragraph != null) {
      skipped += paragraph.finish(source, statusRequired, batch);
    }
    ReadBatch<InstalledPackage> result = batch.build();
    LOG.debug(
        "{}: {} installed packages, {} not installed, {} quarantined",
        source,
        result.accepted().size(),
        skipped,
        result.quarantined().size());
    return result;
  }

  /** One RFC 822-style paragraph, keeping only the fields cloudpatch needs. */
  private static final class Paragraph {
    private final int firstLine;
    private @Nullable Field packageName;
    private @Nullable Field version;
    private @Nullable Field status;
    private @Nullable Field source;

    /** The field the last line belonged to, for continuation lines; null before any field. */
    private @Nullable String lastField;

    private @Nullable Field lastKept;
    private int problemLine;
    private @Nullable String problem;

    Paragraph(int firstLine) {
      this.firstLine = firstLine;
    }

    void line(String text, int lineNo) {
      char first = text.charAt(0);
      if (first == ' ' || first == '\t') {
        if (lastField == null) {
          fail(lineNo, "a continuation line comes before any field");
        } else if (lastKept != null) {
          fail(lineNo, "field " + lastField + " must fit on one line");
        }
        return;
      }
      int colon = text.indexOf(':');
      if (colon <= 0 || containsBlank(text, colon)) {
        fail(lineNo, "expected 'Field: value', found '" + abbreviate(text) + "'");
        lastField = null;
        lastKept = null;
        return;
      }
      String name = text.substring(0, colon);
      Field field = new Field(text.substring(colon + 1).strip(), lineNo);
      lastField = name;
      lastKept = null;
      if (name.equalsIgnoreCase("Package")) {
        packageName = keep(packageName, field, name);
      } else if (name.equalsIgnoreCase("Version")) {
        version = keep(version, field, name);
      } else if (name.equalsIgnoreCase("Status")) {
        status = keep(status, field, name);
      } else if (name.equalsIgnoreCase("Source")) {
        source = keep(source, field, name);
      }
    }

    private Field keep(@Nullable Field previous, Field field, String name) {
      if (previous != null) {
        fail(field.line, "field " + name + " appears twice (first on line " + previous.line + ")");
        return previous;
      }
      lastKept = field;
      return field;
    }

    private void fail(int lineNo, String reason) {
      if (problem == null) {
        problem = reason;
        problemLine = lineNo;
      }
    }

    /** Accepts or quarantines the paragraph; returns 1 when it was skipped as not installed. */
    int finish(String origin, boolean statusRequired, ReadBatch.Collector<InstalledPackage> batch) {
      if (problem != null) {
        batch.quarantine(Quarantined.of(origin, "line " + problemLine, problem));
        return 0;
      }
      if (packageName == null || packageName.value.isEmpty()) {
        batch.quarantine(
            Quarantined.of(origin, "line " + firstLine, "the paragraph has no Package field"));
        return 0;
      }
      String name = packageName.value;
      if (containsBlank(name, name.length())) {
        batch.quarantine(
            Quarantined.of(
                origin, "line " + packageName.line, "invalid package name '" + name + "'"));
        return 0;
      }
      if (status == null) {
        if (statusRequired) {
          batch.quarantine(
              Quarantined.of(
                  origin,
                  "line " + firstLine,
                  "package "
                      + name
                      + " has no Status field, so whether it is installed is"
                      + " unknown"));
          return 0;
        }
      } else {
        String[] words = status.value.split("\\s+");
        if (words.length != 3) {
          batch.quarantine(
              Quarantined.of(
                  origin,
                  "line " + status.line,
                  "package "
                      + name
                      + ": Status must be 'want flag state', found '"
                      + status.value
                      + "'"));
          return 0;
        }
        if (!words[2].equals("installed")) {
          return 1;
        }
      }
      if (version == null || version.value.isEmpty()) {
        batch.quarantine(
            Quarantined.of(
                origin, "line " + firstLine, "package " + name + " has no Version field"));
        return 0;
      }
      try {
        DebianVersion.parse(version.value);
      } catch (IllegalArgumentException e) {
        batch.quarantine(
            Quarantined.of(
                origin, "line " + version.line, "package " + name + ": " + e.getMessage()));
        return 0;
      }
      InstalledPackage.Builder pkg = InstalledPackage.builder().name(name).version(version.value);
      if (source != null) {
        String sourceProblem = addSource(pkg, name, version.value, source.value);
        if (sourceProblem != null) {
          batch.quarantine(
              Quarantined.of(
                  origin, "line " + source.line, "package " + name + ": " + sourceProblem));
          return 0;
        }
      }
      batch.accept(pkg.build());
      return 0;
    }

    /** Adds {@code Source: name [(version)]}; returns why it is invalid, or null. */
    private static @Nullable String addSource(
        InstalledPackage.Builder pkg, String name, String version, String value) {
      String sourceName = value;
      String sourceVersion = null;
      int paren = value.indexOf('(');
      if (paren >= 0) {
        if (!value.endsWith(")")) {
          return "Source must read 'name' or 'name (version)', found '" + value + "'";
        }
        sourceName = value.substring(0, paren).strip();
        sourceVersion = value.substring(paren + 1, value.length() - 1).strip();
        try {
          DebianVersion.parse(sourceVersion);
        } catch (IllegalArgumentException e) {
          return "source " + e.getMessage();
        }
      }
      if (sourceName.isEmpty() || containsBlank(sourceName, sourceName.length())) {
        return "Source must read 'name' or 'name (version)', found '" + value + "'";
      }
      if (!sourceName.equals(name)) {
        pkg.sourceName(sourceName);
      }
      if (sourceVersion != null && !sourceVersion.equals(version)) {
        pkg.sourceVersion(sourceVersion);
      }
      return null;
    }
  }

  private record Field(String value, int line) {}

  private static boolean containsBlank(String s, int end) {
    for (int i = 0; i < end; i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }
}
