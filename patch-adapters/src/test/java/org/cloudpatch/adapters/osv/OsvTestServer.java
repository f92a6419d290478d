package org.cloudpatch.adapters.osv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * osv.dev's export bucket on loopback, for one ecosystem: {@code /<ecosystem>/all.zip}, every
 * record as {@code /<ecosystem>/<id>.json} and the change index {@code
 * /<ecosystem>/modified_id.csv} ({@code <modified>,<id>} newest first, the instant written as Go's
 * RFC3339Nano writes it, as osv.dev's exporter does), each with an ETag and Last-Modified,
 * answering conditional requests with 304, and a script of network faults that the next requests
 * suffer, one fault per request, whatever they ask for.
 */
final class OsvTestServer implements AutoCloseable {
  /** What one request suffers. */
  enum Fault {
    /** The response comes long after the client's timeout. */
    SLOW,
    /** Content-Length announces the whole archive, half is sent, the connection closes. */
    TRUNCATED,
    /** A chunked body that stops half-way through the archive when the connection drops. */
    CLOSED_MID_ZIP,
    /** HTTP 500. */
    ERROR_500,
    /** HTTP 503 with {@code Retry-After: 7}. */
    UNAVAILABLE_503,
    /** HTTP 503 with {@code Retry-After: Sun, 01 Mar 2026 00:00:30 GMT}. */
    UNAVAILABLE_UNTIL,
    /** The server does the work (counts the request) and the response is lost. */
    LOST_RESPONSE,
    /** HTTP 200 whose body is a torn archive, with a Content-Length that matches it. */
    TORN_ZIP,
    /** HTTP 200 with a body that never ends. */
    ENDLESS
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String folder;
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final long slowMillis;
  private byte[] archive = new byte[0];
  private String etag = "";
  private String lastModified = "";
  private int version;
  private boolean sendEtag = true;
  private Map<String, byte[]> resources = new LinkedHashMap<>();
  private Map<String, byte[]> publishedResources = new LinkedHashMap<>();
  private final Map<String, byte[]> overrides = new LinkedHashMap<>();
  private final Set<String> withheld = new HashSet<>();
  private final Map<String, Integer> hits = new LinkedHashMap<>();
  int requests;
  int notModified;
  int served;

  OsvTestServer(String ecosystem, long slowMillis) throws IOException {
    this.slowMillis = slowMillis;
    this.folder = "/" + ecosystem + "/";
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** Serves a new archive of these entries (name to bytes); its ETag changes. */
  synchronized void publish(Map<String, byte[]> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    archive = bytes.toByteArray();
    version++;
    resources = new LinkedHashMap<>();
    resources.put("all.zip", archive);
    Map<String, Instant> modified = new HashMap<>();
    for (byte[] doc : entries.values()) {
      try {
        JsonNode root = JSON.readTree(doc);
        for (JsonNode record : root.isArray() ? root : List.of(root)) {
          if (!record.hasNonNull("id") || !record.hasNonNull("modified")) {
            continue; // a record the feed is meant to quarantine; the index cannot list it
          }
          String id = record.get("id").asText();
          Instant at = Instant.parse(record.get("modified").asText());
          resources.put(id + ".json", root.isArray() ? JSON.writeValueAsBytes(record) : doc);
          modified.put(id, at);
        }
      } catch (IOException | RuntimeException e) {
        // An entry that is not an OSV document is in the archive only.
      }
    }
    List<Map.Entry<String, Instant>> lines = new ArrayList<>(modified.entrySet());
    lines.sort(
        Comparator.comparing((Map.Entry<String, Instant> e) -> e.getValue())
            .reversed()
            .thenComparing(Map.Entry::getKey));
    StringBuilder csv = new StringBuilder();
    for (Map.Entry<String, Instant> e : lines) {
      csv.append(goRfc3339Nano(e.getValue())).append(',').append(e.getKey());
      csv.append('\n');
    }
    resources.put("modified_id.csv", utf8(csv.toString()));
    publishedResources = new LinkedHashMap<>(resources);
    resources.putAll(overrides);
    withheld.forEach(resources::remove);
    etag = "\"" + sha256(archive).substring(0, 16) + "\"";
    lastModified =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            Instant.parse("2026-01-01T00:00:00Z").plusSeconds(version).atOffset(ZoneOffset.UTC));
  }

  /**
   * Serves {@code bytes} under {@code name} in this and every later version (null: as published).
   */
  synchronized void override(String name, byte @Nullable [] bytes) {
    if (bytes == null) {
      overrides.remove(name);
      byte[] published = publishedResources.get(name);
      if (published != null) {
        resources.put(name, published);
      }
    } else {
      overrides.put(name, bytes);
      resources.put(name, bytes);
    }
  }

  /** Answers 404 for {@code name} in this and every later version, or serves it again. */
  synchronized void withhold(String name, boolean withhold) {
    if (withhold) {
      withheld.add(name);
      resources.remove(name);
    } else {
      withheld.remove(name);
    }
  }

  /** How many bodies of {@code name} were sent whole (HTTP 200 without a fault). */
  synchronized int hits(String name) {
    return hits.getOrDefault(name, 0);
  }

  /** Record documents ({@code *.json}) sent whole so far. */
  synchronized int recordHits() {
    return hits.entrySet().stream()
        .filter(e -> e.getKey().endsWith(".json"))
        .mapToInt(Map.Entry::getValue)
        .sum();
  }

  /** Go's time.RFC3339Nano: seconds always, a fraction only as long as it is not zero. */
  static String goRfc3339Nano(Instant at) {
    String s = DateTimeFormatter.ISO_INSTANT.format(at);
    int dot = s.indexOf('.');
    if (dot < 0) {
      return s;
    }
    String fraction = s.substring(dot + 1, s.length() - 1).replaceAll("0+$", "");
    return s.substring(0, dot) + (fraction.isEmpty() ? "" : "." + fraction) + "Z";
  }

  /** Whether responses carry an ETag; without, clients can only ask If-Modified-Since. */
  synchronized void sendEtag(boolean send) {
    sendEtag = send;
  }

  synchronized String etag() {
    return etag;
  }

  /** The next requests suffer these faults, in order. */
  synchronized void inject(Fault... next) {
    faults.addAll(List.of(next));
  }

  synchronized int faultsLeft() {
    return faults.size();
  }

  private void handle(HttpExchange ex) throws IOException {
    Fault fault;
    byte @Nullable [] body;
    String tag;
    String date;
    String requested = ex.getRequestURI().getPath();
    String name =
        requested.startsWith(folder) ? requested.substring(folder.length()) : "\u0000none";
    synchronized (this) {
      requests++;
      fault = faults.poll();
      body = resources.get(name);
      tag = sendEtag && body != null ? etag(name, body) : "";
      date = lastModified;
    }
    if (body == null) {
      body = new byte[0];
      if (fault == null) {
        try (ex) {
          ex.sendResponseHeaders(404, -1);
        }
        return;
      }
    }
    if (fault == Fault.CLOSED_MID_ZIP) {
      ex.getResponseHeaders().set("ETag", tag);
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      out.write(body, 0, body.length / 2);
      out.flush();
      // No last chunk and no close: the handler fails and the server drops the connection.
      throw new IOException("connection dropped mid-body (injected)");
    }
    try (ex) {
      if (fault == null) {
        String ifNoneMatch = ex.getRequestHeaders().getFirst("If-None-Match");
        String ifModifiedSince = ex.getRequestHeaders().getFirst("If-Modified-Since");
        if ((ifNoneMatch != null && !tag.isEmpty() && ifNoneMatch.equals(tag))
            || (ifNoneMatch == null && ifModifiedSince != null && ifModifiedSince.equals(date))) {
          synchronized (this) {
            notModified++;
          }
          if (!tag.isEmpty()) {
            ex.getResponseHeaders().set("ETag", tag);
          }
          ex.sendResponseHeaders(304, -1);
          return;
        }
        synchronized (this) {
          served++;
          hits.merge(name, 1, Integer::sum);
        }
        if (!tag.isEmpty()) {
          ex.getResponseHeaders().set("ETag", tag);
        }
        if (!date.isEmpty()) {
          ex.getResponseHeaders().set("Last-Modified", date);
        }
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        return;
      }
      switch (fault) {
        case SLOW -> {
          try {
            Thread.sleep(slowMillis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ex.getResponseHeaders().set("ETag", tag);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
        }
        case TRUNCATED -> {
          ex.getResponseHeaders().set("ETag", tag);
          ex.sendResponseHeaders(200, body.length);
          OutputStream out = ex.getResponseBody();
          out.write(body, 0, body.length / 2);
          out.flush();
          // Closing a fixed-length body short of its length drops the connection.
        }
        case CLOSED_MID_ZIP -> throw new IllegalStateException("handled above");
        case ERROR_500 -> ex.sendResponseHeaders(500, -1);
        case UNAVAILABLE_503 -> {
          ex.getResponseHeaders().set("Retry-After", "7");
          ex.sendResponseHeaders(503, -1);
        }
        case UNAVAILABLE_UNTIL -> {
          ex.getResponseHeaders().set("Retry-After", "Sun, 01 Mar 2026 00:00:30 GMT");
          ex.sendResponseHeaders(503, -1);
        }
        case LOST_RESPONSE -> {
          synchronized (this) {
            served++;
          }
          // Processed, and no response ever leaves: the connection just closes.
        }
        case TORN_ZIP -> {
          byte[] torn = java.util.Arrays.copyOf(body, body.length / 2);
          ex.getResponseHeaders().set("ETag", tag);
          ex.sendResponseHeaders(200, torn.length);
          ex.getResponseBody().write(torn);
        }
        case ENDLESS -> {
          ex.sendResponseHeaders(200, 0);
          OutputStream out = ex.getResponseBody();
          byte[] chunk = new byte[64 * 1024];
          while (true) {
            out.write(chunk); // until the client hangs up
          }
        }
      }
    }
  }

  /** The archive keeps the ETag it always had; another resource's comes from its bytes. */
  private String etag(String name, byte[] body) {
    return name.equals("all.zip") ? etag : "\"" + sha256(body).substring(0, 16) + "\"";
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  static Map<String, byte[]> entries() {
    return new LinkedHashMap<>();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
