package org.cloudpatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;

/**
 * Every package of every module, the command's included, is {@code @NullMarked}: consumers' tools
 * then read every unannotated type as non-null, and NullAway checks the package.
 */
class NullMarkedPackagesTest {
  @Test
  void everyPackage_isNullMarked() {
    List<PublicApi.Module> modules = new ArrayList<>(PublicApi.LIBRARY);
    modules.add(PublicApi.CLI);
    TreeSet<String> packages = new TreeSet<>();
    List<String> unmarked = new ArrayList<>();
    for (PublicApi.Module module : modules) {
      for (String name : PublicApi.classNames(module)) {
        packages.add(name.substring(0, name.lastIndexOf('.')));
      }
    }
    for (String pkg : packages) {
      try {
        Class<?> info = Class.forName(pkg + ".package-info");
        if (!info.isAnnotationPresent(NullMarked.class)) {
          unmarked.add(pkg);
        }
      } catch (ClassNotFoundException e) {
        unmarked.add(pkg + " (no package-info)");
      }
    }
    assertTrue(packages.size() > 15, "found only " + packages);
    assertEquals(List.of(), unmarked);
  }
}
