package org.cloudpatch.core.spi;

import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.Inventory;

/**
 * The assets a host manages and what is installed on them.
 *
 * <p>Contract: {@link #inventory(AssetId)} observes the asset now (re-inventory), so that a patch
 * is verified by what is really installed, not by what the executor claims. Arguments and results
 * are never null; an unknown asset has an empty inventory. The engine calls it from one thread at a
 * time.
 *
 * @see org.cloudpatch.core.testkit.InventorySourceContract
 */
public interface InventorySource {
  /** Every managed asset, sorted by id. */
  List<Asset> assets();

  /** The asset's current inventory, or empty when the asset is unknown or unreachable. */
  Optional<Inventory> inventory(AssetId asset);

  /**
   * What changed since {@code since}: the feed that lets a caller keep copies of inventories
   * current without reading every asset again.
   *
   * <p>Contract:
   *
   * <ul>
   *   <li><b>Start.</b> Without a cursor the answer names no asset and gives the cursor of now: a
   *       caller asks for it <em>before</em> reading the inventories it will keep, so that a change
   *       during its reads is reported on the next call.
   *   <li><b>Never a missed change.</b> With a cursor the source gave, a vouched answer names every
   *       asset that joined or left {@link #assets()} or whose inventory (platform, installed
   *       packages) changed after that cursor was given and before this answer; a read of {@link
   *       #inventory} made after the answer observes at least those changes. Its {@link
   *       InventoryChanges#next()} is where the next call goes on.
   *   <li><b>At least once.</b> An asset may be named though nothing changed, and a change may be
   *       named again by a later answer (when the caller asks again from an older cursor, or the
   *       source cannot tell precisely); the answer is a set of assets to read again, in no
   *       particular order, not a log of events.
   *   <li><b>Cannot vouch.</b> A source without a feed, or that no longer knows what changed since
   *       the cursor (expired, or from another incarnation of the source), answers {@link
   *       InventoryChanges#cannotVouch}, never an exception and never a partial answer; the caller
   *       reads every asset and starts again without a cursor. An exception means a transient
   *       failure: the same cursor may be tried again.
   * </ul>
   *
   * <p>The default answers {@link InventoryChanges.CannotVouch#NOT_SUPPORTED}, so that a source
   * without a feed keeps working by full reads.
   *
   * @param since a cursor from an earlier answer, or empty to start
   */
  default InventoryChanges changes(Optional<String> since) {
    return InventoryChanges.cannotVouch(InventoryChanges.CannotVouch.NOT_SUPPORTED);
  }
}
