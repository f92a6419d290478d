package org.cloudpatch.core.spi;

import java.util.Arrays;
import java.util.Optional;

/**
 * Where the engine keeps images of its state, so that a restart replays only the journal's tail
 * (see {@code EngineBuilder.stateSnapshotStore}). The journal stays the truth: the engine journals
 * a {@code state.snapshot} entry with each image's digest after {@link #put} returns, and uses an
 * image only when that entry is in the journal and the image matches it; anything else is ignored
 * (journaled as {@code state.snapshot.ignored}) and the whole journal is replayed.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>{@link #put} is atomic and durable when it returns: afterwards {@link #latest} gives these
 *       bytes exactly (or those of a later put). A put that fails or is interrupted by a crash
 *       leaves the store as it was: a torn or partial write is never returned as an image.
 *   <li>{@link #latest} gives the image with the highest {@code seq} put, or empty when none is. A
 *       put of a {@code seq} already held replaces it. A store may forget older images.
 *   <li>The bytes are opaque to the store and kept exactly as given.
 *   <li>Used by one engine at a time; arguments and results are never null.
 * </ul>
 *
 * @see org.cloudpatch.core.testkit.StateSnapshotStoreContract
 */
public interface StateSnapshotStore {
  /**
   * Stores an image, atomically and durably.
   *
   * @param seq the journal seq the image belongs to (it holds every entry below it), not negative
   * @param image the image's bytes, never null
   * @throws IllegalArgumentException if {@code seq} is negative
   * @throws org.cloudpatch.core.PatchException if the image cannot be stored; then none was
   */
  void put(long seq, byte[] image);

  /**
   * The image with the highest seq, if any.
   *
   * @throws org.cloudpatch.core.PatchException if the store cannot be read
   */
  Optional<StoredImage> latest();

  /** An image as stored: its seq and its bytes (a copy on each read). */
  final class StoredImage {
    private final long seq;
    private final byte[] bytes;

    /**
     * An image.
     *
     * @param seq the journal seq it belongs to, not negative
     * @param bytes its bytes, copied
     */
    public StoredImage(long seq, byte[] bytes) {
      if (seq < 0) {
        throw new IllegalArgumentException("seq " + seq + " is negative");
      }
      this.seq = seq;
      this.bytes = bytes.clone();
    }

    /** The journal seq the image belongs to. */
    public long seq() {
      return seq;
    }

    /** The image's bytes, a copy. */
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof StoredImage other
          && seq == other.seq
          && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(seq) * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "StoredImage[seq " + seq + ", " + bytes.length + " bytes]";
    }
  }
}
