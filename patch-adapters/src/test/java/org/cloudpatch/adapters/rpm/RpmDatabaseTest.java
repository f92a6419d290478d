package org.cloudpatch.adapters.rpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.core.batch.ReadLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rpm database of a root filesystem, listed by the real rpm from a database it wrote. */
class RpmDatabaseTest {
  @TempDir Path work;

  private static final List<RpmRoots.Pkg> PACKAGES =
      List.of(
          new RpmRoots.Pkg("avahi", null, "0.8", "12.el9"),
          new RpmRoots.Pkg("NetworkManager", 1, "1.40.16", "18.el8_10"),
          new RpmRoots.Pkg("libtiff", 0, "4.4.0", "2.el9"));

  private static Map<String, String> versions(ReadBatch<InstalledPackage> batch) {
    Map<String, String> out = new TreeMap<>();
    batch.accepted().forEach(p -> out.put(p.name(), p.version()));
    return out;
  }

  @Test
  void read_rootWithAnRpmDatabase_listsEveryPackageWithItsEpoch() throws Exception {
    RpmRoots.requireTools();
    Path root = Files.createDirectories(work.resolve("alma"));
    RpmRoots.install(work, root, "var/lib/rpm", PACKAGES);

    assertEquals(Optional.of("var/lib/rpm"), RpmDatabase.locate(root));
    ReadBatch<InstalledPackage> batch = RpmDatabase.create().read(root);
    assertEquals(List.of(), batch.quarantined());
    assertEquals(
        Map.of(
            "NetworkManager", "1:1.40.16-18.el8_10",
            "avahi", "0:0.8-12.el9",
            "libtiff", "0:4.4.0-2.el9"),
        versions(batch),
        "EPOCHNUM is 0 for a package without an epoch: rpm itself says so");
  }

  @Test
  void read_databaseUnderSysimage_linkedFromVarLibRpm_isFoundInsideTheRoot() throws Exception {
    RpmRoots.requireTools();
    Path root = Files.createDirectories(work.resolve("fedora"));
    RpmRoots.install(work, root, "usr/lib/sysimage/rpm", PACKAGES.subList(0, 1));
    Files.createDirectories(root.resolve("var/lib"));
    // As Fedora 36+ lays it out: the old place is a relative link to the new one.
    Files.createSymbolicLink(root.resolve("var/lib/rpm"), Path.of("../../usr/lib/sysimage/rpm"));

    assertEquals(Optional.of("usr/lib/sysimage/rpm"), RpmDatabase.locate(root));
    assertEquals(Map.of("avahi", "0:0.8-12.el9"), versions(RpmDatabase.create().read(root)));
  }

  @Test
  void read_rootWithoutAnRpmDatabase_isRefusedNamingWhereItLooked() throws Exception {
    Path root = Files.createDirectories(work.resolve("empty/etc")).getParent();
    assertEquals(Optional.empty(), RpmDatabase.locate(root));
    PatchException e = assertThrows(PatchException.class, () -> RpmDatabase.create().read(root));
    assertTrue(e.getMessage().contains("holds no rpm database"), e.getMessage());
    assertTrue(e.getMessage().contains("var/lib/rpm"), e.getMessage());
  }

  @Test
  void read_withoutTheRpmCommand_saysToInstallIt() throws Exception {
    Path root = dbOnly("no-rpm");
    RpmDatabase missing =
        RpmDatabase.of(
            work.resolve("no-such-rpm").toString(), Duration.ofSeconds(30), ReadLimits.defaults());
    PatchException e = assertThrows(PatchException.class, () -> missing.read(root));
    assertTrue(e.getMessage().contains("install rpm"), e.getMessage());
    assertTrue(e.getMessage().contains(root.toString()), e.getMessage());
  }

  @Test
  void read_corruptDatabase_failsWithRpmsOwnReason() throws Exception {
    RpmRoots.requireTools();
    Path root = dbOnly("corrupt");
    PatchException e = assertThrows(PatchException.class, () -> RpmDatabase.create().read(root));
    assertTrue(e.getMessage().contains("failed with exit code"), e.getMessage());
    assertTrue(e.getMessage().contains("--root " + root.toRealPath()), e.getMessage());
  }

  @Test
  void read_rpmThatNeverFinishes_isStoppedAtItsBound() throws Exception {
    Path root = dbOnly("hung");
    Path hung = work.resolve("hung-rpm");
    Files.writeString(hung, "#!/bin/sh\nexec sleep 60\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(hung, PosixFilePermissions.fromString("rwx------"));
    RpmDatabase slow =
        RpmDatabase.of(hung.toString(), Duration.ofMillis(300), ReadLimits.defaults());
    PatchException e = assertThrows(PatchException.class, () -> slow.read(root));
    assertTrue(e.getMessage().contains("did not finish within PT0.3S"), e.getMessage());
  }

  /** A root whose rpm database file holds garbage (enough for locate, not for rpm). */
  private Path dbOnly(String name) throws Exception {
    Path root = Files.createDirectories(work.resolve(name));
    Files.createDirectories(root.resolve("var/lib/rpm"));
    Files.writeString(root.resolve("var/lib/rpm/rpmdb.sqlite"), "not a database\n");
    return root;
  }
}
