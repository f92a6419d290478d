package org.cloudpatch.audit.journal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.spi.Journal;
import org.cloudpatch.core.spi.JournalEntry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Journal} kept in a file of wire format v1 ({@code docs/JOURNAL.md}): one line per entry,
 * each line's SHA-256 chained to the previous one.
 *
 * <p>What it guarantees:
 *
 * <ul>
 *   <li><b>Durability.</b> {@link #append} writes the whole batch and forces it to the storage
 *       device once, before it returns; an entry is acknowledged only then. A crash during append
 *       can leave whole entries of that batch (a prefix, in order) and one torn last line, which
 *       {@link #open} truncates with a warning.
 *   <li><b>Integrity.</b> {@link #open} verifies the whole chain. Any defect other than a torn last
 *       line throws {@link JournalTamperedException} and leaves the file as it is. {@link #readAll}
 *       verifies it again.
 *   <li><b>One writer.</b> An open journal holds an exclusive lock on its file, so a second {@code
 *       open} of the same file, in this process or (where the platform honours file locks) in
 *       another, fails instead of interleaving lines.
 *   <li><b>Threads.</b> Every method is thread-safe; calls are serialized.
 *   <li><b>Failure.</b> After an I/O error in {@link #append} the journal accepts no further
 *       appends: what reached the disk is unknown, so close it and open the file again, which
 *       recovers. Interrupting a thread inside {@code append} closes the file (NIO semantics) to
 *       the same effect.
 * </ul>
 */
public final class FileJournal implements Journal, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileJournal.class);

  private final Path path;
  private final FileChannel channel;

  private long size;
  private byte[] head;
  private long length;
  private long syncs;
  private @Nullable IOException failure;
  private boolean closed;

  private FileJournal(Path path, FileChannel channel, long size, byte[] head, long length) {
    this.path = path;
    this.channel = channel;
    this.size = size;
    this.head = head;
    this.length = length;
  }

  /**
   * Opens the journal at {@code path}, creating an empty one if there is no file, verifying the
   * chain of an existing one and truncating a torn last line.
   *
   * @param path the journal file, never null
   * @throws JournalTamperedException if the file fails verification other than in its last line
   * @throws PatchException if the file cannot be read, written or locked
   */
  public static FileJournal open(Path path) {
    Objects.requireNonNull(path, "path");
    boolean created = !Files.exists(path);
    FileChannel channel;
    try {
      channel =
          FileChannel.open(
              path, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
    } catch (IOException e) {
      throw new PatchException("cannot open journal " + path + ": " + e, e);
    }
    try {
      lock(channel, path);
      if (created) {
        Path directory = path.toAbsolutePath().getParent();
        if (directory != null) { // null only for a root directory, which cannot be a journal
          syncDirectory(directory);
        }
      }
      long fileLength = channel.size();
      ChainReader.Result result = ChainReader.read(input(channel, fileLength), entry -> {});
      if (result.defect().isPresent()) {
        ChainReader.Defect defect = result.defect().get();
        if (!defect.torn()) {
          throw new JournalTamperedException(
              path.toString(), defect.seq(), defect.line(), defect.reason());
        }
        LOG.warn(
            "Journal {}: truncating {} bytes at seq {}, {}",
            path,
            fileLength - result.validLength(),
            defect.seq(),
            defect.reason());
        channel.truncate(result.validLength());
        channel.force(true);
      }
      return new FileJournal(path, channel, result.entries(), result.head(), result.validLength());
    } catch (IOException e) {
      closeAfterFailure(channel, e);
      throw new PatchException("cannot open journal " + path + ": " + e, e);
    } catch (RuntimeException e) {
      closeAfterFailure(channel, e);
      throw e;
    }
  }

  /**
   * Appends the drafts as one batch with consecutive seqs from {@link #size()}, durably.
   *
   * @param drafts the entries to append, never null nor holding null
   * @return the appended entries with their seqs
   * @throws IllegalArgumentException if a draft cannot be written as one line of plain JSON; then
   *     nothing of the batch is written
   * @throws IllegalStateException if the journal is closed
   * @throws PatchException if writing or forcing fails, or failed before
   */
  @Override
  public synchronized List<JournalEntry> append(List<JournalEntry.Draft> drafts) {
    Objects.requireNonNull(drafts, "drafts");
    requireWritable();
    if (drafts.isEmpty()) {
      return List.of();
    }
    // Encode the whole batch before writing a byte, so a bad draft cannot leave half a batch.
    ByteArrayOutputStream batch = new ByteArrayOutputStream(256 * drafts.size());
    List<JournalEntry> entries = new ArrayList<>(drafts.size());
    byte[] batchHead = head;
    for (int i = 0; i < drafts.size(); i++) {
      JournalEntry.Draft draft = drafts.get(i);
      if (draft == null) {
        throw new NullPointerException("drafts[" + i + "]");
      }
      long seq = size + i;
      byte[] json;
      try {
        json = WireFormat.json(seq, draft);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("drafts[" + i + "]: " + e.getMessage(), e);
      }
      batchHead = WireFormat.chain(batchHead, json, 0, json.length);
      batch.writeBytes(WireFormat.line(batchHead, json));
      entries.add(draft.at(seq));
    }
    ByteBuffer bytes = ByteBuffer.wrap(batch.toByteArray());
    try {
      long position = length;
      while (bytes.hasRemaining()) {
        position += channel.write(bytes, position);
      }
      // Without metadata: on Linux this is fdatasync, which still persists the new file length
      // because reading the data needs it. Once per batch, so a batch costs one device flush.
      channel.force(false);
      syncs++;
    } catch (IOException e) {
      failure = e;
      discardUnacknowledged(e);
      throw new PatchException(
          "cannot append to journal " + path + " (reopen it to recover): " + e, e);
    }
    size += entries.size();
    head = batchHead;
    length += batch.size();
    return List.copyOf(entries);
  }

  /**
   * Reads every entry back from the file, verifying the chain again.
   *
   * @throws JournalTamperedException if the file changed since it was verified
   * @throws PatchException if the file cannot be read
   */
  @Override
  public synchronized List<JournalEntry> readAll() {
    if (closed) {
      throw new IllegalStateException("journal " + path + " is closed");
    }
    List<JournalEntry> entries = new ArrayList<>();
    ChainReader.Result result;
    try {
      result = ChainReader.read(input(channel, length), entries::add);
    } catch (IOException e) {
      throw new PatchException("cannot read journal " + path + ": " + e, e);
    }
    // Only acknowledged bytes are read, so any defect here (even in the last line) means the
    // file was changed behind this journal's back.
    if (result.defect().isPresent()) {
      ChainReader.Defect defect = result.defect().get();
      throw new JournalTamperedException(
          path.toString(),
          defect.seq(),
          defect.line(),
          "line " + defect.line() + ": " + defect.detail() + " (changed while open)");
    }
    if (result.entries() != size || !Arrays.equals(result.head(), head)) {
      throw new JournalTamperedException(
          path.toString(),
          result.entries(),
          result.entries() + 1,
          "the file no longer holds the " + size + " entries appended (changed while open)");
    }
    return List.copyOf(entries);
  }

  /** How many entries the journal holds; the seq the next appended entry gets. */
  @Override
  public synchronized long size() {
    return size;
  }

  /** Closes the file and releases its lock; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      throw new PatchException("cannot close journal " + path + ": " + e, e);
    }
  }

  @Override
  public synchronized String toString() {
    return "FileJournal[" + path + ", " + size + " entries]";
  }

  /** How many times append forced the file to disk (one per non-empty batch). */
  synchronized long syncCount() {
    return syncs;
  }

  private void requireWritable() {
    if (closed) {
      throw new IllegalStateException("journal " + path + " is closed");
    }
    if (failure != null) {
      throw new PatchException(
          "journal " + path + " failed an earlier append; close and reopen it to recover", failure);
    }
  }

  /**
   * Best effort to cut an unacknowledged partial batch off the file; if this fails too, reopening
   * still recovers, keeping at most whole entries of that batch.
   */
  private void discardUnacknowledged(IOException cause) {
    try {
      channel.truncate(length);
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  private static void lock(FileChannel channel, Path path) throws IOException {
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    // The lock lives as long as the channel: closing the journal releases it.
    if (lock == null) {
      throw new PatchException("journal " + path + " is already open for writing");
    }
  }

  /**
   * Makes a new journal's directory entry durable, so that a crash cannot lose a journal whose
   * first appends were acknowledged. Best effort: not every platform can open a directory.
   */
  private static void syncDirectory(Path directory) {
    if (directory == null) {
      return;
    }
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      LOG.debug("Cannot sync directory {}: {}", directory, e.toString());
    }
  }

  private static void closeAfterFailure(FileChannel channel, Exception cause) {
    try {
      channel.close();
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
  }

  /**
   * The first {@code limit} bytes of the file, read by position so that the channel's own position
   * (unused by appends, which also write by position) does not matter.
   */
  private static InputStream input(FileChannel channel, long limit) {
    return new InputStream() {
      private long position;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] buffer, int offset, int count) throws IOException {
        if (count == 0) {
          return 0;
        }
        if (position >= limit) {
          return -1;
        }
        int wanted = (int) Math.min(count, limit - position);
        int n = channel.read(ByteBuffer.wrap(buffer, offset, wanted), position);
        if (n > 0) {
          position += n;
        }
        return n;
      }
    };
  }
}
