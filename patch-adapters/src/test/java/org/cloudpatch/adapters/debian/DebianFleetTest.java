package org.cloudpatch.adapters.debian;

import static org.cloudpatch.adapters.debian.DebianRoots.await;
import static org.cloudpatch.adapters.debian.DebianRoots.dpkgQuery;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.memory.VirtualClock;
import org.cloudpatch.core.rollout.PackageUpdate;
import org.cloudpatch.core.rollout.PatchJob;
import org.cloudpatch.core.rollout.PatchOutcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DebianFleet} against real roots: cp-demo 1.0-1 installed by the real dpkg, a {@code file:}
 * repository holding 1.0-1 and 1.0-2, the real apt-get. What is installed is asked of {@code
 * dpkg-query}, not of the class under test.
 */
class DebianFleetTest {
  static final AssetId VM = AssetId.of("vm-1");
  static final Asset ASSET =
      Asset.builder()
          .id(VM)
          .tenant(TenantId.of("acme"))
          .zone(ZoneId.of("UTC"))
          .platform(Platform.parse("Debian:11"))
          .build();

  @TempDir Path dir;
  final VirtualClock clock = VirtualClock.at(Instant.parse("2026-03-02T00:00:00Z"));
  Path repo;
  Path root;
  Path old;

  @BeforeEach
  void setUp() throws IOException {
    DebianRoots.assumeDebianTools();
    repo = Files.createDirectories(dir.resolve("repo"));
    old = DebianRoots.deb(repo, "cp-demo", "1.0-1");
    DebianRoots.deb(repo, "cp-demo", "1.0-2");
    DebianRoots.index(repo);
    root = DebianRoots.root(dir.resolve("root"), repo);
    DebianRoots.install(root, old);
  }

  DebianFleet.Builder fleet() {
    return DebianFleet.builder().clock(clock).system(ASSET, root);
  }

  static PatchJob job(String key, String name, String version) {
    return PatchJob.builder()
        .key(key)
        .asset(VM)
        .addUpdates(PackageUpdate.of(name, version))
        .build();
  }

