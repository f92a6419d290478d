package org.cloudpatch.core.process;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.finding.Finding;
import org.cloudpatch.core.spi.InventoryChanges;
import org.cloudpatch.core.spi.InventoryIndex;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's inventories as the engine last read them, held in the host's {@link InventoryIndex}
 * and kept current by the inventory's change feed: an asset is read again only when the feed names
 * it, so a new advisory on an unchanged fleet reads no inventory at all.
 *
 * <p>An asset's held copy is trusted ("current") only while the feed vouches for it: from a cursor
 * taken before the read, with every change since named by the feed. Whenever the feed cannot vouch
 * — a new engine (first start, restart, replay), a failed call, an expired cursor, a source without
 * a feed — nothing held is trusted and every asset is read, as without an index. The feed's calls
 * are journaled nowhere (only logged): the journal is the same whichever path an assessment took.
 * Not thread-safe; the engine's one thread owns it.
 */
final class HeldInventories {
  private static final Logger log = LoggerFactory.getLogger(HeldInventories.class);

  private final InventoryIndex index;

  /** Where the feed goes on; null while it cannot vouch (nothing is current then). */
  private @Nullable String cursor;

  /**
   * The assets whose held copy the feed vouches for: true when an inventory is held, false when the
   * read found none (unknown to the source).
   */
  private final Map<AssetId, Boolean> current = new HashMap<>();

  HeldInventories(InventoryIndex index) {
    this.index = index;
    // An index handed to a new engine may hold copies from an earlier one, which no cursor of this
    // engine vouches for.
    index.clear();
  }

  /**
   * At the start of an assessment pass: asks the feed what changed since the cursor, and forgets
   * the copies of the assets it names so that they are read again; when it cannot vouch, forgets
   * every copy and starts the feed again, so that this pass's reads are vouched from the new
   * cursor.
   */
  void sync(Driver d) {
    if (cursor != null) {
      String since = cursor;
      Driver.Result<InventoryChanges> r =
          d.attempt("InventorySource", "changes", () -> d.inventory.changes(Optional.of(since)));
      if (r.ok() && r.get().vouched()) {
        InventoryChanges changes = r.get();
        changes.touched().forEach(current::remove);
        changes.removed().forEach(index::remove);
        cursor = changes.next().orElseThrow();
        return;
      }
      log.info(
          "inventory change feed cannot vouch ({}): every asset is read",
          r.ok() ? r.get().cannotVouch().orElseThrow() : r.failure());
      cursor = null;
    }
    current.clear();
    Driver.Result<InventoryChanges> start =
        d.attempt("InventorySource", "changes", () -> d.inventory.changes(Optional.empty()));
    if (start.ok() && start.get().vouched()) {
      cursor = start.get().next().orElseThrow();
    }
  }

  /** Whether the asset's held copy is current: it need not be read. */
  boolean isCurrent(AssetId asset) {
    return current.containsKey(asset);
  }

  /** Whether a current inventory of the asset is held (false: none, or not current). */
  boolean holds(AssetId asset) {
    return Boolean.TRUE.equals(current.get(asset));
  }

  /**
   * A read of the asset's inventory, by assessment, verification or catch-up: the copy the index
   * holds from now on, current when the feed can vouch for what changes after it.
   */
  void observed(AssetId asset, Optional<Inventory> inventory) {
    if (inventory.isPresent()) {
      index.put(inventory.get());
    } else {
      index.remove(asset);
    }
    if (cursor != null) {
      current.put(asset, inventory.isPresent());
    } else {
      current.remove(asset);
    }
  }

  /**
   * The findings of the advisory on the given assets, each of which has a copy held that is current
   * or read in this pass: as {@code assess(advisory, their inventories in id order)}.
   */
  List<Finding> assess(Advisory advisory, Set<AssetId> fleet) {
    List<Finding> out = new ArrayList<>();
    for (Finding f : index.assessHeld(advisory)) {
      if (fleet.contains(f.asset())) {
        out.add(f);
      }
    }
    return out;
  }
}
