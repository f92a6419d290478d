package org.cloudpatch.audit.journal;

import java.util.OptionalLong;
import org.immutables.value.Value;

/**
 * The outcome of {@link JournalVerifier#verify}: how many entries verified from the start, the hash
 * of the last of them, and the first bad entry if there is one. Immutable.
 */
@Value.Immutable
public abstract class Verification {
  Verification() {}

  /** How many entries verified, counting from seq 0; on failure, those before the bad one. */
  public abstract long entries();

  /**
   * The lowercase hex hash of the last verified entry (64 zeros when none); keep it to detect that
   * entries were later removed from the end, which the chain alone cannot show.
   */
  public abstract String headHash();

  /** The seq of the first bad entry (the seq expected at its position), empty when ok. */
  public abstract OptionalLong badSeq();

  /** How many checkpoint entries verified (their roots, and signatures when a key was given). */
  @Value.Default
  public long checkpoints() {
    return 0;
  }

  /** Why the entry at {@link #badSeq} is bad, naming its line; empty when ok. */
  public abstract String reason();

  /** Whether every line of the file verified. */
  public boolean ok() {
    return badSeq().isEmpty();
  }

  /**
   * A one-line summary, the same as {@code docs/verify-journal.py} prints: {@code OK <entries>
   * <headhash>} or {@code BAD seq <n>: <reason>}.
   */
  public String describe() {
    return ok()
        ? "OK " + entries() + " " + headHash()
        : "BAD seq " + badSeq().getAsLong() + ": " + reason();
  }

  /**
   * Rejects a value that breaks the invariants stated above; the builder calls it, so no such value
   * exists.
   */
  @Value.Check
  void check() {
    if (entries() < 0) {
      throw new IllegalStateException("entries is negative: " + entries());
    }
    if (!headHash().matches("[0-9a-f]{64}")) {
      throw new IllegalStateException("headHash is not 64 lowercase hex digits: " + headHash());
    }
    if (ok() != reason().isEmpty()) {
      throw new IllegalStateException("a reason is given exactly when verification fails");
    }
  }

  static Verification passed(long entries, String headHash, long checkpoints) {
    return ImmutableVerification.builder()
        .entries(entries)
        .headHash(headHash)
        .checkpoints(checkpoints)
        .reason("")
        .build();
  }

  static Verification failed(
      long entries, String headHash, long badSeq, String reason, long checkpoints) {
    return ImmutableVerification.builder()
        .entries(entries)
        .headHash(headHash)
        .checkpoints(checkpoints)
        .badSeq(badSeq)
        .reason(reason)
        .build();
  }
}
