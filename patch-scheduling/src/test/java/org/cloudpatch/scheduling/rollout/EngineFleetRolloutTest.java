package org.cloudpatch.scheduling.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.AffectedPackage;
import org.cloudpatch.core.advisory.AffectedRange;
import org.cloudpatch.core.advisory.RangeEvent;
import org.cloudpatch.core.advisory.SeverityScore;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.finding.Finding;
import org.cloudpatch.core.finding.FindingStatus;
import org.cloudpatch.core.memory.InMemoryAdvisoryFeed;
import org.cloudpatch.core.memory.InMemoryChangeSystem;
import org.cloudpatch.core.memory.InMemoryEvidenceStore;
import org.cloudpatch.core.memory.InMemoryJournal;
import org.cloudpatch.core.memory.InMemoryNotifier;
import org.cloudpatch.core.memory.SimulatedCloud;
import org.cloudpatch.core.memory.TruthEvent;
import org.cloudpatch.core.memory.VirtualClock;
import org.cloudpatch.core.process.PatchEngine;
import org.cloudpatch.core.process.ProcessPolicy;
import org.cloudpatch.core.process.TrackingItem;
import org.cloudpatch.core.process.TrackingRecord;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.cloudpatch.core.severity.Priority;
import org.cloudpatch.core.spi.Applicability;
import org.cloudpatch.scheduling.window.RecurringWindow;
import org.cloudpatch.scheduling.window.WindowSchedule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine with {@link FleetRolloutPlanner} behind its rollout planner port, on the simulated
 * cloud, checked against the cloud's own ground truth (its job records), never the engine's
 * journal: every {@code SAME_INSTANT} group starts at one instant, inside every member's own
 * window; a group whose members' windows never meet is not patched, its reason on the tracking
 * record; P1 work that its weekly window would bring in after its due date gets an out-of-cycle
 * emergency window.
 */
class EngineFleetRolloutTest {
  private static final Instant START = Instant.parse("2026-01-05T00:00:00Z"); // a Monday
  private static final TenantId ACME = TenantId.of("acme");
  private static final WindowSchedule NIGHTLY =
      RecurringWindow.parse("0 1 * * *").withDuration(Duration.ofHours(4));
  private static final WindowSchedule SUNDAYS =
      RecurringWindow.parse("0 2 * * 0").withDuration(Duration.ofHours(4));
  private static final Map<String, WindowSchedule> SCHEDULES =
      Map.of("nightly", NIGHTLY, "sundays", SUNDAYS);

  private static SimulatedCloud cloud;
  private static PatchEngine engine;
  private static final Map<AssetId, Asset> ASSETS = new TreeMap<>();
  private static final List<FleetPlan> PLANS = new ArrayList<>();

