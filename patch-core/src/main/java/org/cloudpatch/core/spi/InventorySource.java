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
}
