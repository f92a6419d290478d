package org.cloudpatch.adapters.osv;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.cloudpatch.core.PatchException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conditional GETs into a file, with bounded attempts, a time bound on each whole request (headers
 * and body), exponential backoff with jitter from the injected {@link Random}, {@code Retry-After}
 * honoured up to the largest backoff, and a bound on the body's length.
 *
 * <p>Retried: I/O errors (refused or reset connections, a response that never came, a body cut
 * short of its {@code Content-Length}), timeouts, HTTP 408, 425, 429, 500, 502, 503 and 504, and a
 * body that its {@link BodyCheck} finds corrupt. Not retried: other statuses and a body beyond its
 * bound, which would only fail again; 404 and 410 are an answer ({@link Missing}), not a failure.
 * Not thread-safe.
 */
final class HttpFetcher {
  private static final Logger log = LoggerFactory.getLogger(HttpFetcher.class);

  /** Rejects a downloaded body that arrived whole but cannot be used (a torn archive). */
  @FunctionalInterface
  interface BodyCheck {
    void check(Path file) throws IOException;
  }

  /** What a conditional GET gave. */
  sealed interface Outcome permits NotModified, Downloaded, Missing {}

  /** HTTP 304: what the validators named is still current. */
  record NotModified() implements Outcome {}

  /** HTTP 404 or 410: nothing is at the URI (osv.dev has no such record, or no such index). */
  record Missing(int status) implements Outcome {}

  /** HTTP 200: the body, whole, in {@code file}, and its validators. */
  record Downloaded(Path file, Optional<String> etag, Optional<String> lastModified)
      implements Outcome {}

  private final HttpClient client;
  private final Clock clock;
  private final Random random;
  private final Sleeper sleeper;
  private final Duration timeout;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final long maxBodyBytes;

  HttpFetcher(
      HttpClient client,
      Clock clock,
      Random random,
      Sleeper sleeper,
      Duration timeout,
      int maxAttempts,
      Duration initialBackoff,
      Duration maxBackoff,
      long maxBodyBytes) {
    this.client = client;
    this.clock = clock;
    this.random = random;
    this.sleeper = sleeper;
    this.timeout = timeout;
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * GETs {@code uri} into a new file of {@code dir}, conditionally on the validators given.
   *
   * @throws PatchException naming the URI and the last failure when no attempt succeeded, or at
   *     once for a failure that a retry would only repeat
   */
  Outcome get(
      URI uri, Optional<String> etag, Optional<String> lastModified, Path dir, BodyCheck check) {
    String last = "no attempt";
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      Duration retryAfter = Duration.ZERO;
      Path file;
      try {
        file = Files.createTempFile(dir, "osv-", ".part");
      } catch (IOException e) {
        throw new PatchException("cannot create a download file in " + dir + ": " + e, e);
      }
      boolean keep = false;
      try {
        HttpResponse<Path> response = once(uri, etag, lastModified, file);
        int status = response.statusCode();
        if (status == 304) {
          if (etag.isEmpty() && lastModified.isEmpty()) {
            throw new PatchException("GET " + uri + ": HTTP 304 to a request without validators");
          }
          return new NotModified();
        }
        if (status == 200) {
          checkLength(response, file);
          check.check(file);
          keep = true;
          return new Downloaded(
              file,
              response.headers().firstValue("ETag"),
              response.headers().firstValue("Last-Modified"));
        }
        if (status == 404 || status == 410) {
          return new Missing(status);
        }
        last = "HTTP " + status;
        if (!retryable(status)) {
          throw new PatchException("GET " + uri + ": " + last + "; not retried");
        }
        retryAfter = retryAfter(response).orElse(Duration.ZERO);
      } catch (BoundedFileSubscriber.BodyTooLong e) {
        throw new PatchException("GET " + uri + ": " + e.getMessage(), e);
      } catch (IOException e) {
        last = describe(e);
      } finally {
        if (!keep) {
          deleteQuietly(file);
        }
      }
      if (attempt < maxAttempts) {
        Duration wait = backoff(attempt, retryAfter);
        log.warn(
            "GET {} attempt {} of {} failed ({}); retrying in {} ms",
            uri,
            attempt,
            maxAttempts,
            last,
            wait.toMillis());
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new PatchException("GET " + uri + ": interrupted while backing off", e);
        }
      }
    }
    throw new PatchException(
        "GET " + uri + " failed after " + maxAttempts + " attempts; the last: " + last);
  }

  /** One request, bounded in time from sending it to the body's last byte. */
  private HttpResponse<Path> once(
      URI uri, Optional<String> etag, Optional<String> lastModified, Path file) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
    etag.ifPresent(v -> request.header("If-None-Match", v));
    lastModified.ifPresent(v -> request.header("If-Modified-Since", v));
    AtomicReference<@Nullable BoundedFileSubscriber> body = new AtomicReference<>();
    HttpResponse.BodyHandler<Path> handler =
        info -> {
          if (info.statusCode() == 200) {
            BoundedFileSubscriber s = new BoundedFileSubscriber(file, maxBodyBytes, "GET " + uri);
            body.set(s);
            return s;
          }
          return HttpResponse.BodySubscribers.replacing(file);
        };
    CompletableFuture<HttpResponse<Path>> future = client.sendAsync(request.build(), handler);
    try {
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      IOException why =
          new IOException("no complete response within " + timeout + " (request timeout)");
      future.cancel(true);
      BoundedFileSubscriber s = body.get();
      if (s != null) {
        s.abort(why);
      }
      throw why;
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new PatchException("GET " + uri + ": interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(String.valueOf(cause), cause);
    }
  }

  /** A body shorter than it announced was cut off, whatever the transport made of it. */
  private static void checkLength(HttpResponse<Path> response, Path file) throws IOException {
    OptionalLong announced = response.headers().firstValueAsLong("Content-Length");
    long size = Files.size(file);
    if (announced.isPresent() && announced.getAsLong() != size) {
      throw new IOException(
          "the body ended after " + size + " of " + announced.getAsLong() + " announced bytes");
    }
  }

  static boolean retryable(int status) {
    return status == 408
        || status == 425
        || status == 429
        || status == 500
        || status == 502
        || status == 503
        || status == 504;
  }

  /** {@code Retry-After} as seconds or an HTTP date, measured on the injected clock. */
  Optional<Duration> retryAfter(HttpResponse<?> response) {
    Optional<String> header = response.headers().firstValue("Retry-After").map(String::strip);
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String v = header.get();
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
    } catch (NumberFormatException e) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(clock.instant(), at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException e2) {
        log.debug("ignoring a Retry-After that is neither seconds nor a date: {}", v);
        return Optional.empty();
      }
    }
  }

  /**
   * The wait before attempt {@code failed + 1}: half of the exponential step plus a random part of
   * the other half (so that many clients do not retry in step), at least what the server asked for,
   * and never more than the largest backoff.
   */
  Duration backoff(int failed, Duration retryAfter) {
    long step = initialBackoff.toMillis();
    for (int i = 1; i < failed && step < maxBackoff.toMillis(); i++) {
      step *= 2;
    }
    step = Math.min(step, maxBackoff.toMillis());
    long jittered = step / 2 + (long) (random.nextDouble() * (step - step / 2));
    long asked = Math.min(retryAfter.toMillis(), maxBackoff.toMillis());
    return Duration.ofMillis(Math.max(jittered, asked));
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.debug("cannot delete {}: {}", file, e.toString());
    }
  }
}
