package org.cloudpatch.adapters.debian;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.rollout.PackageUpdate;
import org.cloudpatch.core.rollout.PatchOutcome;

/**
 * The jobs submitted to one system, kept in that system's root ({@code
 * var/lib/cloudpatch/jobs/SHA256(key).json}), so that a key resubmitted to a new executor after a
 * crash finds its job and does not run it again. A record is written before the job starts, and
 * again with the outcome; each write replaces the file atomically.
 */
final class JobStore {
  static final String DIRECTORY = "var/lib/cloudpatch/jobs";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path directory;

  JobStore(Path root) {
    this.directory = root.resolve(DIRECTORY);
  }

  /** A job as stored: started, and ended when it has an outcome. */
  record Stored(
      String key,
      String asset,
      Instant submitted,
      List<PackageUpdate> updates,
      Optional<PatchOutcome> outcome) {}

  Optional<Stored> find(String key) {
    Path file = file(key);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
      if (!key.equals(node.path("key").asText())) {
        throw new PatchException("job record " + file + " is not the record of job " + key);
      }
      String asset = node.path("asset").asText();
      Instant submitted = Instant.parse(node.path("submitted").asText());
      List<PackageUpdate> updates = new ArrayList<>();
      for (JsonNode u : node.path("updates")) {
        updates.add(PackageUpdate.of(u.path("name").asText(), u.path("target").asText()));
      }
      JsonNode o = node.path("outcome");
      if (!o.isObject()) {
        return Optional.of(new Stored(key, asset, submitted, updates, Optional.empty()));
      }
      Map<String, String> packages = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : o.path("packages").properties()) {
        packages.put(e.getKey(), e.getValue().asText());
      }
      PatchOutcome outcome =
          PatchOutcome.builder()
              .succeeded(o.path("succeeded").asBoolean())
              .finishedAt(Instant.parse(o.path("finishedAt").asText()))
              .packages(packages)
              .message(o.path("message").asText())
              .build();
      return Optional.of(new Stored(key, asset, submitted, updates, Optional.of(outcome)));
    } catch (IOException | RuntimeException e) {
      if (e instanceof PatchException p) {
        throw p;
      }
      throw new PatchException("cannot read job record " + file + ": " + e.getMessage(), e);
    }
  }

  void write(Stored job) {
    String key = job.key();
    ObjectNode node = JSON.createObjectNode();
    node.put("key", key);
    node.put("asset", job.asset());
    node.put("submitted", job.submitted().toString());
    ArrayNode updates = node.putArray("updates");
    for (PackageUpdate u : job.updates()) {
      updates.addObject().put("name", u.name()).put("target", u.targetVersion());
    }
    if (job.outcome().isPresent()) {
      PatchOutcome outcome = job.outcome().get();
      ObjectNode o = node.putObject("outcome");
      o.put("succeeded", outcome.succeeded());
      o.put("finishedAt", outcome.finishedAt().toString());
      ObjectNode packages = o.putObject("packages");
      outcome.packages().forEach(packages::put);
      o.put("message", outcome.message());
    }
    Path file = file(key);
    try {
      Files.createDirectories(directory);
      Path temp = Files.createTempFile(directory, "job", ".tmp");
      Files.writeString(temp, JSON.writeValueAsString(node), StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new PatchException("cannot write job record " + file + ": " + e.getMessage(), e);
    }
  }

  private Path file(String key) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return directory.resolve(HexFormat.of().formatHex(hash) + ".json");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
