package org.cloudpatch.core.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
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
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.memory.FaultPlan;
import org.cloudpatch.core.memory.GroundTruthChecks;
import org.cloudpatch.core.memory.InMemoryAdvisoryFeed;
import org.cloudpatch.core.memory.InMemoryChangeSystem;
import org.cloudpatch.core.memory.InMemoryEvidenceStore;
import org.cloudpatch.core.memory.InMemoryJournal;
import org.cloudpatch.core.memory.InMemoryNotifier;
import org.cloudpatch.core.memory.SimulatedCloud;
import org.cloudpatch.core.memory.TruthEvent;
import org.cloudpatch.core.memory.VirtualClock;
import org.cloudpatch.core.process.SubscriptionCrashTest.Killed;
import org.cloudpatch.core.spi.Journal;
import org.cloudpatch.core.spi.JournalEntry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Issue 9's model-based test: random small fleets, advisories (some without a fix, some updated),
 * lifecycle events, fault plans and engine restarts at any journal append (inside batches too),
 * checked against the simulated cloud's ground truth rather than the engine's journal.
 *
 * <p>Each example is one seed; everything in the scenario is drawn from it. The default run is
 * small; {@code -Dcloudpatch.model.examples=N} runs more.
 */
class EngineModelTest {
  private static final long SEED = 0x15509L;
  private static final int EXAMPLES = Integer.getInteger("cloudpatch.model.examples", 40);
  private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
  static final Duration TICK = Duration.ofMinutes(5);
  private static final int DAYS = 4;
  private static final List<String> PACKAGES = List.of("openssl", "curl", "zlib");
  private static final List<ZoneId> ZONES =
      List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Berlin"), ZoneId.of("America/New_York"));

  @Test
  void randomFleetsFaultsAndRestarts_keepEveryRuleOfTheGroundTruth() {
    qt().withFixedSeed(SEED)
        .withExamples(EXAMPLES)
        .forAll(longs().all())
        .checkAssert(seed -> assertRulesHold(Scenario.run(seed, true)));
    // Not vacuous: the examples restarted engines, inside batches too, and patched groups.
    assertTrue(restarts[0] > EXAMPLES / 2, "restarts: " + restarts[0]);
    assertTrue(tornBatches[0] > 0, "restarts inside a batch: " + tornBatches[0]);
    assertTrue(groupRollouts[0] > 0, "same-instant group rollouts checked: " + groupRollouts[0]);
  }

  /**
   * Seeds that found defects, kept as regressions: 51 and 163 (a VM reverted or caught up after its
   * advisory was assessed: catch-up targeted the items' stale fix, and an advisory without a fix
   * kept a VM held), 59 and -463 (an update raised a fix: ignored, then a same-instant group split
   * between its old wave and a new one).
   */
  @Test
  void seedsThatFoundDefects_keepEveryRule() {
    for (long seed : new long[] {51, 59, 163, -463, -523, -553, -652}) {
      assertRulesHold(Scenario.run(seed, true));
    }
  }

  private static final int[] restarts = {0};
  private static final int[] tornBatches = {0};
  private static final int[] groupRollouts = {0};

  @Test
  void sameSeed_givesTheSameJournal() {
    long seed = 0x5eedL;
    Scenario first = Scenario.run(seed, false);
    Scenario second = Scenario.run(seed, false);
    List<String> a = first.journal.readAll().stream().map(EngineModelTest::text).toList();
    List<String> b = second.journal.readAll().stream().map(EngineModelTest::text).toList();
    assertTrue(a.size() > 50, "a run that does something: " + a.size() + " entries");
    assertEquals(a, b);
  }

  private static String text(JournalEntry e) {
    return e.seq() + " " + e.at() + " " + e.type() + " " + e.record() + " " + e.data();
  }

  // ---- the scenario --------------------------------------------------------------------------

  /** One advisory version as published: the fixed version, when it names one. */
  record Published(AdvisoryId id, String pkg, Optional<String> fixed, Instant modified) {}

  /** A user's action on a VM at an instant. */
  record Lifecycle(Instant at, AssetId vm, String what) {}

  /** A journal that dies at chosen appends, keeping a chosen prefix of the batch. */
  static final class CrashingJournal implements Journal {
    final Journal durable = InMemoryJournal.create();
    final Map<Integer, Double> crashAt;
    final java.time.Clock clock;

    /** When each entry was really appended (the clock moves during a tick, e.g. by slow calls). */
    final Map<Long, Instant> appendedAt = new TreeMap<>();

