package org.cloudpatch.adapters.debian;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cloudpatch.core.memory.VirtualClock;
import org.cloudpatch.core.rollout.PackageUpdate;
import org.cloudpatch.core.rollout.PatchJob;
import org.cloudpatch.core.testkit.PatchExecutorContract;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * core's contract kit for patch executors, run against {@link DebianFleet} on a real root (cp-demo
 * 1.0-1 installed by dpkg) whose jobs bring cp-demo to 1.0-2 from a local repository with apt.
 */
class DebianFleetExecutorContractTest extends PatchExecutorContract<DebianFleet> {
  @TempDir Path dir;

  /** The repository, built once for the class: dpkg-deb is the slow part. */
  @TempDir static Path built;

  private static @Nullable Path old;
  private final VirtualClock clock = VirtualClock.at(Instant.parse("2026-02-01T00:00:00Z"));
  private final List<DebianFleet> opened = new ArrayList<>();

  @Override
  protected DebianFleet newExecutor() {
    DebianRoots.assumeDebianTools();
    try {
      Path repo = built.resolve("repo");
      if (old == null) {
        Files.createDirectories(repo);
        old = DebianRoots.deb(repo, "cp-demo", "1.0-1");
        DebianRoots.deb(repo, "cp-demo", "1.0-2");
        DebianRoots.index(repo);
      }
      Path root = DebianRoots.root(dir.resolve("root"), repo);
      DebianRoots.install(root, old);
      DebianFleet fleet =
          DebianFleet.builder().clock(clock).system(DebianFleetTest.ASSET, root).build();
      opened.add(fleet);
      return fleet;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected PatchJob job(DebianFleet executor, String key) {
    return PatchJob.builder()
        .key(key)
        .asset(DebianFleetTest.VM)
        .addUpdates(PackageUpdate.of("cp-demo", "1.0-2"))
        .build();
  }

  /** Advances the virtual clock, and lets apt work for a moment of real time. */
  @Override
  protected void letTimePass(DebianFleet executor, Duration duration) {
    clock.advance(duration);
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @AfterEach
  void close() {
    opened.forEach(DebianFleet::close);
  }
}
