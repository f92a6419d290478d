package org.cloudpatch.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.rollout.PackageUpdate;
import org.cloudpatch.core.rollout.PatchJob;
import org.cloudpatch.core.spi.JournalEntry;
import org.junit.jupiter.api.Test;

/** The cloud's own record of what happened: its line format, its order, and checks on it. */
class GroundTruthTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final AssetId VM1 = AssetId.of("vm-1");
  static final AssetId VM2 = AssetId.of("vm-2");
  static final HostId H1 = HostId.of("h1");
  static final HostId H2 = HostId.of("h2");

  /** Each kind of event with the fields DESIGN §10 gives it. */
  static final Map<TruthEvent.Kind, Set<String>> FIELDS = new EnumMap<>(TruthEvent.Kind.class);

  static {
    FIELDS.put(TruthEvent.Kind.HOST_ADDED, Set.of("host", "cpu", "memGiB"));
    FIELDS.put(TruthEvent.Kind.PLACED, Set.of("vm", "host", "cpu", "memGiB"));
    FIELDS.put(TruthEvent.Kind.JOB_STARTED, Set.of("vm", "host", "job", "attempt"));
    FIELDS.put(TruthEvent.Kind.JOB_FINISHED, Set.of("vm", "host", "job", "attempt", "installed"));
    FIELDS.put(TruthEvent.Kind.HELD, Set.of("vm"));
    FIELDS.put(TruthEvent.Kind.RELEASED, Set.of("vm", "installed"));
    FIELDS.put(TruthEvent.Kind.SNAPSHOT_TAKEN, Set.of("vm", "snapshot"));
    FIELDS.put(TruthEvent.Kind.REVERTED, Set.of("vm", "snapshot", "installed"));
    FIELDS.put(TruthEvent.Kind.SUSPENDED, Set.of("vm"));
    FIELDS.put(TruthEvent.Kind.RESUMED, Set.of("vm"));
    FIELDS.put(TruthEvent.Kind.MAINTENANCE_ENTERED, Set.of("host"));
    FIELDS.put(TruthEvent.Kind.MAINTENANCE_EXITED, Set.of("host"));
    FIELDS.put(TruthEvent.Kind.MIGRATED, Set.of("vm", "from", "to"));
    FIELDS.put(TruthEvent.Kind.HOST_PATCHED, Set.of("host"));
    FIELDS.put(TruthEvent.Kind.DECOMMISSIONED, Set.of("vm", "host"));
  }

  static PatchJob job(String key, AssetId vm, String version) {
    return PatchJob.builder()
        .key(key)
        .asset(vm)
        .addUpdates(PackageUpdate.of("openssl", version))
        .build();
  }

  /** A cloud, and a scenario that makes every kind of event happen. */
  static SimulatedCloud everyKindOfEvent(VirtualClock clock, long seed, FaultPlan faults) {
    SimulatedCloud c =
        SimulatedCloud.builder()
            .clock(clock)
            .seed(seed)
            .failureRate(0.0)
            .jobDuration(Duration.ofMinutes(5), Duration.ofMinutes(15))
            .faults(faults)
            .build();
    c.addHost(H1, 8, 64).addHost(H2, 8);
    c.addVm(
        SimulatedCloudTest.vm("vm-1", "h1"), 2, 8, List.of(InstalledPackage.of("openssl", "1")));
    c.addVm(SimulatedCloudTest.vm("vm-2", "h1"), 2, List.of(InstalledPackage.of("openssl", "1")));
    Runnable[] steps = {
      () -> c.snapshot(VM1, "snap"),
      () -> c.submit(job("job-1", VM1, "2")),
      () -> c.submit(PatchJob.builder().from(job("job-2", VM2, "2")).group("pg-1").build()),
      () -> clock.advance(Duration.ofMinutes(20)),
      () -> c.holdForCatchUp(VM1, "hold"),
      () -> c.release(VM1, "release"),
      () -> c.revert(VM1, "snap-1", "revert"),
      () -> c.suspend(VM2),
      () -> clock.advance(Duration.ofHours(1)),
      () -> c.resume(VM2),
      () -> c.migrate(VM1, H2, "move"),
      () -> c.migrate(VM2, H2, "move"),
      () -> c.enterMaintenance(H1, "enter"),
      () -> c.patchHost(H1),
      () -> c.exitMaintenance(H1, "exit"),
      () -> c.addVm(SimulatedCloudTest.vm("vm-3", "h2"), 1, List.of()),
      () -> c.decommission(AssetId.of("vm-3")),
    };
    for (Runnable step : steps) {
      for (int attempt = 0; attempt < 10; attempt++) {
        try {
          step.run();
          break;
        } catch (PatchException | IllegalStateException fault) {
          // retried under the same key, as an engine would
        }
      }
    }
    return c;
  }

  static String jsonl(SimulatedCloud c) throws IOException {
    StringWriter out = new StringWriter();
    c.writeTruth(out);
    return out.toString();
  }

  @Test
  void truthLines_parse_andCarryTheFieldsOfDesignSection10_forEveryKind() throws IOException {
    SimulatedCloud c = everyKindOfEvent(VirtualClock.at(T0), 1, FaultPlan.none());
    String text = jsonl(c);
    assertTrue(text.endsWith("\n"));
    Set<TruthEvent.Kind> seen = EnumSet.noneOf(TruthEvent.Kind.class);
    ObjectMapper json = new ObjectMapper();
    List<String> lines = text.lines().toList();
    for (String line : lines) {
      JsonNode n = json.readTree(line);
      TruthEvent.Kind kind = TruthEvent.Kind.ofWireName(n.get("event").asText());
      seen.add(kind);
      Set<String> fields = new TreeSet<>();
      n.fieldNames().forEachRemaining(fields::add);
      fields.remove("at");
      fields.remove("event");
      fields.remove("group");
      assertEquals(new TreeSet<>(FIELDS.get(kind)), fields, line);
      assertEquals(Instant.parse(n.get("at").asText()).toString(), n.get("at").asText());
      TruthEvent parsed = TruthEvent.parse(line);
      assertEquals(line, parsed.toJsonLine(), "a line round-trips");
    }
    assertEquals(EnumSet.allOf(TruthEvent.Kind.class), seen, "every kind occurs");
    assertEquals(c.truth(), lines.stream().map(TruthEvent::parse).toList());
    TruthEvent migrated =
        c.truth().stream().filter(e -> e.event() == TruthEvent.Kind.MIGRATED).findFirst().get();
    assertEquals(
        "{\"at\":\"2026-01-01T01:20:00Z\",\"event\":\"migrated\",\"vm\":\"vm-1\","
            + "\"from\":\"h1\",\"to\":\"h2\"}",
        migrated.toJsonLine());
  }

  @Test
  void groupOfAJob_isInTheTruthOnlyWhenTheJobNamesIt() {
    SimulatedCloud c = everyKindOfEvent(VirtualClock.at(T0), 1, FaultPlan.none());
    for (TruthEvent e : c.truth()) {
      if (e.job().equals(java.util.Optional.of("job-2"))) {
        assertEquals(java.util.Optional.of("pg-1"), e.group(), e.toJsonLine());
      } else {
        assertEquals(java.util.Optional.empty(), e.group(), e.toJsonLine());
      }
    }
  }

  @Test
  void jobFinished_carriesWhatIsInstalledAfter_andTheCloudsAttemptCount() {
    VirtualClock clock = VirtualClock.at(T0);
    SimulatedCloud c = everyKindOfEvent(clock, 1, FaultPlan.none());
    c.submit(job("job-3", VM1, "3"));
    clock.advance(Duration.ofHours(1));
    TruthEvent last =
        c.truth().stream()
            .filter(e -> e.event() == TruthEvent.Kind.JOB_FINISHED)
            .reduce((a, b) -> b)
            .orElseThrow();
    assertEquals(java.util.Optional.of("job-3"), last.job());
    assertEquals(2, last.attempt().getAsInt());
    assertEquals(java.util.Optional.of(Map.of("openssl", "3")), last.installed());
    assertEquals(java.util.Optional.of(H2), last.host(), "where the VM runs now");
  }

  @Test
  void sameSeed_givesTheSameTruth_byteForByte_evenUnderFaults() throws IOException {
    FaultPlan faults = FaultPlan.uniform(0.2);
    String a = jsonl(everyKindOfEvent(VirtualClock.at(T0), 5, faults));
    String b = jsonl(everyKindOfEvent(VirtualClock.at(T0), 5, faults));
    assertEquals(a, b);
    String other = jsonl(everyKindOfEvent(VirtualClock.at(T0), 6, FaultPlan.uniform(0.5)));
    assertNotEquals(a, other, "other faults, another truth");
  }

  @Test
  void truth_isInTimeOrder_whenAJobEndsBeforeALaterCallSettlesIt() {
    VirtualClock clock = VirtualClock.at(T0);
    SimulatedCloud c = everyKindOfEvent(clock, 1, FaultPlan.none());
    c.submit(job("job-late", VM2, "4"));
    clock.advance(Duration.ofDays(2));
    c.suspend(VM1);
    List<TruthEvent> truth = c.truth();
    assertEquals(List.of(), GroundTruthChecks.outOfTimeOrder(truth));
    TruthEvent finished = truth.get(truth.size() - 2);
    assertEquals(TruthEvent.Kind.JOB_FINISHED, finished.event());
    assertTrue(finished.at().isBefore(truth.get(truth.size() - 1).at()));
  }

  @Test
  void check_twoJobsOnOneVm_findsAnOverlap_andNotJobsInSequence() {
    VirtualClock clock = VirtualClock.at(T0);
    SimulatedCloud c = everyKindOfEvent(clock, 1, FaultPlan.none());
    assertEquals(List.of(), GroundTruthChecks.twoJobsOnOneVm(c.truth()), "jobs in sequence");
    c.submit(job("job-a", VM1, "5"));
    clock.advance(Duration.ofMinutes(1));
    c.submit(job("job-b", VM1, "6"));
    List<String> violations = GroundTruthChecks.twoJobsOnOneVm(c.truth());
    assertEquals(1, violations.size(), violations.toString());
    assertTrue(violations.get(0).contains("job job-b started on vm-1 while job job-a ran"));
  }

  @Test
  void check_releasedWhileNotCompliant_judgesWhatWasInstalledAtTheRelease() {
    VirtualClock clock = VirtualClock.at(T0);
    SimulatedCloud c = everyKindOfEvent(clock, 1, FaultPlan.none());
    GroundTruthChecks.Baseline atLeast2 =
        (vm, at, installed) -> installed.getOrDefault("openssl", "0").compareTo("2") >= 0;
    // In the scenario vm-1 is released at version 2: compliant.
    assertEquals(List.of(), GroundTruthChecks.releasedWhileNotCompliant(c.truth(), atLeast2));
    c.holdForCatchUp(VM2, "hold-2");
    c.revert(VM2, c.snapshot(VM2, "old"), "noop");
    c.submit(job("job-down", VM2, "1"));
    clock.advance(Duration.ofHours(1));
    c.release(VM2, "release-2");
    List<String> violations = GroundTruthChecks.releasedWhileNotCompliant(c.truth(), atLeast2);
    assertEquals(1, violations.size(), violations.toString());
    assertTrue(violations.get(0).contains("vm-2 released while not compliant"));
  }

  @Test
  void check_journalHoldsWithoutRealHold_findsAHoldTheCloudNeverMade() {
    VirtualClock clock = VirtualClock.at(T0);
    SimulatedCloud c = everyKindOfEvent(clock, 1, FaultPlan.none());
    Instant now = clock.instant();
    c.holdForCatchUp(VM2, "hold-real");
    List<JournalEntry> journal =
        List.of(held(0, now, "vm-2"), held(1, now, "vm-1"), held(2, T0, "vm-2"));
    List<String> violations =
        GroundTruthChecks.journalHoldsWithoutRealHold(c.truth(), journal, "catchup.held");
    assertEquals(2, violations.size(), violations.toString());
    assertTrue(violations.get(0).startsWith("seq 1 "), violations.get(0));
    assertTrue(violations.get(1).startsWith("seq 2 "), violations.get(1));
  }

  private static JournalEntry held(long seq, Instant at, String vm) {
    return JournalEntry.builder()
        .seq(seq)
        .at(at)
        .type("catchup.held")
        .data(JsonNodeFactory.instance.objectNode().put("vm", vm).put("reason", "resumed"))
        .build();
  }

  @Test
  void parse_badLine_namesTheProblem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TruthEvent.parse("{\"at\":\"2026-01-01T00:00:00Z\",\"event\":\"exploded\"}"));
    assertTrue(e.getMessage().contains("exploded"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TruthEvent.parse("{\"at\":\"yesterday\",\"event\":\"held\"}"));
    assertTrue(e.getMessage().contains("/at"), e.getMessage());
  }
}
