package org.cloudpatch.inventory.version;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.quicktheories.QuickTheory.qt;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RPM, PEP 440 and SemVer orders against their live oracles over generated pairs, all pairs of
 * a scheme answered by one process: rpm's own Python binding ({@code rpm.ver}, rpm 4.18),
 * pypa/packaging's {@code Version} and npm's node-semver. Each test skips when the tool is absent.
 */
class OracleTest {
  private static final int PAIRS = 15_000;

  @Test
  void rpm_agreesWithRpmVer_onGeneratedPairs(@TempDir Path tmp) throws Exception {
    PythonOracle oracle =
        PythonOracle.find(
            "rpm",
            "def compare(a, b):\n"
                + "    x, y = rpm.ver(a), rpm.ver(b)\n"
                + "    return (x > y) - (x < y)\n");
    assumeTrue(oracle != null, "no python3 with the rpm module; the rpm oracle test is skipped");
    List<String[]> pairs = generate(OracleGenerators.rpmPairs(), 0x59bL);
    PythonOracle.assertAgrees(
        VersionSchemes.forEcosystem("Red Hat").orElseThrow(), pairs, oracle.verdicts(pairs, tmp));
  }

  @Test
  void pypi_agreesWithPackaging_onGeneratedPairs(@TempDir Path tmp) throws Exception {
    PythonOracle oracle =
        PythonOracle.find(
            "packaging.version",
            "def compare(a, b):\n"
                + "    x, y = packaging.version.Version(a), packaging.version.Version(b)\n"
                + "    return (x > y) - (x < y)\n");
    assumeTrue(oracle != null, "no python3 with packaging; the PEP 440 oracle test is skipped");
    List<String[]> pairs = generate(OracleGenerators.pep440Pairs(), 0x440L);
    PythonOracle.assertAgrees(
        VersionSchemes.forEcosystem("PyPI").orElseThrow(), pairs, oracle.verdicts(pairs, tmp));
  }

  @Test
  void semver_agreesWithNodeSemver_onGeneratedPairs(@TempDir Path tmp) throws Exception {
    NodeSemverOracle oracle = NodeSemverOracle.find();
    assumeTrue(oracle != null, NodeSemverOracle.HOW_TO_GET + "; the SemVer oracle test is skipped");
    List<String[]> pairs = generate(OracleGenerators.semverPairs(), 0x5e3L);
    PythonOracle.assertAgrees(VersionSchemes.semver(), pairs, oracle.verdicts(pairs, tmp));
  }

  private static List<String[]> generate(org.quicktheories.core.Gen<String[]> gen, long seed) {
    List<String[]> pairs = new ArrayList<>();
    qt().withFixedSeed(seed).withExamples(PAIRS).forAll(gen).checkAssert(pairs::add);
    return pairs;
  }
}
