package org.cloudpatch.inventory.format;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.batch.BoundedLines;
import org.cloudpatch.core.batch.Printable;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.core.batch.ReadLimitException;
import org.cloudpatch.core.batch.ReadLimits;

/**
 * Reads an inventory file whose format it tells from the content, not the name: a dpkg status file
 * or {@code status.d} directory, an apk installed database, {@code rpm -qa} output, or a CycloneDX
 * JSON SBOM.
 *
 * <p>Detection looks at the first lines only: a {@code Package:} field means dpkg, {@code P:} and
 * {@code V:} fields mean apk, a JSON object with a {@code "bomFormat"} key means CycloneDX, a first
 * line that reads as an rpm package means {@code rpm -qa}. Anything else is refused with the
 * reason, never read as a guess. Stateless and thread-safe.
 */
public final class InventoryReaders {
  /** The inventory formats that can be detected. */
  public enum Format {
    /** A dpkg status file ({@code /var/lib/dpkg/status}) or a {@code status.d} directory. */
    DPKG_STATUS,
    /** The apk installed database ({@code /lib/apk/db/installed}). */
    APK_INSTALLED,
    /** The output of {@code rpm -qa}, in the default or a common query format. */
    RPM_QA,
    /** A CycloneDX JSON SBOM, read by {@link CycloneDxReader}. */
    CYCLONEDX_JSON
  }

  private static final int SNIFF_LINES = 64;

  /**
   * How much of a JSON file is searched for {@code "bomFormat"}: SBOM tools write it among the
   * first keys, after at most a {@code $schema}.
   */
  private static final int SNIFF_CHARS = 16 * 1024;

  /**
   * What detection reads at most: {@link #SNIFF_LINES} lines of the longest a line may be, so that
   * {@code /dev/zero} or a file of one endless line is refused after a few megabytes.
   */
  private static final ReadLimits SNIFF_LIMITS =
      ReadLimits.builder()
          .maxDocumentBytes((long) SNIFF_LINES * ReadLimits.defaults().maxLineLength())
          .build();

  private InventoryReaders() {}

  /**
   * The format of an inventory file or directory.
   *
   * @param path never null
   * @throws IllegalArgumentException naming the file when its content is no known format
   * @throws PatchException if it cannot be read
   */
  public static Format detect(Path path) {
    Objects.requireNonNull(path, "path");
    if (Files.isDirectory(path)) {
      return Format.DPKG_STATUS;
    }
    // JSON is told by a bounded prefix: a minified SBOM is one line of any length, which the line
    // sniffing below would read whole.
    String head = head(path);
    String start = head.stripLeading();
    if (start.isEmpty()) {
      throw new IllegalArgumentException("inventory " + path + " is empty");
    }
    if (start.startsWith("{") && head.contains("\"bomFormat\"")) {
      return Format.CYCLONEDX_JSON;
    }
    if (start.startsWith("{") || start.startsWith("[")) {
      throw new IllegalArgumentException(
          "inventory "
              + path
              + " is JSON but no CycloneDX SBOM (no \"bomFormat\" key near the start)");
    }
    boolean apkName = false;
    boolean apkVersion = false;
    String first = null;
    try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.ISO_8859_1)) {
      BoundedLines lines = BoundedLines.of(in, path.toString(), SNIFF_LIMITS);
      String line;
      for (int i = 0; i < SNIFF_LINES && (line = lines.next()) != null; i++) {
        String t = line.strip();
        if (t.isEmpty()) {
          continue;
        }
        if (first == null) {
          first = t;
        }
        if (t.startsWith("Package:")) {
          return Format.DPKG_STATUS;
        }
        apkName |= t.startsWith("P:");
        apkVersion |= t.startsWith("V:");
        if (apkName && apkVersion) {
          return Format.APK_INSTALLED;
        }
      }
    } catch (ReadLimitException e) {
      throw new IllegalArgumentException(
          "inventory "
              + e.quarantined().describe()
              + ": no inventory format cloudpatch reads has such long lines",
          e);
    } catch (IOException e) {
      throw new PatchException(
          Printable.escape("cannot read inventory " + path + ": " + e.getMessage()), e);
    }
    if (first == null) {
      throw new IllegalArgumentException("inventory " + path + " is empty");
    }
    try {
      if (RpmQaReader.parseLine(first) != null) {
        return Format.RPM_QA;
      }
    } catch (IllegalArgumentException e) {
      // An rpm-like line with a bad version: not enough to call the file rpm output.
    }
    throw new IllegalArgumentException(
        "inventory "
            + path
            + " is neither a dpkg status file, an apk installed database nor rpm -qa output");
  }

  /** Up to the first {@link #SNIFF_CHARS} characters of a file. */
  private static String head(Path path) {
    try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.ISO_8859_1)) {
      char[] buf = new char[SNIFF_CHARS];
      int n = 0;
      int r;
      while (n < buf.length && (r = in.read(buf, n, buf.length - n)) > 0) {
        n += r;
      }
      return new String(buf, 0, n);
    } catch (IOException e) {
      throw new PatchException("cannot read inventory " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads an inventory in the format {@link #detect} finds.
   *
   * @throws IllegalArgumentException naming the file when its content is no known format
   * @throws PatchException if it cannot be read
   */
  public static ReadBatch<InstalledPackage> read(Path path) {
    return read(path, ReadLimits.defaults());
  }

  /**
   * Reads an inventory in the format {@link #detect} finds, line-based formats under {@code
   * limits}.
   *
   * @throws IllegalArgumentException naming the file when its content is no known format
   * @throws PatchException if it cannot be read
   */
  public static ReadBatch<InstalledPackage> read(Path path, ReadLimits limits) {
    Objects.requireNonNull(limits, "limits");
    return switch (detect(path)) {
      case DPKG_STATUS -> DpkgStatusReader.create(limits).read(path);
      case APK_INSTALLED -> ApkInstalledReader.create(limits).read(path);
      case RPM_QA -> RpmQaReader.create(limits).read(path);
      case CYCLONEDX_JSON -> CycloneDxReader.create().read(path);
    };
  }
}
