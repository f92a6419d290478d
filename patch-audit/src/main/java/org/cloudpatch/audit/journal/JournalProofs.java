package org.cloudpatch.audit.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cloudpatch.audit.proof.Checkpoint;
import org.cloudpatch.audit.proof.Merkle;
import org.cloudpatch.audit.proof.TlogProof;
import org.cloudpatch.core.PatchException;

/**
 * Inclusion proofs of a journal's entries, exported as C2SP {@code tlog-proof}s: anyone holding the
 * journal's verifier key can check that an entry (its exact JSON bytes, leaf {@code SHA-256(0x00 ||
 * JSON)}) is in the tree that a signed checkpoint of the journal covers, without the journal.
 * Stateless and thread-safe; reads the file without changing it.
 */
public final class JournalProofs {
  private JournalProofs() {}

  /**
   * The inclusion proof of the entry at {@code seq} to the journal's latest checkpoint.
   *
   * @param journal a journal file with signed checkpoints
   * @param seq the entry
   * @return the proof, with the signed checkpoint note it leads to
   * @throws IllegalArgumentException if no checkpoint of the journal covers {@code seq} yet
   * @throws JournalTamperedException if the journal's chain does not verify up to that checkpoint
   * @throws PatchException if the file cannot be read
   */
  public static TlogProof inclusion(Path journal, long seq) {
    Objects.requireNonNull(journal, "journal");
    List<byte[]> leaves = new ArrayList<>();
    String[] latest = new String[1];
    ChainReader.Result result;
    try (InputStream in = Files.newInputStream(journal)) {
      result =
          ChainReader.readLines(
              in,
              line -> {
                if (line.type().equals(Checkpoints.CHECKPOINT)) {
                  latest[0] = line.entry().data().get("checkpoint").textValue();
                }
                leaves.add(Merkle.leafHash(line.bytes(), line.jsonOffset(), line.jsonLength()));
              });
    } catch (IOException e) {
      throw new PatchException("cannot read journal " + journal + ": " + e, e);
    }
    String note = latest[0];
    if (note == null) {
      throw new IllegalArgumentException("journal " + journal + " has no checkpoint");
    }
    Checkpoint checkpoint = Checkpoint.parse(Checkpoints.textOf(note));
    if (result.defect().isPresent() && result.entries() <= checkpoint.size()) {
      ChainReader.Defect d = result.defect().get();
      throw new JournalTamperedException(journal.toString(), d.seq(), d.line(), d.reason());
    }
    if (seq < 0 || seq >= checkpoint.size()) {
      throw new IllegalArgumentException(
          "seq "
              + seq
              + " is not covered by the journal's latest checkpoint (tree size "
              + checkpoint.size()
              + ")");
    }
    List<byte[]> tree = leaves.subList(0, (int) checkpoint.size());
    if (!java.security.MessageDigest.isEqual(Merkle.root(tree), checkpoint.root())) {
      throw new JournalTamperedException(
          journal.toString(),
          checkpoint.size(),
          checkpoint.size() + 1,
          "its latest checkpoint does not match the entries before it");
    }
    return TlogProof.of(seq, Merkle.inclusionProof(tree, seq), note);
  }
}
