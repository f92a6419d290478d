package org.cloudpatch.inventory.version;

import static org.cloudpatch.inventory.version.SchemeConformanceTest.assertOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The RPM, Alpine, semver and PEP 440 orders on hand-written cases, and their input bounds. */
class SchemeOrderTest {
  private static final VersionScheme RPM = VersionSchemes.forEcosystem("Rocky Linux").orElseThrow();
  private static final VersionScheme APK =
      VersionSchemes.forEcosystem("Alpine:v3.20").orElseThrow();
  private static final VersionScheme GO = VersionSchemes.forEcosystem("Go").orElseThrow();
  private static final VersionScheme NPM = VersionSchemes.forEcosystem("npm").orElseThrow();
  private static final VersionScheme PYPI = VersionSchemes.forEcosystem("PyPI").orElseThrow();

  @Test
  void rpm_tildeSortsBeforeRelease() {
    assertOrder(RPM, "1.0~rc1-1", "1.0-1", -1);
    assertOrder(RPM, "1.0~rc1", "1.0", -1);
  }

  @Test
  void rpm_caretSortsAfterTheEndButBeforeMore() {
    assertOrder(RPM, "1.0^git1", "1.0", 1);
    assertOrder(RPM, "1.0^git1", "1.0.1", -1);
  }

  @Test
  void rpm_epochDecidesFirst() {
    assertOrder(RPM, "2:9.0.0-1", "8.3.2-1", 1);
    assertOrder(RPM, "0:1.0-1", "1.0-1", 0);
  }

  @Test
  void rpm_colonAfterNonDigitsIsNoEpoch() {
    assertEquals("0:1.m.e.2.1.", RPM.normalize("1.m+e2:1"));
  }

  @Test
  void rpm_missingReleaseSortsBeforeAnyRelease() {
    assertOrder(RPM, "1.0", "1.0-1", -1);
    assertOrder(RPM, "1.0-1", "1.0-2", -1);
  }

  @Test
  void rpm_separatorsOnlySeparate() {
    assertOrder(RPM, "1.0.0", "1_0_0", 0);
    assertOrder(RPM, "1.01", "1.1", 0);
  }

  @Test
  void alpine_preReleaseSuffixesSortBeforeTheRelease_postReleaseAfter() {
    assertOrder(APK, "1.2_alpha1", "1.2_beta", -1);
    assertOrder(APK, "1.2_rc3", "1.2", -1);
    assertOrder(APK, "1.2", "1.2_p1", -1);
    assertOrder(APK, "1.2_p1", "1.2.1", -1);
  }

  @Test
  void alpine_revisionAndLetterOrder() {
    assertOrder(APK, "1.2-r9", "1.2-r10", -1);
    assertOrder(APK, "1.2a", "1.2b", -1);
    assertOrder(APK, "1.2z", "1.2.1", -1);
    assertOrder(APK, "1.2-r01", "1.2-r1", 0);
  }

  @Test
  void alpine_zeroLedNumbersCompareAsText() {
    assertOrder(APK, "1.02", "1.1", -1);
    assertOrder(APK, "1.0", "1.00", -1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.0bc", "0.1_foo", "0.1-r", "1.0-r1_p1", "v1.0", "1..2", "1.0~XYZ"})
  void alpine_rejectsWhatApkToolsRejects(String version) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> APK.validate(version));
    assertTrue(e.getMessage().contains("'" + version + "'"), e.getMessage());
  }

  @Test
  void semver_preReleaseSortsBeforeRelease_buildIgnored() {
    assertOrder(GO, "v1.2.3-rc.1", "v1.2.3", -1);
    assertOrder(GO, "1.2.3-alpha.9", "1.2.3-alpha.10", -1);
    assertOrder(GO, "1.2.3-alpha.10", "1.2.3-alpha.beta", -1);
    assertOrder(GO, "1.2.3+build.1", "v1.2.3+build.2", 0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2", "01.2.3", "1.2.3-01", "1.2.3-", "1.2.3+", "1.2.3.4", "=1.2.3"})
  void semver_rejectsWhatTheSpecificationForbids(String version) {
    assertThrows(IllegalArgumentException.class, () -> GO.validate(version));
  }

  @Test
  void npm_acceptsLoosePrefixes() {
    assertOrder(NPM, "= v1.2.3", "1.2.3", 0);
  }

  @Test
  void pypi_devSortsBeforePre_postAfterRelease_localAfterPublic() {
    assertOrder(PYPI, "1.0.dev1", "1.0a1", -1);
    assertOrder(PYPI, "1.0a1", "1.0rc1", -1);
    assertOrder(PYPI, "1.0rc1", "1.0", -1);
    assertOrder(PYPI, "1.0", "1.0.post1", -1);
    assertOrder(PYPI, "1.0", "1.0+local", -1);
    assertOrder(PYPI, "1.0+abc", "1.0+1", -1);
  }

  @Test
  void pypi_spellingsAndTrailingZerosAreNormalised() {
    assertOrder(PYPI, "1.0.0", "1", 0);
    assertOrder(PYPI, "1.0-alpha-1", "1.0a1", 0);
    assertOrder(PYPI, "1.0c1", "1.0rc1", 0);
    assertOrder(PYPI, "1.0-1", "1.0.post1", 0);
    assertOrder(PYPI, "1!0.1", "2.0", 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Red Hat", "Alpine", "npm", "crates.io", "Go", "PyPI", "Debian", "Maven"})
  void everyScheme_rejectsOverlongVersionsNamingTheLength(String ecosystem) {
    VersionScheme scheme = VersionSchemes.forEcosystem(ecosystem).orElseThrow();
    String overlong = "1." + "1".repeat(300) + ".0";
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> scheme.validate(overlong));
    assertTrue(e.getMessage().contains("characters"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"Red Hat", "Alpine", "crates.io", "PyPI", "Maven"})
  void everyScheme_sorts100000VersionsWithoutThrowing(String ecosystem) {
    VersionScheme scheme = VersionSchemes.forEcosystem(ecosystem).orElseThrow();
    Random random = new Random(7);
    String[] pre = {
      "",
      "-rc.1",
      "a1",
      "_alpha",
      "~rc1",
      "-alpha",
      ".dev1",
      "_p2",
      ".x.2",
      "-sp",
      ".0.alpha.1",
      "-ga1"
    };
    List<String> versions = new ArrayList<>();
    while (versions.size() < 100_000) {
      String v =
          random.nextInt(3)
              + "."
              + random.nextInt(12)
              + "."
              + random.nextInt(12)
              + pre[random.nextInt(pre.length)];
      try {
        scheme.validate(v);
        versions.add(v);
      } catch (IllegalArgumentException e) {
        // Each scheme accepts only some of the suffixes; the others are not its versions.
      }
    }
    versions.sort(scheme::compare);
    for (int i = 1; i < versions.size(); i++) {
      assertTrue(scheme.compare(versions.get(i - 1), versions.get(i)) <= 0);
    }
  }
}
