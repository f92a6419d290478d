package org.cloudpatch.adapters.osv;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * Writes a response body to a file and stops at a bound: a body longer than {@code max} bytes (an
 * endless one, say) cancels the download and fails with {@link BodyTooLong}, having written no more
 * than the bound. The body never passes through the heap whole.
 */
final class BoundedFileSubscriber implements HttpResponse.BodySubscriber<Path> {
  /** The body went beyond its bound; not worth retrying. */
  static final class BodyTooLong extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLong(String message) {
      super(message);
    }
  }

  private final Path file;
  private final long max;
  private final String what;
  private final CompletableFuture<Path> result = new CompletableFuture<>();
  private volatile @Nullable FileChannel channel;
  private volatile Flow.@Nullable Subscription subscription;
  private long written;

  BoundedFileSubscriber(Path file, long max, String what) {
    this.file = file;
    this.max = max;
    this.what = what;
  }

  /** Stops the download (a timed-out request); the result fails if it has not completed. */
  void abort(IOException why) {
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
    fail(why);
  }

  @Override
  public CompletionStage<Path> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    try {
      channel =
          FileChannel.open(
              file,
              StandardOpenOption.WRITE,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      s.cancel();
      fail(e);
      return;
    }
    s.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    FileChannel ch = channel;
    Flow.Subscription s = subscription;
    if (ch == null || s == null || result.isDone()) {
      return;
    }
    try {
      for (ByteBuffer b : buffers) {
        written += b.remaining();
        if (written > max) {
          s.cancel();
          fail(
              new BodyTooLong(
                  what
                      + ": the body is longer than "
                      + max
                      + " bytes (OsvFeed.Builder.maxBodyBytes); the download was stopped there"));
          return;
        }
        while (b.hasRemaining()) {
          ch.write(b);
        }
      }
      s.request(1);
    } catch (IOException e) {
      s.cancel();
      fail(e);
    }
  }

  @Override
  public void onError(Throwable t) {
    fail(t);
  }

  @Override
  public void onComplete() {
    FileChannel ch = channel;
    try {
      if (ch != null) {
        ch.close();
      }
      result.complete(file);
    } catch (IOException e) {
      result.completeExceptionally(e);
    }
  }

  private void fail(Throwable t) {
    FileChannel ch = channel;
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        t.addSuppressed(e);
      }
    }
    result.completeExceptionally(t);
  }
}
