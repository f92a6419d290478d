package org.cloudpatch.adapters.rpm;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.batch.Printable;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.core.batch.ReadLimits;
import org.cloudpatch.inventory.format.RootFilesystem;
import org.cloudpatch.inventory.format.RpmQaReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packages installed in a root filesystem's rpm database, as the real rpm command lists them,
 * every version with its epoch.
 *
 * <p>The command is {@code rpm -qa --root ROOT --dbpath DIR --queryformat '%{NAME}
 * %{EPOCHNUM}:%{VERSION}-%{RELEASE} %{ARCH}\n'}, its output read by {@link RpmQaReader}.
 *
 * <p>Guarantees: the database is found where rpm keeps it ({@link #LOCATIONS}, links followed
 * inside the root only) and handed to rpm by its path, so the reading machine's own {@code
 * %_dbpath} (Debian's rpm keeps its own in the home directory) does not matter. rpm runs with its
 * standard input closed and under a time bound, after which it is stopped; a missing {@code rpm}
 * command, a non-zero exit or a timeout is a {@link PatchException} that names the root, the
 * command and rpm's last error line. A line of output the reader cannot use is quarantined; the
 * rest is read. Immutable and thread-safe.
 */
public final class RpmDatabase {
  private static final Logger log = LoggerFactory.getLogger(RpmDatabase.class);

  /** Where rpm keeps its database, relative to the root, in the order they are looked for. */
  public static final List<String> LOCATIONS = List.of("usr/lib/sysimage/rpm", "var/lib/rpm");

  /** The files of rpm's database backends: SQLite (rpm 4.16+), Berkeley DB, ndb. */
  private static final List<String> BACKENDS = List.of("rpmdb.sqlite", "Packages", "Packages.db");

  private static final String QUERY_FORMAT = "%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE} %{ARCH}\\n";

  private final String command;
  private final Duration timeout;
  private final ReadLimits limits;

  private RpmDatabase(String command, Duration timeout, ReadLimits limits) {
    this.command = command;
    this.timeout = timeout;
    this.limits = limits;
  }

  /** Runs {@code rpm} from the {@code PATH}, for at most 2 minutes, under default read limits. */
  public static RpmDatabase create() {
    return new RpmDatabase("rpm", Duration.ofMinutes(2), ReadLimits.defaults());
  }

  /**
   * Runs {@code command} (a path to rpm, or its name on the {@code PATH}) for at most {@code
   * timeout}, reading its output under {@code limits}.
   */
  public static RpmDatabase of(String command, Duration timeout, ReadLimits limits) {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(limits, "limits");
    if (command.isBlank()) {
      throw new IllegalArgumentException("the rpm command must not be blank");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the timeout must be positive: " + timeout);
    }
    return new RpmDatabase(command, timeout, limits);
  }

  /**
   * The database directory of {@code root}, relative to it ({@code var/lib/rpm}), if it holds one.
   *
   * @throws PatchException when {@code root} is no readable directory
   */
  public static Optional<String> locate(Path root) {
    RootFilesystem fs = RootFilesystem.of(root);
    for (String location : LOCATIONS) {
      for (String backend : BACKENDS) {
        try {
          if (fs.regularFile(location + "/" + backend).isPresent()) {
            return Optional.of(location);
          }
        } catch (IllegalArgumentException e) {
          log.debug("{}: {} is not looked at: {}", root, location, e.getMessage());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The packages rpm lists for {@code root}.
   *
   * @throws PatchException when the root holds no rpm database, or rpm cannot be run, fails or does
   *     not finish in time
   */
  public ReadBatch<InstalledPackage> read(Path root) {
    Objects.requireNonNull(root, "root");
    String dbpath =
        locate(root)
            .orElseThrow(
                () ->
                    new PatchException(
                        Printable.escape(
                            root
                                + " holds no rpm database (looked for "
                                + String.join(" or ", BACKENDS)
                                + " in "
                                + String.join(" and ", LOCATIONS)
                                + ")")));
    Path real = RootFilesystem.of(root).root();
    List<String> argv =
        List.of(
            command,
            "-qa",
            "--root",
            real.toString(),
            "--dbpath",
            "/" + dbpath,
            "--queryformat",
            QUERY_FORMAT);
    String shown = Printable.escape(command + " -qa --root " + real + " --dbpath /" + dbpath);
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("cloudpatch-rpm-", ".out");
      err = Files.createTempFile("cloudpatch-rpm-", ".err");
      Process process;
      try {
        process =
            new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
      } catch (IOException e) {
        throw new PatchException(
            Printable.escape(
                "cannot run "
                    + command
                    + " to list the rpm database of "
                    + root
                    + " ("
                    + e.getMessage()
                    + "); install rpm (apt-get install rpm on Debian), or give the output of"
                    + " rpm -qa --root ROOT --queryformat '"
                    + QUERY_FORMAT
                    + "' as an inventory"),
            e);
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(5, TimeUnit.SECONDS);
        }
        throw new PatchException(shown + " did not finish within " + timeout + "; it was stopped");
      }
      int exit = process.exitValue();
      if (exit != 0) {
        throw new PatchException(shown + " failed with exit code " + exit + ": " + lastLine(err));
      }
      try (BufferedReader in = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
        return RpmQaReader.create(limits).read(in, shown);
      }
    } catch (IOException | UncheckedIOException e) {
      throw new PatchException(shown + ": cannot read its output: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PatchException(shown + ": interrupted", e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  /** rpm's last line on standard error (its reason), bounded, or a note that it said nothing. */
  private static String lastLine(Path err) throws IOException {
    String last = "";
    try (BufferedReader in = Files.newBufferedReader(err, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.isBlank()) {
          last = line.strip();
        }
      }
    } catch (java.nio.charset.MalformedInputException e) {
      return "(its error output is not UTF-8)";
    }
    if (last.isEmpty()) {
      return "(no error output)";
    }
    return Printable.escape(last.length() > 300 ? last.substring(0, 300) + "..." : last);
  }

  private static void deleteQuietly(@org.jspecify.annotations.Nullable Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.debug("cannot delete {}: {}", file, e.toString());
    }
  }
}