  @BeforeAll
  static void runTheEngineForTenDays() {
    VirtualClock clock = VirtualClock.at(START);
    cloud = SimulatedCloud.builder().clock(clock).seed(3).failureRate(0).build();
    cloud.addHost(HostId.of("host-1"), 256);
    // pg-eu: London and Berlin, whose nights overlap for three hours (01:00-04:00 UTC in winter);
    // the London member has the smallest id, so an anchor-zone planner would use London's window,
    // whose last hour (04:00-05:00 UTC) is outside Berlin's.
    vm("vm-01", "Europe/London", "nightly", "pg-eu", "postgresql");
    vm("vm-02", "Europe/Berlin", "nightly", "pg-eu", "postgresql");
    vm("vm-03", "Europe/Berlin", "nightly", "pg-eu", "postgresql");
    // pg-split: Tokyo's night (16:00-20:00 UTC) and New York's (06:00-10:00 UTC) never meet.
    vm("vm-04", "Asia/Tokyo", "nightly", "pg-split", "postgresql");
    vm("vm-05", "America/New_York", "nightly", "pg-split", "postgresql");
    // pg-apac: Tokyo and Sydney, whose nights overlap for three hours.
    vm("vm-06", "Australia/Sydney", "nightly", "pg-apac", "postgresql");
    vm("vm-07", "Asia/Tokyo", "nightly", "pg-apac", "postgresql");
    // Single VMs in their own nights.
    vm("vm-08", "America/Los_Angeles", "nightly", null, "libc");
    vm("vm-09", "Asia/Kolkata", "nightly", null, "libc");
    vm("vm-10", "Europe/Berlin", "nightly", null, "libc");
    // Patched on Sundays only: six days away, past the P1 due date of three days.
    vm("vm-11", "Europe/Berlin", "sundays", null, "openssl");
    vm("vm-12", "America/New_York", "sundays", null, "openssl");

    InMemoryAdvisoryFeed feed = InMemoryAdvisoryFeed.create("test-feed", clock);
    feed.publish(advisory("ADV-PG", "postgresql", "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N"));
    feed.publish(advisory("ADV-LIBC", "libc", "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N"));
    feed.publish(advisory("ADV-SSL", "openssl", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
    FleetRolloutPlanner planner =
        FleetRolloutPlanner.builder()
            .schedules(SCHEDULES)
            .windowOf(a -> a.tags().contains("window:sundays") ? "sundays" : "nightly")
            .onPlan(PLANS::add)
            .build();
    engine =
        PatchEngine.builder()
            .clock(clock)
            .addFeed(feed)
            .inventorySource(cloud)
            .changeSystem(InMemoryChangeSystem.create(clock, Duration.ofDays(1)))
            .hypervisor(cloud)
            .executor(cloud)
            .notifier(InMemoryNotifier.create().register(ACME, List.of("secops@acme.example")))
            .applicability(new IntegerVersions())
            .planner(planner)
            .journal(InMemoryJournal.create())
            .evidenceStore(InMemoryEvidenceStore.create())
            .policy(
                ProcessPolicy.builder()
                    .maxConcurrency(4)
                    .sameInstant(
                        a -> a.affected().stream().anyMatch(p -> p.name().equals("postgresql")))
                    .build())
            .build();
    for (int i = 0; i < 10 * 24 * 12; i++) {
      engine.tick();
      clock.advance(Duration.ofMinutes(5));
    }
  }

  @Test
  void sameInstantGroup_startsAtOneInstant_insideEveryMembersOwnWindow() {
    Map<String, Set<Instant>> startsByGroup = new TreeMap<>();
    for (TruthEvent t : cloud.truth()) {
      if (t.event() != TruthEvent.Kind.JOB_STARTED) {
        continue;
      }
      Asset asset = ASSETS.get(t.vm().orElseThrow());
      Optional<String> group = asset.patchGroup();
      assertEquals(group, t.group(), "the job names its asset's group: " + t);
      group.ifPresent(g -> startsByGroup.computeIfAbsent(g, k -> new TreeSet<>()).add(t.at()));
      if (group.isPresent()) {
        assertTrue(
            insideOwnWindow(asset, t.at()),
            asset.id() + " (" + asset.zone() + ") started at " + t.at() + " outside its window");
      }
    }
    assertEquals(Set.of("pg-apac", "pg-eu"), startsByGroup.keySet(), "groups with a common night");
    startsByGroup.forEach(
        (g, instants) -> assertEquals(1, instants.size(), g + " started at " + instants));
    for (String vm : List.of("vm-01", "vm-02", "vm-03", "vm-06", "vm-07")) {
      assertEquals(1, jobsOf(vm), vm + " patched once");
    }
  }

  @Test
  void groupWhoseWindowsNeverMeet_isNotPatched_andItsRecordSaysWhy() {
    assertEquals(0, jobsOf("vm-04"));
    assertEquals(0, jobsOf("vm-05"));
    TrackingItem item = item("ADV-PG", "vm-04");
    assertEquals(TrackingItem.ItemState.RISK_ACCEPTED, item.state());
    assertTrue(item.note().contains("share no instant"), item.note());
    assertTrue(item.note().contains("vm-05"), "names the conflicting member: " + item.note());
    assertTrue(item.note().contains("would give a common start"), item.note());
    assertTrue(
        PLANS.stream()
            .anyMatch(p -> p.conflicts().stream().anyMatch(c -> c.group().equals("pg-split"))));
  }

  @Test
  void singleAssets_arePatchedInsideTheirOwnWindows() {
    for (TruthEvent t : cloud.truth()) {
      if (t.event() == TruthEvent.Kind.JOB_STARTED) {
        Asset asset = ASSETS.get(t.vm().orElseThrow());
        if (!asset.tags().contains("window:sundays")) {
          assertTrue(insideOwnWindow(asset, t.at()), asset.id() + " at " + t.at());
        }
      }
    }
    for (String vm : List.of("vm-08", "vm-09", "vm-10")) {
      assertEquals(1, jobsOf(vm), vm + " patched once");
      assertEquals(TrackingItem.ItemState.VERIFIED, item("ADV-LIBC", vm).state());
    }
  }

  @Test
  void p1WorkThatItsWindowWouldBringInLate_getsAnEmergencyWindow_beforeItsDueDate() {
    TrackingRecord ssl = record("ADV-SSL");
    assertEquals(Priority.P1, ssl.priority());
    for (String vm : List.of("vm-11", "vm-12")) {
      List<TruthEvent> started = started(vm);
      assertEquals(1, started.size(), vm + " patched once");
      Instant at = started.get(0).at();
      assertTrue(at.isBefore(ssl.due()), vm + " started " + at + ", due " + ssl.due());
      assertFalse(
          insideOwnWindow(ASSETS.get(AssetId.of(vm)), at),
          vm + " was not patched in its Sunday window but out of cycle, at " + at);
      assertEquals(TrackingItem.ItemState.VERIFIED, item("ADV-SSL", vm).state());
    }
  }

  // ---- ground truth helpers ----

  private static boolean insideOwnWindow(Asset asset, Instant at) {
    WindowSchedule schedule = asset.tags().contains("window:sundays") ? SUNDAYS : NIGHTLY;
    for (MaintenanceWindow w :
        schedule.occurrences(asset.zone(), at.minus(Duration.ofDays(1)), 3)) {
      if (w.contains(at) && !at.isAfter(w.cutoff())) {
        return true;
      }
    }
    return false;
  }

  private static List<TruthEvent> started(String vm) {
    return cloud.truth().stream()
        .filter(t -> t.event() == TruthEvent.Kind.JOB_STARTED)
        .filter(t -> t.vm().orElseThrow().value().equals(vm))
        .toList();
  }

  private static long jobsOf(String vm) {
    return started(vm).size();
  }

  private static TrackingRecord record(String advisory) {
    return engine.trackingRecords().stream()
        .filter(r -> r.advisory().equals(AdvisoryId.of(advisory)))
        .findFirst()
        .orElseThrow();
  }

  private static TrackingItem item(String advisory, String vm) {
    return java.util.Objects.requireNonNull(record(advisory).items().get(AssetId.of(vm)));
  }

  // ---- fleet and advisories ----

  private static void vm(
      String id,
      String zone,
      String window,
      @org.jspecify.annotations.Nullable String group,
      String pkg) {
    Asset.Builder b =
        Asset.builder()
            .id(AssetId.of(id))
            .tenant(ACME)
            .zone(ZoneId.of(zone))
            .platform(Platform.parse("Debian:12"))
            .host(HostId.of("host-1"))
            .addTags("team:ops", "window:" + window);
    if (group != null) {
      b.patchGroup(group);
    }
    Asset asset = b.build();
    ASSETS.put(asset.id(), asset);
    cloud.addVm(asset, 2, List.of(InstalledPackage.of(pkg, "1")));
  }

  private static Advisory advisory(String id, String pkg, String cvss) {
    return Advisory.builder()
        .id(AdvisoryId.of(id))
        .source("TEST")
        .published(START)
        .modified(START)
        .summary(pkg + " is vulnerable")
        .addSeverities(SeverityScore.of("CVSS_V3", cvss))
        .addAffected(
            AffectedPackage.builder()
                .ecosystem("Debian:12")
                .name(pkg)
                .addRanges(
                    AffectedRange.of(
                        AffectedRange.RangeType.ECOSYSTEM,
                        List.of(RangeEvent.introduced("0"), RangeEvent.fixed("2"))))
                .build())
        .build();
  }

  /** Versions are integers; a package below its advisory's fixed version is affected. */
  private static final class IntegerVersions implements Applicability {
    @Override
    public List<Finding> assess(Advisory advisory, Inventory inventory) {
      List<Finding> out = new ArrayList<>();
      for (AffectedPackage p : advisory.affected()) {
        String fixed =
            p.ranges().get(0).events().stream()
                .filter(e -> e.kind() == RangeEvent.Kind.FIXED)
                .findFirst()
                .orElseThrow()
                .version();
        for (InstalledPackage i : inventory.packages()) {
          if (i.name().equals(p.name())) {
            boolean affected = Integer.parseInt(i.version()) < Integer.parseInt(fixed);
            out.add(
                Finding.builder()
                    .asset(inventory.asset())
                    .advisory(advisory.id())
                    .ecosystem(p.ecosystem())
                    .packageName(p.name())
                    .addBinaryPackages(i.name())
                    .installedVersion(i.version())
                    .fixedVersion(fixed)
                    .status(affected ? FindingStatus.AFFECTED : FindingStatus.FIXED)
                    .evidence(i.version() + (affected ? " < " : " >= ") + "fixed " + fixed)
                    .build());
          }
        }
      }
      return out;
    }
  }
}
