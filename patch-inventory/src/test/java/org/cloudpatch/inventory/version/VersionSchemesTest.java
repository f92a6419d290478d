package org.cloudpatch.inventory.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VersionSchemesTest {

  @ParameterizedTest
  @ValueSource(strings = {"Debian", "Debian:12", "Debian:sid", "debian:11"})
  void forEcosystem_debian_isDpkgOrder(String ecosystem) {
    VersionScheme scheme = VersionSchemes.forEcosystem(ecosystem).orElseThrow();
    assertEquals("Debian", scheme.ecosystem());
    assertEquals(-1, scheme.compare("2.2~rc-4", "2.2-1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Ubuntu", "Ubuntu:22.04", "Ubuntu:22.04:LTS", "Ubuntu:Pro:18.04:LTS"})
  void forEcosystem_ubuntu_isDpkgOrder(String ecosystem) {
    VersionScheme scheme = VersionSchemes.forEcosystem(ecosystem).orElseThrow();
    assertEquals("Ubuntu", scheme.ecosystem());
    assertEquals(1, scheme.compare("1:1.0", "2.0"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"NuGet", "Packagist", "RubyGems", "", "Debianish"})
  void forEcosystem_otherEcosystems_haveNoSchemeYet(String ecosystem) {
    assertTrue(VersionSchemes.forEcosystem(ecosystem).isEmpty());
  }

  @Test
  void compare_returnsMinusOneZeroOrOne() {
    VersionScheme dpkg = VersionSchemes.forEcosystem("Debian").orElseThrow();
    assertEquals(-1, dpkg.compare("1.0", "1.0000000000000000000000000000001"));
    assertEquals(0, dpkg.compare("0:1.01", "1.1-0"));
    assertEquals(1, dpkg.compare("1.10", "1.9"));
  }

  @Test
  void compare_invalidVersion_throwsNamingIt() {
    VersionScheme dpkg = VersionSchemes.forEcosystem("Debian").orElseThrow();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> dpkg.compare("1.0", "<unfixed>"));
    assertTrue(e.getMessage().contains("'<unfixed>'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> dpkg.compare("x", "1.0"));
  }

  @Test
  void validate_acceptsValidAndRejectsInvalid() {
    VersionScheme dpkg = VersionSchemes.forEcosystem("Debian:12").orElseThrow();
    dpkg.validate("1:2.36-9+deb12u4");
    assertThrows(IllegalArgumentException.class, () -> dpkg.validate("2.36 9"));
    assertThrows(NullPointerException.class, () -> dpkg.validate(null));
  }
}
