package org.cloudpatch.core.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.cloudpatch.core.batch.ReadLimits;

/**
 * The zip bomb guard of every archive reader (the advisory readers' streamed archives in
 * patch-core, the OSV feed's downloaded archives in patch-adapters): a stream that counts every
 * byte read or skipped through it and hands each count to {@link #counted}, which throws to stop
 * reading the moment a bound is broken, so that no more than the bound is ever expanded.
 *
 * <p>Skipping reads through {@link #read(byte[], int, int)}, so skipped bytes count like read ones;
 * marks are not supported, since a reset would re-read bytes already counted. Not thread-safe.
 */
public abstract class CountedInputStream extends FilterInputStream {
  /**
   * Expansion up to this size is not held against the ratio: small entries compress erratically.
   */
  public static final long RATIO_GRACE_BYTES = 1024 * 1024;

  private long count;

  /** Counts the bytes read from {@code in}. */
  protected CountedInputStream(InputStream in) {
    super(in);
  }

  /**
   * Whether {@code expanded} bytes from {@code compressed} ones break {@link
   * ReadLimits#maxCompressionRatio()}; the first {@link #RATIO_GRACE_BYTES} never do.
   */
  public static boolean beyondRatio(long expanded, long compressed, ReadLimits limits) {
    return expanded > RATIO_GRACE_BYTES
        && expanded > (double) limits.maxCompressionRatio() * Math.max(compressed, 1);
  }

  /** The bytes read or skipped so far. */
  public final long count() {
    return count;
  }

  /**
   * Called after {@code n} more bytes were read, {@link #count()} already holding them.
   *
   * @throws IOException to stop reading, typically a {@link
   *     org.cloudpatch.core.batch.ReadLimitException} naming the bound
   */
  protected abstract void counted(int n) throws IOException;

  @Override
  public final int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count++;
      counted(1);
    }
    return b;
  }

  @Override
  public final int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      count += n;
      counted(n);
    }
    return n;
  }

  @Override
  public final long skip(long n) throws IOException {
    byte[] sink = new byte[(int) Math.min(Math.max(n, 0), 8192)];
    return Math.max(read(sink, 0, sink.length), 0);
  }

  @Override
  public final boolean markSupported() {
    return false;
  }

  /** Reads the rest of the stream, counting it. */
  public final void drain() throws IOException {
    byte[] sink = new byte[8192];
    while (read(sink, 0, sink.length) >= 0) {
      // counted in read
    }
  }
}
