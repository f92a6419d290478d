package org.cloudpatch.audit.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.cloudpatch.audit.proof.Checkpoint;
import org.cloudpatch.audit.proof.ProofException;
import org.cloudpatch.audit.proof.VerifierKey;
import org.cloudpatch.core.PatchException;

/**
 * Checks a journal file of wire format v1 without changing it: recomputes the hash chain and the
 * seqs from the first line, the Merkle root at every checkpoint entry and, given the journal's
 * verifier key, every checkpoint's signature; and reports the first bad entry.
 *
 * <p>Stateless and thread-safe. It takes no lock, so it may run while a {@link FileJournal} appends
 * to the same file; a batch in the middle of being written then shows as a torn last line. The
 * chain alone cannot show entries cut off the end or a chain recomputed after an edit: signed
 * checkpoints can. Given a key, every entry must be covered by a checkpoint (a closed journal ends
 * with one), so a forged tail shows; given a checkpoint published earlier, the journal must still
 * hold every entry it covered, unchanged.
 */
public final class JournalVerifier {
  private JournalVerifier() {}

  /**
   * Verifies the chain of the journal at {@code journal}, and the roots of its checkpoint entries
   * (their signatures are not checked without a key).
   *
   * @param journal the journal file, never null
   * @return the outcome; a bad entry is a result, not an exception
   * @throws PatchException if the file cannot be read
   */
  public static Verification verify(Path journal) {
    return verify(journal, Optional.empty(), Optional.empty());
  }

  /**
   * Verifies the journal at {@code journal}: chain, checkpoint roots, and with {@code key} every
   * checkpoint's signature and that no entry comes after the last checkpoint; with {@code
   * published} (a signed checkpoint note published earlier) that the journal still holds exactly
   * the entries it covered.
   *
   * @param journal the journal file
   * @param key the journal's verifier key
   * @param published a checkpoint note of this journal, published earlier
   * @return the outcome; a bad entry is a result, not an exception
   * @throws PatchException if the file cannot be read
   * @throws ProofException if {@code published} is not a checkpoint signed by {@code key} (or,
   *     without a key, not a checkpoint)
   */
  public static Verification verify(
      Path journal, Optional<VerifierKey> key, Optional<String> published) {
    Objects.requireNonNull(journal, "journal");
    VerifierKey verifierKey = key.orElse(null);
    Checkpoint anchor =
        published.map(note -> Checkpoints.openPublished(note, verifierKey)).orElse(null);
    Checkpoints checkpoints = new Checkpoints(verifierKey, anchor);
    ChainReader.Result result;
    try (InputStream in = Files.newInputStream(journal)) {
      result = ChainReader.readLines(in, checkpoints::accept);
    } catch (IOException e) {
      throw new PatchException("cannot read journal " + journal + ": " + e, e);
    }
    String head = WireFormat.hex(result.head());
    if (checkpoints.failure() == null && result.defect().isEmpty()) {
      checkpoints.finish(key.isPresent());
    }
    Checkpoints.Failure failure = checkpoints.failure();
    // The first failure by seq: a checkpoint that fails names an earlier seq than a later bad line.
    if (result.defect().isPresent()
        && (failure == null || result.defect().get().seq() <= failure.seq())) {
      ChainReader.Defect d = result.defect().get();
      return Verification.failed(
          result.entries(), head, d.seq(), d.reason(), checkpoints.checkpoints());
    }
    if (failure != null) {
      return Verification.failed(
          result.entries(), head, failure.seq(), failure.reason(), checkpoints.checkpoints());
    }
    return Verification.passed(result.entries(), head, checkpoints.checkpoints());
  }
}
