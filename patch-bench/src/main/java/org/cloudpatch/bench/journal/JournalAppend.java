package org.cloudpatch.bench.journal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.cloudpatch.audit.journal.FileJournal;
import org.cloudpatch.audit.journal.JournalOptions;
import org.cloudpatch.audit.memory.InMemoryKeyProvider;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.spi.JournalEntry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Appends of one entry each, durable on return, from 1, 8 and 64 threads: the journal (group
 * commit, hash chain, Merkle leaves, a signed checkpoint every 1,000 entries) against its floor, a
 * raw writer of a line of the same length that forces after every write, as the journal's fsync
 * policy says (an append returns only when its bytes are on the device). Report {@code journal_N /
 * raw_1} and {@code journal_N / raw_N}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class JournalAppend {
  static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");

  /** The journal under test, one per trial. */
  @State(Scope.Benchmark)
  public static class Journal {
    Path dir;
    FileJournal journal;
    final AtomicLong counter = new AtomicLong();

    @Setup(Level.Trial)
    public void open() throws IOException {
      dir = Files.createTempDirectory("bench-journal");
      journal =
          FileJournal.open(
              dir.resolve("journal.log"),
              JournalOptions.builder()
                  .signer(InMemoryKeyProvider.generate("bench.cloudpatch/journal"))
                  .build());
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      journal.close();
      deleteAll(dir);
    }
  }

  /** The floor: a file that gets the same bytes, forced after each write. */
  @State(Scope.Benchmark)
  public static class Raw {
    Path dir;
    FileChannel channel;
    long position;
    byte[] line;

    @Setup(Level.Trial)
    public void open() throws IOException {
      dir = Files.createTempDirectory("bench-raw");
      channel =
          FileChannel.open(
              dir.resolve("raw.log"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      // A line as long as the journal's: 64 hex digits, a space, the JSON, a newline.
      line = new byte[64 + 1 + json(draft(123_456)).length + 1];
      java.util.Arrays.fill(line, (byte) 'x');
      line[line.length - 1] = '\n';
    }

    synchronized void append() {
      try {
        ByteBuffer buffer = ByteBuffer.wrap(line);
        while (buffer.hasRemaining()) {
          position += channel.write(buffer, position);
        }
        channel.force(false);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      channel.close();
      deleteAll(dir);
    }
  }

  static JournalEntry.Draft draft(long n) {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("asset", "vm-" + n);
    data.put("advisory", "DSA-5678-1");
    data.put("package", "openssl");
    data.put("installed", "3.0.11-1~deb12u2");
    return JournalEntry.Draft.builder()
        .at(T0)
        .type("patch.verified")
        .tenant(TenantId.of("acme"))
        .record(TrackingId.of("TR-" + n))
        .data(data)
        .build();
  }

  static byte[] json(JournalEntry.Draft draft) {
    return ("{\"seq\":123456,\"at\":\""
            + draft.at()
            + "\",\"type\":\""
            + draft.type()
            + "\",\"tenant\":\"acme\",\"record\":\"TR-123456\",\"data\":"
            + draft.data()
            + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  static void deleteAll(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  private static Object appendOne(Journal state) {
    return state.journal.append(List.of(draft(state.counter.incrementAndGet())));
  }

  @Benchmark
  @Threads(1)
  public Object journal_1(Journal state) {
    return appendOne(state);
  }

  @Benchmark
  @Threads(8)
  public Object journal_8(Journal state) {
    return appendOne(state);
  }

  @Benchmark
  @Threads(64)
  public Object journal_64(Journal state) {
    return appendOne(state);
  }

  @Benchmark
  @Threads(1)
  public void raw_1(Raw state) {
    state.append();
  }

  @Benchmark
  @Threads(8)
  public void raw_8(Raw state) {
    state.append();
  }

  @Benchmark
  @Threads(64)
  public void raw_64(Raw state) {
    state.append();
  }
}