    int appends;
    int crashes;

    CrashingJournal(Map<Integer, Double> crashAt, java.time.Clock clock) {
      this.crashAt = crashAt;
      this.clock = clock;
    }

    /** How long the cloud's truth was when each entry was written. */
    final Map<Long, Integer> truthWhenWritten = new TreeMap<>();

    @Nullable SimulatedCloud cloud;

    private List<JournalEntry> keep(List<JournalEntry> appended) {
      int truth = cloud == null ? 0 : cloud.truth().size();
      appended.forEach(
          e -> {
            appendedAt.put(e.seq(), clock.instant());
            truthWhenWritten.put(e.seq(), truth);
          });
      return appended;
    }

    /** The entries, each stamped with the instant it was written rather than its tick's. */
    List<JournalEntry> asWritten() {
      return durable.readAll().stream()
          .map(e -> JournalEntry.builder().from(e).at(appendedAt.get(e.seq())).build())
          .toList();
    }

    @Override
    public List<JournalEntry> append(List<JournalEntry.Draft> drafts) {
      appends++;
      Double keep = crashAt.get(appends);
      if (keep != null) {
        crashes++;
        // 0 .. size drafts kept: before, inside or after the batch
        int kept = Math.min(drafts.size(), (int) (keep * (drafts.size() + 1)));
        if (kept > 0 && kept < drafts.size()) {
          tornBatches[0]++;
        }
        keep(durable.append(drafts.subList(0, kept)));
        throw new Killed();
      }
      return keep(durable.append(drafts));
    }

    @Override
    public List<JournalEntry> readAll() {
      return durable.readAll();
    }

    @Override
    public long size() {
      return durable.size();
    }
  }

  static final class Scenario {
    final long seed;
    final VirtualClock clock = VirtualClock.at(START);
    final InMemoryAdvisoryFeed feed = InMemoryAdvisoryFeed.create("model-feed", clock);
    final InMemoryChangeSystem changes = InMemoryChangeSystem.create(clock, Duration.ofDays(1));
    final InMemoryNotifier notifier = InMemoryNotifier.create();
    final InMemoryEvidenceStore evidence = InMemoryEvidenceStore.create();
    final List<Published> published = new ArrayList<>();
    final Set<AdvisoryId> sameInstant = new TreeSet<>();
    final Map<AssetId, String> groupOf = new TreeMap<>();
    final List<Lifecycle> lifecycle = new ArrayList<>();
    final SimulatedCloud cloud;
    final CrashingJournal journal;
    final ProcessPolicy policy;
    final List<String> perTickViolations = new ArrayList<>();
    final String summary;
    PatchEngine engine;

    /** The fault plan of a scenario, from its drawn rate; {@link FaultPlan#uniform} by default. */
    final java.util.function.DoubleFunction<FaultPlan> plan;

    /** The engine's inventory source: the cloud, its reads counted. */
    final CountingInventory inventory;

    /** The index the engines of an indexed scenario share across restarts; null without one. */
    final @org.jspecify.annotations.Nullable SimpleIndex index;

    /** Called before each tick, after the users' actions; nothing by default. */
    java.util.function.Consumer<Scenario> beforeTick = s -> {};

    /** How often this scenario's engine died and a new one took over. */
    int restartsHere;

    Scenario(long seed) {
      this(seed, FaultPlan::uniform, false);
    }

