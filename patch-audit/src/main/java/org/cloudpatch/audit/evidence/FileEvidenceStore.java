package org.cloudpatch.audit.evidence;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.spi.EvidenceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EvidenceStore} that keeps each bundle as a pretty-printed JSON file {@code
 * <record>.json} in one directory.
 *
 * <p>What it guarantees: the file's bytes depend only on the bundle (fields {@code record, tenant,
 * advisory, closedAt, journalSeqs, content} in this order, {@code content} in its own field order,
 * {@code \n} line ends on every platform). {@link #store} is durable when it returns and atomic: a
 * reader sees the old file or the new one, never a mix, and a crash leaves no partial bundle.
 * Storing the same record again replaces its file. Thread-safe; concurrent stores of the same
 * record leave the one that finished last.
 *
 * <p>A record id that is not a plain file name (it holds characters other than letters, digits,
 * {@code . _ -}, starts with a dot, or is long) is sanitized and suffixed with a hash of the id, so
 * that distinct ids keep distinct files; the file's {@code record} field always holds the id.
 */
public final class FileEvidenceStore implements EvidenceStore {
  private static final Logger LOG = LoggerFactory.getLogger(FileEvidenceStore.class);

  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");
  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");

  /** Pinned so that a change of Jackson's defaults cannot change the bytes of a stored bundle. */
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
          .enable(JsonNodeFeature.WRITE_NULL_PROPERTIES)
          .build();

  /** Jackson's default pretty printer uses the platform's line separator; this one does not. */
  private static final DefaultPrettyPrinter PRETTY =
      new DefaultPrettyPrinter(
              Separators.createDefaultInstance()
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                  .withObjectEmptySeparator("")
                  .withArrayEmptySeparator(""))
          .withObjectIndenter(new DefaultIndenter("  ", "\n"))
          .withArrayIndenter(new DefaultIndenter("  ", "\n"));

  private final Path directory;

  private FileEvidenceStore(Path directory) {
    this.directory = directory;
  }

  /**
   * A store writing into {@code directory}, which is created if missing.
   *
   * @param directory where bundles go, never null
   * @throws PatchException if the directory cannot be created
   */
  public static FileEvidenceStore create(Path directory) {
    Objects.requireNonNull(directory, "directory");
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new PatchException("cannot create evidence directory " + directory + ": " + e, e);
    }
    return new FileEvidenceStore(directory);
  }

  /**
   * Writes the bundle to its file, replacing an earlier bundle of the same record.
   *
   * @param bundle the bundle, never null
   * @throws PatchException if the file cannot be written
   */
  @Override
  public void store(EvidenceBundle bundle) {
    Objects.requireNonNull(bundle, "bundle");
    byte[] json = json(bundle);
    Path target = fileOf(bundle.record());
    // In the same directory, so that the move is a rename within one file system; created with
    // the directory's default permissions (Files.createTempFile would make it owner-only). The
    // random part keeps concurrent stores of the same record apart.
    Path temp =
        directory.resolve(
            "."
                + target.getFileName()
                + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".tmp");
    boolean moved = false;
    try {
      try (FileChannel out =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(json);
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        // Before the rename: otherwise a crash could leave the new name on empty content.
        out.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      moved = true;
      syncDirectory();
    } catch (IOException e) {
      throw new PatchException(
          "cannot store evidence of record " + bundle.record() + " in " + target + ": " + e, e);
    } finally {
      if (!moved) {
        deleteQuietly(temp);
      }
    }
  }

  @Override
  public String toString() {
    return "FileEvidenceStore[" + directory + "]";
  }

  /** The file that holds the bundle of {@code record}. */
  Path fileOf(TrackingId record) {
    return fileOf(directory, record);
  }

  /** The file in {@code directory} that holds the bundle of {@code record}. */
  static Path fileOf(Path directory, TrackingId record) {
    String id = record.value();
    if (PLAIN_NAME.matcher(id).matches()) {
      return directory.resolve(id + ".json");
    }
    String safe = UNSAFE.matcher(id).replaceAll("_");
    safe = safe.substring(0, Math.min(safe.length(), 80));
    if (safe.startsWith(".")) {
      safe = "_" + safe.substring(1);
    }
    return directory.resolve(safe + "-" + shortHash(id) + ".json");
  }

  private static byte[] json(EvidenceBundle bundle) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator gen = MAPPER.createGenerator(out, JsonEncoding.UTF8)) {
      gen.setPrettyPrinter(PRETTY);
      gen.writeStartObject();
      gen.writeStringField("record", bundle.record().value());
      gen.writeStringField("tenant", bundle.tenant().value());
      gen.writeStringField("advisory", bundle.advisory().value());
      gen.writeStringField("closedAt", bundle.closedAt().toString());
      gen.writeArrayFieldStart("journalSeqs");
      for (long seq : bundle.journalSeqs()) {
        gen.writeNumber(seq);
      }
      gen.writeEndArray();
      gen.writeFieldName("content");
      MAPPER.writeTree(gen, bundle.content());
      gen.writeEndObject();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "evidence of record " + bundle.record() + " cannot be written as JSON: " + e, e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  /** Makes the rename durable. Best effort: not every platform can open a directory. */
  private void syncDirectory() {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      LOG.debug("Cannot sync directory {}: {}", directory, e.toString());
    }
  }

  private static void deleteQuietly(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      LOG.warn("Cannot delete temporary evidence file {}: {}", temp, e.toString());
    }
  }

  private static String shortHash(String id) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest Javadoc).
      throw new IllegalStateException(e);
    }
  }
}
