package org.cloudpatch.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.adapters.rpm.RpmDatabase;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.inventory.format.CycloneDxReader;
import org.cloudpatch.inventory.format.InventoryReaders;
import org.cloudpatch.inventory.format.OsRelease;
import org.cloudpatch.inventory.format.RootFilesystem;
import org.jspecify.annotations.Nullable;

/**
 * What an inventory itself says about the distribution and release it comes from, so that {@code
 * assess} needs {@code --distro} only when it says nothing.
 *
 * <ul>
 *   <li>A CycloneDX SBOM says it with its operating-system component ({@link
 *       CycloneDxReader#platform}).
 *   <li>A package database says it through the {@code os-release} of the root filesystem it lies
 *       in: {@code ROOT/var/lib/dpkg/status} (or {@code status.d}) and {@code
 *       ROOT/lib/apk/db/installed} are read with {@code ROOT/etc/os-release}, else {@code
 *       ROOT/usr/lib/os-release}, as os-release(5) orders them. A root filesystem directory given
 *       as the inventory is read through the database it holds.
 *   <li>{@code rpm -qa} output lies nowhere in particular and says nothing; a root filesystem with
 *       an rpm database (listed by the rpm command) says it through its {@code os-release}.
 * </ul>
 */
final class InventoryPlatforms {
  /** A platform and, for messages, what said it. */
  record Said(Platform platform, String source) {}

  /** The package databases of a root filesystem, in the order they are looked for. */
  private static final List<String> DATABASES = RootFilesystem.DATABASES;

  /** Where os-release(5) says the file is, relative to the root, in the order it is read. */
  private static final List<String> OS_RELEASE = List.of("etc/os-release", "usr/lib/os-release");

  private InventoryPlatforms() {}

  /**
   * The file or directory to read packages from: the inventory itself, or the package database of
   * the root filesystem it names.
   *
   * @throws IllegalArgumentException when the inventory looks like a root filesystem (it has an
   *     {@code etc} directory) but holds no database cloudpatch reads
   */
  static Path database(Path inventory) {
    if (!Files.isDirectory(inventory)) {
      // ROOT/var/lib/dpkg/status given as it is: a link in it resolves inside ROOT, too.
      Path root = root(inventory);
      if (root == null || !Files.exists(inventory)) {
        return inventory;
      }
      Path relative = root.relativize(inventory.toAbsolutePath().normalize());
      return RootFilesystem.of(root).resolve(relative.toString()).orElse(inventory);
    }
    Optional<Path> found = RootFilesystem.of(inventory).database();
    if (found.isPresent()) {
      return found.get();
    }
    if (Files.isDirectory(inventory.resolve("etc"))) {
      throw new IllegalArgumentException(
          "inventory "
              + inventory
              + " is a root filesystem without var/lib/dpkg/status, lib/apk/db/installed or an rpm"
              + " database in "
              + String.join(" or ", RpmDatabase.LOCATIONS));
    }
    return inventory;
  }

  /**
   * What the inventory says about its platform.
   *
   * @param database the file or directory packages are read from ({@link #database})
   * @param format its format
   * @return empty when it says nothing
   */
  static Optional<Said> recorded(Path database, InventoryReaders.Format format) {
    if (format == InventoryReaders.Format.CYCLONEDX_JSON) {
      return CycloneDxReader.platform(database)
          .map(p -> new Said(p, "its operating-system component"));
    }
    if (format == InventoryReaders.Format.RPM_QA) {
      return Optional.empty();
    }
    Path root = root(database);
    if (root == null) {
      return Optional.empty();
    }
    return osRelease(root);
  }

  /**
   * Whether {@code inventory} is a root filesystem whose only package database is rpm's, which the
   * rpm command lists ({@link RpmDatabase}).
   */
  static boolean rpmRoot(Path inventory) {
    return Files.isDirectory(inventory)
        && RootFilesystem.of(inventory).database().isEmpty()
        && RpmDatabase.locate(inventory).isPresent();
  }

  /** What the {@code os-release} of a root filesystem says, if it has one. */
  static Optional<Said> osRelease(Path root) {
    for (String relative : OS_RELEASE) {
      Path file = inRoot(root, relative);
      if (file != null) {
        return Optional.of(new Said(OsRelease.read(file), file.toString()));
      }
    }
    return Optional.empty();
  }

  /** The root filesystem a package database lies in, or null when it lies in none. */
  static @Nullable Path root(Path database) {
    Path absolute = database.toAbsolutePath().normalize();
    for (String relative : DATABASES) {
      Path suffix = Path.of(relative);
      if (absolute.endsWith(suffix)) {
        Path root = absolute;
        for (int i = 0; i < suffix.getNameCount() && root != null; i++) {
          root = root.getParent();
        }
        return root;
      }
    }
    return null;
  }

  /**
   * A regular file at a path inside a root filesystem, resolved as the system the root belongs to
   * would ({@link RootFilesystem}); null when there is none, or a link leads out of the root.
   */
  private static @Nullable Path inRoot(Path root, String relative) {
    return RootFilesystem.of(root).regularFile(relative).orElse(null);
  }
}
