package org.cloudpatch.core.spi;

import java.util.List;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.finding.Finding;

/**
 * An {@link Applicability} that holds the fleet's inventories between calls, so that a new advisory
 * is matched against copies the engine keeps current (from {@link InventorySource#changes}) rather
 * than against a read of every asset. The engine uses this path when the applicability it is given
 * is an index (patch-inventory ships {@code IndexedApplicability}).
 *
 * <p>Contract: {@link #assessHeld} gives exactly what {@code assess(advisory, held)} gives, {@code
 * held} being the inventories held sorted by asset id — the same findings in the same order — so
 * that the engine's findings, and its journal, do not depend on which path it took. Not required to
 * be thread-safe: the engine calls it from one thread at a time.
 */
public interface InventoryIndex extends Applicability {
  /** Holds this inventory for its asset, replacing the one held. */
  void put(Inventory inventory);

  /** Drops the asset's inventory; nothing when none is held. */
  void remove(AssetId asset);

  /** Drops every inventory held. */
  void clear();

  /**
   * The findings of one advisory on every inventory held, ordered by asset id and, within an asset,
   * as {@link #assess(Advisory, Inventory)} orders them; nothing for a withdrawn advisory.
   */
  List<Finding> assessHeld(Advisory advisory);
}
