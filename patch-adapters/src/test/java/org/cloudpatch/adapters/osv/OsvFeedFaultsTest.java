package org.cloudpatch.adapters.osv;

import static org.cloudpatch.adapters.osv.OsvTestServer.Fault.CLOSED_MID_ZIP;
import static org.cloudpatch.adapters.osv.OsvTestServer.Fault.ERROR_500;
import static org.cloudpatch.adapters.osv.OsvTestServer.Fault.LOST_RESPONSE;
import static org.cloudpatch.adapters.osv.OsvTestServer.Fault.SLOW;
import static org.cloudpatch.adapters.osv.OsvTestServer.Fault.TORN_ZIP;
import static org.cloudpatch.adapters.osv.OsvTestServer.Fault.TRUNCATED;
import static org.cloudpatch.adapters.osv.OsvTestServer.Fault.UNAVAILABLE_503;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.spi.AdvisoryFeed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance for issue 14: the feed reads real OSV records from a loopback server that injects
 * network faults, loses a page to a simulated crash and restarts from the last acknowledged cursor,
 * and in the end has delivered every served record exactly once (and a changed record once more, as
 * its new version).
 */
class OsvFeedFaultsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path work;

  /** What a consumer saw: acknowledged deliveries, in order, and its saved cursor. */
  private static final class Consumer {
    final List<Advisory> acknowledged = new ArrayList<>();
    Optional<String> saved = Optional.empty();

    AdvisoryFeed.Page fetch(AdvisoryFeed feed) {
      return feed.fetch(saved, 5);
    }

    void acknowledge(AdvisoryFeed.Page page) {
      assertTrue(page.quarantined().isEmpty(), "real records quarantined: " + page.quarantined());
      acknowledged.addAll(page.advisories());
      if (page.nextCursor().isPresent()) {
        saved = page.nextCursor();
      }
    }
  }

  private OsvFeed feed(OsvTestServer server, String dir, List<Duration> sleeps) {
    return OsvFeed.builder()
        .ecosystem("Debian")
        .baseUri(server.base())
        .clock(Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC))
        .random(new Random(20261203))
        .requestTimeout(Duration.ofMillis(1500))
        .maxAttempts(6)
        .workDir(work.resolve(dir))
        .sleeper(sleeps::add)
        .build();
  }

  @Test
  void feed_underInjectedFaultsAndARestart_deliversEveryServedRecordExactlyOnce() throws Exception {
    Map<String, byte[]> entries = OsvData.entries(OsvData.require());
    Set<String> served = OsvData.ids(entries);
    List<Duration> sleeps = new ArrayList<>();
    try (OsvTestServer server = new OsvTestServer("Debian", 4000)) {
      server.publish(entries);
      Consumer consumer = new Consumer();

      OsvFeed first = feed(server, "first", sleeps);
      server.inject(SLOW, TRUNCATED, LOST_RESPONSE);
      consumer.acknowledge(consumer.fetch(first));
      server.inject(CLOSED_MID_ZIP, UNAVAILABLE_503);
      consumer.acknowledge(consumer.fetch(first));
      server.inject(TORN_ZIP, ERROR_500);
      consumer.acknowledge(consumer.fetch(first));
      // The process dies after this page arrived and before its cursor was saved.
      AdvisoryFeed.Page lost = consumer.fetch(first);
      assertEquals(5, lost.advisories().size(), "the page lost to the crash held records");

      // A new process, with nothing but the saved cursor.
      OsvFeed second = feed(server, "second", sleeps);
      server.inject(SLOW, TRUNCATED);
      consumer.acknowledge(consumer.fetch(second));
      // osv.dev re-exports: one record is new, one already delivered changed; the ETag changes.
      Advisory early = consumer.acknowledged.get(0);
      String changedId = early.id().value();
      entries.put("NEW-2026-0001.json", OsvData.osv("NEW-2026-0001", "2026-02-27T00:00:00Z"));
      entries.replaceAll(
          (name, bytes) ->
              isRecord(bytes, changedId) ? modified(bytes, "2026-02-28T00:00:00Z") : bytes);
      String before = server.etag();
      server.publish(entries);
      assertTrue(!before.equals(server.etag()), "the ETag did not change");
      server.inject(LOST_RESPONSE, CLOSED_MID_ZIP);
      for (int i = 0; i < 50; i++) {
        AdvisoryFeed.Page page = consumer.fetch(second);
        consumer.acknowledge(page);
        if (page.advisories().isEmpty()) {
          break;
        }
      }
      assertEquals(0, server.faultsLeft(), "a fault was never suffered");

      Set<String> expected = new TreeSet<>(served);
      expected.add("NEW-2026-0001");
      Set<String> deliveredIds = new TreeSet<>();
      List<String> versions = new ArrayList<>();
      for (Advisory a : consumer.acknowledged) {
        deliveredIds.add(a.id().value());
        versions.add(a.id().value() + "@" + a.modified());
      }
      assertEquals(expected, deliveredIds, "delivered ids differ from the served ones");
      assertEquals(
          versions.size(),
          new HashSet<>(versions).size(),
          "a version was delivered twice: " + versions);
      assertEquals(
          List.of(changedId + "@" + early.modified(), changedId + "@2026-02-28T00:00:00Z"),
          versions.stream().filter(v -> v.startsWith(changedId + "@")).toList(),
          "the changed record comes once more, as its new version");
      assertEquals(
          expected.size() + 1, consumer.acknowledged.size(), "deliveries beyond one per version");

      // A third process at the end: the server answers 304, nothing is new, nothing moves.
      int downloads = server.served;
      OsvFeed third = feed(server, "third", sleeps);
      AdvisoryFeed.Page atEnd = consumer.fetch(third);
      assertEquals(List.of(), atEnd.advisories());
      assertEquals(consumer.saved, atEnd.nextCursor(), "the cursor moved on a 304");
      assertEquals(downloads, server.served, "an unchanged archive was downloaded again");
    }
    assertTrue(
        sleeps.stream().anyMatch(d -> d.compareTo(Duration.ofSeconds(7)) >= 0),
        "Retry-After: 7 was not honoured: " + sleeps);
  }

  private static boolean isRecord(byte[] bytes, String id) {
    try {
      var root = JSON.readTree(bytes);
      return root.isObject() && id.equals(root.path("id").asText());
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static byte[] modified(byte[] bytes, String modified) {
    try {
      ObjectNode root = (ObjectNode) JSON.readTree(bytes);
      root.put("modified", modified);
      return JSON.writeValueAsBytes(root);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
