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
  void alpine_isTheReleaseBranchWithItsV() {
    String text = "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.18.4\n";
    assertEquals(Platform.parse("Alpine:v3.18"), OsRelease.parse(text));
    assertEquals(Platform.parse("Alpine:v3"), OsRelease.parse("ID=alpine\nVERSION_ID=3\n"));
  }

  @Test
  void alpineEdge_keepsItsVersionAsItIs() {
    String text = "ID=alpine\nVERSION_ID=3.21.0_alpha20240807\nPRETTY_NAME=\"Alpine Linux edge\"\n";
    assertEquals(new Platform("Alpine", "3.21.0_alpha20240807"), OsRelease.parse(text));
  }

  @Test
  void rpmDistributions_areTheirOsvEcosystemsWithTheMajorRelease() {
    assertEquals(
        new Platform("Red Hat", "9"),
        OsRelease.parse("NAME=\"Red Hat Enterprise Linux\"\nID=\"rhel\"\nVERSION_ID=\"9.3\"\n"));
    assertEquals(
        new Platform("Rocky Linux", "8"),
        OsRelease.parse("ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"8.9\"\n"));
    assertEquals(
        new Platform("AlmaLinux", "9"), OsRelease.parse("ID=\"almalinux\"\nVERSION_ID=\"9.4\"\n"));
  }

  @Test
  void suse_isNamedAfterPrettyNameWithoutTheVendorWord() {
    assertEquals(
        new Platform("SUSE", "Linux Enterprise Server 15 SP5"),
        OsRelease.parse(
            "NAME=\"SLES\"\nVERSION_ID=\"15.5\"\n"
                + "PRETTY_NAME=\"SUSE Linux Enterprise Server 15 SP5\"\nID=\"sles\"\n"));
    assertEquals(
        new Platform("openSUSE", "Leap 15.5"),
        OsRelease.parse(
            "ID=\"opensuse-leap\"\nVERSION_ID=\"15.5\"\nPRETTY_NAME=\"openSUSE Leap 15.5\"\n"));
    assertEquals(
        new Platform("openSUSE", "Tumbleweed"),
        OsRelease.parse(
            "ID=\"opensuse-tumbleweed\"\nVERSION_ID=\"20240101\"\n"
                + "PRETTY_NAME=\"openSUSE Tumbleweed\"\n"));
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
