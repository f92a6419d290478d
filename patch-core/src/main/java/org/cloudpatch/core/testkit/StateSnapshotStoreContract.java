package org.cloudpatch.core.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.cloudpatch.core.spi.StateSnapshotStore;
import org.cloudpatch.core.spi.StateSnapshotStore.StoredImage;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link StateSnapshotStore}: the latest image is the one with the highest seq,
 * byte for byte as put, and survives reopening the store; what a put interrupted by a crash leaves
 * behind is never returned.
 *
 * <p>A vendor extends this class and implements {@link #newStore()}, {@link #reopen} and {@link
 * #crashDuringPut}.
 *
 * @param <S> the store type under test
 */
public abstract class StateSnapshotStoreContract<S extends StateSnapshotStore> {
  /** For subclasses. */
  protected StateSnapshotStoreContract() {}

  /**
   * A new, empty store; called once per test.
   *
   * @return the store under test, never null
   */
  protected abstract S newStore();

  /**
   * The same storage opened again, as after a restart (an in-memory store returns itself).
   *
   * @param store a store from {@link #newStore()}
   * @return a store over the same storage
   */
  protected abstract S reopen(S store);

  /**
   * Leaves in the store's storage what a {@link StateSnapshotStore#put} of {@code image} at {@code
   * seq} leaves when the process dies in the middle of it, with only {@code written} bytes out (a
   * store whose puts cannot be interrupted does nothing).
   *
   * @param store a store from {@link #newStore()}
   * @param seq the seq of the interrupted put
   * @param written the bytes that reached storage, a prefix of the image
   */
  protected abstract void crashDuringPut(S store, long seq, byte[] written);

  /** An empty store has no image. */
  @Test
  public void latest_emptyStore_isEmpty() {
    assertEquals(Optional.empty(), newStore().latest());
  }

  /** A put image reads back with its seq, byte for byte, also after reopening. */
  @Test
  public void put_thenLatest_givesTheBytes_alsoAfterReopen() {
    S store = newStore();
    byte[] image = image("first", 10_000);
    store.put(42, image);
    assertImage(42, image, store.latest());
    assertImage(42, image, reopen(store).latest());
  }

  /** The latest is the highest seq, whatever the order of the puts. */
  @Test
  public void put_severalSeqs_latestIsTheHighest() {
    S store = newStore();
    store.put(5, image("five", 10));
    store.put(70, image("seventy", 10));
    store.put(12, image("twelve", 10));
    assertImage(70, image("seventy", 10), store.latest());
    assertImage(70, image("seventy", 10), reopen(store).latest());
  }

  /** A put at a seq already held replaces it. */
  @Test
  public void put_sameSeqTwice_keepsTheLater() {
    S store = newStore();
    store.put(7, image("old", 100));
    store.put(7, image("new", 50));
    assertImage(7, image("new", 50), reopen(store).latest());
  }

  /** The store keeps the bytes as given: changing the caller's array afterwards changes nothing. */
  @Test
  public void put_callerChangesItsArray_storeKeepsTheImage() {
    S store = newStore();
    byte[] image = image("mine", 100);
    byte[] copy = image.clone();
    store.put(3, image);
    Arrays.fill(image, (byte) 'x');
    assertImage(3, copy, store.latest());
  }

  /**
   * A put interrupted by a crash is never returned: the latest stays the image put before it, also
   * after reopening; and the next put works.
   */
  @Test
  public void put_interruptedByACrash_isNeverReturned() {
    S store = newStore();
    byte[] good = image("good", 5_000);
    store.put(10, good);
    byte[] next = image("next", 5_000);
    crashDuringPut(store, 20, Arrays.copyOf(next, next.length / 2));
    assertImage(10, good, store.latest());
    S reopened = reopen(store);
    assertImage(10, good, reopened.latest());
    reopened.put(20, next);
    assertImage(20, next, reopen(reopened).latest());
  }

  /** Bad input fails fast: a negative seq, a null image. */
  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  public void put_badInput_failsFast() {
    S store = newStore();
    assertThrows(IllegalArgumentException.class, () -> store.put(-1, image("x", 1)));
    assertThrows(NullPointerException.class, () -> store.put(1, null));
    assertEquals(Optional.empty(), store.latest());
  }

  private static byte[] image(String text, int repeat) {
    return ("{\"image\":\"" + text.repeat(repeat) + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  private static void assertImage(long seq, byte[] bytes, Optional<StoredImage> latest) {
    StoredImage image = latest.orElseThrow(() -> new AssertionError("no image; expected " + seq));
    assertEquals(seq, image.seq(), "seq of the latest image");
    assertArrayEquals(bytes, image.bytes(), "bytes of the latest image");
  }
}
