package org.cloudpatch.adapters.osv;

import static org.cloudpatch.adapters.osv.OsvTestServer.Fault.ENDLESS;
import static org.cloudpatch.adapters.osv.OsvTestServer.Fault.ERROR_500;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.batch.ReadLimits;
import org.cloudpatch.core.spi.AdvisoryFeed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the OSV feed does with conditional requests, bad records, hostile archives and bodies. */
class OsvFeedTest {
  @TempDir Path work;
  private OsvTestServer server;
  private final List<Duration> sleeps = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = new OsvTestServer("Debian", 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private OsvFeed.Builder builder() {
    return OsvFeed.builder()
        .ecosystem("Debian")
        .baseUri(server.base())
        .clock(Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC))
        .random(new Random(7))
        .requestTimeout(Duration.ofSeconds(20))
        .workDir(work.resolve("feed"))
        .sleeper(sleeps::add);
  }

  private static Map<String, byte[]> three() {
    Map<String, byte[]> e = OsvTestServer.entries();
    e.put("DSA-3.json", OsvData.osv("DSA-3", "2026-01-03T00:00:00Z"));
    e.put("DSA-1.json", OsvData.osv("DSA-1", "2026-01-01T00:00:00Z"));
    e.put("DSA-2.json", OsvData.osv("DSA-2", "2026-01-02T00:00:00Z"));
    return e;
  }

  private static List<String> ids(AdvisoryFeed.Page page) {
    return page.advisories().stream().map(a -> a.id().value()).toList();
  }

  @Test
  void fetch_unchangedArchive_isAskedConditionallyAndMovesNothing() {
    server.publish(three());
    OsvFeed feed = builder().build();
    AdvisoryFeed.Page all = feed.fetch(Optional.empty(), 10);
    assertEquals(List.of("DSA-1", "DSA-2", "DSA-3"), ids(all), "modified order");
    AdvisoryFeed.Page again = feed.fetch(all.nextCursor(), 10);
    assertEquals(List.of(), again.advisories());
    assertEquals(all.nextCursor(), again.nextCursor());
    assertEquals(1, server.served, "downloads");
    assertEquals(1, server.notModified, "304s");
  }

  @Test
  void fetch_serverWithoutEtag_isAskedIfModifiedSinceAndA304MovesNothing() {
    server.sendEtag(false);
    server.publish(three());
    OsvFeed feed = builder().build();
    AdvisoryFeed.Page all = feed.fetch(Optional.empty(), 10);
    assertEquals(3, all.advisories().size());
    OsvFeed restarted = builder().workDir(work.resolve("restarted")).build();
    AdvisoryFeed.Page again = restarted.fetch(all.nextCursor(), 10);
    assertEquals(List.of(), again.advisories());
    assertEquals(all.nextCursor(), again.nextCursor());
    assertEquals(1, server.served, "downloads");
    assertEquals(1, server.notModified, "304s");
  }

  @Test
  void fetch_midArchiveCursorInANewProcess_downloadsAndContinuesAfterIt() {
    server.publish(three());
    AdvisoryFeed.Page first = builder().build().fetch(Optional.empty(), 1);
    assertEquals(List.of("DSA-1"), ids(first));
    OsvFeed restarted = builder().workDir(work.resolve("restarted")).build();
    AdvisoryFeed.Page rest = restarted.fetch(first.nextCursor(), 10);
    assertEquals(List.of("DSA-2", "DSA-3"), ids(rest));
  }

