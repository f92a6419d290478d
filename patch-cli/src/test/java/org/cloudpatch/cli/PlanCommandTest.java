package org.cloudpatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cloudpatch plan} on the worked example of docs/plan-formats.md, and on bad input. */
class PlanCommandTest {
  static final Path EXAMPLES = Path.of("").toAbsolutePath().getParent().resolve("examples");

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  static Run example() {
    return run(
        "plan",
        "--fleet",
        EXAMPLES.resolve("plan-fleet.json").toString(),
        "--policy",
        EXAMPLES.resolve("plan-policy.json").toString(),
        "--from",
        "2025-03-10T00:00:00Z");
  }

  @Test
  void workedExample_printsThePlanAsJson_withGroupsConflictsForecastAndChanges()
      throws IOException {
    Run r = example();
    assertEquals(0, r.code(), r.err());
    JsonNode plan = new ObjectMapper().readTree(r.out());
    assertEquals(8, plan.get("waves").size());
    assertEquals("web-fra-1", plan.at("/waves/0/assets/0").asText());
    assertEquals("test ring", plan.at("/stages/0/name").asText());
    // orders-db (Berlin + London) meets where both nights overlap: 02:00 UTC.
    JsonNode orders = plan.at("/waves/3");
    assertEquals("orders-db", orders.get("patchGroup").asText());
    assertEquals("2025-03-13T02:00:00Z", orders.get("start").asText());
    // billing-db (Berlin + New York) never shares a night: a conflict, not a wave.
    assertEquals("billing-db", plan.at("/conflicts/0/group").asText());
    assertEquals("PT1H30M", plan.at("/conflicts/0/extension/by").asText());
    assertTrue(plan.at("/unplaced/billing-db-nyc").asText().contains("share no instant"));
    // search has an approved group window; its change names Berlin's and Tokyo's local times.
    assertEquals("search", plan.at("/waves/6/patchGroup").asText());
    JsonNode search = null;
    for (JsonNode c : plan.get("changes")) {
      if (c.get("key").asText().equals("stage2-group-search")) {
        search = c;
      }
    }
    assertEquals("2025-03-16T06:00:00+09:00", search.at("/zoneWindows/0/start").asText());
    assertEquals("2025-03-15T22:00:00+01:00", search.at("/zoneWindows/1/start").asText());
    // The P1 VPN asset gets an out-of-cycle emergency window, still late behind the test ring.
    assertEquals("vpn-fra-1", plan.at("/forecast/P1/late/0/asset").asText());
    assertEquals("EARLIER_STAGE", plan.at("/forecast/P1/late/0/fixes/1/kind").asText());
  }

  @Test
  void badInput_exitsTwo_namingTheFileAndTheJsonPointer(@TempDir Path dir) throws IOException {
    Path fleet = dir.resolve("fleet.json");
    Files.writeString(
        fleet,
        "{\"windows\": {\"default\": {\"schedule\": \"0 2 * * *\"}},"
            + " \"assets\": [{\"id\": \"a\", \"zone\": \"Europe/Berlin\"},"
            + " {\"id\": \"b\", \"zone\": \"Mars/Olympus\"}]}");
    Run r =
        run(
            "plan",
            "--fleet",
            fleet.toString(),
            "--policy",
            EXAMPLES.resolve("plan-policy.json").toString(),
            "--from",
            "2025-03-10");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("fleet.json: /assets/1/zone"), r.err());
  }

  @Test
  void unknownWindowName_exitsTwo_namingTheAsset(@TempDir Path dir) throws IOException {
    Path fleet = dir.resolve("fleet.json");
    Files.writeString(
        fleet,
        "{\"windows\": {\"default\": {\"schedule\": \"0 2 * * *\"}},"
            + " \"assets\": [{\"id\": \"a\", \"zone\": \"UTC\", \"window\": \"weekend\"}]}");
    Run r =
        run(
            "plan",
            "--fleet",
            fleet.toString(),
            "--policy",
            EXAMPLES.resolve("plan-policy.json").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("fleet.json: /assets/0: asset a names window 'weekend'"), r.err());
  }
}
