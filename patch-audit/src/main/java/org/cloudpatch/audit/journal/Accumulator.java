package org.cloudpatch.audit.journal;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.cloudpatch.audit.proof.Merkle;

/**
 * The RFC 9162 root of a growing list of leaves in O(log n) memory: the roots of the perfect
 * subtrees that make up the tree (one per 1-bit of the size, largest first). Not thread-safe.
 */
final class Accumulator {
  private final List<byte[]> roots = new ArrayList<>();
  private final List<Long> sizes = new ArrayList<>();
  private final MessageDigest sha256 = WireFormat.sha256();
  private long size;

  /** Adds the next leaf's hash. */
  void add(byte[] leafHash) {
    byte[] node = leafHash;
    long nodeSize = 1;
    while (!sizes.isEmpty() && sizes.get(sizes.size() - 1) == nodeSize) {
      byte[] left = roots.remove(roots.size() - 1);
      sizes.remove(sizes.size() - 1);
      node = nodeHash(left, node);
      nodeSize *= 2;
    }
    roots.add(node);
    sizes.add(nodeSize);
    size++;
  }

  /**
   * {@link Merkle#nodeHash} with this accumulator's own digest: a new digest per node was a
   * measurable part of verifying a journal.
   */
  private byte[] nodeHash(byte[] left, byte[] right) {
    sha256.update((byte) 0x01);
    sha256.update(left);
    sha256.update(right);
    return sha256.digest();
  }

  /** How many leaves were added. */
  long size() {
    return size;
  }

  /** The root hash of the tree of every leaf added so far. */
  byte[] root() {
    if (roots.isEmpty()) {
      return Merkle.emptyRoot();
    }
    byte[] root = roots.get(roots.size() - 1);
    for (int i = roots.size() - 2; i >= 0; i--) {
      root = Merkle.nodeHash(roots.get(i), root);
    }
    return root;
  }
}
