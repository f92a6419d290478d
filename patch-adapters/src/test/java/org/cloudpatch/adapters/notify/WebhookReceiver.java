package org.cloudpatch.adapters.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.spi.Notifier.Notification;
import org.jspecify.annotations.Nullable;

/**
 * A webhook receiver written from {@code docs/webhooks.md} alone, as a tenant would write it:
 * verifies the signature over the raw body within the replay window (401 otherwise), drops a
 * repeated Idempotency-Key (answering 200, as for the first), and processes each key once. Faults
 * can be scripted per request.
 */
final class WebhookReceiver implements AutoCloseable {
  /** What the receiver does with one request. */
  enum Behaviour {
    OK,
    FAIL_500,
    BUSY_503,
    TOO_MANY_429,
    BAD_REQUEST_400,
    /** Processes the request, then hangs up without an answer. */
    PROCESS_THEN_HANG_UP,
    /** Processes the request, then answers only after the sender gave up and sent it again. */
    PROCESS_THEN_STALL
  }

  /** One request as it arrived. */
  record Request(TenantId tenant, String key, String attempt, int status) {}

  static final long TOLERANCE_SECONDS = 300;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Clock clock;
  private final Map<TenantId, byte[]> secrets = new ConcurrentHashMap<>();
  private final Deque<Behaviour> script = new ConcurrentLinkedDeque<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Set<String> seenKeys = ConcurrentHashMap.newKeySet();
  private final Map<TenantId, List<Notification>> processed = new LinkedHashMap<>();
  private volatile @Nullable CountDownLatch stalled;

  WebhookReceiver(Clock clock) throws IOException {
    this.clock = clock;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/hooks/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  /** The endpoint of a tenant, verified with {@code secret}. */
  URI endpoint(TenantId tenant, byte[] secret) {
    secrets.put(tenant, secret.clone());
    return URI.create(
        "http://127.0.0.1:"
            + server.getAddress().getPort()
            + "/hooks/"
            + tenant.value()
            + "?token=x");
  }

  void script(Behaviour... next) {
    script.addAll(List.of(next));
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  synchronized List<Notification> processed(TenantId tenant) {
    return List.copyOf(processed.getOrDefault(tenant, List.of()));
  }

  private void handle(HttpExchange x) throws IOException {
    CountDownLatch stalled = this.stalled;
    if (stalled != null) {
      stalled.countDown();
    }
    byte[] body = x.getRequestBody().readAllBytes();
    TenantId tenant = TenantId.of(x.getRequestURI().getPath().substring("/hooks/".length()));
    String key = x.getRequestHeaders().getFirst("Idempotency-Key");
    String attempt = x.getRequestHeaders().getFirst("Cloudpatch-Attempt");
    byte[] secret = secrets.get(tenant);
    if (secret == null
        || key == null
        || !verified(x.getRequestHeaders().getFirst("Cloudpatch-Signature"), body, secret)
        || !verifiedHub(x.getRequestHeaders().getFirst("X-Hub-Signature-256"), body, secret)) {
      answer(x, tenant, key, attempt, 401, "signature does not verify");
      return;
    }
    Behaviour b = script.isEmpty() ? Behaviour.OK : script.poll();
    switch (b == null ? Behaviour.OK : b) {
      case FAIL_500 -> answer(x, tenant, key, attempt, 500, "internal error");
      case BUSY_503 -> answer(x, tenant, key, attempt, 503, "busy");
      case TOO_MANY_429 -> {
        x.getResponseHeaders().add("Retry-After", "0");
        answer(x, tenant, key, attempt, 429, "slow down");
      }
      case BAD_REQUEST_400 -> answer(x, tenant, key, attempt, 400, "unknown tenant account");
      case PROCESS_THEN_HANG_UP -> {
        process(tenant, key, body);
        requests.add(new Request(tenant, key, attempt, -1));
        x.close(); // no status line: the sender cannot know it was processed
      }
      case PROCESS_THEN_STALL -> {
        process(tenant, key, body);
        CountDownLatch retried = new CountDownLatch(1);
        this.stalled = retried;
        try {
          // No clock involved: the answer comes only once the sender has timed out and retried.
          retried.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        answer(x, tenant, key, attempt, 200, "ok, late");
      }
      case OK -> {
        process(tenant, key, body);
        answer(x, tenant, key, attempt, 200, "ok");
      }
    }
  }

  /** Processes a key once; a repeated key is a duplicate the sender could not rule out. */
  private synchronized void process(TenantId tenant, String key, byte[] body) throws IOException {
    if (!seenKeys.add(tenant.value() + "\n" + key)) {
      return;
    }
    JsonNode doc = JSON.readTree(body);
    List<AssetId> assets = new ArrayList<>();
    doc.get("assets").forEach(a -> assets.add(AssetId.of(a.asText())));
    processed
        .computeIfAbsent(tenant, t -> new ArrayList<>())
        .add(
            Notification.builder()
                .key(doc.get("key").asText())
                .tenant(TenantId.of(doc.get("tenant").asText()))
                .advisory(AdvisoryId.of(doc.get("advisory").asText()))
                .assets(assets)
                .subject(doc.get("subject").asText())
                .body(doc.get("body").asText())
                .build());
  }

  private void answer(
      HttpExchange x, TenantId tenant, String key, String attempt, int status, String text)
      throws IOException {
    requests.add(new Request(tenant, key, attempt, status));
    byte[] out = text.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(status, out.length);
    x.getResponseBody().write(out);
    x.close();
  }

  /** {@code t=<seconds>,v1=<hex>}: HMAC-SHA256 over "{t}.{raw body}", t within the window. */
  private boolean verified(String header, byte[] body, byte[] secret) {
    if (header == null) {
      return false;
    }
    String t = null;
    List<String> v1 = new ArrayList<>();
    for (String part : header.split(",")) {
      String[] kv = part.split("=", 2);
      if (kv.length == 2 && kv[0].equals("t")) {
        t = kv[1];
      } else if (kv.length == 2 && kv[0].equals("v1")) {
        v1.add(kv[1]);
      }
    }
    if (t == null
        || Math.abs(clock.instant().getEpochSecond() - Long.parseLong(t)) > TOLERANCE_SECONDS) {
      return false;
    }
    byte[] signed =
        (t + "." + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    byte[] expected = hex(hmac(secret, signed)).getBytes(StandardCharsets.US_ASCII);
    return v1.stream()
        .anyMatch(s -> MessageDigest.isEqual(expected, s.getBytes(StandardCharsets.US_ASCII)));
  }

  /** GitHub's {@code sha256=<hex>} over the raw body. */
  private static boolean verifiedHub(String header, byte[] body, byte[] secret) {
    return header != null
        && MessageDigest.isEqual(
            ("sha256=" + hex(hmac(secret, body))).getBytes(StandardCharsets.US_ASCII),
            header.getBytes(StandardCharsets.US_ASCII));
  }

  static byte[] hmac(byte[] secret, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  @Override
  public void close() {
    CountDownLatch waiting = stalled;
    if (waiting != null) {
      waiting.countDown();
    }
    server.stop(0);
  }
}
