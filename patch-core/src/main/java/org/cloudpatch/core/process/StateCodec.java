package org.cloudpatch.core.process;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.cloudpatch.core.PatchException;

/**
 * Writes a {@link ProcessState} as the bytes of its {@link StateImage} (one line of JSON, with the
 * journal's own mapper, so the events and values inside read back exactly as replay reads them) and
 * reads them back. The same state always gives the same bytes.
 */
final class StateCodec {
  private static final ObjectWriter WRITER = EventCodec.MAPPER.writerFor(StateImage.class);
  private static final ObjectReader READER =
      EventCodec.MAPPER
          .readerFor(StateImage.class)
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private StateCodec() {}

  /** The image of the state, as bytes. */
  static byte[] encode(ProcessState state) {
    try {
      return WRITER.writeValueAsBytes(StateImage.of(state));
    } catch (IOException e) {
      throw new PatchException("cannot encode the engine's state: " + e.getMessage(), e);
    }
  }

  /**
   * The state an image holds.
   *
   * @throws IllegalArgumentException saying why when the bytes are not a complete image of this
   *     format (truncated, corrupt, of another format)
   */
  static ProcessState decode(byte[] bytes) {
    StateImage image;
    try {
      image = READER.readValue(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a state image: " + e.getMessage(), e);
    }
    if (image == null || image.format() != StateImage.FORMAT) {
      throw new IllegalArgumentException(
          "a state image of format "
              + (image == null ? "none" : image.format())
              + ", not "
              + StateImage.FORMAT);
    }
    try {
      ProcessState state = image.toState();
      if (state.nextSeq != image.covers()) {
        throw new IllegalArgumentException(
            "image covers " + image.covers() + " but its state is at " + state.nextSeq);
      }
      return state;
    } catch (RuntimeException e) { // a field missing: a null where the state has none
      throw new IllegalArgumentException("an incomplete state image: " + e, e);
    }
  }

  /** Lowercase hex SHA-256 of the bytes. */
  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Lowercase hex SHA-256 of the state's fingerprint. */
  static String fingerprintSha256(ProcessState state) {
    return sha256(StateFingerprint.of(state).getBytes(StandardCharsets.UTF_8));
  }
}
