package org.cloudpatch.audit.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.spi.JournalEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal under a storage stack that loses, tears or garbles what was not yet forced when it
 * crashes, with several threads appending: after every crash and reopen, every acknowledged entry
 * is there exactly once, and the chain and the checkpoints verify. 40 crashes by default; more with
 * {@code -Dcloudpatch.journal.storageFaults=N}.
 */
class StorageFaultTest {
  private static final int CRASHES = Integer.getInteger("cloudpatch.journal.storageFaults", 40);

  @TempDir Path dir;

  @Test
  void crashAtAnyWriteOrForce_dropTearOrGarble_losesNoAcknowledgedEntry() throws Exception {
    Path file = dir.resolve("journal.log");
    Random random = new Random(20261203);
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    Map<FaultyChannel.Fault, Integer> faults = new EnumMap<>(FaultyChannel.Fault.class);
    int crashes = 0;
    for (int round = 0; round < CRASHES; round++) {
      List<FaultyChannel> channels = new ArrayList<>();
      int crashAt = 1 + random.nextInt(12);
      FileJournal.ChannelOpener opener =
          p -> {
            FaultyChannel c =
                new FaultyChannel(
                    FileChannel.open(
                        p,
                        StandardOpenOption.READ,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.CREATE),
                    new Random(random.nextLong()),
                    crashAt);
            channels.add(c);
            return c;
          };
      FileJournal journal;
      try {
        journal = FileJournal.open(file, SignedJournals.options(5), opener);
      } catch (PatchException e) {
        // The crash hit recovery itself; the next round recovers again.
        countCrash(channels, faults);
        crashes++;
        continue;
      }
      int r = round;
      List<Thread> writers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        int writer = t;
        Thread thread =
            new Thread(
                () -> {
                  for (int n = 0; n < 50; n++) {
                    String id = r + "/" + writer + "/" + n;
                    try {
                      journal.append(List.of(draft(id), draft(id + "b")));
                    } catch (PatchException e) {
                      return; // crashed: this batch was not acknowledged
                    }
                    acknowledged.add(id);
                    acknowledged.add(id + "b");
                  }
                });
        writers.add(thread);
        thread.start();
      }
      for (Thread thread : writers) {
        thread.join();
      }
      try {
        journal.close();
      } catch (PatchException e) {
        // The crash hit the final checkpoint.
      }
      if (countCrash(channels, faults)) {
        crashes++;
      }
      check(file, acknowledged);
    }
    assertTrue(crashes >= CRASHES / 2, "crashes: " + crashes);
    assertEquals(3, faults.size(), "every kind of fault happened: " + faults);
  }

  private static boolean countCrash(
      List<FaultyChannel> channels, Map<FaultyChannel.Fault, Integer> faults) {
    for (FaultyChannel c : channels) {
      if (c.crashed()) {
        faults.merge(c.fault(), 1, Integer::sum);
        return true;
      }
    }
    return false;
  }

  /** Reopens (recovering), checks every acknowledged entry is there once, verifies. */
  private static void check(Path file, Set<String> acknowledged) {
    try (FileJournal journal = FileJournal.open(file, SignedJournals.options(5))) {
      Set<String> seen = new HashSet<>();
      for (JournalEntry entry : journal.readAll()) {
        String id = entry.data().get("id").textValue();
        assertTrue(seen.add(id), "duplicate " + id);
      }
      Set<String> missing = new HashSet<>(acknowledged);
      missing.removeAll(seen);
      assertEquals(Set.of(), missing, "acknowledged but lost");
    }
    Verification v =
        SignedJournals.verify(
            file, Optional.of(SignedJournals.read(FileJournal.checkpointFile(file))));
    assertTrue(v.ok(), v::describe);
  }

  private static JournalEntry.Draft draft(String id) {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("id", id);
    return JournalEntry.Draft.builder().at(Drafts.T0).type("test.appended").data(data).build();
  }
}
