package org.cloudpatch.audit.proof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * RFC 9162 Merkle hashing and proofs, against the transparency-dev verifier's vectors and against
 * every tree up to 64 leaves with every mutation of every valid proof.
 */
class MerkleTest {
  private static final int MAX = 64;
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<byte[]> leaves(int n) {
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      leaves.add(Merkle.leafHash(("leaf " + i).getBytes(StandardCharsets.UTF_8)));
    }
    return leaves;
  }

  @Test
  void root_matchesTheRfc6962ReferenceTree() {
    // The eight leaves of RFC 6962's reference test data (certificate-transparency-go).
    String[] data = {
      "",
      "00",
      "10",
      "2021",
      "3031",
      "40414243",
      "5051525354555657",
      "606162636465666768696a6b6c6d6e6f"
    };
    List<byte[]> leaves = new ArrayList<>();
    for (String hex : data) {
      leaves.add(Merkle.leafHash(HexFormat.of().parseHex(hex)));
    }
    assertEquals(
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        HexFormat.of().formatHex(Merkle.root(leaves)));
    assertEquals(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        HexFormat.of().formatHex(Merkle.root(List.of())));
  }

  @Test
  void transparencyDevVectors_inclusionAndConsistency_giveTheExpectedVerdict() throws IOException {
    Path dir = ConformanceDir.require("transparency-dev-merkle/testdata");
    int inclusion = 0;
    int consistency = 0;
    for (Path file : jsonFiles(dir.resolve("inclusion"))) {
      JsonNode v = JSON.readTree(file.toFile());
      Runnable check =
          () ->
              Merkle.verifyInclusion(
                  v.get("leafIdx").asLong(),
                  v.get("treeSize").asLong(),
                  b64(v.get("leafHash")),
                  proof(v.get("proof")),
                  b64(v.get("root")));
      expect(file, v, check);
      inclusion++;
    }
    for (Path file : jsonFiles(dir.resolve("consistency"))) {
      JsonNode v = JSON.readTree(file.toFile());
      Runnable check =
          () ->
              Merkle.verifyConsistency(
                  v.get("size1").asLong(),
                  v.get("size2").asLong(),
                  proof(v.get("proof")),
                  b64(v.get("root1")),
                  b64(v.get("root2")));
      expect(file, v, check);
      consistency++;
    }
    assertTrue(inclusion > 50 && consistency > 50, inclusion + " / " + consistency);
  }

  @Test
  void everyTreeUpTo64_everyLeaf_hasAnInclusionProofThatVerifies() {
    for (int n = 1; n <= MAX; n++) {
      List<byte[]> leaves = leaves(n);
      byte[] root = Merkle.root(leaves);
      for (int i = 0; i < n; i++) {
        List<byte[]> proof = Merkle.inclusionProof(leaves, i);
        int index = i;
        int size = n;
        assertDoesNotThrow(
            () -> Merkle.verifyInclusion(index, size, leaves.get(index), proof, root),
            "leaf " + i + " of " + n);
      }
    }
  }

  @Test
  void everyTreeUpTo64_everyPrefix_hasAConsistencyProofThatVerifies() {
    for (int n = 1; n <= MAX; n++) {
      List<byte[]> leaves = leaves(n);
      byte[] root = Merkle.root(leaves);
      for (int m = 1; m <= n; m++) {
        List<byte[]> proof = Merkle.consistencyProof(leaves, m);
        byte[] old = Merkle.root(leaves.subList(0, m));
        int size1 = m;
        int size2 = n;
        assertDoesNotThrow(
            () -> Merkle.verifyConsistency(size1, size2, proof, old, root), m + " -> " + n);
      }
    }
  }

  @Test
  void everyMutationOfEveryValidInclusionProof_isRejected() {
    int rejected = 0;
    for (int n = 1; n <= MAX; n++) {
      List<byte[]> leaves = leaves(n);
      byte[] root = Merkle.root(leaves);
      byte[] otherRoot = Merkle.root(leaves(n + 1));
      for (int i = 0; i < n; i++) {
        List<byte[]> proof = Merkle.inclusionProof(leaves, i);
        byte[] leaf = leaves.get(i);
        String at = "leaf " + i + " of " + n;
        List<Runnable> bad = new ArrayList<>();
        int index = i;
        int size = n;
        bad.add(() -> Merkle.verifyInclusion(index + 1, size, leaf, proof, root));
        bad.add(() -> Merkle.verifyInclusion(index - 1, size, leaf, proof, root));
        bad.add(() -> Merkle.verifyInclusion(index, size * 2L, leaf, proof, root));
        if (size / 2 != size) {
          bad.add(() -> Merkle.verifyInclusion(index, size / 2, leaf, proof, root));
        }
        bad.add(() -> Merkle.verifyInclusion(index, size, leaf, proof, otherRoot));
        if (size > 1) { // in a one-leaf tree the root is the leaf hash
          bad.add(() -> Merkle.verifyInclusion(index, size, root, proof, leaf)); // swapped
        }
        bad.add(() -> Merkle.verifyInclusion(index, size, flip(leaf, 0), proof, root));
        for (int p = 0; p < proof.size(); p++) {
          for (int bit = 0; bit < 256; bit += 37) {
            List<byte[]> mutated = new ArrayList<>(proof);
            mutated.set(p, flip(proof.get(p), bit));
            bad.add(() -> Merkle.verifyInclusion(index, size, leaf, mutated, root));
          }
        }
        for (int p = 0; p <= proof.size(); p++) {
          List<byte[]> added = new ArrayList<>(proof);
          added.add(p, Merkle.leafHash(new byte[] {(byte) p}));
          bad.add(() -> Merkle.verifyInclusion(index, size, leaf, added, root));
        }
        for (int p = 0; p < proof.size(); p++) {
          List<byte[]> removed = new ArrayList<>(proof);
          removed.remove(p);
          bad.add(() -> Merkle.verifyInclusion(index, size, leaf, removed, root));
        }
        for (int b = 0; b < bad.size(); b++) {
          Runnable check = bad.get(b);
          assertThrows(ProofException.class, check::run, at + " mutation " + b);
          rejected++;
        }
      }
    }
    assertTrue(rejected > 10_000, "mutations tried: " + rejected);
  }

  @Test
  void everyMutationOfEveryValidConsistencyProof_isRejected() {
    int rejected = 0;
    for (int n = 1; n <= MAX; n++) {
      List<byte[]> leaves = leaves(n);
      byte[] root2 = Merkle.root(leaves);
      for (int m = 1; m <= n; m++) {
        List<byte[]> proof = Merkle.consistencyProof(leaves, m);
        byte[] root1 = Merkle.root(leaves.subList(0, m));
        byte[] wrong = Merkle.leafHash("wrong".getBytes(StandardCharsets.UTF_8));
        int size1 = m;
        int size2 = n;
        String at = m + " -> " + n;
        List<Runnable> bad = new ArrayList<>();
        if (m < n) {
          bad.add(() -> Merkle.verifyConsistency(size1 + 1, size2, proof, root1, root2));
          bad.add(() -> Merkle.verifyConsistency(size1 - 1, size2, proof, root1, root2));
          bad.add(() -> Merkle.verifyConsistency(size1, size2 * 2L, proof, root1, root2));
          bad.add(() -> Merkle.verifyConsistency(size2, size1, proof, root2, root1)); // size1>size2
          bad.add(() -> Merkle.verifyConsistency(size1, size2, proof, root2, root1)); // swapped
          bad.add(() -> Merkle.verifyConsistency(size1, size2, List.of(), root1, root2));
          bad.add(() -> Merkle.verifyConsistency(0, size2, proof, Merkle.emptyRoot(), root2));
          bad.add(() -> Merkle.verifyConsistency(0, size2, List.of(), Merkle.emptyRoot(), root2));
          if (size2 / 2 > size1) {
            bad.add(() -> Merkle.verifyConsistency(size1, size2 / 2, proof, root1, root2));
          }
        } else {
          bad.add(() -> Merkle.verifyConsistency(size1, size2, List.of(root1), root1, root2));
          bad.add(() -> Merkle.verifyConsistency(size1 + 1, size2, proof, root1, root2));
        }
        bad.add(() -> Merkle.verifyConsistency(size1, size2, proof, wrong, root2));
        bad.add(() -> Merkle.verifyConsistency(size1, size2, proof, root1, wrong));
        for (int p = 0; p < proof.size(); p++) {
          for (int bit = 0; bit < 256; bit += 37) {
            List<byte[]> mutated = new ArrayList<>(proof);
            mutated.set(p, flip(proof.get(p), bit));
            bad.add(() -> Merkle.verifyConsistency(size1, size2, mutated, root1, root2));
          }
        }
        for (int p = 0; p <= proof.size(); p++) {
          List<byte[]> added = new ArrayList<>(proof);
          added.add(p, wrong);
          bad.add(() -> Merkle.verifyConsistency(size1, size2, added, root1, root2));
        }
        for (int p = 0; p < proof.size(); p++) {
          List<byte[]> removed = new ArrayList<>(proof);
          removed.remove(p);
          bad.add(() -> Merkle.verifyConsistency(size1, size2, removed, root1, root2));
        }
        for (int b = 0; b < bad.size(); b++) {
          Runnable check = bad.get(b);
          assertThrows(ProofException.class, check::run, at + " mutation " + b);
          rejected++;
        }
      }
    }
    assertTrue(rejected > 10_000, "mutations tried: " + rejected);
  }

  @Test
  void consistency_sizeZero_provesNothing_evenWithEqualEmptyRoots() {
    assertDoesNotThrow(
        () -> Merkle.verifyConsistency(0, 0, List.of(), Merkle.emptyRoot(), Merkle.emptyRoot()));
    assertThrows(
        ProofException.class,
        () ->
            Merkle.verifyConsistency(0, 1, List.of(), Merkle.emptyRoot(), Merkle.root(leaves(1))));
  }

  @Test
  void inclusionProof_leafOutsideTheTree_isMisuse() {
    assertThrows(IllegalArgumentException.class, () -> Merkle.inclusionProof(leaves(3), 3));
    assertThrows(IllegalArgumentException.class, () -> Merkle.consistencyProof(leaves(3), 0));
  }

  private static void expect(Path file, JsonNode v, Runnable check) {
    String what = file + " (" + v.path("desc").asText() + ")";
    if (v.get("wantErr").asBoolean()) {
      assertThrows(RuntimeException.class, check::run, what);
    } else {
      assertDoesNotThrow(check::run, what);
    }
  }

  private static List<Path> jsonFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  private static byte[] b64(JsonNode node) {
    return node == null || node.isNull() ? new byte[0] : Base64.getDecoder().decode(node.asText());
  }

  private static List<byte[]> proof(JsonNode node) {
    List<byte[]> proof = new ArrayList<>();
    if (node != null && !node.isNull()) {
      node.forEach(n -> proof.add(b64(n)));
    }
    return proof;
  }

  static byte[] flip(byte[] hash, int bit) {
    byte[] out = hash.clone();
    out[bit / 8] ^= (byte) (1 << (bit % 8));
    return out;
  }

  @Test
  void flip_changesExactlyOneBit() {
    byte[] h = Merkle.emptyRoot();
    assertArrayEquals(h, flip(flip(h, 77), 77));
  }

  @Test
  void inclusionProofs_manyTreeSizesAtOnce_equalSeparateProofs() {
    List<byte[]> leaves = leaves(70);
    List<long[]> pairs = new java.util.ArrayList<>();
    for (int size = 1; size <= 70; size += 3) {
      for (int index = 0; index < size; index += 2) {
        pairs.add(new long[] {index, size});
      }
    }

    List<List<byte[]>> proofs = Merkle.inclusionProofs(leaves, pairs);

    for (int i = 0; i < pairs.size(); i++) {
      long[] pair = pairs.get(i);
      List<byte[]> tree = leaves.subList(0, (int) pair[1]);
      List<byte[]> expected = Merkle.inclusionProof(tree, pair[0]);
      assertEquals(expected.size(), proofs.get(i).size());
      for (int j = 0; j < expected.size(); j++) {
        assertArrayEquals(expected.get(j), proofs.get(i).get(j));
      }
      Merkle.verifyInclusion(
          pair[0], pair[1], leaves.get((int) pair[0]), proofs.get(i), Merkle.root(tree));
    }
  }
}
