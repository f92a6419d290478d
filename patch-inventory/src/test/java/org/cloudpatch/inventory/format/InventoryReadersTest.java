package org.cloudpatch.inventory.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.batch.ReadBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rpm -qa and apk readers, and format detection, on hand-written inventories. */
class InventoryReadersTest {
  @TempDir Path dir;

  @Test
  void rpmQa_nevraWithAndWithoutEpochAndArch_keepsEpochInTheVersion() {
    ReadBatch<InstalledPackage> b =
        RpmQaReader.create()
            .read(
                new StringReader(
                    "openssl-libs-1:3.0.7-27.el9.x86_64\n"
                        + "kernel-5.14.0-427.13.1.el9_4.x86_64  Tue 14 May 2024 09:25:38 UTC\n"
                        + "tzdata-2024a-1.el9.noarch\n"
                        + "bash-5.1.8-9.el9\n"
                        + "gpg-pubkey-fd431d51-4ae0493b\n"),
                "rpm-qa.txt");
    assertEquals(
        List.of(
            InstalledPackage.of("openssl-libs", "1:3.0.7-27.el9"),
            InstalledPackage.of("kernel", "5.14.0-427.13.1.el9_4"),
            InstalledPackage.of("tzdata", "2024a-1.el9"),
            InstalledPackage.of("bash", "5.1.8-9.el9")),
        b.accepted());
    assertTrue(b.quarantined().isEmpty(), b.quarantined().toString());
  }

  @Test
  void rpmQa_queryFormatFields_withNoneEpoch() {
    ReadBatch<InstalledPackage> b =
        RpmQaReader.create()
            .read(
                new StringReader(
                    "perl-libs 4:5.32.1-480.el9 x86_64\n"
                        + "zlib (none):1.2.11-40.el9 x86_64\n"
                        + "curl 7.76.1-29.el9_4\n"),
                "qf.txt");
    assertEquals(
        List.of(
            InstalledPackage.of("perl-libs", "4:5.32.1-480.el9"),
            // rpm's "(none)" is a known epoch 0; a version written without one has none known.
            InstalledPackage.of("zlib", "0:1.2.11-40.el9"),
            InstalledPackage.of("curl", "7.76.1-29.el9_4")),
        b.accepted());
  }

  @Test
  void rpmQa_malformedLine_isQuarantinedWithItsLine_restIsRead() {
    ReadBatch<InstalledPackage> b =
        RpmQaReader.create()
            .read(
                new StringReader("bash-5.1.8-9.el9.x86_64\nnot a package\nzsh-5.8-9.el9.x86_64\n"),
                "f");
    assertEquals(2, b.accepted().size());
    assertEquals(1, b.quarantined().size());
    assertEquals("line 2", b.quarantined().get(0).position());
    assertEquals("f", b.quarantined().get(0).source());
  }

  @Test
  void apk_blocksBecomePackages_originBecomesSourceName() {
    ReadBatch<InstalledPackage> b =
        ApkInstalledReader.create()
            .read(
                new StringReader(
                    "C:Q1abc=\nP:libcrypto3\nV:3.1.4-r5\nA:x86_64\no:openssl\n\n"
                        + "P:musl\nV:1.2.4-r2\no:musl\n\n"
                        + "P:broken\nV:1.0bc\n\n"
                        + "P:noversion\n"),
                "installed");
    assertEquals(2, b.accepted().size());
    InstalledPackage crypto = b.accepted().get(0);
    assertEquals("libcrypto3", crypto.name());
    assertEquals("3.1.4-r5", crypto.version());
    assertEquals(Optional.of("openssl"), crypto.sourceName());
    assertEquals(Optional.empty(), b.accepted().get(1).sourceName());
    assertEquals(2, b.quarantined().size());
    assertEquals("line 11", b.quarantined().get(0).position());
    assertTrue(b.quarantined().get(0).reason().contains("1.0bc"), b.quarantined().toString());
    assertTrue(b.quarantined().get(1).reason().contains("no version"));
  }

  @Test
  void detect_tellsFormatsFromContent_notFromNames() throws IOException {
    Path dpkg = write("a.txt", "Package: bash\nStatus: install ok installed\nVersion: 5.2-1\n");
    Path apk = write("b.txt", "C:Q1=\nP:musl\nV:1.2.4-r2\n");
    Path rpm = write("c.txt", "bash-5.1.8-9.el9.x86_64\n");
    assertEquals(InventoryReaders.Format.DPKG_STATUS, InventoryReaders.detect(dpkg));
    assertEquals(InventoryReaders.Format.APK_INSTALLED, InventoryReaders.detect(apk));
    assertEquals(InventoryReaders.Format.RPM_QA, InventoryReaders.detect(rpm));
    assertEquals("musl", InventoryReaders.read(apk).accepted().get(0).name());
    assertEquals("5.1.8-9.el9", InventoryReaders.read(rpm).accepted().get(0).version());
  }

  @Test
  void detect_unknownContent_isRefusedNamingTheFile() throws IOException {
    Path odd = write("odd.txt", "hello world\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> InventoryReaders.detect(odd));
    assertTrue(e.getMessage().contains("odd.txt"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> InventoryReaders.detect(write("e", "\n")));
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }
}