    private Scenario(
        long seed, java.util.function.DoubleFunction<FaultPlan> plan, boolean indexed) {
      this.seed = seed;
      this.plan = plan;
      this.index = indexed ? new SimpleIndex() : null;
      Random r = new Random(seed);
      double rate = r.nextDouble() * 0.1;
      cloud =
          SimulatedCloud.builder()
              .clock(clock)
              .seed(r.nextLong())
              .failureRate(r.nextDouble() * 0.1)
              .jobDuration(Duration.ofMinutes(4), Duration.ofMinutes(20))
              .faults(plan.apply(rate))
              .build();
      inventory = new CountingInventory(cloud);
      int hosts = 2 + r.nextInt(3);
      for (int h = 1; h <= hosts; h++) {
        cloud.addHost(HostId.of("host-" + h), 64);
      }
      int tenants = 1 + r.nextInt(3);
      for (int t = 1; t <= tenants; t++) {
        notifier.register(TenantId.of("t" + t), List.of("secops@t" + t + ".example"));
      }
      int vms = 3 + r.nextInt(18);
      for (int i = 1; i <= vms; i++) {
        int tenant = 1 + r.nextInt(tenants);
        AssetId id = AssetId.of(String.format("vm-%02d", i));
        Optional<String> group =
            r.nextInt(3) == 0 ? Optional.of("g" + tenant + "-" + r.nextInt(2)) : Optional.empty();
        group.ifPresent(g -> groupOf.put(id, g));
        List<InstalledPackage> image = new ArrayList<>();
        for (String p : PACKAGES) {
          if (r.nextInt(4) != 0) {
            image.add(InstalledPackage.of(p, "1"));
          }
        }
        cloud.addVm(
            Asset.builder()
                .id(id)
                .tenant(TenantId.of("t" + tenant))
                .zone(ZONES.get(r.nextInt(ZONES.size())))
                .platform(Platform.parse("Debian:12"))
                .host(HostId.of("host-" + (1 + r.nextInt(hosts))))
                .addTags("team:" + (r.nextBoolean() ? "web" : "db"))
                .patchGroup(group)
                .build(),
            2,
            image);
      }
      int advisories = 1 + r.nextInt(4);
      for (int a = 1; a <= advisories; a++) {
        AdvisoryId id = AdvisoryId.of("DSA-" + (100 + a));
        String pkg = PACKAGES.get(r.nextInt(PACKAGES.size()));
        Instant at = START.plus(Duration.ofMinutes(r.nextInt((DAYS - 1) * 24 * 60)));
        boolean noFix = r.nextInt(10) < 3;
        published.add(new Published(id, pkg, noFix ? Optional.empty() : Optional.of("2"), at));
        if (r.nextInt(10) < 3 || noFix && r.nextBoolean()) {
          // an update: a fix named at last, or a later fixed version
          Instant later = at.plus(Duration.ofMinutes(30 + r.nextInt(24 * 60)));
          published.add(new Published(id, pkg, Optional.of(noFix ? "2" : "3"), later));
        }
        if (r.nextInt(3) == 0) {
          sameInstant.add(id);
        }
      }
      published.sort((x, y) -> x.modified().compareTo(y.modified()));
      published.forEach(p -> feed.publish(advisory(p)));
      int events = r.nextInt(3 * vms / 2 + 1);
      for (int e = 0; e < events; e++) {
        String what = List.of("suspend", "resume", "revert").get(r.nextInt(3));
        lifecycle.add(
            new Lifecycle(
                START.plus(Duration.ofMinutes(5L * r.nextInt(DAYS * 24 * 12))),
                AssetId.of(String.format("vm-%02d", 1 + r.nextInt(vms))),
                what));
      }
      lifecycle.sort((x, y) -> x.at().compareTo(y.at()));
      Map<Integer, Double> crashAt = new TreeMap<>();
      int restarts = r.nextInt(4);
      for (int c = 0; c < restarts; c++) {
        crashAt.put(1 + r.nextInt(150 + 10 * vms), r.nextDouble());
      }
      journal = new CrashingJournal(crashAt, clock);
      journal.cloud = cloud;
      policy =
          ProcessPolicy.builder()
              .maxConcurrency(1 + r.nextInt(3))
              .sameInstant(a -> sameInstant.contains(a.id()))
              .build();
      summary =
          String.format(
              "seed %d: %d VMs on %d hosts, %d tenants, groups %s, advisories %s, same-instant %s,"
                  + " %d lifecycle events, fault rate %.3f, crashes at appends %s",
              seed,
              vms,
              hosts,
              tenants,
              groupOf,
              published,
              sameInstant,
              events,
              rate,
              crashAt.keySet());
    }

    static Scenario run(long seed, boolean checkEveryHour) {
      return run(new Scenario(seed), checkEveryHour);
    }

    /** A scenario under the given fault plan, its engines matching with an index or not. */
    static Scenario run(
        long seed,
        java.util.function.DoubleFunction<FaultPlan> plan,
        boolean indexed,
        java.util.function.Consumer<Scenario> beforeTick) {
      Scenario s = new Scenario(seed, plan, indexed);
      s.beforeTick = beforeTick;
      return run(s, false);
    }

