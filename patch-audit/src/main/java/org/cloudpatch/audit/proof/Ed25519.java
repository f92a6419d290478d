package org.cloudpatch.audit.proof;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Objects;

/**
 * Ed25519 with the JDK's own provider only: raw 32-byte keys as signed notes carry them, and their
 * standard encodings (X.509 SubjectPublicKeyInfo, PKCS#8), which for Ed25519 are a fixed prefix
 * followed by the raw key (RFC 8410).
 */
public final class Ed25519 {
  /** Length of a raw public key and of a private key seed. */
  public static final int KEY_BYTES = 32;

  /** Length of a signature. */
  public static final int SIGNATURE_BYTES = 64;

  private static final byte[] X509_PREFIX = hex("302a300506032b6570032100");
  private static final byte[] PKCS8_PREFIX = hex("302e020100300506032b657004220420");

  private Ed25519() {}

  /** A new random key pair. */
  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no Ed25519", e);
    }
  }

  /**
   * The key pair of a 32-byte private key seed (RFC 8032 §5.1.5). The JDK has no public API that
   * derives the public key, so its generator is fed the seed as its only randomness: that is
   * exactly how it derives a pair.
   */
  public static KeyPair fromSeed(byte[] seed) {
    requireLength(seed, KEY_BYTES, "private key seed");
    byte[] copy = seed.clone();
    SecureRandom fixed =
        new SecureRandom() {
          private static final long serialVersionUID = 1L;

          @Override
          public void nextBytes(byte[] bytes) {
            if (bytes.length != KEY_BYTES) {
              throw new IllegalStateException("unexpected request for " + bytes.length + " bytes");
            }
            System.arraycopy(copy, 0, bytes, 0, KEY_BYTES);
          }
        };
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
      generator.initialize(255, fixed);
      KeyPair pair = generator.generateKeyPair();
      if (!Arrays.equals(seed(pair.getPrivate()), seed)) {
        throw new IllegalStateException("the JDK did not derive the key from the seed");
      }
      return pair;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no Ed25519", e);
    }
  }

  /** The raw 32 bytes of an Ed25519 public key. */
  public static byte[] raw(PublicKey key) {
    return unprefix(key.getEncoded(), X509_PREFIX, "X.509 Ed25519 public key");
  }

  /** The 32-byte seed of an Ed25519 private key. */
  public static byte[] seed(PrivateKey key) {
    return unprefix(key.getEncoded(), PKCS8_PREFIX, "PKCS#8 Ed25519 private key");
  }

  /** The public key with these raw 32 bytes. */
  public static PublicKey publicKey(byte[] raw) {
    requireLength(raw, KEY_BYTES, "public key");
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, raw)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
    }
  }

  /** The private key of a PKCS#8 DER encoding. */
  public static PrivateKey privateKey(byte[] pkcs8) {
    try {
      return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a PKCS#8 Ed25519 private key: " + e.getMessage(), e);
    }
  }

  /** The PKCS#8 DER encoding of a private key seed. */
  public static byte[] pkcs8(byte[] seed) {
    requireLength(seed, KEY_BYTES, "private key seed");
    return concat(PKCS8_PREFIX, seed);
  }

  /** Signs {@code message} (pure Ed25519, deterministic). */
  public static byte[] sign(PrivateKey key, byte[] message) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initSign(key);
      signature.update(message);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with Ed25519: " + e.getMessage(), e);
    }
  }

  /** Whether {@code signature} is a valid signature of {@code message} by the raw public key. */
  public static boolean verify(byte[] rawPublicKey, byte[] message, byte[] signature) {
    Objects.requireNonNull(message, "message");
    if (rawPublicKey.length != KEY_BYTES || signature.length != SIGNATURE_BYTES) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(publicKey(rawPublicKey));
      verifier.update(message);
      return verifier.verify(signature);
    } catch (InvalidKeyException | SignatureException | IllegalArgumentException e) {
      return false; // a key that is not a curve point, or a malformed signature
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no Ed25519", e);
    }
  }

  private static byte[] unprefix(byte[] encoded, byte[] prefix, String what) {
    if (encoded == null
        || encoded.length != prefix.length + KEY_BYTES
        || !Arrays.equals(encoded, 0, prefix.length, prefix, 0, prefix.length)) {
      throw new IllegalArgumentException("not an " + what);
    }
    return Arrays.copyOfRange(encoded, prefix.length, encoded.length);
  }

  private static void requireLength(byte[] bytes, int length, String what) {
    Objects.requireNonNull(bytes, what);
    if (bytes.length != length) {
      throw new IllegalArgumentException(
          "an Ed25519 " + what + " is " + length + " bytes, not " + bytes.length);
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] hex(String hex) {
    return java.util.HexFormat.of().parseHex(hex);
  }
}
