package org.cloudpatch.cli.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.cloudpatch.audit.journal.JournalVerifier;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.memory.InMemoryNotifier;
import org.cloudpatch.core.memory.SimulatedCloud;
import org.cloudpatch.core.process.RiskItem;
import org.cloudpatch.core.process.TrackingItem;
import org.cloudpatch.core.process.TrackingRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo at small scale, checked against the invariants of the patch process. */
class DemoEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int LIMIT = 50;

  @TempDir static Path dir;
  static Demo demo;
  static DemoResult result;
  static List<JsonNode> journal;

  @BeforeAll
  static void runTheDemo() throws IOException {
    demo = new Demo(new Demo.Options(240, 12, 30, 7, dir.resolve("run")));
    result = demo.execute();
    journal = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("run/journal.log"), StandardCharsets.UTF_8)) {
      journal.add(JSON.readTree(line.substring(65)));
    }
  }

  private static List<JsonNode> entries(String type) {
    return journal.stream().filter(e -> e.get("type").asText().equals(type)).toList();
  }

  @Test
  void journal_hasAnEntryForEachOfTheTenSteps() {
    for (DemoResult.Step step : result.steps()) {
      assertTrue(
          step.total() > 0, "step " + step.number() + " (" + step.name() + ") is in the journal");
    }
    for (String type :
        List.of(
            "change.approved",
            "patch.verified",
            "patch.failed",
            "tracking.closed",
            "catchup.held",
            "catchup.released",
            "tracking.withdrawn")) {
      assertFalse(entries(type).isEmpty(), "journal has " + type);
    }
  }

  @Test
  void journal_verifiesWithTheLibrary() {
    var v = JournalVerifier.verify(dir.resolve("run/journal.log"));
    assertTrue(v.ok(), v.describe());
    assertEquals(journal.size(), v.entries());
  }

  @Test
  void journal_verifiesWithTheIndependentScript() throws Exception {
    Path script = Path.of("..", "docs", "verify-journal.py");
    assumeTrue(Files.isRegularFile(script), "no script at " + script);
    Process p;
    try {
      p =
          new ProcessBuilder(
                  "python3", script.toString(), dir.resolve("run/journal.log").toString())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      assumeTrue(false, "python3 is not available: " + e.getMessage());
      return;
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), output);
    assertTrue(output.startsWith("OK " + journal.size() + " "), output);
  }

  @Test
  void everyAffectedVm_endsVerifiedOrWithAnOpenRiskItem() {
    List<Advisory> active = demo.activeAdvisories();
    Set<AssetId> atRisk = new HashSet<>();
    for (RiskItem risk : demo.engine.riskItems()) {
      assertTrue(
          risk.expires().isAfter(demo.end()), "risk " + risk.id() + " is still open at the end");
      atRisk.add(risk.asset());
    }
    int affectedAtStart = 0;
    for (Asset vm : demo.cloud.assets()) {
      if (!demo.compliant(demo.initialInventories.get(vm.id()), active)) {
        affectedAtStart++;
      }
      Inventory now = demo.cloud.inventory(vm.id()).orElseThrow();
      assertTrue(
          demo.compliant(now, active) || atRisk.contains(vm.id()),
          vm.id() + " ends neither compliant nor covered by a risk item");
    }
    assertTrue(affectedAtStart > 100, "the demo has work to do: " + affectedAtStart);
    for (TrackingRecord r : demo.engine.trackingRecords()) {
      for (TrackingItem i : r.items().values()) {
        assertTrue(i.state().isSettled(), r.id() + " " + i.asset() + " is " + i.state());
      }
      if (r.status() == TrackingRecord.Status.CLOSED) {
        assertTrue(
            Files.exists(dir.resolve("run/evidence").resolve(r.id().value() + ".json")),
            "evidence of " + r.id());
      }
    }
  }

  @Test
  void sameInstantGroup_isPatchedInOneWindowAtOneInstant() {
    Map<String, JsonNode> sameInstantWaves = new TreeMap<>();
    for (JsonNode planned : entries("rollout.planned")) {
      if (planned.at("/data/wave/timingMode").asText().equals("SAME_INSTANT")) {
        sameInstantWaves.put(planned.at("/data/waveId").asText(), planned);
      }
    }
    assertFalse(sameInstantWaves.isEmpty(), "the postgresql advisory is rolled out at one instant");
    Map<String, Set<String>> firstStarts = new HashMap<>();
    Set<String> groups = new HashSet<>();
    Set<String> ran = new HashSet<>();
    for (JsonNode started : entries("patch.started")) {
      String wave = started.at("/data/waveId").asText(null);
      if (wave == null || !sameInstantWaves.containsKey(wave)) {
        continue;
      }
      JsonNode w = sameInstantWaves.get(wave).at("/data/wave");
      Instant at = Instant.parse(started.get("at").asText());
      assertFalse(at.isBefore(Instant.parse(w.at("/window/start").asText())), "inside the window");
      assertTrue(at.isBefore(Instant.parse(w.at("/window/end").asText())), "inside the window");
      groups.add(w.at("/patchGroup").asText());
      ran.add(wave);
      if (started.at("/data/attempt").asInt() == 1) {
        firstStarts.computeIfAbsent(wave, k -> new HashSet<>()).add(started.get("at").asText());
      }
    }
    assertFalse(groups.isEmpty());
    firstStarts.forEach(
        (wave, instants) -> assertEquals(1, instants.size(), wave + " started at " + instants));
    // Every member of a group runs in that one wave: no member runs apart. (A group whose member
    // was held or suspended when its wave came is deferred whole and planned into a later window;
    // the wave that did not run is not a second window.)
    Map<String, String> waveOfGroup = new HashMap<>();
    for (JsonNode planned : sameInstantWaves.values()) {
      if (!ran.contains(planned.at("/data/waveId").asText())) {
        continue;
      }
      String group = planned.at("/data/wave/patchGroup").asText();
      String advisoryWindow = planned.at("/data/wave/window/start").asText();
      String before = waveOfGroup.put(group, advisoryWindow);
      assertTrue(
          before == null || before.equals(advisoryWindow), group + " planned in two windows");
    }
  }

  @Test
  void concurrency_neverExceedsTheLimit() {
    assertTrue(result.maxConcurrentJobs() <= LIMIT, "cloud saw " + result.maxConcurrentJobs());
    // And by the journal: jobs between patch.started and patch.applied never overlap beyond it.
    List<long[]> events = new ArrayList<>();
    for (JsonNode e : entries("patch.started")) {
      events.add(new long[] {Instant.parse(e.get("at").asText()).toEpochMilli(), 1});
    }
    for (JsonNode e : entries("patch.applied")) {
      events.add(new long[] {Instant.parse(e.get("at").asText()).toEpochMilli(), -1});
    }
    for (JsonNode e : entries("patch.failed")) {
      if (e.at("/data/reason").asText().contains("did not take")) {
        events.add(new long[] {Instant.parse(e.get("at").asText()).toEpochMilli(), -1});
      }
    }
    events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int running = 0;
    int max = 0;
    for (long[] e : events) {
      running += (int) e[1];
      max = Math.max(max, running);
    }
    assertTrue(max <= LIMIT, "journal shows " + max + " jobs at once");
    assertTrue(max > 1, "jobs do run in parallel");
  }

  @Test
  void resumedOrRevertedVm_isNeverReleasedBeforeItIsCompliant() {
    List<SimulatedCloud.HoldChange> holds = demo.cloud.holdChanges();
    assertTrue(holds.stream().anyMatch(SimulatedCloud.HoldChange::held), "a VM was held");
    assertTrue(holds.stream().anyMatch(h -> !h.held()), "a VM was released");
    for (SimulatedCloud.HoldChange h : holds) {
      if (h.held()) {
        continue;
      }
      List<Advisory> knownThen =
          demo.activeAdvisories().stream().filter(a -> !a.modified().isAfter(h.at())).toList();
      Inventory atRelease =
          Inventory.builder()
              .asset(h.vm())
              .platform(org.cloudpatch.core.asset.Platform.parse("Debian:12"))
              .observedAt(h.at())
              .source("hold log")
              .packages(h.installed())
              .build();
      assertTrue(
          demo.compliant(atRelease, knownThen),
          h.vm() + " released at " + h.at() + " while behind");
    }
  }

  @Test
  void eachTenantsNotification_namesOnlyItsOwnAssets() {
    Map<AssetId, TenantId> tenantOf = new HashMap<>();
    demo.cloud.assets().forEach(a -> tenantOf.put(a.id(), a.tenant()));
    List<InMemoryNotifier.Delivery> deliveries = demo.notifier.deliveries();
    assertFalse(deliveries.isEmpty());
    for (InMemoryNotifier.Delivery d : deliveries) {
      assertEquals(List.of("secops@" + d.notification().tenant() + ".example"), d.accounts());
      for (AssetId a : d.notification().assets()) {
        assertEquals(
            d.notification().tenant(), tenantOf.get(a), a + " in another tenant's message");
      }
    }
  }

  @Test
  void malformedAdvisory_isQuarantinedWithPosition_andTheRestIsProcessed() {
    assertEquals(1, result.quarantined().size());
    var q = result.quarantined().get(0);
    assertEquals("demo-feed/advisories.json", q.source());
    assertTrue(q.position().startsWith("/6/affected/0/ranges/0/events/1"), q.position());
    JsonNode subscription =
        entries("subscription.advanced").stream()
            .filter(e -> e.at("/data/quarantined").size() > 0)
            .findFirst()
            .orElseThrow();
    assertTrue(subscription.at("/data/quarantined/0/reason").asText().contains("string"));
    assertEquals(
        6,
        entries("advisory.published").stream()
            .map(e -> e.at("/data/advisory/id").asText())
            .distinct()
            .count());
  }

  @Test
  void sameSeed_givesAByteIdenticalJournalAndReport() throws IOException {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Demo.run(new Demo.Options(60, 4, 12, 11, a));
    Demo.run(new Demo.Options(60, 4, 12, 11, b));
    assertArrayEquals(
        Files.readAllBytes(a.resolve("journal.log")), Files.readAllBytes(b.resolve("journal.log")));
    assertArrayEquals(
        Files.readAllBytes(a.resolve("report.json")), Files.readAllBytes(b.resolve("report.json")));
    Demo.run(new Demo.Options(60, 4, 12, 12, b)); // the library API replaces its own files
    assertFalse(
        java.util.Arrays.equals(
            Files.readAllBytes(a.resolve("journal.log")),
            Files.readAllBytes(b.resolve("journal.log"))),
        "another seed gives another run");
  }

  @Test
  void reports_areWritten() throws IOException {
    JsonNode report = JSON.readTree(dir.resolve("run/report.json").toFile());
    assertEquals(240, report.at("/run/vms").asInt());
    assertEquals(3, report.get("tenants").size());
    assertTrue(report.at("/journal/verified").asBoolean());
    String html = Files.readString(dir.resolve("run/report.html"));
    assertTrue(html.contains("Have all VMs that require the update been patched?"));
    assertTrue(html.contains(result.journal().headHash()), "the journal's head is shown");
    for (String f : List.of("compliance.csv", "oscal-assessment-results.json", "oscal-poam.json")) {
      assertTrue(Files.size(dir.resolve("run").resolve(f)) > 0, f);
    }
  }

  @Test
  void complianceReport_agreesWithTheCloudsGroundTruth_andIsValidated() {
    var answer = result.compliance().answer();
    int compliantAfter = result.tenants().stream().mapToInt(t -> t.compliantAfter()).sum();
    int unpatched = answer.requiringUpdate() - answer.patched() - answer.pendingReboot();
    assertEquals(240, answer.assets());
    assertEquals(240 - compliantAfter, unpatched, "VMs still affected per their inventories");
    assertEquals(0, answer.discrepancies(), answer.validationAnswer());
    assertTrue(answer.validated(), answer.validationAnswer());
    assertTrue(answer.patchedAnswer().startsWith(answer.allPatched() ? "Yes" : "No"));
  }

  @Test
  void complianceHistory_hasOneSamplePerTenantPerDay_andTheEnd() {
    assertEquals(3 * (30 + 1), result.compliance().history().size());
  }

  @Test
  void revertedAndSuspendedStoryVms_areListedInTheReport() throws IOException {
    String html = Files.readString(dir.resolve("run/report.html"));
    var reverted =
        result.compliance().assets().stream()
            .filter(a -> a.reverted())
            .map(a -> a.asset().value())
            .toList();
    assertEquals(List.of(Demo.vmId(42).value()), reverted);
    assertTrue(html.contains("<td>" + reverted.get(0) + "</td>"));
  }
}
