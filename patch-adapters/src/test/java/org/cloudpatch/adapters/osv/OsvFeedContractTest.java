package org.cloudpatch.adapters.osv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.testkit.AdvisoryFeedContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feed against core's contract kit: each test gets its own loopback server, and publishing an
 * advisory puts it into the served archive as an OSV record (replacing an older version of the same
 * id), which changes the archive's ETag as osv.dev's export does.
 */
class OsvFeedContractTest extends AdvisoryFeedContract<OsvFeed> {
  private final Map<OsvFeed, Served> servers = new IdentityHashMap<>();
  @TempDir Path work;

  private record Served(OsvTestServer server, Map<String, byte[]> entries) {}

  @Override
  protected OsvFeed newFeed() {
    OsvTestServer server;
    try {
      server = new OsvTestServer("Kit", 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, byte[]> entries = new LinkedHashMap<>();
    server.publish(entries);
    OsvFeed feed =
        OsvFeed.builder()
            .ecosystem("Kit")
            .baseUri(server.base())
            .clock(Clock.fixed(Instant.parse("2026-02-01T00:00:00Z"), ZoneOffset.UTC))
            .random(new Random(14))
            .requestTimeout(Duration.ofSeconds(20))
            .workDir(work)
            .sleeper(d -> {})
            .build();
    servers.put(feed, new Served(server, entries));
    return feed;
  }

  @Override
  protected void publish(OsvFeed feed, Advisory advisory) {
    Served s = servers.get(feed);
    s.entries().put(advisory.id().value() + ".json", OsvData.osv(advisory));
    s.server().publish(s.entries());
  }

  @AfterEach
  void stopServers() {
    servers.values().forEach(s -> s.server().close());
  }
}
