package org.cloudpatch.core.memory;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.cloudpatch.core.spi.StateSnapshotStore;

/**
 * A {@link StateSnapshotStore} in memory: durable for as long as the object lives; keeps every
 * image, so that tests can also hand the engine an older one. Thread-safe.
 */
public final class InMemoryStateSnapshotStore implements StateSnapshotStore {
  private final TreeMap<Long, StoredImage> images = new TreeMap<>();

  private InMemoryStateSnapshotStore() {}

  /** An empty store. */
  public static InMemoryStateSnapshotStore create() {
    return new InMemoryStateSnapshotStore();
  }

  @Override
  public synchronized void put(long seq, byte[] image) {
    Objects.requireNonNull(image, "image");
    if (seq < 0) {
      throw new IllegalArgumentException("seq " + seq + " is negative");
    }
    images.put(seq, new StoredImage(seq, image));
  }

  @Override
  public synchronized Optional<StoredImage> latest() {
    Map.Entry<Long, StoredImage> last = images.lastEntry();
    return last == null ? Optional.empty() : Optional.of(last.getValue());
  }

  /** Every image held, by seq; for tests. */
  public synchronized Map<Long, StoredImage> all() {
    return Map.copyOf(images);
  }

  /** Forgets every image above {@code seq}; for tests that hand the engine an older image. */
  public synchronized void forgetAbove(long seq) {
    images.tailMap(seq, false).clear();
  }
}
