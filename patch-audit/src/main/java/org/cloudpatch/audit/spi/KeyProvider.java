package org.cloudpatch.audit.spi;

/**
 * The Ed25519 key that signs the journal's checkpoints; a host implements it to keep the private
 * key where it belongs (a file, a KMS, an HSM). The library ships an in-memory and a file-based
 * one.
 *
 * <p>Contract: {@link #name()} and {@link #publicKey()} never change for one provider; {@link
 * #sign} gives a pure Ed25519 signature (RFC 8032) of the exact bytes, verifiable with {@link
 * #publicKey()}. Implementations are thread-safe; arguments and results are never null.
 */
public interface KeyProvider {
  /**
   * The key's name in signed notes: non-empty, without spaces, newlines or {@code +}. Verifiers
   * look keys up by name and key hash.
   */
  String name();

  /** The raw 32-byte Ed25519 public key. */
  byte[] publicKey();

  /**
   * Signs {@code message} with the private key.
   *
   * @return the 64-byte Ed25519 signature
   * @throws org.cloudpatch.core.PatchException if the key cannot be used
   */
  byte[] sign(byte[] message);
}
