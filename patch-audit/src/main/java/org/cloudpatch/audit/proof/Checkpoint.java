package org.cloudpatch.audit.proof;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.cloudpatch.audit.spi.KeyProvider;

/**
 * A C2SP {@code tlog-checkpoint}: the origin (the log's name), the tree size and the base64 RFC
 * 9162 root hash, one per line, as the text of a signed note. Immutable.
 */
public final class Checkpoint {
  private final String origin;
  private final long size;
  private final byte[] root;

  private Checkpoint(String origin, long size, byte[] root) {
    this.origin = origin;
    this.size = size;
    this.root = root.clone();
  }

  /**
   * A checkpoint of a tree of {@code size} leaves with this root.
   *
   * @throws IllegalArgumentException if the origin is empty or holds a newline, the size is
   *     negative or the root not 32 bytes
   */
  public static Checkpoint of(String origin, long size, byte[] root) {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(root, "root");
    if (origin.isEmpty() || origin.contains("\n")) {
      throw new IllegalArgumentException("a checkpoint's origin is one non-empty line");
    }
    if (size < 0) {
      throw new IllegalArgumentException("tree size is negative: " + size);
    }
    if (root.length != Merkle.HASH_BYTES) {
      throw new IllegalArgumentException("a root hash is 32 bytes, not " + root.length);
    }
    return new Checkpoint(origin, size, root);
  }

  /**
   * Parses a checkpoint's text (the note's text, without signatures); lines after the third are
   * extensions and are ignored.
   *
   * @throws ProofException naming what is wrong
   */
  public static Checkpoint parse(String text) {
    String[] lines = text.split("\n", -1);
    if (lines.length < 4 || !text.endsWith("\n")) {
      throw new ProofException("a checkpoint has an origin, a size and a root line");
    }
    if (!lines[1].matches("0|[1-9][0-9]{0,18}")) {
      throw new ProofException("checkpoint tree size is not a decimal: " + lines[1]);
    }
    byte[] root;
    try {
      root = Base64.getDecoder().decode(lines[2]);
    } catch (IllegalArgumentException e) {
      throw new ProofException("checkpoint root is not base64: " + lines[2], e);
    }
    try {
      return of(lines[0], Long.parseLong(lines[1]), root);
    } catch (IllegalArgumentException e) {
      throw new ProofException("bad checkpoint: " + e.getMessage(), e);
    }
  }

  /**
   * Opens a signed checkpoint note with the key.
   *
   * @throws ProofException if the signature does not verify or the text is no checkpoint
   */
  public static Checkpoint open(String note, VerifierKey key) {
    return parse(SignedNote.open(note, key));
  }

  /** The checkpoint as the text of a note: origin, size and base64 root, one per line. */
  public String text() {
    return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
  }

  /** The checkpoint signed by the key: a signed note. */
  public String sign(KeyProvider key) {
    return SignedNote.sign(text(), key);
  }

  /** The log's name. */
  public String origin() {
    return origin;
  }

  /** The number of leaves the root covers. */
  public long size() {
    return size;
  }

  /** The root hash. */
  public byte[] root() {
    return root.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Checkpoint c
        && c.origin.equals(origin)
        && c.size == size
        && Arrays.equals(c.root, root);
  }

  @Override
  public int hashCode() {
    return Objects.hash(origin, size, Arrays.hashCode(root));
  }

  @Override
  public String toString() {
    return text().replace('\n', ' ').strip();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
