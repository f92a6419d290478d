package org.cloudpatch.audit.proof;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.cloudpatch.audit.spi.KeyProvider;

/**
 * C2SP {@code signed-note} with Ed25519: the text (non-empty lines, ending in a newline), a blank
 * line, then signature lines (an em dash, the key name, the base64 of key hash and signature), the
 * signature over the text's exact UTF-8 bytes. Byte for byte what {@code
 * golang.org/x/mod/sumdb/note} writes, so notes signed here open with the Go tooling and the other
 * way round.
 */
public final class SignedNote {
  private static final String DASH = "\u2014 ";

  private SignedNote() {}

  /**
   * Signs {@code text} with the key.
   *
   * @throws IllegalArgumentException if the text is empty, does not end with a newline or holds a
   *     blank line
   */
  public static String sign(String text, KeyProvider key) {
    Objects.requireNonNull(key, "key");
    requireText(text);
    VerifierKey verifier = VerifierKey.of(key.name(), key.publicKey());
    byte[] signature = key.sign(text.getBytes(StandardCharsets.UTF_8));
    if (signature.length != Ed25519.SIGNATURE_BYTES) {
      throw new IllegalStateException(
          "key " + key.name() + " gave a signature that is not 64 bytes");
    }
    return text
        + "\n"
        + DASH
        + key.name()
        + " "
        + Base64.getEncoder().encodeToString(Ed25519.concat(verifier.keyHash(), signature))
        + "\n";
  }

  /**
   * The text of {@code note} if one of its signature lines is a valid signature by {@code key};
   * signatures by other keys (witnesses' cosignatures) are ignored.
   *
   * @throws ProofException if the note is malformed or no signature by the key verifies
   */
  public static String open(String note, VerifierKey key) {
    Objects.requireNonNull(note, "note");
    Objects.requireNonNull(key, "key");
    int split = note.lastIndexOf("\n\n");
    if (split < 0 || !note.endsWith("\n")) {
      throw new ProofException("not a signed note: no blank line before the signatures");
    }
    String text = note.substring(0, split + 1);
    try {
      requireText(text);
    } catch (IllegalArgumentException e) {
      throw new ProofException("not a signed note: " + e.getMessage(), e);
    }
    byte[] message = text.getBytes(StandardCharsets.UTF_8);
    boolean named = false;
    for (String line : note.substring(split + 2).split("\n", -1)) {
      if (line.isEmpty()) {
        continue; // the piece after the final newline
      }
      if (!line.startsWith(DASH)) {
        throw new ProofException("not a signature line: " + line);
      }
      int space = line.indexOf(' ', DASH.length());
      if (space < 0) {
        throw new ProofException("signature line without a signature: " + line);
      }
      if (!line.substring(DASH.length(), space).equals(key.name())) {
        continue;
      }
      named = true;
      byte[] blob;
      try {
        blob = Base64.getDecoder().decode(line.substring(space + 1));
      } catch (IllegalArgumentException e) {
        throw new ProofException("signature is not base64: " + line, e);
      }
      if (blob.length == 4 + Ed25519.SIGNATURE_BYTES
          && Arrays.equals(blob, 0, 4, key.keyHash(), 0, 4)
          && key.verifies(message, Arrays.copyOfRange(blob, 4, blob.length))) {
        return text;
      }
    }
    throw new ProofException(
        named
            ? "the signature by " + key.name() + " does not verify with key " + key
            : "the note has no signature by " + key.name());
  }

  private static void requireText(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty() || !text.endsWith("\n")) {
      throw new IllegalArgumentException("a note's text is non-empty and ends with a newline");
    }
    if (text.startsWith("\n") || text.contains("\n\n")) {
      throw new IllegalArgumentException("a note's text holds no blank line");
    }
  }
}
