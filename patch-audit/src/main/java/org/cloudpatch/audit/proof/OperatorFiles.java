package org.cloudpatch.audit.proof;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.cloudpatch.core.PatchException;

/**
 * Reads the small files an operator hands over (private keys, verifier keys, signed checkpoints,
 * proofs) with a size bound, so that a wrong path (a journal, a device, a disk image) fails with a
 * clear error naming the file instead of exhausting memory. Stateless.
 */
public final class OperatorFiles {
  /** The largest key, checkpoint or proof file read: far above any real one. */
  public static final int MAX_BYTES = 64 * 1024;

  private OperatorFiles() {}

  /**
   * The bytes of {@code file}, at most {@link #MAX_BYTES}.
   *
   * @param file the file, never null
   * @param what what the file should hold, for the error ("key file", "checkpoint file")
   * @throws PatchException naming the file if it cannot be read or is larger than the bound
   */
  public static byte[] read(Path file, String what) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(what, "what");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new PatchException(
            what
                + " "
                + file
                + " is larger than "
                + MAX_BYTES
                + " bytes, more than any "
                + what
                + " holds");
      }
      return bytes;
    } catch (IOException e) {
      throw new PatchException("cannot read " + what + " " + file + ": " + e, e);
    }
  }

  /**
   * The UTF-8 text of {@code file}, at most {@link #MAX_BYTES} bytes.
   *
   * @throws PatchException naming the file if it cannot be read, is larger than the bound or is not
   *     UTF-8
   */
  public static String readText(Path file, String what) {
    byte[] bytes = read(file, what);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new PatchException(what + " " + file + " is not UTF-8 text", e);
    }
  }
}
