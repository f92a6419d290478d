package org.cloudpatch.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.memory.TruthEvent;
import org.cloudpatch.core.memory.TruthEvent.Kind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo patches the hosts of its cluster while VMs are patched, checked against the simulated
 * cloud's own ground truth ({@code cloud-truth.jsonl} as written), not against the journal: once on
 * a clean run and once under faults and restarts.
 */
class DemoHostRemediationTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static DemoResult clean;
  static List<TruthEvent> cleanTruth;
  static DemoResult faulty;
  static List<TruthEvent> faultyTruth;

  @BeforeAll
  static void runTheDemos() throws IOException {
    clean = Demo.run(new Demo.Options(120, 6, 9, 3, dir.resolve("clean")));
    cleanTruth = truth(dir.resolve("clean"));
    faulty = Demo.run(new Demo.Options(120, 6, 9, 5, dir.resolve("faulty"), 0.05, 3));
    faultyTruth = truth(dir.resolve("faulty"));
  }

  private static List<TruthEvent> truth(Path run) throws IOException {
    return Files.readAllLines(run.resolve("cloud-truth.jsonl"), StandardCharsets.UTF_8).stream()
        .map(TruthEvent::parse)
        .toList();
  }

  /**
   * Replays the truth: which VMs are on which host (placed, then migrated) and which hosts are in
   * maintenance mode; a host patched while any VM is on it (running, suspended or off) or outside
   * maintenance mode is a violation.
   */
  private static List<String> hostsPatchedWithVmsOrOutsideMaintenance(List<TruthEvent> truth) {
    Map<AssetId, HostId> on = new TreeMap<>();
    Set<HostId> maintenance = new TreeSet<>();
    List<String> bad = new ArrayList<>();
    for (TruthEvent t : truth) {
      switch (t.event()) {
        case PLACED -> on.put(t.vm().orElseThrow(), t.host().orElseThrow());
        case MIGRATED -> on.put(t.vm().orElseThrow(), t.toHost().orElseThrow());
        case MAINTENANCE_ENTERED -> maintenance.add(t.host().orElseThrow());
        case MAINTENANCE_EXITED -> maintenance.remove(t.host().orElseThrow());
        case HOST_PATCHED -> {
          HostId h = t.host().orElseThrow();
          List<AssetId> vms =
              on.entrySet().stream()
                  .filter(e -> e.getValue().equals(h))
                  .map(Map.Entry::getKey)
                  .toList();
          if (!vms.isEmpty() || !maintenance.contains(h)) {
            bad.add(t.at() + " " + h + " patched with " + vms + ", maintenance " + maintenance);
          }
        }
        default -> {}
      }
    }
    return bad;
  }

  /**
   * Every host of the truth ends patched and out of maintenance mode, or skipped with a reason, or
   * (its patch did not take) unverified with a reason, out of service in maintenance mode.
   */
  private static void everyHostEndsPatchedOrSkipped(DemoResult r, List<TruthEvent> truth) {
    Set<HostId> added = new TreeSet<>();
    Set<HostId> patched = new TreeSet<>();
    Set<HostId> maintenance = new TreeSet<>();
    for (TruthEvent t : truth) {
      switch (t.event()) {
        case HOST_ADDED -> added.add(t.host().orElseThrow());
        case HOST_PATCHED -> patched.add(t.host().orElseThrow());
        case MAINTENANCE_ENTERED -> maintenance.add(t.host().orElseThrow());
        case MAINTENANCE_EXITED -> maintenance.remove(t.host().orElseThrow());
        default -> {}
      }
    }
    Map<HostId, DemoResult.HostEvacuation> reported = new TreeMap<>();
    r.hosts().forEach(h -> reported.put(h.host(), h));
    for (HostId h : maintenance) {
      assertEquals(
          DemoResult.HostOutcome.UNVERIFIED,
          reported.get(h).outcome(),
          h + " is left in maintenance mode only when its patch did not take");
    }
    assertEquals(added, reported.keySet(), "the report lists every host of the cluster");
    for (HostId h : added) {
      DemoResult.HostEvacuation e = reported.get(h);
      if (patched.contains(h)) {
        assertEquals(DemoResult.HostOutcome.PATCHED, e.outcome(), e.toString());
      } else {
        assertTrue(
            EnumSet.of(DemoResult.HostOutcome.SKIPPED, DemoResult.HostOutcome.UNVERIFIED)
                .contains(e.outcome()),
            e.toString());
        assertFalse(e.reason().orElse("").isBlank(), h + " is skipped with a reason");
      }
    }
  }

  @Test
  void cloudTruth_recordsTheHostsLife() {
    Set<Kind> kinds = EnumSet.noneOf(Kind.class);
    cleanTruth.forEach(t -> kinds.add(t.event()));
    assertTrue(
        kinds.containsAll(
            EnumSet.of(
                Kind.HOST_ADDED,
                Kind.PLACED,
                Kind.MAINTENANCE_ENTERED,
                Kind.MIGRATED,
                Kind.HOST_PATCHED,
                Kind.MAINTENANCE_EXITED)),
        kinds.toString());
  }

  @Test
  void noHostIsPatched_whileVmsAreOnIt_orOutsideMaintenanceMode() {
    assertEquals(List.of(), hostsPatchedWithVmsOrOutsideMaintenance(cleanTruth));
    assertEquals(List.of(), hostsPatchedWithVmsOrOutsideMaintenance(faultyTruth));
  }

  @Test
  void everyHostOfTheCluster_endsPatchedOrSkippedWithANamedReason() {
    everyHostEndsPatchedOrSkipped(clean, cleanTruth);
    // Under faults a host whose drain keeps failing is skipped too, with the failure as reason.
    everyHostEndsPatchedOrSkipped(faulty, faultyTruth);
    assertEquals(
        5,
        clean.hosts().stream().filter(h -> h.outcome() == DemoResult.HostOutcome.PATCHED).count(),
        "without faults, every host but the suspended VM's is patched: " + clean.hosts());
  }

  @Test
  void hostOfTheSuspendedVm_isSkipped_namingThatVm() {
    // vm-0007 is suspended from day 2 to day 20; it runs on host-01 of six (round robin).
    DemoResult.HostEvacuation h =
        clean.hosts().stream()
            .filter(x -> x.host().equals(HostId.of("host-01")))
            .findFirst()
            .orElseThrow();
    assertEquals(DemoResult.HostOutcome.SKIPPED, h.outcome(), h.toString());
    assertTrue(h.reason().orElseThrow().contains("vm-0007"), h.reason().orElseThrow());
    assertTrue(
        cleanTruth.stream()
            .noneMatch(
                t ->
                    t.host().equals(java.util.Optional.of(HostId.of("host-01")))
                        && (t.event() == Kind.MAINTENANCE_ENTERED
                            || t.event() == Kind.HOST_PATCHED)),
        "a host with a suspended VM never enters maintenance mode");
  }

  @Test
  void hostsAreDrained_whileVmsArePatched() {
    TruthEvent firstEnter =
        cleanTruth.stream()
            .filter(t -> t.event() == Kind.MAINTENANCE_ENTERED)
            .findFirst()
            .orElseThrow();
    TruthEvent lastExit =
        cleanTruth.stream()
            .filter(t -> t.event() == Kind.MAINTENANCE_EXITED)
            .reduce((a, b) -> b)
            .orElseThrow();
    assertTrue(
        cleanTruth.stream()
            .anyMatch(
                t ->
                    t.event() == Kind.JOB_STARTED
                        && !t.at().isBefore(firstEnter.at())
                        && !t.at().isAfter(lastExit.at().plusSeconds(6 * 3600))),
        "VM patch jobs run around the host remediation");
  }

  @Test
  void report_showsEachHostsEvacuation_asTheTruthHasIt() throws IOException {
    JsonNode report = JSON.readTree(dir.resolve("clean/report.json").toFile());
    JsonNode hosts = report.get("hosts");
    assertEquals(6, hosts.size());
    int moves = 0;
    for (JsonNode h : hosts) {
      if (h.get("outcome").asText().equals("PATCHED")) {
        assertTrue(h.has("enteredMaintenance") && h.has("patched") && h.has("exitedMaintenance"));
        for (JsonNode m : h.get("evacuated")) {
          moves++;
          String vm = m.get("vm").asText();
          String to = m.get("to").asText();
          String from = h.get("host").asText();
          assertTrue(
              cleanTruth.stream()
                  .anyMatch(
                      t ->
                          t.event() == Kind.MIGRATED
                              && t.vm().orElseThrow().value().equals(vm)
                              && t.fromHost().orElseThrow().value().equals(from)
                              && t.toHost().orElseThrow().value().equals(to)
                              && t.at().toString().equals(m.get("at").asText())),
              m.toString());
        }
      } else {
        assertTrue(h.get("reason").asText().contains("vm-"), h.toString());
      }
    }
    assertEquals(
        cleanTruth.stream().filter(t -> t.event() == Kind.MIGRATED).count(), moves, "every move");
  }

  @Test
  void complianceAnswer_namesTheSuspendedVm_inTheSummaryAndTheReports() throws IOException {
    var a = clean.compliance().answer();
    assertEquals(List.of(AssetId.of("vm-0007")), a.suspended(), a.patchedAnswer());
    assertTrue(a.patchedAnswer().contains("1 suspended: vm-0007"), a.patchedAnswer());
    JsonNode answer = JSON.readTree(dir.resolve("clean/report.json").toFile()).get("answer");
    assertEquals("[\"vm-0007\"]", answer.get("suspended").toString());
    assertTrue(
        Files.readString(dir.resolve("clean/report.html")).contains("1 suspended: vm-0007"),
        "report.html names it");
  }

  @Test
  void reportHtml_showsEachDrainedHostsEvacuation_asTheTruthHasIt() throws IOException {
    String html = Files.readString(dir.resolve("clean/report.html"), StandardCharsets.UTF_8);
    Map<HostId, Integer> lastRow = new TreeMap<>();
    int moves = 0;
    for (TruthEvent t : cleanTruth) {
      HostId host = t.host().orElse(t.fromHost().orElse(null));
      if (host == null) {
        continue;
      }
      switch (t.event()) {
        case MIGRATED -> {
          String entry = hostEntry(html, host);
          String row =
              "<tr><td>"
                  + seconds(t.at())
                  + "</td><td>"
                  + t.vm().orElseThrow().value()
                  + "</td><td>"
                  + host.value()
                  + "</td><td>"
                  + t.toHost().orElseThrow().value()
                  + "</td></tr>";
          int at = entry.indexOf(row);
          assertTrue(at >= 0, "report.html lacks the drain of " + host + ": " + t);
          assertTrue(at > lastRow.getOrDefault(host, -1), "in the order they happened: " + t);
          lastRow.put(host, at);
          moves++;
        }
        case MAINTENANCE_ENTERED, HOST_PATCHED, MAINTENANCE_EXITED ->
            assertTrue(
                hostEntry(html, host).contains(seconds(t.at())),
                host + " does not show when it " + t.event());
        default -> {}
      }
    }
    assertTrue(moves > 0, "the clean run drains hosts");
    String skipped =
        html.substring(html.indexOf("id=\"hosts-skipped\""), html.indexOf("id=\"host-list\""));
    assertTrue(
        skipped.contains("<b>host-01</b>") && skipped.contains("<b>vm-0007</b>"),
        "the skipped host is named with the VM that blocked it: " + skipped);
    assertTrue(html.contains("6 hosts: 5 patched, 1 skipped"), "the summary line");
  }

  @Test
  void skippedHostsBlockingVm_isTheVmTheReasonNames_asAWordOfItsOwn() throws IOException {
    JsonNode hosts = JSON.readTree(dir.resolve("clean/report.json").toFile()).get("hosts");
    for (JsonNode h : hosts) {
      String expected = h.get("host").asText().equals("host-01") ? "[\"vm-0007\"]" : "[]";
      assertEquals(expected, h.get("blockingVms").toString(), h.toString());
    }
    String reason = "runs VMs that cannot be live-migrated: vm-0007 (it is SUSPENDED)";
    assertTrue(HostEvacuations.names(reason, AssetId.of("vm-0007")));
    assertFalse(HostEvacuations.names(reason, AssetId.of("vm-000")), "a prefix is not a name");
    assertFalse(HostEvacuations.names("vm-00071 pinned", AssetId.of("vm-0007")));
    assertTrue(HostEvacuations.names("pinned: vm-0007.", AssetId.of("vm-0007")));
  }

  /** One host's collapsed entry in the report's host remediation section. */
  private static String hostEntry(String html, HostId host) {
    int start = html.indexOf("<details class=\"host\" id=\"host-" + host.value() + "\"");
    assertTrue(start >= 0, "report.html has no entry for " + host);
    return html.substring(start, html.indexOf("</details>", start));
  }

  private static String seconds(java.time.Instant at) {
    return at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString().replace('T', ' ');
  }
}
