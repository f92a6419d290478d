package org.cloudpatch.audit.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.spi.StateSnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StateSnapshotStore} in a directory: one file per image, {@code state-SEQ.image} (SEQ,
 * the seq in 20 digits). What it guarantees:
 *
 * <ul>
 *   <li><b>Atomic and durable.</b> {@link #put} writes a temporary file, forces it to the device,
 *       renames it over its name atomically and forces the directory: after a crash the name holds
 *       the whole image or the one before, never part of one. A temporary file left by a crash is
 *       never read, and is deleted when the store is opened.
 *   <li><b>Bounded.</b> The two images with the highest seqs are kept, older ones deleted after
 *       each put.
 *   <li><b>Threads.</b> Every method is thread-safe; one process uses a directory at a time.
 * </ul>
 */
public final class FileStateSnapshotStore implements StateSnapshotStore {
  private static final Logger LOG = LoggerFactory.getLogger(FileStateSnapshotStore.class);
  private static final Pattern IMAGE = Pattern.compile("state-(\\d{20})\\.image");
  private static final String TEMP = ".tmp-";
  private static final int KEEP = 2;

  private final Path directory;

  private FileStateSnapshotStore(Path directory) {
    this.directory = directory;
  }

  /**
   * Opens the store in {@code directory}, creating it if missing and deleting what interrupted puts
   * left behind.
   *
   * @param directory the directory, never null
   * @throws PatchException if the directory cannot be created or read
   */
  public static FileStateSnapshotStore open(Path directory) {
    Objects.requireNonNull(directory, "directory");
    try {
      Files.createDirectories(directory);
      try (DirectoryStream<Path> files =
          Files.newDirectoryStream(directory, "state-*" + TEMP + "*")) {
        for (Path debris : files) {
          LOG.warn("Deleting {}, left by an interrupted state snapshot", debris);
          Files.deleteIfExists(debris);
        }
      }
    } catch (IOException e) {
      throw new PatchException("cannot open state snapshot store " + directory + ": " + e, e);
    }
    return new FileStateSnapshotStore(directory);
  }

  /** The file an image of {@code seq} is kept in. */
  static String name(long seq) {
    return String.format("state-%020d.image", seq);
  }

  @Override
  public synchronized void put(long seq, byte[] image) {
    Objects.requireNonNull(image, "image");
    if (seq < 0) {
      throw new IllegalArgumentException("seq " + seq + " is negative");
    }
    Path target = directory.resolve(name(seq));
    Path temp = directory.resolve(name(seq) + TEMP + UUID.randomUUID());
    try {
      try (FileChannel out =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(image);
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        out.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory();
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException again) {
        e.addSuppressed(again);
      }
      throw new PatchException("cannot store state snapshot " + target + ": " + e, e);
    }
    prune();
  }

  @Override
  public synchronized Optional<StoredImage> latest() {
    NavigableMap<Long, Path> images = images();
    if (images.isEmpty()) {
      return Optional.empty();
    }
    var last = images.lastEntry();
    try {
      return Optional.of(new StoredImage(last.getKey(), Files.readAllBytes(last.getValue())));
    } catch (IOException e) {
      throw new PatchException("cannot read state snapshot " + last.getValue() + ": " + e, e);
    }
  }

  @Override
  public String toString() {
    return "FileStateSnapshotStore[" + directory + "]";
  }

  private NavigableMap<Long, Path> images() {
    TreeMap<Long, Path> out = new TreeMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "state-*.image")) {
      for (Path file : files) {
        Matcher m = IMAGE.matcher(file.getFileName().toString());
        if (m.matches()) {
          out.put(Long.parseLong(m.group(1)), file);
        }
      }
    } catch (IOException e) {
      throw new PatchException("cannot list state snapshot store " + directory + ": " + e, e);
    }
    return out;
  }

  /** Deletes all but the newest images; best effort, a leftover is only disk space. */
  private void prune() {
    NavigableMap<Long, Path> images = images();
    while (images.size() > KEEP) {
      Path oldest = images.pollFirstEntry().getValue();
      try {
        Files.deleteIfExists(oldest);
      } catch (IOException e) {
        LOG.warn("Cannot delete old state snapshot {}: {}", oldest, e.toString());
      }
    }
  }

  /** Makes the rename durable. Best effort: not every platform can open a directory. */
  private void syncDirectory() {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      LOG.debug("Cannot sync directory {}: {}", directory, e.toString());
    }
  }
}