    private static Scenario run(Scenario s, boolean checkEveryHour) {
      s.engine = s.build(s.journal);
      Instant end = START.plus(Duration.ofDays(DAYS));
      int next = 0;
      int ticks = 0;
      while (s.clock.instant().isBefore(end)) {
        while (next < s.lifecycle.size()
            && !s.lifecycle.get(next).at().isAfter(s.clock.instant())) {
          s.apply(s.lifecycle.get(next++));
        }
        s.beforeTick.accept(s);
        try {
          s.engine.tick();
        } catch (Killed died) {
          // the process died; a new one takes over from what the journal kept
          s.engine = s.build(s.journal);
          restarts[0]++;
          s.restartsHere++;
        }
        if (checkEveryHour && ++ticks % 12 == 0) {
          List<TruthEvent> truth = s.cloud.truth();
          s.perTickViolations.addAll(GroundTruthChecks.twoJobsOnOneVm(truth));
          s.perTickViolations.addAll(holdsWithoutRealHold(s, truth));
          if (!s.perTickViolations.isEmpty()) {
            break;
          }
        }
        s.clock.advance(TICK);
      }
      return s;
    }

    PatchEngine build(Journal j) {
      return PatchEngine.builder()
          .clock(clock)
          .addFeed(feed)
          .inventorySource(inventory)
          .changeSystem(changes)
          .hypervisor(cloud)
          .executor(cloud)
          .notifier(notifier)
          .applicability(index != null ? index : new SimpleApplicability())
          .planner(new SimplePlanner())
          .journal(j)
          .evidenceStore(evidence)
          .policy(policy)
          .build();
    }

    /** A user's action, when it applies to the VM as it is now (else the user does nothing). */
    void apply(Lifecycle e) {
      Asset.PowerState power = cloud.reliable().powerState(e.vm()).orElseThrow();
      switch (e.what()) {
        case "suspend" -> {
          if (power == Asset.PowerState.RUNNING) {
            cloud.suspend(e.vm());
          }
        }
        case "resume" -> {
          if (power == Asset.PowerState.SUSPENDED) {
            cloud.resume(e.vm());
          }
        }
        default -> {
          Optional<String> snapshot =
              cloud.truth().stream()
                  .filter(t -> t.event() == TruthEvent.Kind.SNAPSHOT_TAKEN)
                  .filter(t -> t.vm().equals(Optional.of(e.vm())))
                  .flatMap(t -> t.snapshot().stream())
                  .findFirst();
          if (snapshot.isPresent() && power == Asset.PowerState.RUNNING) {
            cloud.revertToSnapshot(e.vm(), snapshot.get());
          }
        }
      }
    }

    /** The advisory versions visible at an instant, the latest of each. */
    Map<AdvisoryId, Published> visibleAt(Instant at) {
      Map<AdvisoryId, Published> out = new TreeMap<>();
      for (Published p : published) {
        if (!p.modified().isAfter(at)) {
          out.put(p.id(), p);
        }
      }
      return out;
    }

    /** Compliant: every installed package at or above the fix of each visible advisory. */
    boolean compliant(Instant at, Map<String, String> installed) {
      for (Published p : visibleAt(at).values()) {
        String v = installed.get(p.pkg());
        if (p.fixed().isPresent()
            && v != null
            && Integer.parseInt(v) < Integer.parseInt(p.fixed().get())) {
          return false;
        }
      }
      return true;
    }
  }

  static Advisory advisory(Published p) {
    List<RangeEvent> events = new ArrayList<>();
    events.add(RangeEvent.introduced("0"));
    p.fixed().ifPresent(f -> events.add(RangeEvent.fixed(f)));
    return Advisory.builder()
        .id(p.id())
        .source("TEST")
        .published(p.modified())
        .modified(p.modified())
        .summary(p.pkg() + " is vulnerable")
        .addSeverities(SeverityScore.of("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"))
        .addAffected(
            AffectedPackage.builder()
                .ecosystem("Debian:12")
                .name(p.pkg())
                .addRanges(AffectedRange.of(AffectedRange.RangeType.ECOSYSTEM, events))
                .build())
        .build();
  }

  // ---- the rules -----------------------------------------------------------------------------

