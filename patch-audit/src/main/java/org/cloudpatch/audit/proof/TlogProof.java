package org.cloudpatch.audit.proof;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A C2SP {@code tlog-proof} ({@code c2sp.org/tlog-proof@v1}): an entry's index, its inclusion proof
 * and the signed checkpoint it leads to, verifiable offline with the log's verifier key. Stored
 * with the extension {@code .tlog-proof}. Immutable.
 */
public final class TlogProof {
  private static final String HEADER = "c2sp.org/tlog-proof@v1";

  private final long index;
  private final List<byte[]> proof;
  private final String checkpoint;

  private TlogProof(long index, List<byte[]> proof, String checkpoint) {
    this.index = index;
    this.proof = proof.stream().map(byte[]::clone).toList();
    this.checkpoint = checkpoint;
  }

  /**
   * A proof that leaf {@code index} is in the tree of the signed checkpoint note.
   *
   * @throws IllegalArgumentException if the index is negative or a proof node is not 32 bytes
   */
  public static TlogProof of(long index, List<byte[]> proof, String signedCheckpoint) {
    Objects.requireNonNull(proof, "proof");
    Objects.requireNonNull(signedCheckpoint, "signedCheckpoint");
    if (index < 0) {
      throw new IllegalArgumentException("index is negative: " + index);
    }
    for (byte[] node : proof) {
      if (node.length != Merkle.HASH_BYTES) {
        throw new IllegalArgumentException("a proof node is 32 bytes");
      }
    }
    return new TlogProof(index, proof, signedCheckpoint);
  }

  /**
   * Parses a {@code tlog-proof} file; extra data, if present, is skipped (it is unauthenticated).
   *
   * @throws ProofException naming what is wrong
   */
  public static TlogProof parse(String text) {
    Objects.requireNonNull(text, "text");
    String[] lines = text.split("\n", -1);
    int i = 0;
    if (lines.length < 3 || !lines[i++].equals(HEADER)) {
      throw new ProofException("not a tlog-proof: the first line is not " + HEADER);
    }
    if (lines[i].startsWith("extra ")) {
      i++;
    }
    if (!lines[i].matches("index (0|[1-9][0-9]{0,18})")) {
      throw new ProofException("tlog-proof has no 'index N' line: " + lines[i]);
    }
    long index = Long.parseLong(lines[i++].substring("index ".length()));
    List<byte[]> proof = new ArrayList<>();
    for (; i < lines.length && !lines[i].isEmpty(); i++) {
      try {
        proof.add(Base64.getDecoder().decode(lines[i]));
      } catch (IllegalArgumentException e) {
        throw new ProofException("tlog-proof line " + (i + 1) + " is not base64", e);
      }
    }
    if (i >= lines.length) {
      throw new ProofException("tlog-proof has no checkpoint after its proof");
    }
    StringBuilder note = new StringBuilder();
    for (int j = i + 1; j < lines.length; j++) {
      note.append(lines[j]);
      if (j < lines.length - 1) {
        note.append('\n');
      }
    }
    try {
      return of(index, proof, note.toString());
    } catch (IllegalArgumentException e) {
      throw new ProofException("bad tlog-proof: " + e.getMessage(), e);
    }
  }

  /**
   * Verifies that the leaf with this hash is at {@link #index()} in the checkpoint's tree and that
   * the checkpoint is signed by {@code key}.
   *
   * @return the verified checkpoint
   * @throws ProofException naming the check that failed
   */
  public Checkpoint verify(byte[] leafHash, VerifierKey key) {
    Checkpoint opened = Checkpoint.open(checkpoint, key);
    Merkle.verifyInclusion(index, opened.size(), leafHash, proof, opened.root());
    return opened;
  }

  /** The leaf's index. */
  public long index() {
    return index;
  }

  /** The inclusion proof, from the leaf's sibling up. */
  public List<byte[]> proof() {
    return proof.stream().map(byte[]::clone).toList();
  }

  /** The signed checkpoint note. */
  public String checkpoint() {
    return checkpoint;
  }

  /** The file's text. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(HEADER).append('\n');
    out.append("index ").append(index).append('\n');
    for (byte[] node : proof) {
      out.append(Base64.getEncoder().encodeToString(node)).append('\n');
    }
    return out.append('\n').append(checkpoint).toString();
  }
}
