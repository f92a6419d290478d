package org.cloudpatch.core.asset;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.Optional;
import org.cloudpatch.core.AssetId;
import org.immutables.value.Value;

/** Something that happened to a VM's life that may leave it out of date. */
@Value.Immutable
@JsonSerialize(as = ImmutableLifecycleEvent.class)
@JsonDeserialize(as = ImmutableLifecycleEvent.class)
public interface LifecycleEvent {
  /** The VM. */
  AssetId asset();

  /** What happened. */
  Kind kind();

  /** When it happened. */
  Instant at();

  /** For {@link Kind#RESUMED}: when the VM had been suspended. */
  Optional<Instant> suspendedSince();

  /** For {@link Kind#REVERTED}: when the snapshot it returned to was taken. */
  Optional<Instant> snapshotTakenAt();

  /**
   * For {@link Kind#REVERTED}: the id of the snapshot it returned to, if the hypervisor reports it;
   * with it, {@link org.cloudpatch.core.spi.HypervisorAdapter#snapshotInventory} tells the patch
   * level the VM now runs.
   */
  Optional<String> snapshot();

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link LifecycleEvent}. */
  final class Builder extends ImmutableLifecycleEvent.Builder {}

  /** The kinds of lifecycle event. */
  enum Kind {
    /** The VM was suspended. */
    SUSPENDED,
    /** The VM resumed from suspension. */
    RESUMED,
    /** The VM was reverted to a snapshot. */
    REVERTED,
    /** The VM was created from an image. */
    CREATED_FROM_IMAGE
  }
}