  private static void assertRulesHold(Scenario s) {
    List<TruthEvent> truth = s.cloud.truth();
    List<JournalEntry> entries = s.journal.readAll();
    Map<String, List<String>> broken = new TreeMap<>();
    broken.put("checked every simulated hour", s.perTickViolations);
    broken.put("two jobs on one VM", GroundTruthChecks.twoJobsOnOneVm(truth));
    broken.put(
        "released while not compliant",
        GroundTruthChecks.releasedWhileNotCompliant(
            truth, (vm, at, installed) -> s.compliant(at, installed)));
    broken.put(
        "catchup.held without a real hold",
        // judged at the instant each claim was written: the tick's instant can be earlier than the
        // hold when a slow call moved the clock within the tick
        holdsWithoutRealHold(s, truth));
    broken.put("same-instant group patched in two windows", groupsSplit(s, truth, entries));
    broken.put("vulnerable VMs without an item", untracked(s));
    broken.put("items neither fixed, excepted nor pending", itemsLeftBehind(s));
    String live = s.engine.stateFingerprint();
    String replayed = s.build(s.journal.durable).stateFingerprint();
    broken.put(
        "state rebuilt from the journal differs from the live one",
        live.equals(replayed) ? List.of() : List.of("live " + live + "\nreplayed " + replayed));
    broken.values().removeIf(List::isEmpty);
    assertTrue(broken.isEmpty(), s.summary + "\n" + broken);
  }

  /**
   * Every {@code catchup.held} in the journal matches a real hold: {@link
   * GroundTruthChecks#journalHoldsWithoutRealHold} over the entries as written, and, for a hold and
   * release in one instant (a VM caught up at once), the truth as it was when the claim was
   * written: the VM held then.
   */
  private static List<String> holdsWithoutRealHold(Scenario s, List<TruthEvent> truth) {
    List<String> out = new ArrayList<>();
    List<JournalEntry> written = s.journal.asWritten();
    for (String v : GroundTruthChecks.journalHoldsWithoutRealHold(truth, written, "catchup.held")) {
      long seq = Long.parseLong(v.substring("seq ".length(), v.indexOf(' ', "seq ".length())));
      JournalEntry claim = written.stream().filter(e -> e.seq() == seq).findFirst().orElseThrow();
      List<TruthEvent> then = truth.subList(0, s.journal.truthWhenWritten.get(claim.seq()));
      AssetId vm = AssetId.of(claim.data().path("vm").asText());
      if (!GroundTruthChecks.heldAt(then, vm, claim.at())) {
        out.add(v);
      }
    }
    return out;
  }

  /**
   * For each same-instant advisory and patch group, every wave job of the group's members starts in
   * one maintenance window (SimplePlanner's windows are 02:00–06:00 UTC, one a day; a retry inside
   * the window is the same instant of the group, a member patched a day later is not).
   */
  private static List<String> groupsSplit(
      Scenario s, List<TruthEvent> truth, List<JournalEntry> entries) {
    Map<String, Instant> started = new TreeMap<>();
    for (TruthEvent e : truth) {
      if (e.event() == TruthEvent.Kind.JOB_STARTED && e.job().isPresent()) {
        started.putIfAbsent(e.job().get(), e.at());
      }
    }
    Map<String, Set<LocalDate>> windows = new TreeMap<>();
    for (JournalEntry e : entries) {
      if (!e.type().equals("patch.requested") || !e.data().path("waveId").isTextual()) {
        continue;
      }
      String job = e.data().path("job").asText();
      AssetId vm = AssetId.of(e.data().path("vm").asText());
      String group = s.groupOf.get(vm);
      Instant at = started.get(job);
      if (group == null || at == null) {
        continue;
      }
      for (var advisory : e.data().path("advisories")) {
        AdvisoryId id = AdvisoryId.of(advisory.asText());
        if (s.sameInstant.contains(id)) {
          // One rollout per fix: an update that raises the fix (2 -> 3) is a second rollout of
          // the whole group, rightly at another instant.
          String pkg =
              s.published.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow().pkg();
          String target = "";
          for (var u : e.data().path("updates")) {
            if (u.path("name").asText().equals(pkg)) {
              target = u.path("targetVersion").asText();
            }
          }
          windows
              .computeIfAbsent(group + " " + id + " to " + pkg + " " + target, k -> new TreeSet<>())
              .add(at.atZone(ZoneOffset.UTC).toLocalDate());
        }
      }
    }
    groupRollouts[0] += windows.size();
    List<String> out = new ArrayList<>();
    windows.forEach(
        (k, days) -> {
          if (days.size() > 1) {
            out.add(k + " patched in the windows of " + days);
          }
        });
    return out;
  }

