package org.cloudpatch.core.process;

import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.finding.Finding;
import org.cloudpatch.core.spi.InventoryIndex;

/**
 * A stand-in for patch-inventory's {@code IndexedApplicability} (patch-core may not depend on it):
 * the held inventories in a sorted map, matched by {@link SimpleApplicability}.
 */
final class SimpleIndex implements InventoryIndex {
  private final SimpleApplicability matcher = new SimpleApplicability();
  final TreeMap<AssetId, Inventory> held = new TreeMap<>();

  @Override
  public List<Finding> assess(Advisory advisory, Inventory inventory) {
    return matcher.assess(advisory, inventory);
  }

  @Override
  public List<Finding> assess(Advisory advisory, Collection<Inventory> fleet) {
    return matcher.assess(advisory, fleet);
  }

  @Override
  public void put(Inventory inventory) {
    held.put(inventory.asset(), inventory);
  }

  @Override
  public void remove(AssetId asset) {
    held.remove(asset);
  }

  @Override
  public void clear() {
    held.clear();
  }

  @Override
  public List<Finding> assessHeld(Advisory advisory) {
    return matcher.assess(advisory, held.values());
  }
}
