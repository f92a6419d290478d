package org.cloudpatch.core.process;

import java.util.ArrayList;
import java.util.List;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.AffectedPackage;
import org.cloudpatch.core.advisory.RangeEvent;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.finding.Finding;
import org.cloudpatch.core.finding.FindingStatus;
import org.cloudpatch.core.spi.Applicability;

/**
 * A stand-in for patch-inventory's matcher (patch-core may not depend on it): versions are
 * integers, a package is affected below its {@code fixed} event. Enough to drive the engine.
 */
final class SimpleApplicability implements Applicability {
  @Override
  public List<Finding> assess(Advisory advisory, Inventory inventory) {
    List<Finding> out = new ArrayList<>();
    if (advisory.withdrawn().isPresent()) {
      return out;
    }
    for (AffectedPackage p : advisory.affected()) {
      // No fixed event: every version is affected and no fix is available yet.
      java.util.Optional<String> fixed =
          p.ranges().get(0).events().stream()
              .filter(e -> e.kind() == RangeEvent.Kind.FIXED)
              .findFirst()
              .map(RangeEvent::version);
      for (InstalledPackage i : inventory.packages()) {
        if (!i.effectiveSourceName().equals(p.name())) {
          continue;
        }
        boolean affected =
            fixed.isEmpty() || Integer.parseInt(i.version()) < Integer.parseInt(fixed.get());
        out.add(
            Finding.builder()
                .asset(inventory.asset())
                .advisory(advisory.id())
                .ecosystem(p.ecosystem())
                .packageName(p.name())
                .addBinaryPackages(i.name())
                .installedVersion(i.version())
                .fixedVersion(fixed)
                .status(affected ? FindingStatus.AFFECTED : FindingStatus.FIXED)
                .evidence(
                    fixed
                        .map(v -> i.version() + (affected ? " < " : " >= ") + "fixed " + v)
                        .orElse(i.version() + ", no fixed version"))
                .build());
      }
    }
    return out;
  }
}
