package org.cloudpatch.inventory.match;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.finding.Finding;
import org.cloudpatch.core.spi.InventoryIndex;

/**
 * The engine's {@link InventoryIndex} on an {@link ApplicabilityIndex}: the fleet's inventories are
 * held deduplicated, and a new advisory is decided once per distinct held package version rather
 * than once per asset.
 *
 * <p>Guarantees: {@link #assessHeld} equals {@link OsvApplicability}{@code .assess(advisory, held)}
 * over the held inventories sorted by asset id, the same findings in the same order (the index
 * orders an asset's findings by package; they are put back in the order the asset's inventory lists
 * them, as {@code OsvApplicability} gives them). The one-inventory and fleet forms of {@link
 * org.cloudpatch.core.spi.Applicability} are {@code OsvApplicability}'s. Not thread-safe: one
 * caller at a time, as the engine is.
 */
public final class IndexedApplicability implements InventoryIndex {
  private final OsvApplicability osv = OsvApplicability.create();
  private final ApplicabilityIndex index = ApplicabilityIndex.create();

  /**
   * The inventories held, for the order of an asset's findings only (their package lists are shared
   * with the caller's values, not copied).
   */
  private final Map<AssetId, Inventory> held = new HashMap<>();

  private IndexedApplicability() {}

  /** An empty index. */
  public static IndexedApplicability create() {
    return new IndexedApplicability();
  }

  @Override
  public List<Finding> assess(Advisory advisory, Inventory inventory) {
    return osv.assess(advisory, inventory);
  }

  @Override
  public List<Finding> assess(Advisory advisory, Collection<Inventory> fleet) {
    return osv.assess(advisory, fleet);
  }

  @Override
  public void put(Inventory inventory) {
    Objects.requireNonNull(inventory, "inventory");
    index.put(inventory);
    held.put(inventory.asset(), inventory);
  }

  @Override
  public void remove(AssetId asset) {
    Objects.requireNonNull(asset, "asset");
    index.remove(asset);
    held.remove(asset);
  }

  @Override
  public void clear() {
    List.copyOf(held.keySet()).forEach(this::remove);
  }

  /** How many inventories are held. */
  public int size() {
    return held.size();
  }

  @Override
  public List<Finding> assessHeld(Advisory advisory) {
    Objects.requireNonNull(advisory, "advisory");
    if (advisory.withdrawn().isPresent()) {
      return List.of();
    }
    // The advisory is held only while asked about: an index of inventories alone keeps a changed
    // VM's put cheap (no verdicts to decide against advisories held), and an updated advisory under
    // the same id is decided afresh.
    List<Finding> found;
    index.put(advisory);
    try {
      found = index.findings(advisory.id());
    } finally {
      index.remove(advisory.id());
    }
    Map<AssetId, List<Finding>> byAsset = new TreeMap<>();
    for (Finding f : found) {
      byAsset.computeIfAbsent(f.asset(), a -> new ArrayList<>()).add(f);
    }
    List<Finding> out = new ArrayList<>(found.size());
    byAsset.forEach(
        (asset, findings) -> {
          if (findings.size() > 1) {
            findings.sort(inInventoryOrder(Objects.requireNonNull(held.get(asset), "held")));
          }
          out.addAll(findings);
        });
    return out;
  }

  /**
   * Orders an asset's findings as {@code OsvApplicability} does: by the first package of the
   * inventory built from that (source, source version).
   */
  private static Comparator<Finding> inInventoryOrder(Inventory inventory) {
    Map<String, Integer> first = new HashMap<>();
    List<InstalledPackage> packages = inventory.packages();
    for (int i = 0; i < packages.size(); i++) {
      InstalledPackage p = packages.get(i);
      first.putIfAbsent(p.effectiveSourceName() + '\u0000' + p.effectiveSourceVersion(), i);
    }
    return Comparator.comparingInt(
        f ->
            first.getOrDefault(
                f.packageName() + '\u0000' + f.installedVersion(), Integer.MAX_VALUE));
  }
}
