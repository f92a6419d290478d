package org.cloudpatch.adapters.osv;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.OsvReader;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.batch.ReadLimits;
import org.cloudpatch.core.spi.AdvisoryFeed;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The advisories of one OSV ecosystem as osv.dev exports them ({@code <base>/<ecosystem>/all.zip}),
 * read over HTTP with the JDK's {@link HttpClient}.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li><b>Order and cursors.</b> Advisories come in the order of their {@code modified} instant,
 *       then their id; a cursor is the position after the last advisory of its page, so a new
 *       process that resumes from the last cursor it acknowledged gets every later advisory once
 *       and none it acknowledged. An advisory that changes comes again with its later {@code
 *       modified}. A cursor of another feed, or none at all, is refused with {@link
 *       IllegalArgumentException}. The position relies on what osv.dev promises of {@code
 *       modified}: that it moves forward when a record changes; a record that appeared later with a
 *       {@code modified} before a reader's position would not reach that reader.
 *   <li><b>Conditional downloads.</b> Every fetch asks the server with {@code If-None-Match} (or
 *       {@code If-Modified-Since}) whether the archive changed; a 304 delivers nothing new and
 *       moves no cursor. A cursor at the end of the archive carries its validators, so a new
 *       process does not download an archive that has not changed.
 *   <li><b>Faults.</b> A request is bounded in time from sending it to the body's last byte; I/O
 *       errors, timeouts, bodies cut short of their {@code Content-Length}, torn archives and HTTP
 *       408/425/429/500/502/503/504 are retried with exponential backoff and jitter (from the
 *       injected {@link Random}), honouring {@code Retry-After} up to the largest backoff, for a
 *       bounded number of attempts; then {@code fetch} throws {@link PatchException} and the cursor
 *       stays where it was. Nothing is delivered from an archive that did not arrive whole.
 *   <li><b>Bounds.</b> A body longer than {@link Builder#maxBodyBytes} is cut off there with a
 *       {@link PatchException} naming the bound (a download goes to a file, never the heap whole);
 *       archive entries are read under {@link ReadLimits} (zip bombs) and nothing is extracted to
 *       disk.
 *   <li><b>Bad records.</b> Records are read by {@link OsvReader}; one it cannot use is quarantined
 *       with the archive entry and the JSON pointer, and comes with the first page fetched from
 *       that archive; the rest are delivered.
 * </ul>
 *
 * <p>Thread-safe; the engine calls it from one thread at a time. Downloaded archives are kept in
 * the work directory while current and deleted when replaced.
 */
public final class OsvFeed implements AdvisoryFeed {
  private static final Logger log = LoggerFactory.getLogger(OsvFeed.class);

  /** osv.dev's export bucket over HTTPS. */
  public static final URI OSV_DEV =
      URI.create("https://osv-vulnerabilities.storage.googleapis.com/");

  private final String name;
  private final URI archive;
  private final HttpFetcher fetcher;
  private final OsvReader reader;
  private final ReadLimits limits;
  private final @Nullable Path configuredWorkDir;
  private @Nullable Path workDir;
  private @Nullable Snapshot current;
  private @Nullable Snapshot reported;

  private OsvFeed(Builder b, String ecosystem, URI base) {
    this.name = b.name != null ? b.name : "osv:" + ecosystem;
    this.archive = base.resolve(segment(ecosystem) + "/all.zip");
    this.limits = b.readLimits;
    this.reader = OsvReader.create(b.readLimits);
    this.configuredWorkDir = b.workDir;
    HttpClient client =
        b.httpClient != null
            ? b.httpClient
            : HttpClient.newBuilder()
                .connectTimeout(b.requestTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    this.fetcher =
        new HttpFetcher(
            client,
            b.clock,
            b.random,
            b.sleeper,
            b.requestTimeout,
            b.maxAttempts,
            b.initialBackoff,
            b.maxBackoff,
            b.maxBodyBytes);
  }

  /** A builder; {@link Builder#ecosystem} is required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  /** The archive this feed reads, {@code <base>/<ecosystem>/all.zip}. */
  public URI archive() {
    return archive;
  }

  /**
   * Advisories after {@code cursor} in the feed's order, at most {@code max}; see the class comment
   * for what is guaranteed.
   *
   * @throws IllegalArgumentException for {@code max < 1} or a cursor this feed did not issue
   * @throws PatchException when the archive could not be had after the bounded attempts, or it
   *     breaks a bound as a whole
   */
  @Override
  public synchronized Page fetch(Optional<String> cursor, int max) {
    Objects.requireNonNull(cursor, "cursor");
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1: " + max);
    }
    Cursor from = cursor.map(c -> Cursor.decode(name, c)).orElseGet(() -> Cursor.start(name));
    Snapshot snapshot = refresh(from);
    if (snapshot == null) {
      log.debug("{}: {} unchanged since the cursor's end; nothing new", name, archive);
      return Page.builder().nextCursor(cursor).build();
    }
    List<Quarantined> quarantined = new ArrayList<>();
    if (reported != snapshot) {
      quarantined.addAll(snapshot.quarantined);
      reported = snapshot;
    }
    int first = snapshot.firstAfter(from);
    int end = (int) Math.min(snapshot.keys.size(), (long) first + max);
    if (first >= end) {
      return Page.builder().quarantined(quarantined).nextCursor(cursor).build();
    }
    List<Snapshot.Key> keys = snapshot.keys.subList(first, end);
    List<Advisory> advisories = snapshot.read(keys);
    Snapshot.Key last = keys.get(keys.size() - 1);
    Cursor next =
        new Cursor(
            name,
            last.modified(),
            last.id(),
            snapshot.etag,
            snapshot.lastModified,
            end == snapshot.keys.size());
    return Page.builder()
        .advisories(advisories)
        .quarantined(quarantined)
        .nextCursor(next.encode())
        .build();
  }

  /**
   * The current archive after asking the server whether it changed; null when this process has none
   * and the server confirms the one the cursor ended in, so that nothing is new.
   */
  private @Nullable Snapshot refresh(Cursor from) {
    Snapshot cached = current;
    Optional<String> etag;
    Optional<String> lastModified;
    if (cached != null) {
      etag = cached.etag;
      lastModified = cached.lastModified;
    } else if (from.atEnd()) {
      etag = from.etag();
      lastModified = from.lastModified();
    } else {
      etag = Optional.empty();
      lastModified = Optional.empty();
    }
    HttpFetcher.Outcome outcome =
        fetcher.get(
            archive,
            etag,
            etag.isPresent() ? Optional.empty() : lastModified,
            workDir(),
            Snapshot::checkArchive);
    if (outcome instanceof HttpFetcher.Downloaded d) {
      Snapshot fresh;
      try {
        fresh =
            Snapshot.index(
                d.file(), archive.toString(), d.etag(), d.lastModified(), reader, limits);
      } catch (RuntimeException e) {
        HttpFetcher.deleteQuietly(d.file());
        throw e;
      }
      log.info(
          "{}: downloaded {} ({} records, {} quarantined, ETag {})",
          name,
          archive,
          fresh.keys.size(),
          fresh.quarantined.size(),
          d.etag().orElse("none"));
      if (cached != null) {
        HttpFetcher.deleteQuietly(cached.file);
      }
      current = fresh;
      return fresh;
    }
    return cached;
  }

  private Path workDir() {
    Path dir = workDir;
    if (dir == null) {
      try {
        dir =
            configuredWorkDir != null
                ? Files.createDirectories(configuredWorkDir)
                : Files.createTempDirectory("cloudpatch-osv-");
      } catch (IOException e) {
        throw new PatchException("cannot create the work directory for " + name + ": " + e, e);
      }
      workDir = dir;
    }
    return dir;
  }

  /** An ecosystem name as one path segment of a URI ({@code Rocky Linux}, {@code Debian:12}). */
  private static String segment(String ecosystem) {
    return URLEncoder.encode(ecosystem, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * Builds an {@link OsvFeed}: what to read, and how hard to try. Not thread-safe; every setting
   * has a default but the ecosystem.
   */
  public static final class Builder {
    private @Nullable String ecosystem;
    private @Nullable String name;
    private URI base = OSV_DEV;
    private Clock clock = Clock.systemUTC();
    private Random random = new Random();
    private Sleeper sleeper = Sleeper.system();
    private @Nullable HttpClient httpClient;
    private Duration requestTimeout = Duration.ofMinutes(2);
    private int maxAttempts = 5;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofMinutes(1);
    private long maxBodyBytes = 1024L * 1024 * 1024;
    private ReadLimits readLimits = ReadLimits.defaults();
    private @Nullable Path workDir;

    private Builder() {}

    /** The OSV ecosystem, as osv.dev names its folder: {@code Debian}, {@code PyPI}; required. */
    public Builder ecosystem(String ecosystem) {
      this.ecosystem = nonBlank(ecosystem, "ecosystem");
      return this;
    }

    /** The feed's name, which keys its cursor; {@code osv:<ecosystem>} by default. */
    public Builder name(String name) {
      this.name = nonBlank(name, "name");
      return this;
    }

    /** Where the export lives; {@link #OSV_DEV} by default. A path is kept (a trailing / added). */
    public Builder baseUri(URI base) {
      String s = Objects.requireNonNull(base, "base").toString();
      if (!base.isAbsolute()) {
        throw new IllegalArgumentException("the base URI must be absolute: " + s);
      }
      this.base = URI.create(s.endsWith("/") ? s : s + "/");
      return this;
    }

    /** The clock that dates {@code Retry-After}; the system clock in UTC by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where the jitter of backoffs comes from; give a seeded one for reproducible waits. */
    public Builder random(Random random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** The HTTP client (a proxy, TLS settings); one that follows redirects by default. */
    public Builder httpClient(HttpClient client) {
      this.httpClient = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The bound on one request, from sending it to the body's last byte; 2 minutes by default. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /** Attempts of one request before {@code fetch} gives up; 5 by default, at least 1. */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1: " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * The first and the largest wait between attempts; 1 second and 1 minute by default. Each wait
     * doubles the step, waits half of it plus a random part of the other half, and at least what a
     * {@code Retry-After} asks for up to {@code max}.
     */
    public Builder backoff(Duration initial, Duration max) {
      positive(initial, "initial backoff");
      positive(max, "max backoff");
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("max backoff " + max + " is below " + initial);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /** The longest body taken from the server; 1 GiB by default. */
    public Builder maxBodyBytes(long max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxBodyBytes must be at least 1: " + max);
      }
      this.maxBodyBytes = max;
      return this;
    }

    /** The bounds on archive entries and documents; {@link ReadLimits#defaults()} by default. */
    public Builder readLimits(ReadLimits limits) {
      this.readLimits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** Where downloads are kept; a new temporary directory by default. */
    public Builder workDir(Path dir) {
      this.workDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** Tests spend no time backing off. */
    Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * The feed.
     *
     * @throws IllegalStateException when no ecosystem was given
     */
    public OsvFeed build() {
      String eco = ecosystem;
      if (eco == null) {
        throw new IllegalStateException("an OsvFeed needs an ecosystem");
      }
      return new OsvFeed(this, eco, base);
    }

    private static String nonBlank(String s, String what) {
      Objects.requireNonNull(s, what);
      if (s.isBlank() || s.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException(what + " must be non-blank printable text: '" + s + "'");
      }
      return s;
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
