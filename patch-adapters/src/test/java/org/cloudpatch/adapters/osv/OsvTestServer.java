package org.cloudpatch.adapters.osv;

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
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * osv.dev's export bucket on loopback, for one ecosystem: {@code /<ecosystem>/all.zip} with an ETag
 * and Last-Modified, answering conditional requests with 304, and a script of network faults that
 * the next requests suffer, one fault per request.
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
  private final String path;
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final long slowMillis;
  private byte[] archive = new byte[0];
  private String etag = "";
  private String lastModified = "";
  private int version;
  private boolean sendEtag = true;
  int requests;
  int notModified;
  int served;

  OsvTestServer(String ecosystem, long slowMillis) throws IOException {
    this.slowMillis = slowMillis;
    this.path = "/" + ecosystem + "/all.zip";
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
    etag = "\"" + sha256(archive).substring(0, 16) + "\"";
    lastModified =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            Instant.parse("2026-01-01T00:00:00Z").plusSeconds(version).atOffset(ZoneOffset.UTC));
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
    faults.addAll(java.util.List.of(next));
  }

  synchronized int faultsLeft() {
    return faults.size();
  }

  private void handle(HttpExchange ex) throws IOException {
    Fault fault;
    byte[] body;
    String tag;
    String date;
    synchronized (this) {
      requests++;
      fault = faults.poll();
      body = archive;
      tag = sendEtag ? etag : "";
      date = lastModified;
    }
    if (fault == Fault.CLOSED_MID_ZIP) {
      ex.getResponseHeaders().set("ETag", tag);
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      out.write(body, 0, body.length / 2);
      out.flush();
      // No last chunk and no close: the handler fails and the server drops the connection.
      throw new IOException("connection dropped mid-zip (injected)");
    }
    try (ex) {
      if (!ex.getRequestURI().getPath().equals(path)) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
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
