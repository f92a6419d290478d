package org.cloudpatch.core.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.spi.EvidenceStore;
import org.cloudpatch.core.spi.EvidenceStore.EvidenceBundle;
import org.junit.jupiter.api.Test;

/**
 * The contract of an {@link EvidenceStore}: a stored bundle can be read back as it was stored, and
 * storing a record's bundle again keeps the later one.
 *
 * <p>A vendor extends this class and implements {@link #newStore()} and {@link #stored}, which
 * reads back what the store holds (the SPI itself only writes).
 *
 * @param <S> the store type under test
 */
public abstract class EvidenceStoreContract<S extends EvidenceStore> {
  /** For subclasses. */
  protected EvidenceStoreContract() {}

  /**
   * A new, empty store; called once per test.
   *
   * @return the store under test, never null
   */
  protected abstract S newStore();

  /**
   * The bundle the store holds for a record, read back from the store's own storage.
   *
   * @param store a store from {@link #newStore()}
   * @param record the tracking record
   * @return the stored bundle, or empty when the store holds none for the record
   */
  protected abstract Optional<EvidenceBundle> stored(S store, TrackingId record);

  /** A stored bundle reads back equal to what was stored. */
  @Test
  public void store_thenReadBack_givesTheBundle() {
    S store = newStore();
    EvidenceBundle bundle = bundle("TR-KIT-1", "first");
    store.store(bundle);
    assertEquals(Optional.of(bundle), stored(store, bundle.record()));
  }

  /** Storing a record's bundle again keeps the later one (idempotent by record). */
  @Test
  public void store_sameRecordTwice_keepsTheLater() {
    S store = newStore();
    store.store(bundle("TR-KIT-1", "first"));
    EvidenceBundle later = bundle("TR-KIT-1", "second");
    store.store(later);
    assertEquals(Optional.of(later), stored(store, later.record()));
  }

  /** Bundles of different records are kept apart. */
  @Test
  public void store_differentRecords_keepsEach() {
    S store = newStore();
    EvidenceBundle one = bundle("TR-KIT-1", "one");
    EvidenceBundle two = bundle("TR-KIT-2", "two");
    store.store(one);
    store.store(two);
    assertEquals(Optional.of(one), stored(store, one.record()));
    assertEquals(Optional.of(two), stored(store, two.record()));
  }

  /** A record that was never stored has no bundle. */
  @Test
  public void stored_recordNeverStored_isEmpty() {
    S store = newStore();
    store.store(bundle("TR-KIT-1", "one"));
    assertEquals(Optional.empty(), stored(store, TrackingId.of("TR-KIT-NEVER")));
  }

  /** Bad input: a null bundle fails fast with {@link NullPointerException}. */
  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  public void store_null_failsFast() {
    S store = newStore();
    assertThrows(NullPointerException.class, () -> store.store(null));
  }

  private static EvidenceBundle bundle(String record, String note) {
    ObjectNode content = JsonNodeFactory.instance.objectNode();
    content.put("note", note);
    content.putArray("verified").add("openssl 3.0.15-1~deb12u1");
    return EvidenceBundle.builder()
        .record(TrackingId.of(record))
        .tenant(TenantId.of("kit-tenant"))
        .advisory(AdvisoryId.of("KIT-1"))
        .closedAt(KitData.EPOCH.plusSeconds(86_400))
        .journalSeqs(List.of(0L, 3L, 7L))
        .content(content)
        .build();
  }
}
