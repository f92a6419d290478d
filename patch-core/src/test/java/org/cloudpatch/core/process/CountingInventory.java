package org.cloudpatch.core.process;

import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.spi.InventoryChanges;
import org.cloudpatch.core.spi.InventorySource;

/**
 * An inventory source that counts the engine's inventory reads and can take its change feed away
 * ({@link #feed} false: the SPI's default answer) or make it fail ({@link #feedFails}).
 */
final class CountingInventory implements InventorySource {
  private final InventorySource real;
  int reads;
  int feedCalls;
  int feedNotVouched;
  boolean feed = true;
  boolean feedFails;

  CountingInventory(InventorySource real) {
    this.real = real;
  }

  @Override
  public List<Asset> assets() {
    return real.assets();
  }

  @Override
  public Optional<Inventory> inventory(AssetId asset) {
    reads++;
    return real.inventory(asset);
  }

  @Override
  public InventoryChanges changes(Optional<String> since) {
    feedCalls++;
    if (!feed) {
      return InventorySource.super.changes(since);
    }
    if (feedFails) {
      feedNotVouched++;
      throw new PatchException("change feed: 503 Service Unavailable");
    }
    InventoryChanges answer = real.changes(since);
    if (!answer.vouched()) {
      feedNotVouched++;
    }
    return answer;
  }
}
