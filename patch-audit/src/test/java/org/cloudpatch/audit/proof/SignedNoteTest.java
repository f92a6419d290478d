package org.cloudpatch.audit.proof;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cloudpatch.audit.memory.InMemoryKeyProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed notes, checkpoints and tlog-proofs, checked against the known answer of the reference
 * implementation ({@code golang.org/x/mod/sumdb/note}, its documented PeterNeumann example) and
 * against OpenSSL's Ed25519 where it is installed.
 */
class SignedNoteTest {
  // The example of golang.org/x/mod/sumdb/note's documentation and tests.
  static final String GO_VKEY =
      "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
  static final String GO_SKEY_KEY = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
  static final String GO_TEXT =
      "If you think cryptography is the answer to your problem,\n"
          + "then you don't know what your problem is.\n";
  static final String GO_NOTE =
      GO_TEXT
          + "\n"
          + "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

  static InMemoryKeyProvider goKey() {
    byte[] typed = Base64.getDecoder().decode(GO_SKEY_KEY);
    return InMemoryKeyProvider.fromSeed("PeterNeumann", Arrays.copyOfRange(typed, 1, typed.length));
  }

  @Test
  void sign_goReferenceKeyAndText_givesTheGoNoteByteForByte() {
    assertEquals(GO_NOTE, SignedNote.sign(GO_TEXT, goKey()));
  }

  @Test
  void verifierKey_ofTheGoSeed_isTheGoVerifierKey_andParsesBack() {
    assertEquals(GO_VKEY, goKey().verifierKey().toString());
    VerifierKey parsed = VerifierKey.parse(GO_VKEY);
    assertEquals("PeterNeumann", parsed.name());
    assertEquals(goKey().verifierKey(), parsed);
  }

  @Test
  void open_goNote_givesItsText() {
    assertEquals(GO_TEXT, SignedNote.open(GO_NOTE, VerifierKey.parse(GO_VKEY)));
  }

  @Test
  void open_anyChangedByteOfTheText_orAnotherKey_isRejected() {
    VerifierKey key = VerifierKey.parse(GO_VKEY);
    for (int i = 0; i < GO_TEXT.length(); i++) {
      char[] chars = GO_NOTE.toCharArray();
      chars[i] = chars[i] == 'x' ? 'y' : 'x';
      String changed = new String(chars);
      assertThrows(ProofException.class, () -> SignedNote.open(changed, key), "at " + i);
    }
    VerifierKey other = InMemoryKeyProvider.generate("PeterNeumann").verifierKey();
    assertThrows(ProofException.class, () -> SignedNote.open(GO_NOTE, other));
    VerifierKey renamed = VerifierKey.of("Someone", key.publicKey());
    assertThrows(ProofException.class, () -> SignedNote.open(GO_NOTE, renamed));
  }

  @Test
  void verifierKey_wrongHashOrType_isRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> VerifierKey.parse(GO_VKEY.replace("c74f20a3", "c74f20a4")));
    assertThrows(
        IllegalArgumentException.class, () -> VerifierKey.parse(GO_VKEY.replace("+ARpc", "+Ahpc")));
  }

  @Test
  void checkpoint_signedThenOpened_givesTheSameCheckpoint_andItsTextIsTheC2spBody() {
    InMemoryKeyProvider key = InMemoryKeyProvider.generate("cloudpatch.example/journal");
    Checkpoint checkpoint = Checkpoint.of("cloudpatch.example/journal", 7, Merkle.emptyRoot());
    String note = checkpoint.sign(key);
    assertEquals(
        "cloudpatch.example/journal\n7\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
        checkpoint.text());
    assertEquals(checkpoint, Checkpoint.open(note, key.verifierKey()));
  }

  @Test
  void tlogProof_roundTripsThroughItsText_andVerifiesEveryLeaf() {
    InMemoryKeyProvider key = InMemoryKeyProvider.generate("log");
    List<byte[]> leaves = MerkleTest.leaves(11);
    String note = Checkpoint.of("log", 11, Merkle.root(leaves)).sign(key);
    for (int i = 0; i < leaves.size(); i++) {
      TlogProof proof = TlogProof.of(i, Merkle.inclusionProof(leaves, i), note);
      TlogProof parsed = TlogProof.parse(proof.toString());
      assertEquals(proof.toString(), parsed.toString());
      assertEquals(11, parsed.verify(leaves.get(i), key.verifierKey()).size());
      int other = (i + 1) % leaves.size();
      assertThrows(ProofException.class, () -> parsed.verify(leaves.get(other), key.verifierKey()));
    }
  }

  @Test
  void fileKeyProvider_readsAnOpensslKey_andOpensslVerifiesItsSignature(@TempDir Path dir)
      throws Exception {
    assumeTrue(runs("openssl", "version"), "openssl is not installed");
    Path pem = dir.resolve("key.pem");
    assumeTrue(runs("openssl", "genpkey", "-algorithm", "ed25519", "-out", pem.toString()));
    FileKeyProvider key = FileKeyProvider.load("log", pem);
    Path pub = dir.resolve("key.pub.der");
    assertEquals(
        true,
        runs(
            "openssl",
            "pkey",
            "-in",
            pem.toString(),
            "-pubout",
            "-outform",
            "DER",
            "-out",
            pub.toString()));
    assertArrayEquals(Ed25519.raw(Ed25519.publicKey(key.publicKey())), key.publicKey());
    byte[] der = Files.readAllBytes(pub);
    assertArrayEquals(Arrays.copyOfRange(der, der.length - 32, der.length), key.publicKey());
    Path message = dir.resolve("message");
    Files.write(message, GO_TEXT.getBytes(UTF_8));
    Path signature = dir.resolve("sig");
    Files.write(signature, key.sign(GO_TEXT.getBytes(UTF_8)));
    assertEquals(
        true,
        runs(
            "openssl",
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            pub.toString(),
            "-keyform",
            "DER",
            "-rawin",
            "-in",
            message.toString(),
            "-sigfile",
            signature.toString()));
  }

  @Test
  void fileKeyProvider_rawSeedAndGeneratedPem_loadAsTheSameKey(@TempDir Path dir)
      throws IOException {
    FileKeyProvider generated = FileKeyProvider.generate("log", dir.resolve("k.pem"));
    FileKeyProvider again = FileKeyProvider.load("log", dir.resolve("k.pem"));
    assertEquals(generated.verifierKey(), again.verifierKey());
    byte[] typed = Base64.getDecoder().decode(GO_SKEY_KEY);
    Path raw = dir.resolve("raw");
    Files.write(raw, Arrays.copyOfRange(typed, 1, typed.length));
    assertEquals(GO_VKEY, FileKeyProvider.load("PeterNeumann", raw).verifierKey().toString());
  }

  private static boolean runs(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
