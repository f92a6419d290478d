package org.cloudpatch.inventory.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.inventory.ConformanceData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OsReleaseTest {

  @Test
  void debian_isDebianWithItsNumericRelease() {
    String text =
        "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
            + "VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n";
    assertEquals(Platform.parse("Debian:12"), OsRelease.parse(text));
  }

  @Test
  void ubuntu_isUbuntuWithItsYearMonthRelease() {
    String text = "NAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nID=ubuntu\nID_LIKE=debian\n";
    assertEquals(Platform.parse("Ubuntu:22.04"), OsRelease.parse(text));
  }

  @Test
  void debianTesting_withoutVersionId_hasNoRelease() {
    assertEquals(Platform.parse("Debian"), OsRelease.parse("ID=debian\nVERSION_CODENAME=trixie\n"));
  }

  @Test
  void unknownDistribution_keepsItsId_soItMatchesNoAdvisory() {
    assertEquals(new Platform("fedora", "39"), OsRelease.parse("ID=fedora\nVERSION_ID=39\n"));
  }

  @Test
  void missingId_takesTheFirstWordOfNameWhenItIsAKnownDistribution() {
    assertEquals(
        Platform.parse("Debian:12"),
        OsRelease.parse("NAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n"));
  }

  @Test
  void missingId_defaultsToLinux() {
    assertEquals(new Platform("linux", ""), OsRelease.parse("# nothing\n"));
  }

  @Test
  void quoting_commentsAndCrlf_areHandledAsAShellWould() {
    String text = "# comment\r\nID='debian'\r\nVERSION_ID=\"1\\\"2\"\r\n\r\n";
    assertEquals(new Platform("Debian", "1\"2"), OsRelease.parse(text));
  }

  @Test
  void read_file(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("os-release");
    Files.writeString(file, "ID=ubuntu\nVERSION_ID=\"24.04\"\n");
    assertEquals(Platform.parse("Ubuntu:24.04"), OsRelease.read(file));
    assertThrows(PatchException.class, () -> OsRelease.read(tmp.resolve("missing")));
  }

  @Test
  void conformance_localDebianMachine_isDebian12() {
    Path file = ConformanceData.require("local-dpkg-status/os-release.txt");
    assertEquals(Platform.parse("Debian:12"), OsRelease.read(file));
  }
}
