package org.cloudpatch.audit.proof;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Merkle tree hashing, inclusion and consistency proofs of RFC 9162 §2.1 with SHA-256: a leaf
 * hashes as {@code SHA-256(0x00 || data)}, an inner node as {@code SHA-256(0x01 || left || right)},
 * the empty tree as {@code SHA-256()}.
 *
 * <p>Proof generation works on the list of leaf hashes (index 0 first) and is linear in the tree
 * size. Verification follows the algorithms of RFC 9162 §2.1.3.2 and §2.1.4.2, needs only the proof
 * and the roots, and rejects anything that does not prove exactly the claim; it is the same
 * verifier that Certificate Transparency and the transparency-dev logs use, and is tested against
 * their vectors. Stateless and thread-safe.
 */
public final class Merkle {
  /** Length of every hash: SHA-256. */
  public static final int HASH_BYTES = 32;

  private Merkle() {}

  /** {@code SHA-256(0x00 || data)}: the hash of a leaf holding {@code data}. */
  public static byte[] leafHash(byte[] data) {
    return leafHash(data, 0, data.length);
  }

  /** {@code SHA-256(0x00 || data[offset, offset + length))}. */
  public static byte[] leafHash(byte[] data, int offset, int length) {
    MessageDigest sha = sha256();
    sha.update((byte) 0x00);
    sha.update(data, offset, length);
    return sha.digest();
  }

