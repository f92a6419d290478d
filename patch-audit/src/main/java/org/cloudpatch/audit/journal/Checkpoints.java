package org.cloudpatch.audit.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import org.cloudpatch.audit.proof.Checkpoint;
import org.cloudpatch.audit.proof.Merkle;
import org.cloudpatch.audit.proof.ProofException;
import org.cloudpatch.audit.proof.VerifierKey;
import org.cloudpatch.core.spi.JournalEntry;
import org.jspecify.annotations.Nullable;

/**
 * Follows a journal's entries in seq order, keeping the Merkle tree of their JSON bytes, and checks
 * each checkpoint entry against it: its size is its own seq, its root the root of every earlier
 * entry, and (given a key) its signature. Optionally also checks a checkpoint published earlier.
 * Shared by {@link FileJournal#open} and {@link JournalVerifier}. Not thread-safe.
 */
final class Checkpoints {
  /** The type of checkpoint entries. */
  static final String CHECKPOINT = "journal.checkpoint";

  /** The type of entries that record a crash recovery. */
  static final String RECOVERED = "journal.recovered";

  /** The first failure: the seq named and why. */
  record Failure(long seq, String reason) {}

  private final @Nullable VerifierKey key;
  private final @Nullable Checkpoint published;
  private final Accumulator tree = new Accumulator();
  private final MessageDigest sha256 = WireFormat.sha256();
  private long lastCheckpoint = -1;
  private long checkpoints;
  private @Nullable String latestNote;
  private @Nullable Failure failure;

  Checkpoints(@Nullable VerifierKey key, @Nullable Checkpoint published) {
    this.key = key;
    this.published = published;
  }

  void accept(ChainReader.VerifiedLine line) {
    if (failure != null) {
      return;
    }
    checkPublished();
    if (line.type().equals(CHECKPOINT)) {
      // Only checkpoints need their entry built: the others are hashed from their bytes.
      checkCheckpoint(line.entry());
    }
    tree.add(leafHash(line.bytes(), line.jsonOffset(), line.jsonLength()));
  }

  /** {@link Merkle#leafHash(byte[], int, int)} with this follower's own digest, not a new one. */
  private byte[] leafHash(byte[] data, int offset, int length) {
    sha256.update((byte) 0x00);
    sha256.update(data, offset, length);
    return sha256.digest();
  }

  /**
   * Called after the last entry.
   *
   * @param requireCovered whether entries after the last checkpoint are a failure
   */
  void finish(boolean requireCovered) {
    if (failure != null) {
      return;
    }
    checkPublished();
    if (published != null && tree.size() <= published.size()) {
      failure =
          new Failure(
              tree.size(),
              "the journal ends at seq "
                  + tree.size()
                  + " but a checkpoint published earlier covers "
                  + published.size()
                  + " entries and is held at seq "
                  + published.size()
                  + ": entries were cut off");
      return;
    }
    if (requireCovered && lastCheckpoint < tree.size() - 1) {
      failure =
          new Failure(
              lastCheckpoint + 1,
              "entries from seq "
                  + (lastCheckpoint + 1)
                  + " on are not covered by a signed checkpoint (added after the journal's last"
                  + " checkpoint, or the journal was not closed)");
    }
  }

  private void checkPublished() {
    if (published != null
        && tree.size() == published.size()
        && !MessageDigest.isEqual(tree.root(), published.root())) {
      failure =
          new Failure(
              published.size(),
              "entries 0.."
                  + (published.size() - 1)
                  + " are not those of the checkpoint published earlier ("
                  + published
                  + ")");
    }
  }

  private void checkCheckpoint(JournalEntry entry) {
    long seq = entry.seq();
    JsonNode note = entry.data().get("checkpoint");
    if (note == null || !note.isTextual()) {
      failure = new Failure(seq, "checkpoint entry without a 'checkpoint' note");
      return;
    }
    Checkpoint checkpoint;
    try {
      checkpoint =
          key == null
              ? Checkpoint.parse(textOf(note.textValue()))
              : Checkpoint.open(note.textValue(), key);
    } catch (ProofException e) {
      failure =
          new Failure(seq, "checkpoint at seq " + seq + " does not verify: " + e.getMessage());
      return;
    }
    if (checkpoint.size() != seq) {
      failure =
          new Failure(seq, "checkpoint at seq " + seq + " claims tree size " + checkpoint.size());
      return;
    }
    if (!MessageDigest.isEqual(checkpoint.root(), tree.root())) {
      failure =
          new Failure(
              seq,
              "checkpoint at seq "
                  + seq
                  + " signed another root than that of entries 0.."
                  + (seq - 1)
                  + ": an entry after "
                  + (lastCheckpoint < 0
                      ? "the start"
                      : "the checkpoint at seq " + lastCheckpoint + " (which matched)")
                  + " was changed and the chain recomputed");
      return;
    }
    lastCheckpoint = seq;
    checkpoints++;
    latestNote = note.textValue();
  }

  /** A note's text: everything before its blank line. */
  static String textOf(String note) {
    int split = note.indexOf("\n\n");
    if (split < 0) {
      throw new ProofException("not a signed note: no blank line before the signatures");
    }
    return note.substring(0, split + 1);
  }

  @Nullable Failure failure() {
    return failure;
  }

  Accumulator tree() {
    return tree;
  }

  long lastCheckpoint() {
    return lastCheckpoint;
  }

  long checkpoints() {
    return checkpoints;
  }

  @Nullable String latestNote() {
    return latestNote;
  }

  /** The published checkpoint, opened with the key if there is one. */
  static Checkpoint openPublished(String note, @Nullable VerifierKey key) {
    return key == null ? Checkpoint.parse(textOf(note)) : Checkpoint.open(note, key);
  }
}
