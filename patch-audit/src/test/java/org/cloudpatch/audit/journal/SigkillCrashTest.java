package org.cloudpatch.audit.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.cloudpatch.core.spi.JournalEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appending from four threads is killed with SIGKILL at random moments, sometimes while
 * it is still opening (recovering) the journal. After every kill the journal is reopened: every
 * entry the child acknowledged is there exactly once, the chain and every signed checkpoint verify,
 * and the published checkpoint is covered. 200 kills in the normal build, in journals of {@value
 * #KILLS_PER_JOURNAL} kills each: every kill re-verifies its whole journal, so one journal for all
 * kills made the run grow with the square of the kills (200 took 9.6 minutes); {@code
 * -Dcloudpatch.journal.kills=N} for a longer run.
 */
class SigkillCrashTest {
  private static final int KILLS = Integer.getInteger("cloudpatch.journal.kills", 200);

  /** Kills a journal takes before the next kill starts a new one. */
  static final int KILLS_PER_JOURNAL = 25;

  private static final String EOF = "\u0000eof";

  @TempDir Path dir;

  @Test
  void childKilledAtRandomMoments_losesNoAcknowledgedEntry_andTheJournalVerifies()
      throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    assumeTrue(Files.isExecutable(java), "no java launcher at " + java);
    Random random = new Random(20261203);
    Set<String> acknowledged = new HashSet<>();
    int acknowledgedInAll = 0;
    int killedWhileAppending = 0;
    for (int kill = 0; kill < KILLS; kill++) {
      Path file = dir.resolve("journal-" + kill / KILLS_PER_JOURNAL + ".log");
      if (kill % KILLS_PER_JOURNAL == 0) {
        acknowledgedInAll += acknowledged.size();
        acknowledged.clear(); // what the last journal acknowledged was checked against it
      }
      Process child =
          new ProcessBuilder(
                  java.toString(),
                  "-XX:TieredStopAtLevel=1",
                  "-XX:+UseSerialGC",
                  "-Xshare:auto",
                  "-cp",
                  System.getProperty("java.class.path"),
                  CrashChild.class.getName(),
                  file.toString(),
                  Integer.toString(kill),
                  "4")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      BlockingQueue<String> printed = new LinkedBlockingQueue<>();
      Thread reader =
          new Thread(
              () -> {
                try {
                  for (String line; (line = out.readLine()) != null; ) {
                    printed.add(line);
                  }
                } catch (IOException e) {
                  // The pipe breaks when the child dies.
                }
                printed.add(EOF);
              });
      reader.start();
      List<String> seen = new ArrayList<>();
      if (random.nextInt(10) == 0) {
        Thread.sleep(random.nextInt(300)); // while it starts and recovers the journal
      } else {
        // While four threads append: after a random number of acknowledged batches, and a
        // random moment more.
        int batches = 1 + random.nextInt(40);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (seen.stream().filter(l -> l.startsWith("ack ")).count() < batches
            && System.nanoTime() < deadline) {
          String line = printed.poll(1, TimeUnit.SECONDS);
          if (line != null) {
            seen.add(line);
            assertTrue(!line.equals(EOF), "the child died by itself: " + seen);
          }
        }
        Thread.sleep(random.nextInt(15));
      }
      child.destroyForcibly(); // SIGKILL on POSIX
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not die");
      reader.join(60_000);
      printed.drainTo(seen);
      boolean appended = false;
      for (String line : seen) {
        if (line.startsWith("ack ")) {
          appended = true;
          acknowledged.addAll(List.of(line.substring(4).split(" ")));
        }
      }
      if (appended) {
        killedWhileAppending++;
      }
      check(file, acknowledged, kill);
    }
    assertTrue(
        killedWhileAppending >= KILLS / 2, "killed while appending: " + killedWhileAppending);
    acknowledgedInAll += acknowledged.size();
    assertTrue(acknowledgedInAll > KILLS, "acknowledged: " + acknowledgedInAll);
  }

  private static void check(Path file, Set<String> acknowledged, int kill) throws IOException {
    if (!Files.exists(file)) {
      assertEquals(Set.of(), acknowledged);
      return;
    }
    Set<String> seen = new HashSet<>();
    try (FileJournal journal = FileJournal.open(file, SignedJournals.options(7))) {
      for (JournalEntry entry : journal.readAll()) {
        String id = entry.data().get("id").textValue();
        assertTrue(seen.add(id), "kill " + kill + ": duplicate " + id);
      }
    }
    Set<String> missing = new HashSet<>(acknowledged);
    missing.removeAll(seen);
    assertEquals(Set.of(), missing, "kill " + kill + ": acknowledged but lost");
    Path published = FileJournal.checkpointFile(file);
    Verification v =
        SignedJournals.verify(
            file,
            Files.exists(published)
                ? Optional.of(SignedJournals.read(published))
                : Optional.empty());
    assertTrue(v.ok(), () -> "kill " + kill + ": " + v.describe());
  }
}
