package org.cloudpatch.audit.proof;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;
import org.cloudpatch.audit.spi.KeyProvider;
import org.cloudpatch.core.PatchException;

/**
 * A {@link KeyProvider} reading its Ed25519 private key from a file: PKCS#8 (DER, or PEM as {@code
 * openssl genpkey -algorithm ed25519} writes it) or the raw 32-byte seed. The key is read once, at
 * {@link #load}. Immutable and thread-safe.
 */
public final class FileKeyProvider implements KeyProvider {
  private final String name;
  private final PrivateKey privateKey;
  private final byte[] publicKey;

  private FileKeyProvider(String name, byte[] seed) {
    VerifierKey.requireName(name);
    this.name = name;
    var pair = Ed25519.fromSeed(seed);
    this.privateKey = pair.getPrivate();
    this.publicKey = Ed25519.raw(pair.getPublic());
  }

  /**
   * Loads the private key in {@code file} under the key name {@code name}.
   *
   * @throws PatchException naming the file if it cannot be read, is larger than {@link
   *     OperatorFiles#MAX_BYTES} or holds no Ed25519 private key
   */
  public static FileKeyProvider load(String name, Path file) {
    Objects.requireNonNull(file, "file");
    byte[] bytes = OperatorFiles.read(file, "key file");
    try {
      return new FileKeyProvider(name, seedOf(bytes));
    } catch (IllegalArgumentException e) {
      throw new PatchException("key file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes a new random Ed25519 private key to {@code file} as PKCS#8 PEM (owner-only permissions
   * where the file system has them) and loads it.
   *
   * @throws PatchException if the file exists or cannot be written
   */
  public static FileKeyProvider generate(String name, Path file) {
    byte[] seed = Ed25519.seed(Ed25519.generate().getPrivate());
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getEncoder().encodeToString(Ed25519.pkcs8(seed))
            + "\n-----END PRIVATE KEY-----\n";
    byte[] bytes = pem.getBytes(StandardCharsets.US_ASCII);
    try (SeekableByteChannel out = createOwnerOnly(file)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
    } catch (IOException e) {
      throw new PatchException("cannot write key file " + file + ": " + e, e);
    }
    return new FileKeyProvider(name, seed);
  }

  /**
   * Creates the file with owner-only permissions in the create call itself, so that the key is
   * never readable by others, not even between creating the file and a later chmod.
   */
  private static SeekableByteChannel createOwnerOnly(Path file) throws IOException {
    Set<StandardOpenOption> options =
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return Files.newByteChannel(
          file,
          options,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    // Not a POSIX file system: the permissions are the host's business there.
    return Files.newByteChannel(file, options);
  }

  private static byte[] seedOf(byte[] bytes) {
    if (bytes.length == Ed25519.KEY_BYTES) {
      return bytes;
    }
    String text = new String(bytes, StandardCharsets.US_ASCII);
    if (text.contains("-----BEGIN PRIVATE KEY-----")) {
      String body =
          text.substring(text.indexOf("-----BEGIN PRIVATE KEY-----") + 27)
              .replaceFirst("(?s)-----END PRIVATE KEY-----.*", "")
              .replaceAll("\\s", "");
      return Ed25519.seed(Ed25519.privateKey(Base64.getDecoder().decode(body)));
    }
    return Ed25519.seed(Ed25519.privateKey(bytes));
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
    return "FileKeyProvider[" + verifierKey() + "]";
  }
}
