package org.cloudpatch.adapters.debian;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.testkit.InventorySourceContract;
import org.junit.jupiter.api.io.TempDir;

/**
 * core's contract kit for inventory sources, run against {@link DebianFleet}: each of the kit's
 * assets gets a root of its own into which the real dpkg installs packages of the kit's names and
 * versions, built with dpkg-deb.
 */
class DebianFleetInventoryContractTest extends InventorySourceContract<DebianFleet> {
  @TempDir Path dir;

  /** Packages built once for the class: dpkg-deb is the slow part. */
  @TempDir static Path built;

  private static final Map<String, Path> DEBS = new HashMap<>();

  @Override
  protected DebianFleet newSource(List<ManagedAsset> fleet) {
    DebianRoots.assumeDebianTools();
    try {
      Path repo = Files.createDirectories(built.resolve("repo"));
      Map<String, Path> debs = DEBS;
      DebianFleet.Builder builder = DebianFleet.builder();
      for (ManagedAsset m : fleet) {
        Path root = DebianRoots.root(dir.resolve(m.asset().id().value()), null);
        List<Path> install = new ArrayList<>();
        for (InstalledPackage p : m.installed()) {
          String name = p.name() + "_" + p.version();
          if (!debs.containsKey(name)) {
            debs.put(name, DebianRoots.deb(repo, p.name(), p.version()));
          }
          install.add(debs.get(name));
        }
        if (!install.isEmpty()) {
          DebianRoots.install(root, install.toArray(Path[]::new));
        }
        builder.system(m.asset(), root);
      }
      return builder.build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
