package org.cloudpatch.core.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.TrackingId;
import org.immutables.value.Value;

/**
 * Keeps the evidence bundle of each closed tracking record (a port: patch-audit ships a store of
 * JSON files). Contract: storing the same record's bundle twice keeps the later one; {@link #store}
 * is durable when it returns; a null bundle fails fast.
 *
 * @see org.cloudpatch.core.testkit.EvidenceStoreContract
 */
public interface EvidenceStore {
  /** Stores the bundle durably. */
  void store(EvidenceBundle bundle);

  /** What proves that a tracking record's work was done. */
  @Value.Immutable
  interface EvidenceBundle {
    /** The tracking record. */
    TrackingId record();

    /** Its tenant. */
    TenantId tenant();

    /** The advisory it remediated. */
    AdvisoryId advisory();

    /** When it was closed. */
    Instant closedAt();

    /** The seqs of the journal entries that make its history, in order. */
    List<Long> journalSeqs();

    /** The evidence itself: findings, changes, patch outcomes, verifications. */
    ObjectNode content();

    /** A builder. */
    static Builder builder() {
      return new Builder();
    }

    /** Builds an {@link EvidenceBundle}. */
    final class Builder extends ImmutableEvidenceBundle.Builder {}
  }
}
