package org.cloudpatch.audit.memory;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.Objects;
import org.cloudpatch.audit.proof.Ed25519;
import org.cloudpatch.audit.proof.VerifierKey;
import org.cloudpatch.audit.spi.KeyProvider;

/**
 * A {@link KeyProvider} holding its Ed25519 key in memory: for tests, demos and hosts that keep the
 * key elsewhere and hand it over at start. Immutable and thread-safe.
 */
public final class InMemoryKeyProvider implements KeyProvider {
  private final String name;
  private final PrivateKey privateKey;
  private final byte[] publicKey;

  private InMemoryKeyProvider(String name, KeyPair pair) {
    this.name = VerifierKey.of(name, Ed25519.raw(pair.getPublic())).name();
    this.privateKey = pair.getPrivate();
    this.publicKey = Ed25519.raw(pair.getPublic());
  }

  /** A new random key named {@code name}. */
  public static InMemoryKeyProvider generate(String name) {
    return new InMemoryKeyProvider(Objects.requireNonNull(name, "name"), Ed25519.generate());
  }

  /** The key of a 32-byte private key seed, named {@code name}. */
  public static InMemoryKeyProvider fromSeed(String name, byte[] seed) {
    return new InMemoryKeyProvider(Objects.requireNonNull(name, "name"), Ed25519.fromSeed(seed));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public byte[] sign(byte[] message) {
    return Ed25519.sign(privateKey, message);
  }

  /** The verifier key in signed-note form. */
  public VerifierKey verifierKey() {
    return VerifierKey.of(name, publicKey);
  }

  @Override
  public String toString() {
    return "InMemoryKeyProvider[" + verifierKey() + "]";
  }
}
