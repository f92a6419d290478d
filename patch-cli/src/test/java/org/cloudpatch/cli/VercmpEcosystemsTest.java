package org.cloudpatch.cli;

import static org.cloudpatch.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code cloudpatch vercmp} in every ecosystem DESIGN section 10 names, each in its own order. */
class VercmpEcosystemsTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Red Hat      | 1.0~rc1-1.el9     | 1.0-1.el9      | <",
        "Rocky Linux  | 2:9.0.0-1         | 8.3.2-1        | >",
        "AlmaLinux:9  | 1.0^git1-1        | 1.0-1          | >",
        "SUSE         | 1.01-1            | 1.1-1          | =",
        "openSUSE     | 1.2.3-150400.1    | 1.2.3-150500.1 | <",
        "Alpine:v3.20 | 1.2.4_rc1-r0      | 1.2.4-r0       | <",
        "Alpine       | 1.2.4_p1-r0       | 1.2.4-r9       | >",
        "Maven        | 1.0-SNAPSHOT      | 1.0            | <",
        "Maven        | 1.0.0.Final       | 1              | =",
        "PyPI         | 1.0.dev1          | 1.0a1          | <",
        "PyPI         | 1.0.post1         | 1.0+local      | >",
        "npm          | 1.2.3-beta.2      | 1.2.3-beta.11  | <",
        "Go           | v1.2.3            | v1.10.0        | <",
        "crates.io    | 1.0.0+build.1     | 1.0.0          | =",
        "Debian       | 1.0~rc1           | 1.0            | <",
        "Ubuntu:22.04 | 1:1.0             | 2.0            | >",
      })
  void vercmp_everyEcosystem_printsItsOwnOrder(String ecosystem, String a, String b, String want) {
    MainTest.Run r = run("", "vercmp", "--ecosystem", ecosystem, a, b);
    assertEquals(want + "\n", r.out(), r.err());
    assertEquals(0, r.code());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Alpine | 1.0bc",
        "PyPI   | 0.1-bulbasaur",
        "Go     | 1.2",
        "npm    | 01.2.3",
      })
  void vercmp_versionTheSchemeRejects_printsInvalid_andFailsTheCheck(String ecosystem, String bad) {
    MainTest.Run r = run("1.0.0 1.0.0\n" + bad + " 1.0.0\n", "vercmp", "--ecosystem", ecosystem);
    assertEquals("=\ninvalid\n", r.out(), r.err());
    assertTrue(r.err().contains(bad), r.err());
    assertEquals(1, r.code());
  }
}
