package org.cloudpatch.adapters.debian;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one external command under a time bound, its standard input closed and its output (standard
 * output and error together) kept only as far as a bound: the last bytes, where the reason for a
 * failure is.
 */
final class BoundedCommand {
  private static final Logger LOG = LoggerFactory.getLogger(BoundedCommand.class);

  /** How long the output may keep flowing after the command ended (a child that kept the pipe). */
  private static final Duration DRAIN = Duration.ofSeconds(5);

  /**
   * What a command did: its exit code (-1 when it was stopped at its bound) and its output tail.
   */
  record Result(int exitCode, boolean timedOut, String output, long outputBytes) {
    /**
     * The last error line of the output ({@code E: ...}, as apt writes them), else its last line.
     */
    String reason() {
      String[] lines = output.strip().split("\n");
      for (int i = lines.length - 1; i >= 0; i--) {
        if (lines[i].startsWith("E: ")) {
          return lines[i].strip();
        }
      }
      return lines[lines.length - 1].strip();
    }
  }

  private BoundedCommand() {}

  /**
   * Runs {@code command} and waits at most {@code timeout} for it; a command still running then is
   * stopped with its descendants (apt's dpkg), first politely, then forcibly.
   *
   * @throws IOException when the command cannot be started
   * @throws InterruptedException when the waiting thread is interrupted; the command is stopped
   */
  static Result run(
      List<String> command, Map<String, String> environment, Duration timeout, int outputLimit)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().putAll(environment);
    LOG.debug("running {}", command);
    Process process = builder.start();
    Tail tail = new Tail(outputLimit);
    Thread drain = new Thread(() -> tail.drain(process.getInputStream()), "cloudpatch-output");
    drain.setDaemon(true);
    drain.start();
    boolean ended;
    try {
      ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      stop(process);
      throw e;
    }
    if (!ended) {
      LOG.warn("{} still running after {}; stopping it", command.get(0), timeout);
      stop(process);
    }
    drain.join(DRAIN.toMillis());
    return new Result(ended ? process.exitValue() : -1, !ended, tail.text(), tail.total());
  }

  private static void stop(Process process) throws InterruptedException {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      children.forEach(ProcessHandle::destroyForcibly);
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** The last {@code limit} bytes of a stream, in a ring. */
  private static final class Tail {
    private final byte[] ring;
    private long total;

    Tail(int limit) {
      this.ring = new byte[limit];
    }

    void drain(InputStream in) {
      byte[] buffer = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          append(buffer, n);
        }
      } catch (IOException e) {
        // The process was stopped, or its pipe closed: the output so far is all there is.
        LOG.debug("output ended: {}", e.toString());
      }
    }

    private synchronized void append(byte[] buffer, int n) {
      for (int i = 0; i < n; i++) {
        ring[(int) (total++ % ring.length)] = buffer[i];
      }
    }

    synchronized long total() {
      return total;
    }

    synchronized String text() {
      if (ring.length == 0) {
        return "";
      }
      int size = (int) Math.min(total, ring.length);
      byte[] out = new byte[size];
      long start = total - size;
      for (int i = 0; i < size; i++) {
        out[i] = ring[(int) ((start + i) % ring.length)];
      }
      String text = new String(out, StandardCharsets.UTF_8);
      return total > size ? "[" + (total - size) + " bytes cut]\n" + text : text;
    }
  }
}