  /** {@code SHA-256(0x01 || left || right)}: the hash of an inner node. */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest sha = sha256();
    sha.update((byte) 0x01);
    sha.update(left);
    sha.update(right);
    return sha.digest();
  }

  /** The root of the empty tree, {@code SHA-256()} of no bytes. */
  public static byte[] emptyRoot() {
    return sha256().digest();
  }

  /** The root hash of the tree whose leaves have these hashes (RFC 9162 MTH). */
  public static byte[] root(List<byte[]> leafHashes) {
    Objects.requireNonNull(leafHashes, "leafHashes");
    return leafHashes.isEmpty() ? emptyRoot() : subtree(leafHashes, 0, leafHashes.size());
  }

  /**
   * The inclusion proof of leaf {@code index} in the tree of all {@code leafHashes} (RFC 9162
   * PATH): from the leaf's sibling up to a child of the root.
   *
   * @throws IllegalArgumentException if {@code index} is not a leaf of the tree
   */
  public static List<byte[]> inclusionProof(List<byte[]> leafHashes, long index) {
    Objects.requireNonNull(leafHashes, "leafHashes");
    if (index < 0 || index >= leafHashes.size()) {
      throw new IllegalArgumentException(
          "leaf " + index + " is not in a tree of size " + leafHashes.size());
    }
    List<byte[]> proof = new ArrayList<>();
    path((int) index, leafHashes, 0, leafHashes.size(), proof);
    return proof;
  }

  /**
   * Inclusion proofs of many leaves, in trees of possibly different sizes over the same leaves:
   * each {@code [index, size]} pair gives the proof of leaf {@code index} in the tree of the first
   * {@code size} leaves. Subtrees are hashed once for all proofs, so the cost is one pass over the
   * leaves plus a logarithmic part per proof, where separate {@link #inclusionProof} calls would
   * each hash every leaf.
   *
   * @throws IllegalArgumentException if a pair names no leaf of a tree of at most all the leaves
   */
  public static List<List<byte[]>> inclusionProofs(List<byte[]> leafHashes, List<long[]> pairs) {
    Objects.requireNonNull(leafHashes, "leafHashes");
    Objects.requireNonNull(pairs, "pairs");
    Map<Long, byte[]> memo = new HashMap<>();
    List<List<byte[]>> proofs = new ArrayList<>(pairs.size());
    for (long[] pair : pairs) {
      long index = pair[0];
      long size = pair[1];
      if (size > leafHashes.size() || index < 0 || index >= size) {
        throw new IllegalArgumentException("leaf " + index + " is not in a tree of size " + size);
      }
      List<byte[]> proof = new ArrayList<>();
      memoPath((int) index, leafHashes, 0, (int) size, proof, memo);
      proofs.add(proof);
    }
    return proofs;
  }

  private static void memoPath(
      int m, List<byte[]> leaves, int from, int to, List<byte[]> out, Map<Long, byte[]> memo) {
    int n = to - from;
    if (n <= 1) {
      return;
    }
    int k = split(n);
    if (m < k) {
      memoPath(m, leaves, from, from + k, out, memo);
      out.add(memoSubtree(leaves, from + k, to, memo));
    } else {
      memoPath(m - k, leaves, from + k, to, out, memo);
      out.add(memoSubtree(leaves, from, from + k, memo));
    }
  }

  /** The hash of leaves [from, to): the same in every tree that holds them as one subtree. */
  private static byte[] memoSubtree(List<byte[]> leaves, int from, int to, Map<Long, byte[]> memo) {
    if (to - from == 1) {
      return leaves.get(from);
    }
    long key = ((long) from << 32) | to;
    byte[] known = memo.get(key);
    if (known != null) {
      return known;
    }
    int k = split(to - from);
    byte[] hash =
        nodeHash(
            memoSubtree(leaves, from, from + k, memo), memoSubtree(leaves, from + k, to, memo));
    memo.put(key, hash);
    return hash;
  }

  /**
   * The consistency proof from the tree of the first {@code size1} leaves to the tree of all {@code
   * leafHashes} (RFC 9162 PROOF); empty when the sizes are equal.
   *
   * @throws IllegalArgumentException unless {@code 0 < size1 <= leafHashes.size()}
   */
  public static List<byte[]> consistencyProof(List<byte[]> leafHashes, long size1) {
    Objects.requireNonNull(leafHashes, "leafHashes");
    if (size1 <= 0 || size1 > leafHashes.size()) {
      throw new IllegalArgumentException(
          "no consistency proof from size " + size1 + " to size " + leafHashes.size());
    }
    List<byte[]> proof = new ArrayList<>();
    if (size1 < leafHashes.size()) {
      subproof((int) size1, leafHashes, 0, leafHashes.size(), true, proof);
    }
    return proof;
  }

  /**
   * Verifies that the leaf with hash {@code leafHash} is at {@code index} in the tree of {@code
   * size} leaves with root {@code root} (RFC 9162 §2.1.3.2).
   *
   * @throws ProofException naming the check that failed
   */
  public static void verifyInclusion(
      long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root) {
    Objects.requireNonNull(leafHash, "leafHash");
    Objects.requireNonNull(proof, "proof");
    Objects.requireNonNull(root, "root");
    if (index < 0 || size < 0 || index >= size) {
      throw new ProofException("leaf index " + index + " is not in a tree of size " + size);
    }
    requireHash(leafHash, "leaf hash");
    requireHash(root, "root");
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      requireHash(p, "proof node");
      if (sn == 0) {
        throw new ProofException("inclusion proof has more nodes than the tree has levels");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = nodeHash(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = nodeHash(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) {
      throw new ProofException("inclusion proof has fewer nodes than the tree has levels");
    }
    if (!MessageDigest.isEqual(r, root)) {
      throw new ProofException("inclusion proof does not lead to the root");
    }
  }

  /**
   * Verifies that the tree of {@code size1} leaves with root {@code root1} is a prefix of the tree
   * of {@code size2} leaves with root {@code root2} (RFC 9162 §2.1.4.2). Equal sizes need an empty
   * proof and equal roots; a consistency proof from the empty tree proves nothing and is rejected.
   *
   * @throws ProofException naming the check that failed
   */
  public static void verifyConsistency(
      long size1, long size2, List<byte[]> proof, byte[] root1, byte[] root2) {
    Objects.requireNonNull(proof, "proof");
    Objects.requireNonNull(root1, "root1");
    Objects.requireNonNull(root2, "root2");
    if (size1 < 0 || size2 < 0 || size1 > size2) {
      throw new ProofException("size1 " + size1 + " is greater than size2 " + size2);
    }
    if (size1 == size2) {
      if (!proof.isEmpty()) {
        throw new ProofException("equal sizes need an empty consistency proof");
      }
      if (!MessageDigest.isEqual(root1, root2)) {
        throw new ProofException("equal sizes but different roots");
      }
      if (size1 == 0 && !MessageDigest.isEqual(root1, emptyRoot())) {
        throw new ProofException("the empty tree's root is SHA-256 of no bytes");
      }
      return;
    }
    if (size1 == 0) {
      throw new ProofException("a consistency proof from the empty tree proves nothing");
    }
    if (proof.isEmpty()) {
      throw new ProofException("empty consistency proof for different sizes");
    }
    for (byte[] p : proof) {
      requireHash(p, "proof node");
    }
    List<byte[]> path = new ArrayList<>(proof.size() + 1);
    if ((size1 & (size1 - 1)) == 0) { // a power of two: the old root is itself a node
      path.add(root1);
    }
    path.addAll(proof);
    long fn = size1 - 1;
    long sn = size2 - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (byte[] c : path.subList(1, path.size())) {
      if (sn == 0) {
        throw new ProofException("consistency proof has more nodes than needed");
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = nodeHash(c, fr);
        sr = nodeHash(c, sr);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        sr = nodeHash(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) {
      throw new ProofException("consistency proof has fewer nodes than needed");
    }
    if (!MessageDigest.isEqual(fr, root1)) {
      throw new ProofException("consistency proof does not lead to the first root");
    }
    if (!MessageDigest.isEqual(sr, root2)) {
      throw new ProofException("consistency proof does not lead to the second root");
    }
  }

  private static void requireHash(byte @Nullable [] hash, String what) {
    if (hash == null || hash.length != HASH_BYTES) {
      throw new ProofException(
          what + " is " + (hash == null ? "missing" : hash.length + " bytes") + ", not 32");
    }
  }

  /** The largest power of two smaller than {@code n} (n > 1). */
  private static int split(int n) {
    return Integer.highestOneBit(n - 1);
  }

  private static byte[] subtree(List<byte[]> leaves, int from, int to) {
    int n = to - from;
    if (n == 1) {
      return leaves.get(from);
    }
    int k = split(n);
    return nodeHash(subtree(leaves, from, from + k), subtree(leaves, from + k, to));
  }

  private static void path(int m, List<byte[]> leaves, int from, int to, List<byte[]> out) {
    int n = to - from;
    if (n <= 1) {
      return;
    }
    int k = split(n);
    if (m < k) {
      path(m, leaves, from, from + k, out);
      out.add(subtree(leaves, from + k, to));
    } else {
      path(m - k, leaves, from + k, to, out);
      out.add(subtree(leaves, from, from + k));
    }
  }

  private static void subproof(
      int m, List<byte[]> leaves, int from, int to, boolean complete, List<byte[]> out) {
    int n = to - from;
    if (m == n) {
      if (!complete) {
        out.add(subtree(leaves, from, to));
      }
      return;
    }
    int k = split(n);
    if (m <= k) {
      subproof(m, leaves, from, from + k, complete, out);
      out.add(subtree(leaves, from + k, to));
    } else {
      subproof(m - k, leaves, from + k, to, false, out);
      out.add(subtree(leaves, from, from + k));
    }
  }

  static MessageDigest sha256() {
    try {
      // A clone of a prototype: getInstance looks the provider up and constructs the engine
      // reflectively, which cost more than hashing a journal line (profiled in JournalVerify).
      return (MessageDigest) SHA256.clone();
    } catch (CloneNotSupportedException e) {
      return newSha256();
    }
  }

  private static final MessageDigest SHA256 = newSha256();

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest Javadoc).
      throw new IllegalStateException(e);
    }
  }
}
