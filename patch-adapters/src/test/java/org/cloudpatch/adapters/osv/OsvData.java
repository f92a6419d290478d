package org.cloudpatch.adapters.osv;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.cloudpatch.core.advisory.Advisory;

/**
 * Real OSV records from the shared conformance data ({@code osv-advisories}: osv-scanner's offline
 * databases, osv.dev's test data, vunnel's fixtures), found through the system property {@code
 * cloudpatch.conformance.dir}; tests that need them skip when they are absent. They are zipped at
 * test time, never copied into the repository.
 */
final class OsvData {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OsvData() {}

  static Path require() {
    String configured = System.getProperty("cloudpatch.conformance.dir");
    Path dir =
        configured == null || configured.isBlank()
            ? Path.of("..", "..", "shared", "data")
            : Path.of(configured);
    Path p = dir.resolve("osv-advisories").toAbsolutePath().normalize();
    assumeTrue(
        Files.isDirectory(p),
        () -> "conformance data absent: " + p + " (set -Dcloudpatch.conformance.dir=DIR)");
    return p;
  }

  /**
   * Every JSON file under {@code dir} as a flat archive entry, as osv.dev names them; a file name
   * that two folders share is prefixed with its folder, so both are served.
   */
  static Map<String, byte[]> entries(Path dir) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        String name = p.getFileName().toString();
        if (out.containsKey(name)) {
          name = p.getParent().getFileName() + "-" + name;
        }
        out.put(name, Files.readAllBytes(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The ids the entries hold, read with plain Jackson (not with the reader under test). */
  static Set<String> ids(Map<String, byte[]> entries) {
    Set<String> ids = new TreeSet<>();
    try {
      for (byte[] bytes : entries.values()) {
        JsonNode root = JSON.readTree(bytes);
        for (JsonNode record : root.isArray() ? root : List.of(root)) {
          ids.add(record.get("id").asText());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ids;
  }

  /** An advisory as a minimal OSV record. */
  static byte[] osv(Advisory a) {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("schema_version", "1.6.0");
    record.put("id", a.id().value());
    record.put("published", a.published().toString());
    record.put("modified", a.modified().toString());
    record.put("summary", a.summary());
    try {
      return JSON.writeValueAsBytes(record);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A minimal OSV record. */
  static byte[] osv(String id, String modified) {
    return OsvTestServer.utf8(
        "{\"id\":\""
            + id
            + "\",\"modified\":\""
            + modified
            + "\",\"summary\":\"test "
            + id
            + "\"}");
  }
}
