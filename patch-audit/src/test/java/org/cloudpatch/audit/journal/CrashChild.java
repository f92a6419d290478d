package org.cloudpatch.audit.journal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cloudpatch.core.spi.JournalEntry;

/**
 * The process that {@link SigkillCrashTest} kills: opens (and so recovers) the journal, then
 * appends from several threads until it is killed, printing {@code ack <id>...} for every batch
 * once {@code append} has returned. An id printed is an acknowledged entry.
 */
public final class CrashChild {
  private CrashChild() {}

  /**
   * Runs until killed.
   *
   * @param args the journal file, a run number and the number of appending threads
   */
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    String run = args[1];
    int threads = Integer.parseInt(args[2]);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    FileJournal journal = FileJournal.open(file, SignedJournals.options(7));
    synchronized (out) {
      out.println("ready");
      out.flush();
    }
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int writer = t;
      Thread thread =
          new Thread(
              () -> {
                for (int n = 0; ; n++) {
                  String prefix = run + "/" + writer + "/" + n + "/";
                  int size = 1 + (n % 4);
                  List<JournalEntry.Draft> batch = new ArrayList<>();
                  for (int i = 0; i < size; i++) {
                    ObjectNode data = JsonNodeFactory.instance.objectNode();
                    data.put("id", prefix + i);
                    batch.add(
                        JournalEntry.Draft.builder()
                            .at(Drafts.T0)
                            .type("test.appended")
                            .data(data)
                            .build());
                  }
                  journal.append(batch);
                  StringBuilder ack = new StringBuilder("ack");
                  batch.forEach(d -> ack.append(' ').append(d.data().get("id").textValue()));
                  synchronized (out) {
                    out.println(ack);
                    out.flush();
                  }
                }
              });
      writers.add(thread);
      thread.start();
    }
    for (Thread thread : writers) {
      thread.join();
    }
  }
}