  @Test
  void fetch_badRecords_areQuarantinedWithEntryAndPointerOnceAndTheRestDelivered() {
    Map<String, byte[]> e = three();
    e.put("BAD-1.json", OsvTestServer.utf8("{\"id\":\"BAD-1\",\"modified\":\"yesterday\"}"));
    e.put("BAD-2.json", OsvTestServer.utf8("{\"id\":\"BAD-2\","));
    e.put("README.txt", OsvTestServer.utf8("not a record"));
    server.publish(e);
    OsvFeed feed = builder().build();
    AdvisoryFeed.Page page = feed.fetch(Optional.empty(), 2);
    assertEquals(List.of("DSA-1", "DSA-2"), ids(page));
    List<String> described = page.quarantined().stream().map(Quarantined::describe).toList();
    assertEquals(3, described.size(), described.toString());
    assertTrue(
        described.contains(
            feed.archive()
                + "!/BAD-1.json:/modified: 'modified' is not an RFC 3339"
                + " timestamp: 'yesterday'"),
        described.toString());
    assertTrue(
        described.stream().anyMatch(d -> d.startsWith(feed.archive() + "!/BAD-2.json:line 1")),
        described.toString());
    assertTrue(
        described.stream().anyMatch(d -> d.startsWith(feed.archive() + "!/README.txt:entry: not")),
        described.toString());
    AdvisoryFeed.Page next = feed.fetch(page.nextCursor(), 2);
    assertEquals(List.of("DSA-3"), ids(next));
    assertEquals(List.of(), next.quarantined(), "quarantine reported again");
  }

  @Test
  void fetch_entriesNamedAsPaths_areQuarantinedAndNothingIsExtracted() throws IOException {
    Map<String, byte[]> e = three();
    e.put("../../evil.json", OsvData.osv("EVIL-1", "2026-01-01T00:00:00Z"));
    e.put("/etc/evil.json", OsvData.osv("EVIL-2", "2026-01-01T00:00:00Z"));
    e.put("nested/DSA-9.json", OsvData.osv("DSA-9", "2026-01-01T00:00:00Z"));
    server.publish(e);
    AdvisoryFeed.Page page = builder().build().fetch(Optional.empty(), 10);
    assertEquals(List.of("DSA-1", "DSA-2", "DSA-3"), ids(page));
    assertEquals(3, page.quarantined().size());
    page.quarantined().forEach(q -> assertTrue(q.reason().contains("path"), q.describe()));
    try (Stream<Path> files = Files.walk(work)) {
      assertEquals(
          List.of(),
          files.filter(p -> p.getFileName().toString().contains("evil")).toList(),
          "an entry was written to disk");
    }
  }

  @Test
  void fetch_zipBombEntry_isQuarantinedNamingTheBoundAndTheRestDelivered() {
    Map<String, byte[]> e = three();
    byte[] bomb = new byte[32 * 1024 * 1024];
    java.util.Arrays.fill(bomb, (byte) ' ');
    e.put("BOMB.json", bomb);
    server.publish(e);
    AdvisoryFeed.Page page = builder().build().fetch(Optional.empty(), 10);
    assertEquals(List.of("DSA-1", "DSA-2", "DSA-3"), ids(page));
    assertEquals(1, page.quarantined().size());
    Quarantined q = page.quarantined().get(0);
    assertTrue(q.source().endsWith("!/BOMB.json"), q.describe());
    assertTrue(q.reason().contains("ReadLimits.maxCompressionRatio"), q.describe());
  }

  @Test
  void fetch_archiveExpandingBeyondItsBound_isRefusedWholeAndDeliversNothing() {
    server.publish(three());
    OsvFeed feed = builder().readLimits(ReadLimits.builder().maxArchiveBytes(150).build()).build();
    PatchException e = assertThrows(PatchException.class, () -> feed.fetch(Optional.empty(), 10));
    assertTrue(e.getMessage().contains("ReadLimits.maxArchiveBytes"), e.getMessage());
  }

  @Test
  void fetch_endlessBody_isCutOffAtTheBoundWithAClearErrorAndNotRetried() {
    server.publish(three());
    OsvFeed feed = builder().maxBodyBytes(1024 * 1024).build();
    server.inject(ENDLESS);
    PatchException e = assertThrows(PatchException.class, () -> feed.fetch(Optional.empty(), 10));
    assertTrue(e.getMessage().contains("longer than 1048576 bytes"), e.getMessage());
    assertTrue(e.getMessage().contains("maxBodyBytes"), e.getMessage());
    assertEquals(1, server.requests, "an endless body was asked for again");
    try (Stream<Path> files = Files.list(work.resolve("feed"))) {
      assertEquals(List.of(), files.toList(), "the cut-off download was left behind");
    } catch (IOException io) {
      throw new java.io.UncheckedIOException(io);
    }
  }

