package org.cloudpatch.adapters.osv;

import java.io.IOException;
import java.io.InputStream;
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
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.OsvReader;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.core.batch.ReadLimits;
import org.cloudpatch.core.spi.AdvisoryFeed;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The advisories of one OSV ecosystem as osv.dev exports them (an archive of the ecosystem, one
 * document per record and a change index), read over HTTP with the JDK's {@link HttpClient}.
 *
 * <p>The export lives at {@code <base>/<ecosystem>/}: {@code all.zip}, {@code <id>.json} per record
 * ({@link #advisory}) and {@code modified_id.csv} (incremental mode).
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
 *   <li><b>Incremental updates.</b> With {@link Builder#incremental(boolean)}, a fetch from a
 *       cursor reads the change index ({@code <modified>,<id>} per record, newest first,
 *       conditionally on its ETag), stops at the first line older than the cursor, and GETs only
 *       the records after it, one {@code <id>.json} each, in the same order and with the same
 *       cursors as the archive, so either mode resumes the other's cursor. A record is delivered
 *       only when its own {@code modified} is the one its index line names: a record the index
 *       lists but the bucket does not hold yet, or holds in another version, means the export is
 *       mid-update, and the page ends before it (an empty page when it is the first; after {@link
 *       Builder#maxAttempts} such fetches in a row on the same record the archive decides). A fetch
 *       without a cursor, or from the middle of an archive (an initial read under way), an index
 *       that is missing (HTTP 404 or 410), malformed or not newest first, or more changes than
 *       {@link ReadLimits#maxArchiveEntries()} reads {@code all.zip} instead; requests are retried
 *       as below either way.
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
  private final URI folder;
  private final URI archive;
  private final URI index;
  private final boolean incremental;
  private final HttpFetcher fetcher;
  private final OsvReader reader;
  private final ReadLimits limits;
  private final @Nullable Path configuredWorkDir;
  private @Nullable Path workDir;
  private @Nullable Snapshot current;
  private @Nullable Snapshot reported;
  private @Nullable Path indexFile;
  private Optional<String> indexEtag = Optional.empty();
  private Optional<String> indexLastModified = Optional.empty();
  private final int stallLimit;
  private ModifiedIndex.@Nullable Entry stalledOn;
  private int stalled;

  private OsvFeed(Builder b, String ecosystem, URI base) {
    this.name = b.name != null ? b.name : "osv:" + ecosystem;
    this.folder = base.resolve(segment(ecosystem) + "/");
    this.archive = folder.resolve("all.zip");
    this.index = folder.resolve("modified_id.csv");
    this.incremental = b.incremental;
    this.stallLimit = b.maxAttempts;
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
    if (incremental && cursor.isPresent() && !midArchive(from)) {
      Page page = incrementalPage(from, cursor, max);
      if (page != null) {
        return page;
      }
    }
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
   * The current version of one record, {@code <base>/<ecosystem>/<id>.json}, or empty when the
   * bucket holds no such record (HTTP 404 or 410). Retried like every request of the feed.
   *
   * @throws IllegalArgumentException for an id that cannot name a record file (a path, a comma)
   * @throws PatchException when the record could not be had after the bounded attempts, or holds no
   *     usable record of that id (naming the reader's reasons)
   */
  public synchronized Optional<Advisory> advisory(AdvisoryId id) {
    Objects.requireNonNull(id, "id");
    String bad = ModifiedIndex.badId(id.value());
    if (bad != null) {
      throw new IllegalArgumentException("not an osv.dev record id: '" + id.value() + "' " + bad);
    }
    URI uri = recordUri(id.value());
    Optional<ReadBatch<Advisory>> batch = getRecord(uri);
    if (batch.isEmpty()) {
      return Optional.empty();
    }
    Advisory a = find(batch.get(), id.value());
    if (a == null) {
      throw new PatchException(
          uri
              + ": no usable record "
              + id.value()
              + (batch.get().quarantined().isEmpty()
                  ? " (the document holds other ids)"
                  : ": " + describe(batch.get().quarantined())));
    }
    return Optional.of(a);
  }

  /**
   * Whether the cursor stands inside an archive that still holds records after it (an initial read
   * under way): reading on in the archive costs one conditional request, the index one per record.
   */
  private boolean midArchive(Cursor from) {
    Snapshot cached = current;
    if (cached != null) {
      return cached.firstAfter(from) < cached.keys.size();
    }
    return !from.atEnd() && (from.etag().isPresent() || from.lastModified().isPresent());
  }

  /**
   * A page read through the change index, or null when the archive must be read instead (the class
   * comment says when).
   */
  private @Nullable Page incrementalPage(Cursor from, Optional<String> cursor, int max) {
    Path csv = refreshIndex();
    if (csv == null) {
      log.info("{}: {} is missing; reading {}", name, index, archive);
      return null;
    }
    ModifiedIndex.Scan scan =
        ModifiedIndex.after(csv, from, index.toString(), limits.maxArchiveEntries());
    if (scan instanceof ModifiedIndex.Unusable u) {
      log.warn("{}: {}; reading {} instead", name, u.reason(), archive);
      return null;
    }
    List<ModifiedIndex.Entry> changed = ((ModifiedIndex.Changed) scan).entries();
    if (changed.isEmpty()) {
      log.debug("{}: {} lists nothing after the cursor", name, index);
      return Page.builder().nextCursor(cursor).build();
    }
    List<Advisory> advisories = new ArrayList<>();
    List<Quarantined> quarantined = new ArrayList<>();
    ModifiedIndex.Entry passed = null;
    for (ModifiedIndex.Entry e : changed.subList(0, Math.min(max, changed.size()))) {
      URI uri = recordUri(e.id());
      Optional<ReadBatch<Advisory>> batch = getRecord(uri);
      if (batch.isEmpty()) {
        log.warn(
            "{}: {} lists {} ({}) but {} is absent; the export is mid-update, the page ends here",
            name,
            index,
            e.id(),
            e.modified(),
            uri);
        break;
      }
      Advisory a = find(batch.get(), e.id());
      if (a != null && !a.modified().equals(e.modified())) {
        log.warn(
            "{}: {} lists {} as modified {} but {} holds {}; the export is mid-update, the page"
                + " ends here",
            name,
            index,
            e.id(),
            e.modified(),
            uri,
            a.modified());
        break;
      }
      quarantined.addAll(batch.get().quarantined());
      if (a == null) {
        if (batch.get().quarantined().isEmpty()) {
          quarantined.add(
              Quarantined.of(uri.toString(), "/id", "holds no record " + e.id() + "; skipped"));
        }
      } else {
        advisories.add(a);
      }
      passed = e;
    }
    if (passed == null) {
      ModifiedIndex.Entry first = changed.get(0);
      stalled = first.equals(stalledOn) ? stalled + 1 : 1;
      stalledOn = first;
      if (stalled >= stallLimit) {
        log.warn(
            "{}: {} disagreed with {} on {} fetches in a row; reading {}",
            name,
            first.id(),
            index,
            stalled,
            archive);
        stalled = 0;
        stalledOn = null;
        return null;
      }
      return Page.builder().nextCursor(cursor).build();
    }
    stalled = 0;
    stalledOn = null;
    Cursor next =
        new Cursor(name, passed.modified(), passed.id(), Optional.empty(), Optional.empty(), false);
    return Page.builder()
        .advisories(advisories)
        .quarantined(quarantined)
        .nextCursor(next.encode())
        .build();
  }

  /** The change index, asked conditionally on the copy this process holds; null when missing. */
  private @Nullable Path refreshIndex() {
    Path cached = indexFile;
    Optional<String> etag = cached != null ? indexEtag : Optional.empty();
    Optional<String> since =
        cached != null && etag.isEmpty() ? indexLastModified : Optional.empty();
    HttpFetcher.Outcome outcome = fetcher.get(index, etag, since, workDir(), f -> {});
    if (outcome instanceof HttpFetcher.NotModified) {
      return cached;
    }
    if (cached != null) {
      HttpFetcher.deleteQuietly(cached);
    }
    indexFile = null;
    if (outcome instanceof HttpFetcher.Downloaded d) {
      indexFile = d.file();
      indexEtag = d.etag();
      indexLastModified = d.lastModified();
      return d.file();
    }
    return null;
  }

  /** One record document as the reader reads it, or empty when the bucket has none. */
  private Optional<ReadBatch<Advisory>> getRecord(URI uri) {
    HttpFetcher.Outcome outcome =
        fetcher.get(uri, Optional.empty(), Optional.empty(), workDir(), f -> {});
    if (!(outcome instanceof HttpFetcher.Downloaded d)) {
      return Optional.empty(); // Missing: an unconditional GET is never answered 304
    }
    try (InputStream in = Files.newInputStream(d.file())) {
      return Optional.of(reader.read(in, uri.toString()));
    } catch (IOException e) {
      throw new PatchException(uri + ": cannot read the downloaded record: " + e, e);
    } finally {
      HttpFetcher.deleteQuietly(d.file());
    }
  }

  private static @Nullable Advisory find(ReadBatch<Advisory> batch, String id) {
    for (Advisory a : batch.accepted()) {
      if (a.id().value().equals(id)) {
        return a;
      }
    }
    return null;
  }

  private static String describe(List<Quarantined> quarantined) {
    StringBuilder s = new StringBuilder();
    for (Quarantined q : quarantined) {
      s.append(s.length() == 0 ? "" : "; ").append(q.position()).append(": ").append(q.reason());
    }
    return s.toString();
  }

  private URI recordUri(String id) {
    return folder.resolve(segment(id) + ".json");
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
    if (outcome instanceof HttpFetcher.Missing m) {
      throw new PatchException("GET " + archive + ": HTTP " + m.status() + "; not retried");
    }
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
    private boolean incremental;

    private Builder() {}

    /**
     * Whether a fetch from a cursor reads the change index {@code modified_id.csv} and GETs only
     * the records that changed, instead of the whole archive; off by default. The class comment
     * says when the archive is read anyway.
     */
    public Builder incremental(boolean incremental) {
      this.incremental = incremental;
      return this;
    }

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
