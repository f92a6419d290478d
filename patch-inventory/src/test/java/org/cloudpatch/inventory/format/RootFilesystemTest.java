package org.cloudpatch.inventory.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.batch.ReadBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paths inside a scanned root filesystem resolve as that system would resolve them: whatever links
 * an image holds (absolute, relative, through a linked directory, in {@code status.d}), no file of
 * the reading machine is read, and no message echoes one.
 */
class RootFilesystemTest {
  /** The first line of a file of the reading machine that no scan may echo. */
  private static final String SECRET = "root:$6$never-echo-this:19000:0:99999:7:::";

  private static Path secret(Path outside) throws IOException {
    Files.createDirectories(outside);
    return Files.writeString(outside.resolve("shadow"), SECRET + "\nsecond line\n");
  }

  private static Path dir(Path p) {
    try {
      return Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void absoluteLink_resolvesInsideTheRoot(@TempDir Path tmp) throws IOException {
    Path root = dir(tmp.resolve("img"));
    Files.writeString(dir(root.resolve("usr/lib")).resolve("os-release"), "ID=debian\n");
    Files.createSymbolicLink(
        dir(root.resolve("etc")).resolve("os-release"), Path.of("/usr/lib/os-release"));

    Optional<Path> found = RootFilesystem.of(root).resolve("etc/os-release");

    assertEquals(Optional.of(root.toRealPath().resolve("usr/lib/os-release")), found);
  }

  @Test
  void linkedDirectory_onTheWay_isResolvedInsideTheRoot_too(@TempDir Path tmp) throws IOException {
    // Before: only the last component was checked, so ROOT/var/lib -> /host/lib led outside.
    Path outside = dir(tmp.resolve("host/lib/dpkg"));
    Files.writeString(outside.resolve("status"), SECRET + "\n");
    Path root = dir(tmp.resolve("img"));
    Files.createSymbolicLink(dir(root.resolve("var")).resolve("lib"), tmp.resolve("host/lib"));

    assertEquals(Optional.empty(), RootFilesystem.of(root).database());
  }

  @Test
  void linksLeadingOut_neverReachAFileOutsideTheRoot() {
    // Link targets that climb out with '..', absolute ones that would name a host file on this
    // machine, at any depth, through one or two links: the result lies in the root or is refused
    // with a message that names no content.
    qt().withExamples(60)
        .forAll(integers().between(0, 4), integers().between(0, 3), integers().between(0, 2))
        .checkAssert(
            (climb, depth, shape) -> {
              try {
                Path tmp = Files.createTempDirectory("rootfs");
                Path host = secret(tmp.resolve("host"));
                Path root = dir(tmp.resolve("a/b/c/img"));
                Path dpkg = dir(root.resolve("var/lib/dpkg"));
                String target =
                    switch (shape) {
                      case 0 -> "../".repeat(3 + climb + depth) + "host/shadow";
                      case 1 -> host.toString();
                      default -> "../../" + "x/../".repeat(depth) + "../".repeat(climb + 1) + "etc";
                    };
                Files.createSymbolicLink(dpkg.resolve("status"), Path.of(target));
                RootFilesystem fs = RootFilesystem.of(root);
                Optional<Path> found;
                try {
                  found = fs.database();
                } catch (IllegalArgumentException e) {
                  assertFalse(e.getMessage().contains(SECRET), e.getMessage());
                  assertTrue(e.getMessage().contains("leads out of the root"), e.getMessage());
                  return;
                }
                found.ifPresent(p -> assertTrue(p.startsWith(fs.root()), p + " outside"));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  @Test
  void loop_isRefused(@TempDir Path tmp) throws IOException {
    Path root = dir(tmp.resolve("img"));
    Path dpkg = dir(root.resolve("var/lib/dpkg"));
    Files.createSymbolicLink(dpkg.resolve("status"), Path.of("status2"));
    Files.createSymbolicLink(dpkg.resolve("status2"), Path.of("status"));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RootFilesystem.of(root).database());

    assertTrue(e.getMessage().contains("too many links"), e.getMessage());
  }

  @Test
  void statusD_entryLinkingToAHostFile_isQuarantined_notRead(@TempDir Path tmp) throws IOException {
    Path host = secret(tmp.resolve("host"));
    Path statusD = dir(tmp.resolve("img/var/lib/dpkg/status.d"));
    Files.writeString(statusD.resolve("zlib1g"), "Package: zlib1g\nVersion: 1:1.2.13.dfsg-1\n");
    Files.createSymbolicLink(statusD.resolve("evil"), host);

    ReadBatch<InstalledPackage> batch = DpkgStatusReader.create().read(statusD);

    assertEquals(List.of("zlib1g"), batch.accepted().stream().map(InstalledPackage::name).toList());
    assertEquals(1, batch.quarantined().size());
    assertTrue(batch.quarantined().get(0).reason().contains("symbolic link"));
    assertFalse(batch.quarantined().get(0).describe().contains(SECRET));
  }
}
