package org.cloudpatch.audit.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
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
 *   <li><b>Read with a bound.</b> {@link #latest} reads only a regular file (not a link, a device
 *       or a pipe put in an image's place) of at most the store's size bound, so that a file
 *       replaced behind the store is refused with its name instead of exhausting the heap before
 *       the engine can check the image's digest against the journal.
 *   <li><b>Threads.</b> Every method is thread-safe; one process uses a directory at a time.
 * </ul>
 */
public final class FileStateSnapshotStore implements StateSnapshotStore {
  private static final Logger LOG = LoggerFactory.getLogger(FileStateSnapshotStore.class);
  private static final Pattern IMAGE = Pattern.compile("state-(\\d{20})\\.image");
  private static final String TEMP = ".tmp-";
  private static final int KEEP = 2;

  /**
   * The default bound on an image's size: 1 GiB. The image of a 100,000-VM engine with a
   * 1,000,000-entry journal is about 183 MB (docs/PERFORMANCE.md).
   */
  public static final long DEFAULT_MAX_IMAGE_BYTES = 1L << 30;

  private final Path directory;
  private final long maxImageBytes;

  private FileStateSnapshotStore(Path directory, long maxImageBytes) {
    this.directory = directory;
    this.maxImageBytes = maxImageBytes;
  }

  /**
   * Opens the store in {@code directory}, creating it if missing and deleting what interrupted puts
   * left behind.
   *
   * @param directory the directory, never null
   * @throws PatchException if the directory cannot be created or read
   */
  public static FileStateSnapshotStore open(Path directory) {
    return open(directory, DEFAULT_MAX_IMAGE_BYTES);
  }

  /**
   * Opens the store in {@code directory} as {@link #open(Path)} does, reading images of at most
   * {@code maxImageBytes}.
   *
   * @throws IllegalArgumentException if {@code maxImageBytes} is not positive or above what one
   *     Java array holds
   */
  public static FileStateSnapshotStore open(Path directory, long maxImageBytes) {
    Objects.requireNonNull(directory, "directory");
    if (maxImageBytes <= 0 || maxImageBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "maxImageBytes " + maxImageBytes + " is not between 1 and " + (Integer.MAX_VALUE - 8));
    }
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
    return new FileStateSnapshotStore(directory, maxImageBytes);
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
    return Optional.of(new StoredImage(last.getKey(), read(last.getValue())));
  }

  private byte[] read(Path image) {
    try {
      BasicFileAttributes attributes =
          Files.readAttributes(image, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!attributes.isRegularFile()) {
        throw new PatchException("state snapshot " + image + " is not a regular file");
      }
      if (attributes.size() > maxImageBytes) {
        throw new PatchException(
            "state snapshot "
                + image
                + " holds "
                + attributes.size()
                + " bytes, more than the store's bound of "
                + maxImageBytes);
      }
      try (InputStream in = Files.newInputStream(image, LinkOption.NOFOLLOW_LINKS)) {
        // Read one byte past the bound: the file may have grown since its size was read.
        byte[] bytes = in.readNBytes((int) maxImageBytes + 1);
        if (bytes.length > maxImageBytes) {
          throw new PatchException(
              "state snapshot " + image + " grew past the store's bound of " + maxImageBytes);
        }
        return bytes;
      }
    } catch (IOException e) {
      throw new PatchException("cannot read state snapshot " + image + ": " + e, e);
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
