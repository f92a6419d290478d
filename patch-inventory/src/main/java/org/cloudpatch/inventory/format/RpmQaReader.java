package org.cloudpatch.inventory.format;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Reads the output of {@code rpm -qa} into {@link InstalledPackage} values, versions written as
 * {@code [epoch:]version-release}.
 *
 * <p>Accepted, one package per line:
 *
 * <ul>
 *   <li>the default NEVRA, {@code name-version-release.arch}, also with an epoch ({@code
 *       name-1:version-release.arch}) or without an arch, and with anything after it separated by
 *       blanks (install dates from {@code --last} or {@code %{INSTALLTIME:date}});
 *   <li>blank-separated fields, {@code %{NAME} [%{EPOCHNUM}:]%{VERSION}-%{RELEASE} [%{ARCH}]}, also
 *       with {@code %{EPOCH}}, which rpm prints as {@code (none)} for a package without one.
 * </ul>
 *
 * <p><b>Epochs.</b> The default output never writes the epoch, even for a package that has one
 * ({@code NetworkManager-1.40.16-18.el8_10.x86_64} is {@code 1:1.40.16-18.el8_10}), so a version
 * read without one keeps none: its epoch is <em>unknown</em>, and matching compares it with an
 * advisory's version by version-release alone ({@link
 * org.cloudpatch.inventory.version.VersionScheme#compareInstalled}), never as epoch 0. An epoch rpm
 * printed as {@code (none)} or {@code 0} is known to be 0 and is written {@code 0:}. When a read
 * has packages of unknown epoch, its batch carries one {@link ReadBatch#warnings() warning} with
 * their count and the command that lists the epochs ({@value #EPOCH_COMMAND}).
 *
 * <p>{@code gpg-pubkey} entries are keys, not software, and are skipped. A line that fits neither
 * form, or whose version rpm could not order, is quarantined with its line number; the rest is
 * read. Lines and the input are bounded by {@link ReadLimits}. Stateless and thread-safe.
 */
public final class RpmQaReader {
  private static final Set<String> ARCHES =
      Set.of(
          "x86_64", "noarch", "i386", "i486", "i586", "i686", "aarch64", "ppc64le", "ppc64", "ppc",
          "s390x", "s390", "armv7hl", "armv7l", "armhfp", "src", "nosrc", "riscv64", "ia64",
          "athlon", "alpha");
  private static final Pattern EVR =
      Pattern.compile("((?:\\d+|\\(none\\)):)?([^\\s:-]+)-([^\\s:-]+)");

  /** The query that lists packages with their epochs, in a form this reader accepts. */
  public static final String EPOCH_COMMAND =
      "rpm -qa --queryformat '%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE} %{ARCH}\\n'";

  private static final VersionScheme RPM = VersionSchemes.forEcosystem("Red Hat").orElseThrow();

  private final ReadLimits limits;

  private RpmQaReader(ReadLimits limits) {
    this.limits = limits;
  }

  /** A reader under {@link ReadLimits#defaults()}. */
  public static RpmQaReader create() {
    return new RpmQaReader(ReadLimits.defaults());
  }

  /** A reader under {@code limits}. */
  public static RpmQaReader create(ReadLimits limits) {
    return new RpmQaReader(Objects.requireNonNull(limits, "limits"));
  }

  /**
   * Reads a file of {@code rpm -qa} output.
   *
   * @throws PatchException if it cannot be read at all
   */
  public ReadBatch<InstalledPackage> read(Path path) {
    Objects.requireNonNull(path, "path");
    try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      return parse(in, path.toString());
    } catch (IOException | UncheckedIOException e) {
      throw new PatchException(
          Printable.escape("cannot read rpm -qa output " + path + ": " + e.getMessage()), e);
    }
  }

  /**
   * Reads {@code rpm -qa} text.
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
    int epochUnknown = 0;
    BoundedLines lines = BoundedLines.of(in, source, limits);
    while (true) {
      String line;
      try {
        line = lines.next();
      } catch (ReadLimitException e) {
        batch.quarantine(e.quarantined());
        if (e.endsInput()) {
          break;
        }
        continue;
      }
      if (line == null) {
        break;
      }
      int number = lines.lineNumber();
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("gpg-pubkey")) {
        continue;
      }
      String problem;
      try {
        InstalledPackage pkg = parseLine(t);
        if (pkg != null) {
          batch.accept(pkg);
          epochUnknown += RPM.epochUnknown(pkg.version()) ? 1 : 0;
          continue;
        }
        problem = "not an rpm -qa line (expected name-version-release.arch)";
      } catch (IllegalArgumentException e) {
        problem = String.valueOf(e.getMessage());
      }
      batch.quarantine(Quarantined.of(source, "line " + number, problem));
    }
    if (epochUnknown > 0) {
      batch.warn(epochWarning(epochUnknown));
    }
    return batch.build();
  }

  /** The warning of a read with {@code count} packages of unknown epoch. */
  static String epochWarning(int count) {
    return count
        + (count == 1 ? " package has" : " packages have")
        + " no epoch (rpm -qa's default output leaves it out), so each was compared with"
        + " advisories by version-release alone; for exact results list the packages with: "
        + EPOCH_COMMAND;
  }

  /** The package on a line, or null when the line has neither accepted form. */
  static @Nullable InstalledPackage parseLine(String line) {
    String[] f = line.split("\\s+");
    if (f.length >= 2 && EVR.matcher(f[1]).matches() && !f[0].isEmpty()) {
      Matcher m = EVR.matcher(f[1]);
      if (m.matches() && (f.length == 2 || (f.length == 3 && isArchLike(f[2])))) {
        return of(f[0], m.group(1), m.group(2), m.group(3));
      }
    }
    String nevra = f[0];
    int dot = nevra.lastIndexOf('.');
    if (dot > 0 && ARCHES.contains(nevra.substring(dot + 1))) {
      nevra = nevra.substring(0, dot);
    }
    int releaseHyphen = nevra.lastIndexOf('-');
    if (releaseHyphen <= 0) {
      return null;
    }
    int versionHyphen = nevra.lastIndexOf('-', releaseHyphen - 1);
    if (versionHyphen <= 0) {
      return null;
    }
    String name = nevra.substring(0, versionHyphen);
    String ev = nevra.substring(versionHyphen + 1, releaseHyphen);
    String release = nevra.substring(releaseHyphen + 1);
    int colon = ev.indexOf(':');
    String epoch = colon < 0 ? null : ev.substring(0, colon + 1);
    String version = colon < 0 ? ev : ev.substring(colon + 1);
    if (version.isEmpty()
        || release.isEmpty()
        || (epoch != null && !epoch.matches("\\d+:") && !epoch.equals("(none):"))) {
      return null;
    }
    return of(name, epoch, version, release);
  }

  private static boolean isArchLike(String s) {
    return ARCHES.contains(s) || s.equals("(none)");
  }

  private static InstalledPackage of(
      String name, @Nullable String epoch, String version, String release) {
    // No epoch written: unknown, and kept absent. rpm's "(none)" is a known 0.
    String evr =
        (epoch == null ? "" : epoch.equals("(none):") ? "0:" : epoch) + version + "-" + release;
    RPM.validate(evr);
    return InstalledPackage.of(name, evr);
  }
}