  /**
   * Every VM that the truth shows below the fix of an advisory published at least a day before the
   * end has an item in a record of that advisory (whose end state {@link #itemsLeftBehind} checks):
   * no finding is lost, e.g. because one inventory call failed while the advisory was assessed.
   */
  private static List<String> untracked(Scenario s) {
    Instant now = s.clock.instant();
    Map<AdvisoryId, Published> visible = s.visibleAt(now.minus(Duration.ofDays(1)));
    List<String> out = new ArrayList<>();
    for (Asset a : s.cloud.reliable().assets()) {
      Map<String, String> installed = new TreeMap<>();
      s.cloud.installed(a.id()).forEach(p -> installed.put(p.name(), p.version()));
      for (Published p : visible.values()) {
        String v = installed.get(p.pkg());
        if (p.fixed().isEmpty()
            || v == null
            || Integer.parseInt(v) >= Integer.parseInt(p.fixed().get())) {
          continue;
        }
        // Tracked by an item; or behind the catch-up gate (held, or its hold pending), which
        // patches it to every advisory before its users get it back; or excepted: a catch-up that
        // failed leaves the VM held under a risk item that names the advisory, with an owner and
        // an expiry.
        boolean tracked =
            s.engine.heldForCatchUp().contains(a.id())
                || s.engine.holdsNotConfirmed().contains(a.id())
                || s.engine.trackingRecords().stream()
                    .anyMatch(r -> r.advisory().equals(p.id()) && r.items().containsKey(a.id()))
                || s.engine.riskItems().stream()
                    .anyMatch(
                        r ->
                            r.asset().equals(a.id())
                                && r.advisories().contains(p.id())
                                && !s.engine.expiredRisks().contains(r.id())
                                && r.expires().isAfter(now)
                                && !r.owner().isBlank());
        if (!tracked) {
          out.add(a.id() + " has " + p.pkg() + " " + v + " and no item for " + p.id());
        }
      }
    }
    return out;
  }

  /**
   * Every item ends fixed (verified, withdrawn), excepted (a risk item with an owner and an expiry
   * to come), waiting for a fix the advisory does not name yet, or pending: planned into a wave,
   * patching with a job still pending, deferred on a suspended or held VM, or affected in an open
   * record that planning picks up.
   */
  private static List<String> itemsLeftBehind(Scenario s) {
    Instant now = s.clock.instant();
    PatchEngine e = s.engine;
    Set<String> pending = new HashSet<>(e.pendingEffects().values());
    Set<AssetId> catchingUp = new TreeSet<>(e.heldForCatchUp());
    catchingUp.addAll(e.holdsNotConfirmed());
    Map<AdvisoryId, Published> visible = s.visibleAt(now);
    // jobs requested and not yet verified or failed (the engine has no public view of its jobs)
    Map<String, String> open = new TreeMap<>();
    for (JournalEntry j : s.journal.readAll()) {
      String job = j.data().path("job").asText();
      switch (j.type()) {
        case "patch.requested" -> open.put(job, j.data().path("vm").asText());
        case "patch.failed" -> open.remove(job);
        case "patch.verified" -> open.values().remove(j.data().path("vm").asText());
        default -> {}
      }
    }
    Set<String> jobsInFlight = new TreeSet<>(open.values());
    List<String> out = new ArrayList<>();
    for (TrackingRecord r : e.trackingRecords()) {
      for (TrackingItem i : r.items().values()) {
        AssetId vm = i.asset();
        boolean ok =
            switch (i.state()) {
              case VERIFIED, WITHDRAWN -> true;
              case RISK_ACCEPTED ->
                  e.riskItems().stream()
                      .anyMatch(
                          k ->
                              k.asset().equals(vm)
                                  && k.advisories().contains(r.advisory())
                                  && !k.owner().isBlank()
                                  && k.expires().isAfter(now)
                                  && !e.expiredRisks().contains(k.id()));
              case NO_FIX_AVAILABLE ->
                  visible.containsKey(r.advisory())
                      && (visible.get(r.advisory()).fixed().isEmpty()
                          // the update that names a fix is to be assessed again (an inventory
                          // failed): parked after the update arrived, so a retry is due
                          || Optional.ofNullable(
                                  e.parkedWork().get("advisory " + r.advisory().value()))
                              .filter(t -> t.isAfter(visible.get(r.advisory()).modified()))
                              .isPresent());
              case PLANNED -> i.wave().isPresent();
              case PATCHING ->
                  pending.stream().anyMatch(p -> p.contains(vm.value()))
                      || jobsInFlight.contains(vm.value());
              case DEFERRED ->
                  catchingUp.contains(vm)
                      || s.cloud.reliable().powerState(vm).orElseThrow()
                          != Asset.PowerState.RUNNING;
              case AFFECTED -> r.status() == TrackingRecord.Status.OPEN;
            };
        if (!ok) {
          out.add(r.id() + " " + vm + " " + i.state() + " " + i.wave());
        }
      }
    }
    return out;
  }
}
