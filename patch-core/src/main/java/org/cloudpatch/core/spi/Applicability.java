package org.cloudpatch.core.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.finding.Finding;

/**
 * Matches advisories against inventories (a port: patch-inventory ships the default).
 *
 * <p>Contract: one finding per package of the advisory that the inventory has installed, whatever
 * its status; nothing for packages not installed; a withdrawn advisory matches nothing; a version
 * that cannot be compared gives {@code UNKNOWN}, never {@code NOT_AFFECTED} — unless the vendor
 * states the package not affected in every version (a VEX statement), which needs no comparison.
 * Thread-safe.
 */
public interface Applicability {
  /** The findings of one advisory on one inventory. */
  List<Finding> assess(Advisory advisory, Inventory inventory);

  /**
   * The findings of one advisory on a fleet, in inventory order. Implementations may share work
   * between inventories that hold the same package versions.
   */
  default List<Finding> assess(Advisory advisory, Collection<Inventory> fleet) {
    List<Finding> out = new ArrayList<>();
    for (Inventory inventory : fleet) {
      out.addAll(assess(advisory, inventory));
    }
    return out;
  }
}
