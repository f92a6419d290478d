package org.cloudpatch.audit.proof;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An Ed25519 verifier key of C2SP {@code signed-note}: a name, the key hash (the first 4 bytes of
 * {@code SHA-256(name || 0x0A || 0x01 || key)}) and the raw public key, written as the name, the
 * key hash in hex and the base64 of {@code 0x01 || key}, joined by {@code +}. Immutable.
 */
public final class VerifierKey {
  /** The signature type byte of Ed25519 in signed notes. */
  static final byte ED25519 = 0x01;

  private final String name;
  private final byte[] keyHash;
  private final byte[] publicKey;

  private VerifierKey(String name, byte[] publicKey) {
    this.name = name;
    this.publicKey = publicKey.clone();
    this.keyHash = keyHash(name, publicKey);
  }

  /**
   * The verifier key of {@code name} and a raw Ed25519 public key.
   *
   * @throws IllegalArgumentException if the name is not a valid key name or the key not 32 bytes
   */
  public static VerifierKey of(String name, byte[] publicKey) {
    requireName(name);
    Objects.requireNonNull(publicKey, "publicKey");
    if (publicKey.length != Ed25519.KEY_BYTES) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes");
    }
    return new VerifierKey(name, publicKey);
  }

  /**
   * Parses {@code <name>+<hex key hash>+<base64(0x01 || key)>}, checking the key hash.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static VerifierKey parse(String vkey) {
    Objects.requireNonNull(vkey, "vkey");
    String text = vkey.strip();
    int first = text.indexOf('+');
    int second = first < 0 ? -1 : text.indexOf('+', first + 1);
    if (first <= 0 || second < 0) {
      throw new IllegalArgumentException("verifier key is not '<name>+<hash>+<key>': " + vkey);
    }
    String name = text.substring(0, first);
    String hash = text.substring(first + 1, second);
    byte[] key;
    try {
      key = Base64.getDecoder().decode(text.substring(second + 1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("verifier key's key is not base64: " + vkey, e);
    }
    if (key.length != 1 + Ed25519.KEY_BYTES || key[0] != ED25519) {
      throw new IllegalArgumentException("verifier key is not an Ed25519 key (type 0x01): " + vkey);
    }
    if (!hash.matches("[0-9a-f]{8}")) {
      throw new IllegalArgumentException("verifier key hash is not 8 hex digits: " + vkey);
    }
    VerifierKey parsed = of(name, Arrays.copyOfRange(key, 1, key.length));
    if (!parsed.keyHashHex().equals(hash)) {
      throw new IllegalArgumentException(
          "verifier key hash " + hash + " does not match its name and key: " + vkey);
    }
    return parsed;
  }

  /** The key name. */
  public String name() {
    return name;
  }

  /** The raw 32-byte public key. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The 4-byte key hash that signature lines start with. */
  public byte[] keyHash() {
    return keyHash.clone();
  }

  String keyHashHex() {
    return HexFormat.of().formatHex(keyHash);
  }

  /** Whether {@code signature} is this key's signature of {@code message}. */
  public boolean verifies(byte[] message, byte[] signature) {
    return Ed25519.verify(publicKey, message, signature);
  }

  /** The vkey form, {@code <name>+<hex key hash>+<base64(0x01 || key)>}. */
  @Override
  public String toString() {
    byte[] typed = new byte[1 + publicKey.length];
    typed[0] = ED25519;
    System.arraycopy(publicKey, 0, typed, 1, publicKey.length);
    return name + "+" + keyHashHex() + "+" + Base64.getEncoder().encodeToString(typed);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof VerifierKey v
        && v.name.equals(name)
        && Arrays.equals(v.publicKey, publicKey);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(publicKey);
  }

  static byte[] keyHash(String name, byte[] publicKey) {
    MessageDigest sha = Merkle.sha256();
    sha.update(name.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0x0A);
    sha.update(ED25519);
    sha.update(publicKey);
    return Arrays.copyOf(sha.digest(), 4);
  }

  /** Key names are non-empty UTF-8 without spaces, newlines or {@code +} (signed-note). */
  static void requireName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.codePoints().anyMatch(c -> Character.isWhitespace(c) || c == '+')) {
      throw new IllegalArgumentException(
          "a key name is non-empty, without spaces or '+': '" + name + "'");
    }
  }
}