  /** A wrapper around apt-get: {@code script} runs first, then the real apt-get. */
  Path wrapper(String script) throws IOException {
    Path file = dir.resolve("apt-get-wrapper");
    Files.writeString(file, "#!/bin/sh\n" + script + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }

  @Test
  void submit_oldVersionInstalled_installsTheTargetFromTheRepository() throws IOException {
    try (DebianFleet fleet = fleet().build()) {
      PatchOutcome outcome = await(fleet, fleet.submit(job("job-1", "cp-demo", "1.0-2")));

      assertTrue(outcome.succeeded(), outcome.message());
      assertEquals(Map.of("cp-demo", "1.0-2"), outcome.packages());
      assertEquals(clock.instant(), outcome.finishedAt());
    }
    assertEquals("1.0-2", dpkgQuery(root, "cp-demo"));
    assertEquals("1.0-2\n", Files.readString(root.resolve("usr/share/cp-demo/version")));
  }

  @Test
  void inventory_isWhatDpkgRecorded_onTheRootsOsRelease() {
    try (DebianFleet fleet = fleet().build()) {
      Inventory inventory = fleet.inventory(VM).orElseThrow();

      assertEquals("1.0-1", inventory.find("cp-demo").orElseThrow().version());
      assertEquals(Platform.parse("Debian:12"), inventory.platform()); // os-release wins
      assertEquals(clock.instant(), inventory.observedAt());
      assertEquals(List.of(ASSET), fleet.assets());
      assertEquals(Optional.empty(), fleet.inventory(AssetId.of("vm-unknown")));
    }
  }

  @Test
  void submit_packageAlreadyAtTarget_isLeftAlone_withoutRunningApt() {
    // No apt-get at this path: a job that ran it would fail.
    try (DebianFleet fleet = fleet().aptGet(dir.resolve("no-apt-get").toString()).build()) {
      PatchOutcome outcome = await(fleet, fleet.submit(job("job-1", "cp-demo", "1.0-1")));

      assertTrue(outcome.succeeded(), outcome.message());
      assertEquals(Map.of("cp-demo", "1.0-1"), outcome.packages());
      assertTrue(outcome.message().contains("apt-get not run"), outcome.message());
    }
  }

  @Test
  void submit_targetNotInTheRepository_failsWithAptsReason_andDpkgKeepsTheOld() {
    try (DebianFleet fleet = fleet().build()) {
      PatchOutcome outcome = await(fleet, fleet.submit(job("job-1", "cp-demo", "1.0-3")));

      assertFalse(outcome.succeeded());
      assertEquals(Map.of("cp-demo", "error: 1.0-1 installed, target 1.0-3"), outcome.packages());
      assertTrue(outcome.message().contains("apt-get install exited 100"), outcome.message());
      assertTrue(
          outcome.message().contains("'1.0-3' for 'cp-demo' was not found"), outcome.message());
    }
    assertEquals("1.0-1", dpkgQuery(root, "cp-demo"));
  }

  @Test
  void submit_sameKeyToTheNextExecutor_returnsTheOutcome_withoutRunningAgain() throws IOException {
    PatchOutcome first;
    try (DebianFleet fleet = fleet().build()) {
      first = await(fleet, fleet.submit(job("job-1", "cp-demo", "1.0-2")));
    }
    DebianRoots.install(root, old); // the operator downgrades by hand; a rerun would undo it
    clock.advance(Duration.ofHours(1));

    try (DebianFleet restarted = fleet().build()) {
      String handle = restarted.submit(job("job-1", "cp-demo", "1.0-2"));

      assertEquals("job-1", handle);
      assertEquals(Optional.of(first), restarted.poll(handle));
    }
    assertEquals("1.0-1", dpkgQuery(root, "cp-demo"));
  }

  @Test
  void poll_handleOfAnEarlierExecutor_isFoundInTheRootsRecords() {
    PatchOutcome first;
    try (DebianFleet fleet = fleet().build()) {
      first = await(fleet, fleet.submit(job("job-1", "cp-demo", "1.0-2")));
    }
    try (DebianFleet restarted = fleet().build()) {
      assertEquals(Optional.of(first), restarted.poll("job-1"));
      assertThrows(IllegalArgumentException.class, () -> restarted.poll("job-2"));
    }
  }

  @Test
  void submit_keyOfAJobCutShortByACrash_isNotRunAgain_itsOutcomeReadFromDpkg() {
    // What a crash leaves: the record written before the job started, and no outcome.
    new JobStore(root)
        .write(
            new JobStore.Stored(
                "job-1",
                "vm-1",
                clock.instant(),
                List.of(PackageUpdate.of("cp-demo", "1.0-2")),
                Optional.empty()));

    try (DebianFleet restarted = fleet().build()) {
      PatchOutcome outcome = await(restarted, restarted.submit(job("job-1", "cp-demo", "1.0-2")));

      assertFalse(outcome.succeeded());
      assertEquals(Map.of("cp-demo", "error: 1.0-1 installed, target 1.0-2"), outcome.packages());
      assertTrue(outcome.message().contains("cut short"), outcome.message());
    }
    assertEquals("1.0-1", dpkgQuery(root, "cp-demo"));
  }

  @Test
  void poll_whileAptRuns_isEmpty_thenTheOutcome() throws IOException {
    Path gate = dir.resolve("gate");
    Path apt = wrapper("while [ ! -e " + gate + " ]; do sleep 0.1; done\nexec apt-get \"$@\"");
    try (DebianFleet fleet = fleet().aptGet(apt.toString()).build()) {
      String handle = fleet.submit(job("job-1", "cp-demo", "1.0-2"));

      assertEquals(Optional.empty(), fleet.poll(handle));
      assertEquals(handle, fleet.submit(job("job-1", "cp-demo", "1.0-2")));
      assertEquals(Optional.empty(), fleet.poll(handle));
      Files.createFile(gate);
      assertTrue(await(fleet, handle).succeeded());
    }
    assertEquals("1.0-2", dpkgQuery(root, "cp-demo"));
  }

  @Test
  void close_whileAJobRuns_returnsOnlyWhenTheJobHasEnded() throws IOException {
    // A host that closes the fleet and then removes the roots must not race a running apt.
    Path apt = wrapper("sleep 1\nexec apt-get \"$@\"");
    String handle;
    DebianFleet fleet = fleet().aptGet(apt.toString()).build();
    handle = fleet.submit(job("job-1", "cp-demo", "1.0-2"));
    fleet.close();

    assertEquals("1.0-2", dpkgQuery(root, "cp-demo"));
    try (DebianFleet next = fleet().build()) {
      assertTrue(next.poll(handle).orElseThrow().succeeded());
    }
  }

  @Test
  void command_pastItsTimeBound_isStopped_andTheOutcomeReadFromDpkg() throws IOException {
    Path apt = wrapper("sleep 600");
    try (DebianFleet fleet =
        fleet()
            .aptGet(apt.toString())
            .refreshPackageLists(false)
            .commandTimeout(Duration.ofSeconds(1))
            .build()) {
      PatchOutcome outcome = await(fleet, fleet.submit(job("job-1", "cp-demo", "1.0-2")));

      assertFalse(outcome.succeeded());
      assertTrue(
          outcome.message().contains("stopped after its time bound of PT1S"), outcome.message());
      assertEquals(Map.of("cp-demo", "error: 1.0-1 installed, target 1.0-2"), outcome.packages());
    }
  }

  @Test
  void output_beyondItsBound_keepsTheLastWords() throws IOException {
    Path apt =
        wrapper("head -c 3000000 /dev/zero | tr '\\0' x\necho\necho 'E: the last words'\nexit 100");
    try (DebianFleet fleet =
        fleet().aptGet(apt.toString()).refreshPackageLists(false).outputLimit(1024).build()) {
      PatchOutcome outcome = await(fleet, fleet.submit(job("job-1", "cp-demo", "1.0-2")));

      assertFalse(outcome.succeeded());
      assertTrue(outcome.message().endsWith("exited 100: E: the last words"), outcome.message());
    }
  }

  @Test
  void rebootFlagUp_isNamedInTheOutcome() throws IOException {
    // As update-notifier's notify-reboot-required does from a package's postinst.
    Path run = root.resolve("run");
    Path apt =
        wrapper(
            "echo '*** System restart required ***' > "
                + run.resolve("reboot-required")
                + "\necho cp-demo >> "
                + run.resolve("reboot-required.pkgs")
                + "\nexec apt-get \"$@\"");
    try (DebianFleet fleet = fleet().aptGet(apt.toString()).build()) {
      PatchOutcome outcome = await(fleet, fleet.submit(job("job-1", "cp-demo", "1.0-2")));

      assertTrue(outcome.succeeded(), outcome.message());
      assertTrue(outcome.message().contains("reboot required by cp-demo"), outcome.message());
    }
  }

  @Test
  void submit_nameThatAptWouldReadAsAnOption_isNotRun() {
    try (DebianFleet fleet = fleet().build()) {
      PatchOutcome outcome = await(fleet, fleet.submit(job("job-1", "-oDir=/", "1")));

      assertFalse(outcome.succeeded());
      assertTrue(outcome.message().startsWith("not run: invalid package name"), outcome.message());
    }
    assertEquals("1.0-1", dpkgQuery(root, "cp-demo"));
  }

  @Test
  void submit_assetOfNoSystem_isRejected() {
    try (DebianFleet fleet = fleet().build()) {
      PatchJob job =
          PatchJob.builder()
              .key("job-1")
              .asset(AssetId.of("vm-2"))
              .addUpdates(PackageUpdate.of("cp-demo", "1.0-2"))
              .build();
      assertThrows(IllegalArgumentException.class, () -> fleet.submit(job));
    }
  }
}
