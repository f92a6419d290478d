package org.cloudpatch.inventory.format;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.batch.BoundedLines;
import org.cloudpatch.core.batch.Printable;
import org.cloudpatch.core.batch.ReadLimitException;
import org.cloudpatch.core.batch.ReadLimits;

/**
 * Reads {@code /etc/os-release} (see os-release(5)) into the {@link Platform} whose OSV ecosystem
 * holds the distribution's advisories.
 *
 * <p>The release is written as the OSV ecosystem writes it:
 *
 * <ul>
 *   <li>{@code ID=debian} with {@code VERSION_ID="12"} gives {@code Debian:12}; {@code ID=ubuntu}
 *       with {@code VERSION_ID="22.04"} gives {@code Ubuntu:22.04};
 *   <li>{@code ID=alpine} with {@code VERSION_ID=3.18.4} gives {@code Alpine:v3.18}, the release
 *       branch (a version that is not all numbers, as edge's, is kept as it is);
 *   <li>{@code ID=rhel}, {@code rocky} and {@code almalinux} give {@code Red Hat}, {@code Rocky
 *       Linux} and {@code AlmaLinux} with the major release ({@code 9.3} → {@code 9});
 *   <li>{@code ID=sles} and the openSUSE IDs give {@code SUSE} and {@code openSUSE} with the
 *       product name of {@code PRETTY_NAME}, as OSV does ({@code PRETTY_NAME="openSUSE Leap 15.5"}
 *       → {@code openSUSE:Leap 15.5}).
 * </ul>
 *
 * <p>A distribution without {@code VERSION_ID} (Debian testing and unstable) gets an empty release,
 * which only release-less advisories match. An {@code ID} cloudpatch does not know yet is kept as
 * it is (e.g. {@code fedora:39}): it names no OSV ecosystem, so it matches no advisory rather than
 * the wrong ones.
 */
public final class OsRelease {
  /** os-release {@code ID} → OSV ecosystem name, for the distributions cloudpatch can match. */
  private static final Map<String, String> ECOSYSTEMS =
      Map.of(
          "debian", "Debian",
          "ubuntu", "Ubuntu",
          "alpine", "Alpine",
          "rhel", "Red Hat",
          "rocky", "Rocky Linux",
          "almalinux", "AlmaLinux",
          "sles", "SUSE",
          "sled", "SUSE",
          "opensuse-leap", "openSUSE",
          "opensuse-tumbleweed", "openSUSE");

  /**
   * os-release files are a few hundred bytes; these bounds leave room for any real one and keep a
   * link to {@code /dev/zero} or a huge file from being read whole.
   */
  private static final ReadLimits LIMITS =
      ReadLimits.builder().maxLineLength(4096).maxDocumentBytes(64 * 1024).build();

  private OsRelease() {}

  /**
   * Reads an os-release file.
   *
   * @param path the file, never null
   * @throws PatchException if it cannot be read, or is longer than any os-release file (a line
   *     beyond 4 KiB, the file beyond 64 KiB)
   */
  public static Platform read(Path path) {
    Objects.requireNonNull(path, "path");
    StringBuilder text = new StringBuilder();
    try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      BoundedLines lines = BoundedLines.of(in, path.toString(), LIMITS);
      String line;
      while ((line = lines.next()) != null) {
        text.append(line).append('\n');
      }
    } catch (ReadLimitException e) {
      throw new PatchException("cannot read os-release: " + e.quarantined().describe(), e);
    } catch (IOException e) {
      throw new PatchException(
          Printable.escape("cannot read os-release " + path + ": " + e.getMessage()), e);
    }
    return parse(text.toString());
  }

  /**
   * Parses os-release text.
   *
   * @param text the file's content, never null
   */
  public static Platform parse(String text) {
    Objects.requireNonNull(text, "text");
    Map<String, String> fields = fields(text);
    String id = id(fields);
    String distribution = ECOSYSTEMS.getOrDefault(id, id);
    // A colon would split the ecosystem name in the wrong place.
    distribution = distribution.replace(':', '-');
    String version = fields.getOrDefault("VERSION_ID", "").strip();
    String release =
        switch (distribution) {
          case "Alpine" -> version.matches("\\d+(\\.\\d+)*") ? alpineBranch(version) : version;
          case "Red Hat", "Rocky Linux", "AlmaLinux" -> version.split("\\.", 2)[0];
          case "SUSE", "openSUSE" -> suseProduct(distribution, fields, version);
          default -> version;
        };
    return new Platform(distribution, release);
  }

  /** {@code 3.18.4} → {@code v3.18}. */
  private static String alpineBranch(String version) {
    String[] parts = version.split("\\.");
    return "v" + parts[0] + (parts.length > 1 ? "." + parts[1] : "");
  }

  /**
   * OSV names SUSE releases after {@code PRETTY_NAME} without the vendor word: {@code SUSE Linux
   * Enterprise Server 15 SP5} → {@code Linux Enterprise Server 15 SP5}, {@code openSUSE Tumbleweed}
   * → {@code Tumbleweed}. Without {@code PRETTY_NAME}, the version is the release.
   */
  private static String suseProduct(
      String distribution, Map<String, String> fields, String version) {
    String pretty = fields.getOrDefault("PRETTY_NAME", "").strip();
    if (pretty.isEmpty()) {
      return version;
    }
    String prefix = distribution + " ";
    return pretty.regionMatches(true, 0, prefix, 0, prefix.length())
        ? pretty.substring(prefix.length()).strip()
        : pretty;
  }

  /**
   * {@code ID}; without it, the first word of {@code NAME} when that names a known distribution
   * (trimmed copies of os-release lose ID, but keep {@code NAME="Debian GNU/Linux"}); else {@code
   * linux}, the default os-release(5) gives.
   */
  private static String id(Map<String, String> fields) {
    String id = fields.get("ID");
    if (id != null && !id.isBlank()) {
      return id.strip().toLowerCase(Locale.ROOT);
    }
    String name = fields.getOrDefault("NAME", "").strip();
    String first = name.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
    return ECOSYSTEMS.containsKey(first) ? first : "linux";
  }

  /** The assignments of the file, values unquoted as a POSIX shell would. */
  static Map<String, String> fields(String text) {
    Map<String, String> fields = new HashMap<>();
    for (String raw : text.split("\r?\n|\r")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      fields.put(line.substring(0, eq).strip(), unquote(line.substring(eq + 1).strip()));
    }
    return fields;
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && value.charAt(0) == '\'' && value.endsWith("'")) {
      return value.substring(1, value.length() - 1);
    }
    if (value.length() >= 2 && value.charAt(0) == '"' && value.endsWith("\"")) {
      StringBuilder sb = new StringBuilder(value.length());
      for (int i = 1; i < value.length() - 1; i++) {
        char c = value.charAt(i);
        if (c == '\\' && i + 1 < value.length() - 1 && "\\\"$`".indexOf(value.charAt(i + 1)) >= 0) {
          c = value.charAt(++i);
        }
        sb.append(c);
      }
      return sb.toString();
    }
    return value;
  }
}