  @Test
  void fetch_failingEveryAttempt_throwsNamingTheAttemptsAndTheCursorStillWorks() {
    server.publish(three());
    OsvFeed feed = builder().maxAttempts(3).build();
    AdvisoryFeed.Page first = feed.fetch(Optional.empty(), 1);
    server.inject(ERROR_500, ERROR_500, ERROR_500);
    PatchException e = assertThrows(PatchException.class, () -> feed.fetch(first.nextCursor(), 1));
    assertTrue(e.getMessage().contains("failed after 3 attempts"), e.getMessage());
    assertTrue(e.getMessage().contains("HTTP 500"), e.getMessage());
    assertEquals(List.of("DSA-2"), ids(feed.fetch(first.nextCursor(), 1)));
  }

  @Test
  void fetch_retryAfterAsADate_isMeasuredOnTheInjectedClock() {
    server.publish(three());
    server.inject(OsvTestServer.Fault.UNAVAILABLE_UNTIL);
    // The clock stands at 2026-03-01T00:00:00Z: the server asks for 30 seconds.
    assertEquals(3, builder().build().fetch(Optional.empty(), 10).advisories().size());
    assertEquals(1, sleeps.size(), sleeps.toString());
    assertEquals(Duration.ofSeconds(30), sleeps.get(0));
  }

  @Test
  void fetch_unknownEcosystem_isNotFoundAndNotRetried() {
    server.publish(three());
    OsvFeed feed = builder().ecosystem("Nonesuch").build();
    PatchException e = assertThrows(PatchException.class, () -> feed.fetch(Optional.empty(), 10));
    assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
    assertEquals(1, server.requests);
    assertEquals(List.of(), sleeps);
  }

  @Test
  void fetch_cursorOfAnotherFeed_isRejected() {
    server.publish(three());
    Optional<String> cursor =
        builder().name("osv:a").build().fetch(Optional.empty(), 1).nextCursor();
    OsvFeed other = builder().name("osv:b").build();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> other.fetch(cursor, 1));
    assertTrue(e.getMessage().contains("belongs to feed 'osv:a'"), e.getMessage());
  }

  @Test
  void archive_ecosystemWithSpaceOrColon_isOnePathSegment() {
    assertEquals(
        server.base().resolve("Rocky%20Linux/all.zip"),
        builder().ecosystem("Rocky Linux").build().archive());
    assertEquals(
        server.base().resolve("Debian%3A12/all.zip"),
        builder().ecosystem("Debian:12").build().archive());
  }

  @Test
  void backoff_growsExponentiallyWithJitterWithinTheStepAndHonoursRetryAfterUpToTheMax() {
    qt().forAll(longs().all(), integers().between(1, 30))
        .checkAssert(
            (seed, failed) -> {
              HttpFetcher f = fetcher(new Random(seed));
              long step = Math.min(1000L << Math.min(failed - 1, 20), 60_000L);
              long wait = f.backoff(failed, Duration.ZERO).toMillis();
              assertTrue(wait >= step / 2 && wait <= step, failed + ": " + wait + " of " + step);
              assertEquals(
                  wait, fetcher(new Random(seed)).backoff(failed, Duration.ZERO).toMillis());
              long asked = f.backoff(failed, Duration.ofSeconds(45)).toMillis();
              assertTrue(asked >= 45_000 && asked <= 60_000, "Retry-After 45 s: " + asked);
              assertEquals(60_000, f.backoff(failed, Duration.ofHours(1)).toMillis());
            });
  }

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private static HttpFetcher fetcher(Random random) {
    return new HttpFetcher(
        CLIENT,
        Clock.systemUTC(),
        random,
        d -> {},
        Duration.ofSeconds(1),
        3,
        Duration.ofSeconds(1),
        Duration.ofMinutes(1),
        1024);
  }

  @Test
  void builder_withoutEcosystem_failsFastAndBadSettingsAreRejected() {
    assertThrows(IllegalStateException.class, () -> OsvFeed.builder().build());
    assertThrows(IllegalArgumentException.class, () -> OsvFeed.builder().maxAttempts(0));
    assertThrows(IllegalArgumentException.class, () -> OsvFeed.builder().ecosystem(" "));
    assertThrows(
        IllegalArgumentException.class,
        () -> OsvFeed.builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertFalse(OsvFeed.builder().ecosystem("PyPI").build().name().isBlank());
  }
}
