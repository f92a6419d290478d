package org.cloudpatch.adapters.osv;

import static org.cloudpatch.adapters.osv.OsvTestServer.Fault.CLOSED_MID_ZIP;
import static org.cloudpatch.adapters.osv.OsvTestServer.Fault.ERROR_500;
import static org.cloudpatch.adapters.osv.OsvTestServer.Fault.LOST_RESPONSE;
import static org.cloudpatch.adapters.osv.OsvTestServer.Fault.SLOW;
import static org.cloudpatch.adapters.osv.OsvTestServer.Fault.TRUNCATED;
import static org.cloudpatch.adapters.osv.OsvTestServer.Fault.UNAVAILABLE_503;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.spi.AdvisoryFeed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: single records and incremental updates through osv.dev's change index, against a
 * loopback bucket serving the real OSV records of the shared conformance data, with network faults
 * and restarts. Every served version is delivered once, and only changed records are downloaded.
 */
class OsvIncrementalTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path work;
  private final List<Duration> sleeps = new ArrayList<>();

  /** What a consumer saw: acknowledged deliveries, in order, and its saved cursor. */
  private static final class Consumer {
    final List<Advisory> acknowledged = new ArrayList<>();
    Optional<String> saved = Optional.empty();

    AdvisoryFeed.Page fetch(AdvisoryFeed feed, int max) {
      return feed.fetch(saved, max);
    }

    void acknowledge(AdvisoryFeed.Page page) {
      assertTrue(page.quarantined().isEmpty(), "real records quarantined: " + page.quarantined());
      acknowledged.addAll(page.advisories());
      if (page.nextCursor().isPresent()) {
        saved = page.nextCursor();
      }
    }

    /** Fetches and acknowledges until a page brings nothing new. */
    void drain(AdvisoryFeed feed, int max) {
      for (int i = 0; i < 200; i++) {
        AdvisoryFeed.Page page = fetch(feed, max);
        acknowledge(page);
        if (page.advisories().isEmpty()) {
          return;
        }
      }
      throw new AssertionError("the feed never ran dry");
    }

    List<String> versions() {
      return acknowledged.stream().map(a -> a.id().value() + "@" + a.modified()).toList();
    }
  }

  private OsvFeed feed(OsvTestServer server, String dir) {
    return OsvFeed.builder()
        .ecosystem("Debian")
        .baseUri(server.base())
        .incremental(true)
        .clock(Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC))
        .random(new Random(20261203))
        .requestTimeout(Duration.ofMillis(1500))
        .maxAttempts(6)
        .workDir(work.resolve(dir))
        .sleeper(sleeps::add)
        .build();
  }

  @Test
  void advisory_byId_isTheServedRealRecord_throughFaults() throws Exception {
    Map<String, byte[]> entries = OsvData.entries(OsvData.require());
    try (OsvTestServer server = new OsvTestServer("Debian", 4000)) {
      server.publish(entries);
      OsvFeed feed = feed(server, "one");
      // An id with a colon (AlmaLinux), a Debian LTS advisory and a GitHub advisory.
      for (String id : List.of("ALBA-2021:4378", "DLA-3008-1", "GHSA-269g-pwp5-87pp")) {
        JsonNode expected = record(entries, id);
        server.inject(TRUNCATED, CLOSED_MID_ZIP, UNAVAILABLE_503);
        Advisory a = feed.advisory(AdvisoryId.of(id)).orElseThrow();
        assertEquals(id, a.id().value());
        assertEquals(Instant.parse(expected.get("modified").asText()), a.modified(), id);
        Set<String> aliases = new TreeSet<>();
        expected.path("aliases").forEach(n -> aliases.add(n.asText()));
        Set<String> read = new TreeSet<>();
        a.aliases().forEach(x -> read.add(x.toString()));
        assertEquals(aliases, read, id + " aliases");
        assertEquals(0, server.faultsLeft(), "a fault was not suffered");
      }
      assertEquals(1, server.hits("ALBA-2021:4378.json"), "the id with a colon was not found");
      assertEquals(Optional.empty(), feed.advisory(AdvisoryId.of("DSA-0000-0")));
      assertThrows(
          IllegalArgumentException.class, () -> feed.advisory(AdvisoryId.of("../all.zip")));
      assertEquals(0, server.hits("all.zip"), "one record needs no archive");
    }
  }

  @Test
  void incremental_afterAFullRead_downloadsTheIndexAndOnlyTheChangedRecords() throws Exception {
    Map<String, byte[]> entries = OsvData.entries(OsvData.require());
    try (OsvTestServer server = new OsvTestServer("Debian", 4000)) {
      server.publish(entries);
      Consumer consumer = new Consumer();
      consumer.drain(feed(server, "first"), 7);
      assertEquals(OsvData.ids(entries).size(), consumer.acknowledged.size());
      assertEquals(1, server.hits("all.zip"), "no cursor: the archive is read");
      assertEquals(0, server.recordHits());

      String changed = consumer.acknowledged.get(3).id().value();
      change(entries, changed, "2026-08-01T10:00:00.120Z");
      entries.put("NEW-2026-0001.json", OsvData.osv("NEW-2026-0001", "2026-08-02T00:00:00Z"));
      server.publish(entries);
      int before = consumer.acknowledged.size();

      OsvFeed second = feed(server, "second");
      consumer.drain(second, 7);
      assertEquals(
          List.of(changed + "@2026-08-01T10:00:00.120Z", "NEW-2026-0001@2026-08-02T00:00:00Z"),
          consumer.versions().subList(before, consumer.versions().size()),
          "the changes, in modified order");
      assertEquals(1, server.hits("all.zip"), "the archive was downloaded again");
      assertEquals(2, server.recordHits(), "records beyond the two changed were downloaded");

      int asked = server.notModified;
      AdvisoryFeed.Page nothing = consumer.fetch(second, 7);
      assertEquals(List.of(), nothing.advisories());
      assertEquals(consumer.saved, nothing.nextCursor(), "the cursor moved with nothing new");
      assertEquals(asked + 1, server.notModified, "the index was not asked conditionally");
      assertEquals(2, server.recordHits());
    }
  }

  @Test
  void incremental_underFaultsAndRestarts_deliversEveryVersionExactlyOnce() throws Exception {
    Map<String, byte[]> entries = OsvData.entries(OsvData.require());
    try (OsvTestServer server = new OsvTestServer("Debian", 4000)) {
      server.publish(entries);
      Consumer consumer = new Consumer();
      consumer.drain(feed(server, "first"), 10);
      // Records that the shared data also holds in an array document keep that version too.
      List<Advisory> all =
          consumer.acknowledged.stream().filter(a -> !a.id().value().startsWith("CGA-")).toList();

      // osv.dev re-exports: four records changed, two are new.
      List<String> expectedTail = new ArrayList<>();
      String[] at = {
        "2026-09-01T00:00:00Z",
        "2026-09-02T00:00:00.5Z",
        "2026-09-02T00:00:00.5Z",
        "2026-09-03T00:00:00.000001Z"
      };
      for (int i = 0; i < 4; i++) {
        String id = all.get(i * 7).id().value();
        change(entries, id, at[i]);
      }
      entries.put("NEW-2026-0002.json", OsvData.osv("NEW-2026-0002", "2026-09-04T00:00:00Z"));
      entries.put("NEW-2026-0003.json", OsvData.osv("NEW-2026-0003", "2026-09-04T00:00:00Z"));
      server.publish(entries);
      List<String> changedIds = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        changedIds.add(all.get(i * 7).id().value() + "@" + Instant.parse(at[i]));
      }
      changedIds.add("NEW-2026-0002@2026-09-04T00:00:00Z");
      changedIds.add("NEW-2026-0003@2026-09-04T00:00:00Z");
      // Same modified instant: id order.
      expectedTail.addAll(changedIds);
      expectedTail.sort(
          (a, b) -> {
            int c =
                Instant.parse(a.substring(a.indexOf('@') + 1))
                    .compareTo(Instant.parse(b.substring(b.indexOf('@') + 1)));
            return c != 0 ? c : a.compareTo(b);
          });
      int before = consumer.acknowledged.size();

      OsvFeed second = feed(server, "second");
      server.inject(SLOW, TRUNCATED, LOST_RESPONSE);
      consumer.acknowledge(consumer.fetch(second, 2));
      server.inject(CLOSED_MID_ZIP, UNAVAILABLE_503, ERROR_500);
      // The process dies after this page arrived and before its cursor was saved.
      AdvisoryFeed.Page lost = consumer.fetch(second, 2);
      assertEquals(2, lost.advisories().size(), "the page lost to the crash held records");

      OsvFeed third = feed(server, "third");
      server.inject(LOST_RESPONSE, TRUNCATED, SLOW, CLOSED_MID_ZIP);
      consumer.drain(third, 2);
      assertEquals(0, server.faultsLeft(), "a fault was never suffered");

      assertEquals(
          expectedTail,
          consumer.versions().subList(before, consumer.versions().size()),
          "each changed version once, in feed order");
      List<String> versions = consumer.versions();
      assertEquals(versions.size(), new HashSet<>(versions).size(), "a version came twice");
      assertEquals(1, server.hits("all.zip"), "the archive was read again");
    }
    assertTrue(
        sleeps.stream().anyMatch(d -> d.compareTo(Duration.ofSeconds(7)) >= 0),
        "Retry-After: 7 was not honoured: " + sleeps);
  }

  @Test
  void incremental_withoutAnIndex_readsTheArchive() throws Exception {
    Map<String, byte[]> entries = OsvData.entries(OsvData.require());
    try (OsvTestServer server = new OsvTestServer("Debian", 4000)) {
      server.publish(entries);
      Consumer consumer = new Consumer();
      consumer.drain(feed(server, "first"), 50);
      server.withhold("modified_id.csv", true);
      entries.put("NEW-2026-0004.json", OsvData.osv("NEW-2026-0004", "2026-10-01T00:00:00Z"));
      server.publish(entries);
      int before = consumer.acknowledged.size();

      consumer.drain(feed(server, "second"), 50);
      assertEquals(
          List.of("NEW-2026-0004@2026-10-01T00:00:00Z"),
          consumer.versions().subList(before, consumer.versions().size()));
      assertEquals(2, server.hits("all.zip"), "the archive was not read in the index's stead");
      assertEquals(0, server.recordHits());
    }
  }

  @Test
  void incremental_malformedOrUnsortedIndex_readsTheArchive() throws Exception {
    Map<String, byte[]> entries = OsvData.entries(OsvData.require());
    List<String> badIndexes =
        List.of(
            "2026-10-02T00:00:00Z,NEW-2026-0005\nyesterday,DLA-3008-1\n",
            "2026-10-02T00:00:00Z,NEW-2026-0005\n2026-10-03T00:00:00Z,DLA-3008-1\n",
            "2026-10-02T00:00:00Z,../all.zip\n",
            "2026-10-02T00:00:00Z DLA-3008-1\n");
    int round = 0;
    for (String bad : badIndexes) {
      round++;
      try (OsvTestServer server = new OsvTestServer("Debian", 4000)) {
        server.publish(entries);
        Consumer consumer = new Consumer();
        consumer.drain(feed(server, "first-" + round), 50);
        Map<String, byte[]> next = new java.util.LinkedHashMap<>(entries);
        next.put("NEW-2026-0005.json", OsvData.osv("NEW-2026-0005", "2026-10-02T00:00:00Z"));
        server.override("modified_id.csv", OsvTestServer.utf8(bad));
        server.publish(next);
        int before = consumer.acknowledged.size();

        consumer.drain(feed(server, "second-" + round), 50);
        assertEquals(
            List.of("NEW-2026-0005@2026-10-02T00:00:00Z"),
            consumer.versions().subList(before, consumer.versions().size()),
            "index: " + bad);
        assertEquals(2, server.hits("all.zip"), "the archive was not read for index: " + bad);
      }
    }
  }

  @Test
  void incremental_recordBehindItsIndexLine_isDeliveredOnlyOnceTheExportAgrees() throws Exception {
    Map<String, byte[]> entries = OsvData.entries(OsvData.require());
    try (OsvTestServer server = new OsvTestServer("Debian", 4000)) {
      server.publish(entries);
      Consumer consumer = new Consumer();
      consumer.drain(feed(server, "first"), 50);
      String first = consumer.acknowledged.get(0).id().value();
      String second = consumer.acknowledged.get(1).id().value();
      byte[] staleSecond = record(entries, second).toString().getBytes(UTF8);
      change(entries, first, "2026-11-01T00:00:00Z");
      change(entries, second, "2026-11-02T00:00:00Z");
      server.publish(entries);
      // The bucket still holds the old version of the second record: the export is mid-update.
      server.override(second + ".json", staleSecond);
      int before = consumer.acknowledged.size();

      OsvFeed feed = feed(server, "second");
      consumer.drain(feed, 50);
      assertEquals(
          List.of(first + "@2026-11-01T00:00:00Z"),
          consumer.versions().subList(before, consumer.versions().size()),
          "the page ends before the record that disagrees with its index line");

      server.override(second + ".json", null);
      consumer.drain(feed, 50);
      assertEquals(
          List.of(first + "@2026-11-01T00:00:00Z", second + "@2026-11-02T00:00:00Z"),
          consumer.versions().subList(before, consumer.versions().size()),
          "the record once the export agrees, and nothing twice");
      assertEquals(1, server.hits("all.zip"));

      // A record whose index line never agrees does not stall the feed: the archive decides.
      String third = consumer.acknowledged.get(2).id().value();
      byte[] staleThird = record(entries, third).toString().getBytes(UTF8);
      change(entries, third, "2026-11-03T00:00:00Z");
      server.publish(entries);
      server.override(third + ".json", staleThird);
      for (int i = 1; i < 6; i++) {
        AdvisoryFeed.Page waiting = consumer.fetch(feed, 50);
        assertEquals(List.of(), waiting.advisories(), "fetch " + i + " delivered");
        assertEquals(consumer.saved, waiting.nextCursor(), "the cursor moved while waiting");
      }
      consumer.acknowledge(consumer.fetch(feed, 50));
      assertEquals(
          third + "@2026-11-03T00:00:00Z",
          consumer.versions().get(consumer.versions().size() - 1),
          "the archive's version after maxAttempts fetches in a row");
      assertEquals(2, server.hits("all.zip"));
    }
  }

  private static final java.nio.charset.Charset UTF8 = java.nio.charset.StandardCharsets.UTF_8;

  /** The record {@code id} among the entries, read with plain Jackson. */
  private static JsonNode record(Map<String, byte[]> entries, String id) {
    for (byte[] bytes : entries.values()) {
      try {
        JsonNode root = JSON.readTree(bytes);
        for (JsonNode r : root.isArray() ? root : List.of(root)) {
          if (id.equals(r.path("id").asText())) {
            return r;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new AssertionError("no record " + id + " in the shared data");
  }

  /** Gives record {@code id} a new {@code modified} wherever the entries hold it. */
  private static void change(Map<String, byte[]> entries, String id, String modified) {
    entries.replaceAll(
        (name, bytes) -> {
          try {
            JsonNode root = JSON.readTree(bytes);
            if (root.isObject() && id.equals(root.path("id").asText())) {
              ((ObjectNode) root).put("modified", modified);
              return JSON.writeValueAsBytes(root);
            }
            return bytes;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
