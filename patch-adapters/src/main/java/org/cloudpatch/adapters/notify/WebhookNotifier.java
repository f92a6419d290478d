package org.cloudpatch.adapters.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.spi.Notifier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers each notification as an HTTP POST of a JSON document to the endpoint registered for its
 * tenant, signed with HMAC-SHA256 under that tenant's secret; {@code docs/webhooks.md} is the
 * receiver's guide (headers, what is signed, the replay window, the payload).
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li><b>Tenant isolation.</b> A notification goes only to its tenant's endpoint, signed with
 *       that tenant's secret, and carries only its own assets. A tenant without an endpoint is
 *       refused before any request.
 *   <li><b>Confirmed means a 2xx answer.</b> {@link #deliver} returns only after the receiver
 *       answered 2xx; redirects are not followed (the signed body goes where it was configured).
 *   <li><b>Idempotent retries.</b> Every attempt of a notification, within one call or across the
 *       engine's later retries, carries the same body and the same {@code Idempotency-Key} (the
 *       notification key), so a receiver that remembers keys processes it once even when a reply
 *       was lost after it had processed the request.
 *   <li><b>Short retries here, long ones in the engine.</b> A timeout, a lost connection, a 5xx,
 *       408 or 429 is tried again within the call, up to {@link Builder#maxAttempts} times with
 *       doubling backoff (honouring {@code Retry-After} up to the request timeout); a 4xx is not.
 *       Then {@link NotificationException} names the endpoint (without its query), the status and
 *       the attempts; the engine journals it as {@code notification.failed} and retries later with
 *       its own backoff, under the same key. The defaults (3 attempts of at most 5 s) stay inside
 *       the engine's default 30 s bound for a {@code Notifier} call, and no attempt starts that
 *       could end after the call's own bound ({@link Builder#timeout}, 25 s).
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class WebhookNotifier implements Notifier {
  private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The signature header, {@code t=<unix seconds>,v1=<hex HMAC-SHA256>}, as Stripe's. */
  static final String SIGNATURE = "Cloudpatch-Signature";

  /** GitHub's header, {@code sha256=<hex HMAC-SHA256 of the body>}, for receivers that have it. */
  static final String HUB_SIGNATURE = "X-Hub-Signature-256";

  /** The notification key; the same on every attempt. */
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /** The attempt number within one call, from 1. */
  static final String ATTEMPT = "Cloudpatch-Attempt";

  private final Map<TenantId, Endpoint> endpoints;
  private final Clock clock;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final Duration timeout;
  private final int maxAttempts;
  private final Duration backoff;
  private final Sleeper sleeper;

  /** An endpoint and its secret; a class, not a record, because the secret is an array. */
  private static final class Endpoint {
    private final URI uri;
    private final byte[] secret;

    Endpoint(URI uri, byte[] secret) {
      this.uri = uri;
      this.secret = secret.clone();
    }

    URI uri() {
      return uri;
    }

    byte[] secret() {
      return secret;
    }
  }

  /** Waits between attempts; replaced in tests. */
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private WebhookNotifier(Builder b) {
    this.endpoints = Map.copyOf(b.endpoints);
    this.clock = Objects.requireNonNull(b.clock, "clock");
    this.requestTimeout = b.requestTimeout;
    this.timeout = b.timeout;
    this.maxAttempts = b.maxAttempts;
    this.backoff = b.backoff;
    this.sleeper = b.sleeper;
    HttpClient client = b.http;
    this.http =
        client != null
            ? client
            : HttpClient.newBuilder()
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
  }

  /** A builder; {@code clock} and at least one endpoint are required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void deliver(Notification notification) {
    Objects.requireNonNull(notification, "notification");
    Endpoint endpoint = endpoints.get(notification.tenant());
    if (endpoint == null) {
      throw new NotificationException(
          "tenant " + notification.tenant() + " has no webhook endpoint to notify", true, false);
    }
    byte[] body = payload(notification);
    String where =
        "webhook "
            + redacted(endpoint.uri())
            + " for tenant "
            + notification.tenant()
            + ", notification "
            + notification.key()
            + ": ";
    String last = "";
    boolean maybeDelivered = false;
    long deadline = System.nanoTime() + timeout.toNanos();
    int attempts = 0;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      attempts = attempt;
      long t = clock.instant().getEpochSecond();
      HttpRequest request =
          HttpRequest.newBuilder(endpoint.uri())
              .timeout(requestTimeout)
              .header("Content-Type", "application/json; charset=utf-8")
              .header("User-Agent", "cloudpatch-webhook/1")
              .header(IDEMPOTENCY_KEY, notification.key())
              .header(ATTEMPT, Integer.toString(attempt))
              .header(SIGNATURE, signatureHeader(endpoint.secret(), t, body))
              .header(HUB_SIGNATURE, "sha256=" + hex(hmac(endpoint.secret(), body)))
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      Duration wait = backoff.multipliedBy(1L << Math.min(attempt - 1, 16));
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status / 100 == 2) {
          log.info(
              "notification {} for tenant {} accepted by {} with HTTP {} on attempt {}",
              notification.key(),
              notification.tenant(),
              redacted(endpoint.uri()),
              status,
              attempt);
          return;
        }
        last = "HTTP " + status + answer(response.body());
        boolean retryable = status / 100 == 5 || status == 408 || status == 429;
        if (!retryable) {
          throw new NotificationException(
              where
                  + last
                  + " on attempt "
                  + attempt
                  + " (permanent: "
                  + (status / 100 == 3 ? "redirects are not followed" : "not retried")
                  + ")",
              true,
              false);
        }
        wait = retryAfter(response).orElse(wait);
      } catch (HttpTimeoutException e) {
        last = "no answer within " + requestTimeout + " (" + e.getMessage() + ")";
        maybeDelivered = true;
      } catch (IOException e) {
        last = e.getClass().getSimpleName() + ": " + e.getMessage();
        maybeDelivered = true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NotificationException(
            where + "interrupted on attempt " + attempt, false, true, e);
      }
      log.warn("{}attempt {} of {} failed: {}", where, attempt, maxAttempts, last);
      if (System.nanoTime() + wait.toNanos() + requestTimeout.toNanos() > deadline) {
        // Another attempt could outlast the call's bound, and with it the engine's.
        break;
      }
      if (attempt < maxAttempts) {
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new NotificationException(
              where + "interrupted after " + last, false, maybeDelivered, e);
        }
      }
    }
    throw new NotificationException(
        where
            + "gave up after "
            + attempts
            + " attempt(s)"
            + (attempts < maxAttempts
                ? " (no time left in the call's bound of " + timeout + ")"
                : "")
            + ", last: "
            + last
            + (maybeDelivered
                ? "; an attempt may have reached the receiver, whose Idempotency-Key check drops the"
                    + " retry"
                : ""),
        false,
        maybeDelivered);
  }

  /** The JSON document a receiver gets; the same bytes on every attempt. */
  static byte[] payload(Notification n) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("type", "cloudpatch.notification");
    doc.put("version", 1);
    doc.put("key", n.key());
    doc.put("tenant", n.tenant().value());
    doc.put("advisory", n.advisory().value());
    n.assets().stream().map(AssetId::value).forEach(doc.putArray("assets")::add);
    doc.put("subject", n.subject());
    doc.put("body", n.body());
    try {
      return JSON.writeValueAsBytes(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  /** {@code t=<t>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>}. */
  static String signatureHeader(byte[] secret, long t, byte[] body) {
    byte[] prefix = (t + ".").getBytes(StandardCharsets.US_ASCII);
    byte[] signed = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, signed, 0, prefix.length);
    System.arraycopy(body, 0, signed, prefix.length, body.length);
    return "t=" + t + ",v1=" + hex(hmac(secret, signed));
  }

  private static byte[] hmac(byte[] secret, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private Optional<Duration> retryAfter(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .flatMap(
            v -> {
              try {
                Duration d = Duration.ofSeconds(Long.parseLong(v.trim()));
                return Optional.of(d.compareTo(requestTimeout) > 0 ? requestTimeout : d);
              } catch (NumberFormatException e) {
                return Optional.empty(); // an HTTP date: fall back to our own backoff
              }
            });
  }

  private static String answer(@Nullable String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String oneLine = body.strip().replaceAll("\\s+", " ");
    return ", answer '"
        + (oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine)
        + "'";
  }

  /** The endpoint without user info, query or fragment, which may hold credentials. */
  private static String redacted(URI uri) {
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
        + Objects.requireNonNullElse(uri.getRawPath(), "");
  }

  /** Builds a {@link WebhookNotifier}. */
  public static final class Builder {
    private final Map<TenantId, Endpoint> endpoints = new LinkedHashMap<>();
    private @Nullable Clock clock;
    private @Nullable HttpClient http;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(5);
    private Duration timeout = Duration.ofSeconds(25);
    private int maxAttempts = 3;
    private Duration backoff = Duration.ofMillis(500);
    private Sleeper sleeper = d -> Thread.sleep(d.toMillis());

    private Builder() {}

    /**
     * The endpoint that receives a tenant's notifications and the secret that signs them (at least
     * 16 bytes; share it with the receiver out of band); replaces an earlier one.
     */
    public Builder endpoint(TenantId tenant, URI uri, byte[] secret) {
      Objects.requireNonNull(tenant, "tenant");
      String scheme = Objects.requireNonNull(uri, "uri").getScheme();
      if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
        throw new IllegalArgumentException(
            "endpoint of tenant " + tenant + " must be an http(s) URI: " + uri);
      }
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("endpoint of tenant " + tenant + " has no host: " + uri);
      }
      if (secret.length < 16) {
        throw new IllegalArgumentException(
            "secret of tenant " + tenant + " has " + secret.length + " bytes; at least 16");
      }
      endpoints.put(tenant, new Endpoint(uri, secret.clone()));
      return this;
    }

    /** The clock of the signature timestamps. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The HTTP client, for a host's proxy or TLS settings; it should not follow redirects. By
     * default one with the connect timeout, HTTP/1.1 and no redirects.
     */
    public Builder httpClient(HttpClient client) {
      this.http = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The bound on connecting, for the default client; 5 s by default. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** The bound on each attempt, from sending to the answer's headers; 5 s by default. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /**
     * The bound on one call, all attempts and waits together; 25 s by default. No attempt starts
     * that could end after it. Keep it below the engine's bound on a {@code Notifier} call.
     */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    /** Attempts within one call, at least 1; 3 by default. */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1: " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /** The wait before the second attempt, doubling after each; 500 ms by default. */
    public Builder backoff(Duration first) {
      if (first.isNegative()) {
        throw new IllegalArgumentException("backoff must not be negative: " + first);
      }
      this.backoff = first;
      return this;
    }

    Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** The notifier. */
    public WebhookNotifier build() {
      if (endpoints.isEmpty()) {
        throw new IllegalStateException("no webhook endpoint registered");
      }
      return new WebhookNotifier(this);
    }

    private static Duration positive(Duration d, String what) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
