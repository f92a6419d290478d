package org.cloudpatch.audit.journal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.cloudpatch.audit.proof.Checkpoint;
import org.cloudpatch.audit.proof.Merkle;
import org.cloudpatch.audit.proof.ProofException;
import org.cloudpatch.audit.proof.VerifierKey;
import org.cloudpatch.audit.spi.KeyProvider;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.spi.Journal;
import org.cloudpatch.core.spi.JournalEntry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Journal} kept in a file of wire format v1 ({@code docs/JOURNAL.md}): one line per entry,
 * each line's SHA-256 chained to the previous one, and (with a signer) signed Merkle checkpoints.
 *
 * <p>What it guarantees:
 *
 * <ul>
 *   <li><b>Durability, group commit.</b> {@link #append} returns only when its batch is on the
 *       storage device. Batches appended concurrently share one write and one {@code force}
 *       (fdatasync on Linux): while one group is being forced, the next gathers. An entry is
 *       acknowledged only when {@code append} returns. A crash can leave whole entries of
 *       unacknowledged batches and debris after them, never less than every acknowledged entry.
 *   <li><b>Integrity.</b> {@link #open} verifies the whole chain and every checkpoint. Crash debris
 *       (a last line without its newline, or lines that are not entries at all, up to the end of
 *       the file) is truncated, kept beside the journal as {@code <file>.debris-<seq>}, and
 *       recorded by a {@code journal.recovered} entry. A complete entry whose seq or hash fails, a
 *       checkpoint that does not match, or a file shorter than its published checkpoint throws
 *       {@link JournalTamperedException} and changes nothing.
 *   <li><b>Checkpoints.</b> With a signer ({@link JournalOptions}), a {@code journal.checkpoint}
 *       entry holding a signed C2SP checkpoint of every earlier entry ends the batch in which
 *       {@code checkpointEvery} entries have accumulated, and one is written on close and after a
 *       recovery; the latest is also written beside the journal as {@code <file>.checkpoint}, to be
 *       published. {@link #readAll} gives only the host's entries, not the journal's own.
 *   <li><b>One writer.</b> An open journal holds an exclusive lock on its file.
 *   <li><b>Failure.</b> If a write or a {@code force} fails, the journal accepts no further appends
 *       (a retried fsync can report success for data that never reached the disk): close it and
 *       open the file again, which recovers. Interrupting a thread inside {@code append} closes the
 *       file (NIO semantics) to the same effect.
 *   <li><b>Threads.</b> Every method is thread-safe.
 * </ul>
 */
public final class FileJournal implements Journal, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileJournal.class);

  /** Opens the journal's channel; replaced in tests by one that injects storage faults. */
  interface ChannelOpener {
    FileChannel open(Path path) throws IOException;
  }

  private static final ChannelOpener FILES =
      p ->
          FileChannel.open(
              p, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);

  private final Path path;
  private final FileChannel channel;
  private final JournalOptions options;
  private final @Nullable KeyProvider signer;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition flushed = lock.newCondition();

  // Assigned: entries encoded and queued, durable or not. Guarded by lock.
  private long size;
  private byte[] head;
  private final Accumulator tree;
  private long sinceCheckpoint;
  private ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private @Nullable String pendingCheckpoint;

  // Durable: forced to the device. Guarded by lock.
  private long durableSize;
  private byte[] durableHead;
  private long length;
  private @Nullable String latestCheckpoint;
  private final ReadMarks marks;
  private boolean flushing;
  private long syncs;
  private @Nullable IOException failure;
  private boolean closed;

  private FileJournal(
      Path path,
      FileChannel channel,
      JournalOptions options,
      long size,
      byte[] head,
      long length,
      Checkpoints checkpoints,
      ReadMarks marks) {
    this.path = path;
    this.marks = marks;
    this.channel = channel;
    this.options = options;
    this.signer = options.signer().orElse(null);
    this.size = size;
    this.durableSize = size;
    this.head = head;
    this.durableHead = head;
    this.length = length;
    this.tree = checkpoints.tree();
    this.sinceCheckpoint = size - checkpoints.lastCheckpoint() - 1;
    this.latestCheckpoint = checkpoints.latestNote();
  }

  /**
   * Opens the journal at {@code path} without checkpoints, creating an empty one if there is no
   * file; see {@link #open(Path, JournalOptions)}.
   */
  public static FileJournal open(Path path) {
    return open(path, JournalOptions.builder().build());
  }

  /**
   * Opens the journal at {@code path}, creating an empty one if there is no file, verifying the
   * chain and the checkpoints of an existing one and recovering from a crash.
   *
   * @param path the journal file, never null
   * @param options how to sign checkpoints
   * @throws JournalTamperedException if the file fails verification other than by crash debris
   * @throws PatchException if the file cannot be read, written or locked
   */
  public static FileJournal open(Path path, JournalOptions options) {
    return open(path, options, FILES);
  }

  static FileJournal open(Path path, JournalOptions options, ChannelOpener opener) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(options, "options");
    boolean created = !Files.exists(path);
    FileChannel channel;
    try {
      channel = opener.open(path);
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
      VerifierKey key =
          options.signer().map(s -> VerifierKey.of(s.name(), s.publicKey())).orElse(null);
      Checkpoints checkpoints = new Checkpoints(key, published(path, key));
      long fileLength = channel.size();
      ReadMarks marks = new ReadMarks();
      ChainReader.Result result =
          ChainReader.readLines(
              input(channel, fileLength),
              line -> {
                marks.see(line);
                checkpoints.accept(line);
              });
      if (result.defect().isPresent() && !result.defect().get().torn()) {
        ChainReader.Defect defect = result.defect().get();
        throw new JournalTamperedException(
            path.toString(), defect.seq(), defect.line(), defect.reason());
      }
      checkpoints.finish(false);
      Checkpoints.Failure failure = checkpoints.failure();
      if (failure != null) {
        throw new JournalTamperedException(
            path.toString(), failure.seq(), failure.seq() + 1, failure.reason());
      }
      ObjectNode recovery = null;
      if (result.defect().isPresent()) {
        recovery = recover(path, channel, result, fileLength);
      }
      FileJournal journal =
          new FileJournal(
              path,
              channel,
              options,
              result.entries(),
              result.head(),
              result.validLength(),
              checkpoints,
              marks);
      if (recovery != null) {
        journal.appendOwn(draft(Checkpoints.RECOVERED, recovery, options));
      }
      journal.checkpointIfUncovered();
      return journal;
    } catch (IOException e) {
      closeAfterFailure(channel, e);
      throw new PatchException("cannot open journal " + path + ": " + e, e);
    } catch (RuntimeException e) {
      closeAfterFailure(channel, e);
      throw e;
    }
  }

  /** The checkpoint published beside the journal, if there is one; it must verify. */
  private static @Nullable Checkpoint published(Path journal, @Nullable VerifierKey key) {
    Path file = checkpointFile(journal);
    if (!Files.exists(file)) {
      return null;
    }
    String note;
    try {
      note = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PatchException("cannot read checkpoint " + file + ": " + e, e);
    }
    try {
      return Checkpoints.openPublished(note, key);
    } catch (ProofException e) {
      // Written atomically after the entry it copies was durable: a bad one was changed on purpose.
      throw new JournalTamperedException(
          journal.toString(), 0, 1, "its published checkpoint " + file + " does not verify: " + e);
    }
  }

  /**
   * Cuts crash debris off, keeping a copy beside the journal; returns the recovery entry's data.
   */
  private static ObjectNode recover(
      Path path, FileChannel channel, ChainReader.Result result, long fileLength)
      throws IOException {
    ChainReader.Defect defect = result.defect().orElseThrow();
    long debrisLength = fileLength - result.validLength();
    MessageDigest sha = WireFormat.sha256();
    Path saved = path.resolveSibling(path.getFileName() + ".debris-" + defect.seq());
    // Streamed, not held: debris can be any amount of garbage after the last good entry.
    try (InputStream in = input(channel, fileLength, result.validLength());
        java.io.OutputStream copy = Files.newOutputStream(saved)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
        copy.write(buffer, 0, n);
      }
    }
    LOG.warn(
        "Journal {}: truncating {} bytes of crash debris at seq {} (kept as {}): {}",
        path,
        debrisLength,
        defect.seq(),
        saved.getFileName(),
        defect.reason());
    channel.truncate(result.validLength());
    channel.force(true);
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("atSeq", defect.seq());
    data.put("truncatedBytes", debrisLength);
    data.put("sha256", HexFormat.of().formatHex(sha.digest()));
    data.put("keptAs", saved.getFileName().toString());
    data.put("reason", defect.reason());
    return data;
  }

  /**
   * Appends the drafts as one batch with consecutive seqs, durably; concurrent batches share one
   * force.
   *
   * @param drafts the entries to append, never null nor holding null
   * @return the appended entries with their seqs
   * @throws IllegalArgumentException if a draft cannot be written as one line of plain JSON or has
   *     a type of the journal's own ({@code journal.*}); then nothing of the batch is written
   * @throws IllegalStateException if the journal is closed
   * @throws PatchException if writing or forcing fails, or failed before
   */
  @Override
  public List<JournalEntry> append(List<JournalEntry.Draft> drafts) {
    Objects.requireNonNull(drafts, "drafts");
    for (int i = 0; i < drafts.size(); i++) {
      JournalEntry.Draft draft = drafts.get(i);
      if (draft == null) {
        throw new NullPointerException("drafts[" + i + "]");
      }
      if (draft.type().startsWith("journal.")) {
        throw new IllegalArgumentException(
            "drafts["
                + i
                + "]: type "
                + draft.type()
                + " is reserved for the journal's own entries");
      }
    }
    lock.lock();
    try {
      requireWritable();
      if (drafts.isEmpty()) {
        return List.of();
      }
      List<JournalEntry> entries = enqueue(drafts);
      if (signer != null && sinceCheckpoint >= options.checkpointEvery()) {
        enqueueCheckpoint();
      }
      awaitDurable(size);
      return entries;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Reads every host entry back from the file (the journal's own checkpoint and recovery entries
   * left out), verifying the chain again.
   *
   * @throws JournalTamperedException if the file changed since it was verified
   * @throws PatchException if the file cannot be read
   */
  @Override
  public List<JournalEntry> readAll() {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("journal " + path + " is closed");
      }
      List<JournalEntry> entries = new ArrayList<>();
      ChainReader.Result result;
      try {
        result =
            ChainReader.read(
                input(channel, length),
                (ChainReader.Sink)
                    (entry, line, offset) -> {
                      if (!entry.type().startsWith("journal.")) {
                        entries.add(entry);
                      }
                    });
      } catch (IOException e) {
        throw new PatchException("cannot read journal " + path + ": " + e, e);
      }
      requireUnchanged(result);
      return List.copyOf(entries);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Reads the host entries from {@code seq} on, verifying the chain from the nearest position that
   * {@link #open} remembered at or before {@code seq} (one every {@value ReadMarks#EVERY} entries,
   * with the hash its line chains to): a restart from a state snapshot parses only the journal's
   * tail. The whole chain was verified when the journal was opened; the part read is verified
   * again.
   *
   * @throws IllegalArgumentException if {@code seq} is negative
   * @throws JournalTamperedException if the part read changed since it was verified
   * @throws PatchException if the file cannot be read
   */
  @Override
  public List<JournalEntry> readFrom(long seq) {
    if (seq < 0) {
      throw new IllegalArgumentException("seq " + seq + " is negative");
    }
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("journal " + path + " is closed");
      }
      ReadMarks.Mark from = marks.from(seq);
      List<JournalEntry> entries = new ArrayList<>();
      ChainReader.Result result;
      try {
        result =
            ChainReader.readLinesFrom(
                input(channel, length, from.offset()),
                from.seq(),
                from.head(),
                line -> {
                  if (line.seq() >= seq && !line.type().startsWith("journal.")) {
                    entries.add(line.entry());
                  }
                });
      } catch (IOException e) {
        throw new PatchException("cannot read journal " + path + ": " + e, e);
      }
      requireUnchanged(result);
      return List.copyOf(entries);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Refuses what a read of the durable bytes found if it is not exactly what this journal appended.
   * Only durable bytes are read, so any defect (even in the last line) means the file was changed
   * behind this journal's back.
   */
  private void requireUnchanged(ChainReader.Result result) {
    if (result.defect().isPresent()) {
      ChainReader.Defect defect = result.defect().get();
      throw new JournalTamperedException(
          path.toString(),
          defect.seq(),
          defect.line(),
          "line " + defect.line() + ": " + defect.detail() + " (changed while open)");
    }
    if (result.entries() != durableSize || !Arrays.equals(result.head(), durableHead)) {
      throw new JournalTamperedException(
          path.toString(),
          result.entries(),
          result.entries() + 1,
          "the file no longer holds the " + durableSize + " entries appended (changed while open)");
    }
  }

  /**
   * How many entries the journal holds, its own included; the seq the next appended entry gets
   * unless a checkpoint comes first.
   */
  @Override
  public long size() {
    lock.lock();
    try {
      return size;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The latest durable signed checkpoint (a C2SP note), if the journal has one; the same text as
   * the file {@code <journal>.checkpoint}.
   */
  public java.util.Optional<String> latestCheckpoint() {
    lock.lock();
    try {
      return java.util.Optional.ofNullable(latestCheckpoint);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writes a final checkpoint (with a signer, if entries came after the last one), closes the file
   * and releases its lock; idempotent.
   *
   * @throws PatchException if the final checkpoint or closing fails; the file is closed anyway
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      RuntimeException lastWords = null;
      try {
        if (failure == null) {
          checkpointIfUncovered();
          awaitDurable(size);
        }
      } catch (RuntimeException e) {
        lastWords = e;
      }
      closed = true;
      try {
        channel.close();
      } catch (IOException e) {
        PatchException closing = new PatchException("cannot close journal " + path + ": " + e, e);
        if (lastWords != null) {
          closing.addSuppressed(lastWords);
        }
        throw closing;
      }
      if (lastWords != null) {
        throw lastWords;
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "FileJournal[" + path + ", " + size() + " entries]";
  }

  /** The file beside a journal where its latest checkpoint is published. */
  public static Path checkpointFile(Path journal) {
    return journal.resolveSibling(journal.getFileName() + ".checkpoint");
  }

  /** How many times the file was forced to disk for appends (one per group). */
  long syncCount() {
    lock.lock();
    try {
      return syncs;
    } finally {
      lock.unlock();
    }
  }

  private void checkpointIfUncovered() {
    lock.lock();
    try {
      if (signer != null && sinceCheckpoint > 0 && failure == null && !closed) {
        enqueueCheckpoint();
        awaitDurable(size);
      }
    } finally {
      lock.unlock();
    }
  }

  private void appendOwn(JournalEntry.Draft draft) {
    lock.lock();
    try {
      enqueue(List.of(draft));
      awaitDurable(size);
    } finally {
      lock.unlock();
    }
  }

  /** Encodes the drafts and queues them; all or nothing. Call with the lock held. */
  private List<JournalEntry> enqueue(List<JournalEntry.Draft> drafts) {
    // Encode the whole batch before queueing a byte, so a bad draft cannot leave half a batch.
    ByteArrayOutputStream batch = new ByteArrayOutputStream(256 * drafts.size());
    List<JournalEntry> entries = new ArrayList<>(drafts.size());
    List<byte[]> leaves = new ArrayList<>(drafts.size());
    byte[] batchHead = head;
    for (int i = 0; i < drafts.size(); i++) {
      JournalEntry.Draft draft = drafts.get(i);
      long seq = size + i;
      byte[] json;
      try {
        json = WireFormat.json(seq, draft);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("drafts[" + i + "]: " + e.getMessage(), e);
      }
      batchHead = WireFormat.chain(batchHead, json, 0, json.length);
      batch.writeBytes(WireFormat.line(batchHead, json));
      if (signer != null) {
        leaves.add(Merkle.leafHash(json));
      }
      entries.add(draft.at(seq));
    }
    pending.writeBytes(batch.toByteArray());
    leaves.forEach(tree::add);
    size += drafts.size();
    sinceCheckpoint += drafts.size();
    head = batchHead;
    return List.copyOf(entries);
  }

  /** Queues a checkpoint entry of every entry queued so far. Call with the lock held. */
  private void enqueueCheckpoint() {
    KeyProvider key = Objects.requireNonNull(signer);
    String note = Checkpoint.of(options.origin(), size, tree.root()).sign(key);
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("checkpoint", note);
    enqueue(List.of(draft(Checkpoints.CHECKPOINT, data, options)));
    sinceCheckpoint = 0;
    pendingCheckpoint = note;
  }

  private static JournalEntry.Draft draft(String type, ObjectNode data, JournalOptions options) {
    return JournalEntry.Draft.builder().at(options.clock().instant()).type(type).data(data).build();
  }

  /**
   * Waits until every entry below {@code target} is durable, forcing the pending group itself when
   * no other thread is. Call with the lock held; it is released while writing.
   */
  private void awaitDurable(long target) {
    while (durableSize < target) {
      if (failure != null) {
        throw new PatchException(
            "cannot append to journal " + path + " (reopen it to recover): " + failure, failure);
      }
      if (flushing) {
        // Uninterruptibly: the outcome of a batch already queued must be known before returning.
        flushed.awaitUninterruptibly();
      } else {
        flush();
      }
    }
  }

  /** Writes and forces everything pending as one group. Call with the lock held, not flushing. */
  private void flush() {
    flushing = true;
    ByteBuffer bytes = ByteBuffer.wrap(pending.toByteArray());
    pending = new ByteArrayOutputStream();
    long groupSize = size;
    byte[] groupHead = head;
    String note = pendingCheckpoint;
    pendingCheckpoint = null;
    long position = length;
    IOException error = null;
    lock.unlock();
    try {
      while (bytes.hasRemaining()) {
        position += channel.write(bytes, position);
      }
      // Without metadata: on Linux this is fdatasync, which still persists the new file length
      // because reading the data needs it. Once per group, so a group costs one device flush.
      channel.force(false);
    } catch (IOException e) {
      error = e;
    } finally {
      lock.lock();
      flushing = false;
      flushed.signalAll();
    }
    if (error != null) {
      failure = error;
      discardUnacknowledged(error);
      return;
    }
    syncs++;
    length = position;
    durableSize = groupSize;
    durableHead = groupHead;
    if (note != null) {
      latestCheckpoint = note;
      publish(note);
    }
  }

  /**
   * Writes the checkpoint beside the journal, atomically; the journal's own entry is the record.
   */
  private void publish(String note) {
    Path target = checkpointFile(path);
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    try {
      try (FileChannel out =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(note.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("Journal {}: cannot publish its checkpoint to {}: {}", path, target, e.toString());
    }
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
   * Best effort to cut an unacknowledged partial group off the file; if this fails too, reopening
   * still recovers, keeping at most whole entries of that group.
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

  private static InputStream input(FileChannel channel, long limit) {
    return input(channel, limit, 0);
  }

  /**
   * The bytes of the file from {@code start} to {@code limit}, read by position so that the
   * channel's own position (unused by appends, which also write by position) does not matter.
   */
  private static InputStream input(FileChannel channel, long limit, long start) {
    return new InputStream() {
      private long position = start;

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
