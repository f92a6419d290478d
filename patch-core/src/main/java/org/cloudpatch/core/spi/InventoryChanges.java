package org.cloudpatch.core.spi;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.cloudpatch.core.AssetId;
import org.immutables.value.Value;

/**
 * One answer of {@link InventorySource#changes}: the assets whose inventory or membership changed
 * since a cursor, and the cursor to ask from next; or that the source cannot vouch for what changed
 * (the feed is not supported, or the cursor expired), and the caller must read every asset.
 *
 * <p>Guarantees: exactly one of {@link #next()} and {@link #cannotVouch()} is present; an answer
 * that cannot vouch names no asset; an asset is in at most one of the three sets.
 */
@Value.Immutable
public interface InventoryChanges {
  /** Why a source cannot vouch for what changed. */
  enum CannotVouch {
    /** The source keeps no change feed. */
    NOT_SUPPORTED,
    /** The source no longer knows what changed since the cursor (too old, or not its own). */
    CURSOR_EXPIRED
  }

  /** Assets that joined {@link InventorySource#assets()}. */
  Set<AssetId> added();

  /** Members whose inventory (platform or installed packages) changed. */
  Set<AssetId> changed();

  /** Assets that left {@link InventorySource#assets()}. */
  Set<AssetId> removed();

  /** The cursor to pass next; present exactly when the source vouches for this answer. */
  Optional<String> next();

  /** Why the source cannot vouch; present exactly when {@link #next()} is empty. */
  Optional<CannotVouch> cannotVouch();

  /** Whether the source vouches that the three sets hold every change since the cursor. */
  default boolean vouched() {
    return next().isPresent();
  }

  /** Every asset the answer names, sorted: those to read again (or drop) before trusting a copy. */
  default Set<AssetId> touched() {
    Set<AssetId> all = new TreeSet<>(added());
    all.addAll(changed());
    all.addAll(removed());
    return all;
  }

  /** Rejects an answer that is both or neither, or names an asset twice. */
  @Value.Check
  default void check() {
    if (next().isPresent() == cannotVouch().isPresent()) {
      throw new IllegalArgumentException(
          "an answer has either a next cursor or a reason it cannot vouch: " + this);
    }
    int named = added().size() + changed().size() + removed().size();
    if (cannotVouch().isPresent() && named > 0) {
      throw new IllegalArgumentException("an answer that cannot vouch names no asset: " + this);
    }
    if (touched().size() != named) {
      throw new IllegalArgumentException("an asset is in at most one set: " + this);
    }
  }

  /** The answer of a source that cannot vouch, for this reason. */
  static InventoryChanges cannotVouch(CannotVouch why) {
    return builder().cannotVouch(why).build();
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link InventoryChanges}. */
  final class Builder extends ImmutableInventoryChanges.Builder {}
}
