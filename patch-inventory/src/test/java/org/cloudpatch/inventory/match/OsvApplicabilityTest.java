package org.cloudpatch.inventory.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.AdvisoryReaders;
import org.cloudpatch.core.advisory.AffectedPackage;
import org.cloudpatch.core.advisory.AffectedRange;
import org.cloudpatch.core.advisory.AffectedRange.RangeType;
import org.cloudpatch.core.advisory.NotAffected;
import org.cloudpatch.core.advisory.RangeEvent;
import org.cloudpatch.core.advisory.RangeEvent.Kind;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.core.finding.Finding;
import org.cloudpatch.core.finding.FindingStatus;
import org.junit.jupiter.api.Test;

class OsvApplicabilityTest {
  private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");
  private final OsvApplicability applicability = OsvApplicability.create();

  // ---- builders ---------------------------------------------------------------------------------

  static RangeEvent introduced(String v) {
    return RangeEvent.introduced(v);
  }

  static RangeEvent fixed(String v) {
    return RangeEvent.fixed(v);
  }

  static RangeEvent lastAffected(String v) {
    return RangeEvent.of(Kind.LAST_AFFECTED, v);
  }

  static RangeEvent limit(String v) {
    return RangeEvent.of(Kind.LIMIT, v);
  }

  static AffectedRange ecosystemRange(RangeEvent... events) {
    return AffectedRange.of(RangeType.ECOSYSTEM, Arrays.asList(events));
  }

  static AffectedPackage pkg(String ecosystem, String name, AffectedRange... ranges) {
    return AffectedPackage.builder().ecosystem(ecosystem).name(name).addRanges(ranges).build();
  }

  static Advisory advisory(AffectedPackage... affected) {
    return Advisory.builder()
        .id(AdvisoryId.of("DSA-0001-1"))
        .source("DSA")
        .published(T)
        .modified(T)
        .summary("test advisory")
        .addAffected(affected)
        .build();
  }

  static InstalledPackage binary(String name, String source, String version) {
    return InstalledPackage.builder().name(name).version(version).sourceName(source).build();
  }

  static Inventory inventory(String asset, String platform, InstalledPackage... packages) {
    return Inventory.builder()
        .asset(AssetId.of(asset))
        .platform(Platform.parse(platform))
        .observedAt(T)
        .source("test")
        .addPackages(packages)
        .build();
  }

  /** The one finding of a glibc advisory with one range, on a Debian 12 machine at {@code v}. */
  private Finding glibcAt(String v, AffectedRange... ranges) {
    List<Finding> findings =
        applicability.assess(
            advisory(pkg("Debian:12", "glibc", ranges)),
            inventory("vm-1", "Debian:12", binary("libc6", "glibc", v)));
    assertEquals(1, findings.size(), findings.toString());
    return findings.get(0);
  }

  // ---- the verdicts
  // -------------------------------------------------------------------------------

  @Test
  void installedBelowFixed_isAffected_withTheFixAndTheDecidingEvents() {
    List<Finding> findings =
        applicability.assess(
            advisory(
                pkg(
                    "Debian:12",
                    "glibc",
                    ecosystemRange(introduced("0"), fixed("2.36-9+deb12u4")))),
            inventory(
                "vm-1",
                "Debian:12",
                binary("libc6", "glibc", "2.36-9"),
                InstalledPackage.of("bash", "5.2.15-2"),
                binary("libc-bin", "glibc", "2.36-9")));
    Finding f = findings.get(0);
    assertEquals(1, findings.size());
    assertEquals(AssetId.of("vm-1"), f.asset());
    assertEquals(AdvisoryId.of("DSA-0001-1"), f.advisory());
    assertEquals("Debian:12", f.ecosystem());
    assertEquals("glibc", f.packageName());
    assertEquals(List.of("libc-bin", "libc6"), f.binaryPackages());
    assertEquals("2.36-9", f.installedVersion());
    assertEquals(FindingStatus.AFFECTED, f.status());
    assertEquals(Optional.of("2.36-9+deb12u4"), f.fixedVersion());
    assertEquals(
        "range 0 (ECOSYSTEM): introduced 0, installed 2.36-9 < fixed 2.36-9+deb12u4", f.evidence());
  }

  @Test
  void installedEqualToFixed_isFixed() {
    Finding f = glibcAt("2.36-9+deb12u4", ecosystemRange(introduced("0"), fixed("2.36-9+deb12u4")));
    assertEquals(FindingStatus.FIXED, f.status());
    assertEquals(Optional.of("2.36-9+deb12u4"), f.fixedVersion());
    assertEquals(
        "range 0 (ECOSYSTEM): introduced 0, installed 2.36-9+deb12u4 >= fixed 2.36-9+deb12u4",
        f.evidence());
  }

  @Test
  void installedEqualToFixedInAnotherSpelling_isFixed() {
    Finding f =
        glibcAt("0:2.36-9+deb12u04", ecosystemRange(introduced("0"), fixed("2.36-9+deb12u4")));
    assertEquals(FindingStatus.FIXED, f.status());
  }

  @Test
  void installedAboveFixed_isFixed() {
    Finding f =
        glibcAt("2.36-9+deb12u10", ecosystemRange(introduced("0"), fixed("2.36-9+deb12u4")));
    assertEquals(FindingStatus.FIXED, f.status());
    assertEquals(Optional.of("2.36-9+deb12u4"), f.fixedVersion());
  }

  @Test
  void fixedByTilde_sortsInDpkgOrder() {
    // A tilde sorts before the end: 1.2.3-1~deb12u1 is below 1.2.3-1, which carries the fix too.
    assertEquals(
        FindingStatus.AFFECTED,
        glibcAt("1.2.3-1~deb12u0", ecosystemRange(introduced("0"), fixed("1.2.3-1~deb12u1")))
            .status());
    assertEquals(
        FindingStatus.FIXED,
        glibcAt("1.2.3-1", ecosystemRange(introduced("0"), fixed("1.2.3-1~deb12u1"))).status());
  }

  @Test
  void installedBelowIntroduced_isNotAffected() {
    Finding f = glibcAt("1.0-1", ecosystemRange(introduced("2.0"), fixed("2.5")));
    assertEquals(FindingStatus.NOT_AFFECTED, f.status());
    assertEquals(Optional.empty(), f.fixedVersion());
    assertEquals("range 0 (ECOSYSTEM): installed 1.0-1 < introduced 2.0", f.evidence());
  }

  @Test
  void installedEqualToIntroduced_isAffected() {
    assertEquals(
        FindingStatus.AFFECTED,
        glibcAt("2.0", ecosystemRange(introduced("2.0"), fixed("2.5"))).status());
  }

  @Test
  void lastAffected_isInclusive() {
    AffectedRange range = ecosystemRange(introduced("1.0"), lastAffected("1.5-2"));
    Finding at = glibcAt("1.5-2", range);
    assertEquals(FindingStatus.AFFECTED, at.status());
    assertEquals(Optional.empty(), at.fixedVersion());
    assertEquals(
        "range 0 (ECOSYSTEM): introduced 1.0, installed 1.5-2 <= last_affected 1.5-2",
        at.evidence());
    Finding above = glibcAt("1.5-2+deb12u1", range);
    assertEquals(FindingStatus.NOT_AFFECTED, above.status(), "no fix event, so not FIXED");
    assertTrue(above.evidence().contains("installed 1.5-2+deb12u1 > last_affected 1.5-2"));
  }

  @Test
  void limit_excludesVersionsAtOrAboveIt() {
    AffectedRange range = ecosystemRange(introduced("0"), limit("2.0"));
    assertEquals(FindingStatus.AFFECTED, glibcAt("1.9", range).status());
    Finding at = glibcAt("2.0", range);
    assertEquals(FindingStatus.NOT_AFFECTED, at.status());
    assertEquals("range 0 (ECOSYSTEM): installed 2.0 is not below any limit (2.0)", at.evidence());
    assertEquals(
        FindingStatus.AFFECTED,
        glibcAt("9.0", ecosystemRange(introduced("0"), limit("2.0"), limit("*"))).status(),
        "a limit of * is infinity");
  }

  @Test
  void severalIntervalsInOneRange_eachCounts() {
    AffectedRange range =
        ecosystemRange(introduced("1.0"), fixed("1.5"), introduced("2.0"), fixed("2.5"));
    assertEquals(FindingStatus.NOT_AFFECTED, glibcAt("0.9", range).status());
    Finding first = glibcAt("1.2", range);
    assertEquals(FindingStatus.AFFECTED, first.status());
    assertEquals(Optional.of("1.5"), first.fixedVersion());
    Finding between = glibcAt("1.7", range);
    assertEquals(FindingStatus.FIXED, between.status());
    assertEquals(Optional.of("1.5"), between.fixedVersion());
    Finding second = glibcAt("2.2", range);
    assertEquals(FindingStatus.AFFECTED, second.status());
    assertEquals(Optional.of("2.5"), second.fixedVersion());
    assertEquals(
        "range 0 (ECOSYSTEM): introduced 2.0, installed 2.2 < fixed 2.5", second.evidence());
    Finding after = glibcAt("3.0", range);
    assertEquals(FindingStatus.FIXED, after.status());
    assertEquals(Optional.of("2.5"), after.fixedVersion());
  }

  @Test
  void multipleRanges_anyAffectedRangeDecides_andEvidenceNamesIt() {
    AffectedRange[] ranges = {
      ecosystemRange(introduced("0"), fixed("1.5")), ecosystemRange(introduced("2.0"), fixed("2.5"))
    };
    Finding f = glibcAt("2.1", ranges);
    assertEquals(FindingStatus.AFFECTED, f.status());
    assertEquals(Optional.of("2.5"), f.fixedVersion());
    assertEquals("range 1 (ECOSYSTEM): introduced 2.0, installed 2.1 < fixed 2.5", f.evidence());
    assertEquals(FindingStatus.FIXED, glibcAt("1.7", ranges).status());
  }

  @Test
  void eventsOutOfOrder_areSortedByVersion() {
    Finding f = glibcAt("1.5", ecosystemRange(fixed("2.0"), introduced("1.0")));
    assertEquals(FindingStatus.AFFECTED, f.status());
    assertEquals(Optional.of("2.0"), f.fixedVersion());
  }

  @Test
  void introducedAndFixedAtTheSameVersion_isAnEmptyRange() {
    assertEquals(
        FindingStatus.FIXED,
        glibcAt("1.0", ecosystemRange(fixed("1.0"), introduced("1.0"))).status());
  }

  @Test
  void versionsList_marksListedVersionsAffected_inTheSchemesEquality() {
    Advisory advisory =
        advisory(
            AffectedPackage.builder()
                .ecosystem("Debian:12")
                .name("glibc")
                .addVersions("2.36-8", "2.36-9")
                .build());
    Finding listed =
        applicability
            .assess(advisory, inventory("vm", "Debian:12", binary("libc6", "glibc", "0:2.36-09")))
            .get(0);
    assertEquals(FindingStatus.AFFECTED, listed.status());
    assertEquals("versions list: installed 0:2.36-09 equals listed 2.36-9", listed.evidence());
    Finding unlisted =
        applicability
            .assess(advisory, inventory("vm", "Debian:12", binary("libc6", "glibc", "2.36-10")))
            .get(0);
    assertEquals(FindingStatus.NOT_AFFECTED, unlisted.status());
    assertEquals("versions list: installed 2.36-10 is not listed", unlisted.evidence());
  }

  @Test
  void gitRange_aloneIsUnknown_neverNotAffected() {
    AffectedRange git = AffectedRange.of(RangeType.GIT, List.of(introduced("0"), fixed("abc123")));
    Finding f = glibcAt("2.36-9", git);
    assertEquals(FindingStatus.UNKNOWN, f.status());
    assertTrue(f.evidence().startsWith("range 0 (GIT): commit ranges cannot be compared"));
    // An ECOSYSTEM range that proves it affected still decides.
    assertEquals(
        FindingStatus.AFFECTED,
        glibcAt("2.36-9", git, ecosystemRange(introduced("0"), fixed("2.36-10"))).status());
    // One that only says "not affected" cannot outvote the GIT range.
    assertEquals(
        FindingStatus.UNKNOWN,
        glibcAt("2.36-11", git, ecosystemRange(introduced("0"), fixed("2.36-10"))).status());
  }

  @Test
  void semverRange_comparesInSemverOrder_evenInADistribution() {
    AffectedRange semver =
        AffectedRange.of(RangeType.SEMVER, List.of(introduced("0"), fixed("1.0.0")));
    Finding affected = glibcAt("1.0.0-rc.1", semver);
    assertEquals(FindingStatus.AFFECTED, affected.status(), affected.evidence());
    assertEquals("1.0.0", affected.fixedVersion().orElseThrow());
    assertEquals(FindingStatus.FIXED, glibcAt("1.0.0", semver).status());
  }

  /**
   * A Maven release candidate written with dots ({@code 3.7.0.rc.3}, a real version) is below its
   * release in Maven's order, so a fix in the release leaves it affected; it was called fixed.
   */
  @Test
  void releaseCandidate_ranksBelowItsRelease_soAFixInTheReleaseLeavesItAffected() {
    List<Finding> findings =
        applicability.assess(
            advisory(
                pkg("Maven", "org.example:lib", ecosystemRange(introduced("0"), fixed("3.7.0")))),
            inventory("app-1", "Maven", InstalledPackage.of("org.example:lib", "3.7.0.rc.3")));
    assertEquals(1, findings.size(), findings.toString());
    assertEquals(FindingStatus.AFFECTED, findings.get(0).status(), findings.get(0).evidence());
    assertEquals(Optional.of("3.7.0"), findings.get(0).fixedVersion());
  }

  @Test
  void semverRange_installedVersionNotSemver_isUnknown() {
    AffectedRange semver =
        AffectedRange.of(RangeType.SEMVER, List.of(introduced("0"), fixed("1.0.0")));
    Finding f = glibcAt("2.0", semver);
    assertEquals(FindingStatus.UNKNOWN, f.status());
    assertTrue(f.evidence().contains("cannot be compared"), f.evidence());
  }

  @Test
  void unparsableEventVersion_isUnknown() {
    Finding f = glibcAt("2.36-9", ecosystemRange(introduced("0"), fixed("<unfixed>")));
    assertEquals(FindingStatus.UNKNOWN, f.status());
    assertTrue(f.evidence().contains("event fixed is invalid"), f.evidence());
    assertTrue(f.evidence().contains("'<unfixed>'"), f.evidence());
  }

  @Test
  void unparsableInstalledVersion_isUnknown() {
    Finding f = glibcAt("2.36 9", ecosystemRange(introduced("0"), fixed("2.36-10")));
    assertEquals(FindingStatus.UNKNOWN, f.status());
    assertTrue(f.evidence().contains("installed version cannot be compared"), f.evidence());
  }

  @Test
  void unparsableListedVersion_makesANegativeVerdictUnknown() {
    Advisory advisory =
        advisory(
            AffectedPackage.builder()
                .ecosystem("Debian:12")
                .name("glibc")
                .addRanges(ecosystemRange(introduced("0"), fixed("2.0")))
                .addVersions("1.0", "bogus version")
                .build());
    Finding f =
        applicability
            .assess(advisory, inventory("vm", "Debian:12", binary("libc6", "glibc", "3.0")))
            .get(0);
    assertEquals(FindingStatus.UNKNOWN, f.status());
  }

  @Test
  void ecosystemWithoutScheme_isUnknown_unlessTheVersionIsListedExactly() {
    AffectedPackage packagist =
        AffectedPackage.builder()
            .ecosystem("Packagist")
            .name("laravel/framework")
            .addRanges(ecosystemRange(introduced("0"), fixed("10.2.5")))
            .addVersions("10.2.4")
            .build();
    Finding unknown =
        applicability
            .assess(
                advisory(packagist),
                inventory("web", "Packagist", InstalledPackage.of("laravel/framework", "10.1.0")))
            .get(0);
    assertEquals(FindingStatus.UNKNOWN, unknown.status());
    assertTrue(unknown.evidence().startsWith("no version scheme for ecosystem Packagist"));
    Finding listed =
        applicability
            .assess(
                advisory(packagist),
                inventory("web", "Packagist", InstalledPackage.of("laravel/framework", "10.2.4")))
            .get(0);
    assertEquals(FindingStatus.AFFECTED, listed.status());
  }

  @Test
  void neitherRangesNorVersions_isUnknown() {
    Finding f = glibcAt("2.36-9");
    assertEquals(FindingStatus.UNKNOWN, f.status());
  }

  // ---- what matches what ----------------------------------------------------------------------

  @Test
  void withdrawnAdvisory_givesNoFindings() {
    Advisory withdrawn =
        Advisory.builder()
            .from(advisory(pkg("Debian:12", "glibc", ecosystemRange(introduced("0")))))
            .withdrawn(T.plusSeconds(60))
            .build();
    Inventory inv = inventory("vm", "Debian:12", binary("libc6", "glibc", "2.36-9"));
    assertEquals(List.of(), applicability.assess(withdrawn, inv));
    assertEquals(List.of(), applicability.assess(withdrawn, List.of(inv, inv)));
  }

  @Test
  void packageNotInstalled_givesNoFinding() {
    assertEquals(
        List.of(),
        applicability.assess(
            advisory(pkg("Debian:12", "openssl", ecosystemRange(introduced("0")))),
            inventory("vm", "Debian:12", binary("libc6", "glibc", "2.36-9"))));
  }

  @Test
  void otherRelease_isNotMatched() {
    assertEquals(
        List.of(),
        applicability.assess(
            advisory(pkg("Debian:11", "glibc", ecosystemRange(introduced("0")))),
            inventory("vm", "Debian:12", binary("libc6", "glibc", "2.36-9"))));
  }

  @Test
  void ecosystemWithoutRelease_matchesEveryRelease() {
    List<Finding> findings =
        applicability.assess(
            advisory(pkg("Debian", "glibc", ecosystemRange(introduced("0"), fixed("2.37")))),
            inventory("vm", "Debian:12", binary("libc6", "glibc", "2.36-9")));
    assertEquals(FindingStatus.AFFECTED, findings.get(0).status());
    assertEquals("Debian", findings.get(0).ecosystem());
  }

  @Test
  void ubuntuLtsAndProQualifiers_matchTheNumericRelease() {
    Inventory jammy = inventory("vm", "Ubuntu:22.04", binary("libc6", "glibc", "2.35-0ubuntu3"));
    for (String eco : List.of("Ubuntu:22.04:LTS", "Ubuntu:Pro:22.04:LTS", "Ubuntu:22.04")) {
      List<Finding> findings =
          applicability.assess(
              advisory(
                  pkg(eco, "glibc", ecosystemRange(introduced("0"), fixed("2.35-0ubuntu3.1")))),
              jammy);
      assertEquals(1, findings.size(), eco);
      assertEquals(FindingStatus.AFFECTED, findings.get(0).status(), eco);
    }
    assertEquals(
        List.of(),
        applicability.assess(
            advisory(pkg("Ubuntu:20.04:LTS", "glibc", ecosystemRange(introduced("0")))), jammy));
  }

  @Test
  void redHatProductStream_coversTheReleasesOfItsMajorVersion() {
    AffectedRange range = ecosystemRange(introduced("0"), fixed("1:3.0.7-27.el9"));
    for (String stream :
        List.of(
            "Red Hat:enterprise_linux:9::appstream",
            "Red Hat:rhel_eus:9.2::baseos",
            "Red Hat:enterprise_linux:9")) {
      Advisory advisory = advisory(pkg(stream, "openssl", range));
      assertEquals(
          1,
          applicability
              .assess(
                  advisory,
                  inventory(
                      "rhel9", "Red Hat:9", binary("openssl-libs", "openssl", "1:3.0.7-24.el9")))
              .size(),
          stream + " covers Red Hat:9");
      assertEquals(
          1,
          applicability
              .assess(
                  advisory,
                  inventory(
                      "rhel93", "Red Hat:9.3", binary("openssl-libs", "openssl", "1:3.0.7-24.el9")))
              .size(),
          stream + " covers Red Hat:9.3");
      assertEquals(
          List.of(),
          applicability.assess(
              advisory,
              inventory("rhel8", "Red Hat:8", binary("openssl-libs", "openssl", "1:1.1.1k-9.el8"))),
          stream + " does not cover Red Hat:8");
    }
  }

  @Test
  void binaryWhoseSourceDiffers_isMatchedByItsSource() {
    List<Finding> findings =
        applicability.assess(
            advisory(
                pkg(
                    "Debian:12",
                    "util-linux",
                    ecosystemRange(introduced("0"), fixed("2.38.1-5+deb12u4")))),
            inventory(
                "vm",
                "Debian:12",
                binary("mount", "util-linux", "2.38.1-5+deb12u3"),
                binary("libblkid1", "util-linux", "2.38.1-5+deb12u3")));
    assertEquals(1, findings.size());
    assertEquals("util-linux", findings.get(0).packageName());
    assertEquals(List.of("libblkid1", "mount"), findings.get(0).binaryPackages());
  }

  @Test
  void binaryNamedLikeTheAdvisory_butBuiltFromAnotherSource_isNotMatched() {
    assertEquals(
        List.of(),
        applicability.assess(
            advisory(pkg("Debian:12", "foo", ecosystemRange(introduced("0")))),
            inventory("vm", "Debian:12", binary("foo", "bar", "1.0"))));
  }

  @Test
  void binNmu_comparesTheSourceVersion() {
    InstalledPackage bash =
        InstalledPackage.builder()
            .name("bash")
            .version("5.2.15-2+b8")
            .sourceVersion("5.2.15-2")
            .build();
    Finding f =
        applicability
            .assess(
                advisory(
                    pkg(
                        "Debian:12",
                        "bash",
                        ecosystemRange(introduced("0"), fixed("5.2.15-2+b1")))),
                inventory("vm", "Debian:12", bash))
            .get(0);
    assertEquals("5.2.15-2", f.installedVersion());
    assertEquals(FindingStatus.AFFECTED, f.status(), "the binary's +b8 must not hide the source");
  }

  @Test
  void partialUpgrade_givesOneFindingPerSourceVersion() {
    List<Finding> findings =
        applicability.assess(
            advisory(
                pkg(
                    "Debian:12",
                    "glibc",
                    ecosystemRange(introduced("0"), fixed("2.36-9+deb12u4")))),
            inventory(
                "vm",
                "Debian:12",
                binary("libc6", "glibc", "2.36-9+deb12u4"),
                binary("libc-bin", "glibc", "2.36-9"),
                binary("locales", "glibc", "2.36-9+deb12u4")));
    assertEquals(2, findings.size());
    assertEquals(List.of("libc6", "locales"), findings.get(0).binaryPackages());
    assertEquals(FindingStatus.FIXED, findings.get(0).status());
    assertEquals(List.of("libc-bin"), findings.get(1).binaryPackages());
    assertEquals(FindingStatus.AFFECTED, findings.get(1).status());
  }

  @Test
  void sameNameInTwoEntries_isOneFinding() {
    List<Finding> findings =
        applicability.assess(
            advisory(
                pkg("Debian", "glibc", ecosystemRange(introduced("0"), fixed("2.30"))),
                pkg(
                    "Debian:12",
                    "glibc",
                    ecosystemRange(introduced("0"), fixed("2.36-9+deb12u4")))),
            inventory("vm", "Debian:12", binary("libc6", "glibc", "2.36-9")));
    assertEquals(1, findings.size());
    assertEquals(FindingStatus.AFFECTED, findings.get(0).status());
    assertEquals(Optional.of("2.36-9+deb12u4"), findings.get(0).fixedVersion());
    assertTrue(
        findings.get(0).evidence().startsWith("Debian:12 range 0"), findings.get(0).evidence());
  }

  // ---- the vendor's "not affected" --------------------------------------------------------------

  static NotAffected notAffected(String ecosystem, String name, String why, String... versions) {
    return NotAffected.builder()
        .ecosystem(ecosystem)
        .name(name)
        .justification(why)
        .addVersions(versions)
        .build();
  }

  static Advisory advisory(List<AffectedPackage> affected, NotAffected... statements) {
    return Advisory.builder()
        .from(advisory())
        .addAllAffected(affected)
        .addNotAffected(statements)
        .build();
  }

  /** The one finding of {@code advisory} on a Debian 12 machine with glibc at {@code v}. */
  private Finding glibcAt(Advisory advisory, String v) {
    List<Finding> findings =
        applicability.assess(advisory, inventory("vm-1", "Debian:12", binary("libc6", "glibc", v)));
    assertEquals(1, findings.size(), findings.toString());
    return findings.get(0);
  }

  @Test
  void notAffectedStatementAboutEveryVersion_givesNotAffected_withTheVendorsJustification() {
    Finding f =
        glibcAt(
            advisory(List.of(), notAffected("Debian:12", "glibc", "vulnerable_code_not_present")),
            "2.36-9");
    assertEquals(FindingStatus.NOT_AFFECTED, f.status());
    assertEquals("Debian:12", f.ecosystem());
    assertEquals(List.of("libc6"), f.binaryPackages());
    assertEquals(Optional.empty(), f.fixedVersion());
    assertEquals(
        "vendor states not affected: vulnerable_code_not_present (every version of glibc)",
        f.evidence());
  }

  @Test
  void notAffectedStatementListingVersions_coversThoseInTheSchemesEquality_andNoOthers() {
    Advisory advisory =
        advisory(
            List.of(),
            notAffected("Debian:12", "glibc", "inline_mitigations_already_exist", "2.36-9"));
    Finding listed = glibcAt(advisory, "0:2.36-09");
    assertEquals(FindingStatus.NOT_AFFECTED, listed.status());
    assertEquals(
        "vendor states not affected: inline_mitigations_already_exist"
            + " (installed 0:2.36-09 equals listed 2.36-9)",
        listed.evidence());
    Finding other = glibcAt(advisory, "2.36-10");
    assertEquals(FindingStatus.UNKNOWN, other.status(), "the vendor said nothing about 2.36-10");
    assertTrue(other.evidence().contains("says nothing about installed 2.36-10"), other.evidence());
  }

  @Test
  void notAffectedStatement_matchesLikeAnAffectedEntry_byReleaseAndBySourcePackage() {
    Advisory advisory = advisory(List.of(), notAffected("Debian:11", "glibc", "not in bookworm"));
    assertEquals(
        List.of(),
        applicability.assess(
            advisory, inventory("vm", "Debian:12", binary("libc6", "glibc", "2.36-9"))));
    assertEquals(
        List.of(),
        applicability.assess(
            advisory(List.of(), notAffected("Debian:12", "libc6", "binary name, not source")),
            inventory("vm", "Debian:12", binary("libc6", "glibc", "2.36-9"))));
  }

  @Test
  void notAffectedStatementListingTheVersion_outweighsARangeThatOnlyImpliesIt() {
    // CSAF "fixed at 2.37-1" becomes "introduced 0, fixed 2.37-1", which also claims 2.28-10; the
    // vendor's statement about exactly 2.28-10 is the more specific one.
    Advisory advisory =
        advisory(
            List.of(pkg("Debian:12", "glibc", ecosystemRange(introduced("0"), fixed("2.37-1")))),
            notAffected("Debian:12", "glibc", "vulnerable_code_not_present", "2.28-10"));
    Finding f = glibcAt(advisory, "2.28-10");
    assertEquals(FindingStatus.NOT_AFFECTED, f.status());
    assertEquals(Optional.empty(), f.fixedVersion());
    assertEquals(
        "vendor states not affected: vulnerable_code_not_present (installed 2.28-10 is listed);"
            + " outweighs the less specific range 0 (ECOSYSTEM): introduced 0,"
            + " installed 2.28-10 < fixed 2.37-1",
        f.evidence());
    assertEquals(
        FindingStatus.AFFECTED,
        glibcAt(advisory, "2.36-9").status(),
        "other versions in the range stay affected");
  }

  @Test
  void notAffectedStatementAboutEveryVersion_trulyConflictingWithARange_losesToAffected() {
    Advisory advisory =
        advisory(
            List.of(pkg("Debian:12", "glibc", ecosystemRange(introduced("0"), fixed("2.37-1")))),
            notAffected("Debian:12", "glibc", "component_not_present"));
    Finding f = glibcAt(advisory, "2.36-9");
    assertEquals(FindingStatus.AFFECTED, f.status());
    assertEquals(Optional.of("2.37-1"), f.fixedVersion());
    assertEquals(
        "range 0 (ECOSYSTEM): introduced 0, installed 2.36-9 < fixed 2.37-1;"
            + " overrides the conflicting not-affected statement (component_not_present)",
        f.evidence());
  }

  @Test
  void versionListedBothAffectedAndNotAffected_trulyConflicts_andAffectedWins() {
    Advisory advisory =
        advisory(
            List.of(
                AffectedPackage.builder()
                    .ecosystem("Debian:12")
                    .name("glibc")
                    .addVersions("2.36-9")
                    .build()),
            notAffected("Debian:12", "glibc", "vulnerable_code_not_in_execute_path", "2.36-9"));
    Finding f = glibcAt(advisory, "2.36-9");
    assertEquals(FindingStatus.AFFECTED, f.status());
    assertTrue(
        f.evidence()
            .endsWith(
                "overrides the conflicting not-affected statement"
                    + " (vulnerable_code_not_in_execute_path)"),
        f.evidence());
  }

  @Test
  void notAffectedStatement_decidesWhatTheAffectedEntriesLeaveFixedOrUnknown() {
    NotAffected statement = notAffected("Debian:12", "glibc", "vulnerable_code_not_present");
    AffectedPackage fixedAt =
        pkg("Debian:12", "glibc", ecosystemRange(introduced("0"), fixed("2.30")));
    assertEquals(
        FindingStatus.NOT_AFFECTED,
        glibcAt(advisory(List.of(fixedAt), statement), "2.36-9").status());
    AffectedPackage git =
        pkg(
            "Debian:12",
            "glibc",
            AffectedRange.of(RangeType.GIT, List.of(introduced("0"), fixed("abc123"))));
    assertEquals(
        FindingStatus.NOT_AFFECTED, glibcAt(advisory(List.of(git), statement), "2.36-9").status());
  }

  @Test
  void notAffectedStatementAndAffectedEntryForOnePackage_giveOneFinding_inAFleetToo() {
    Advisory advisory =
        advisory(
            List.of(pkg("Debian:12", "glibc", ecosystemRange(introduced("0"), fixed("2.37-1")))),
            notAffected("Debian:12", "glibc", "vulnerable_code_not_present", "2.28-10"),
            notAffected("Debian", "glibc", "vulnerable_code_not_present", "2.28-11"));
    List<Inventory> fleet =
        List.of(
            inventory("a", "Debian:12", binary("libc6", "glibc", "2.28-10")),
            inventory("b", "Debian:12", binary("libc6", "glibc", "2.36-9")),
            inventory("c", "Debian:12", binary("libc6", "glibc", "2.28-11")));
    List<Finding> findings = applicability.assess(advisory, fleet);
    assertEquals(
        List.of(FindingStatus.NOT_AFFECTED, FindingStatus.AFFECTED, FindingStatus.NOT_AFFECTED),
        findings.stream().map(Finding::status).toList());
    assertEquals("Debian", findings.get(2).ecosystem(), "the statement that decided");
  }

  // ---- CSAF product statuses, read and applied
  // ---------------------------------------------------

  /** A CSAF document about libfoo 1.0-1 and 1.0-3 on Debian 12, with the given product status. */
  private static Advisory csaf(String status) {
    String doc =
        """
        {"document": {"category": "csaf_vex", "csaf_version": "2.0", "title": "libfoo",
          "publisher": {"category": "vendor", "name": "Example", "namespace": "https://example.com"},
          "tracking": {"id": "EX-2026-3", "initial_release_date": "2026-01-01T00:00:00Z",
            "current_release_date": "2026-01-01T00:00:00Z", "status": "final", "version": "1",
            "revision_history": [{"date": "2026-01-01T00:00:00Z", "number": "1", "summary": "x"}]}},
         "product_tree": {"full_product_names": [
           {"name": "libfoo 1.0-1", "product_id": "FOO-1", "product_identification_helper":
             {"purl": "pkg:deb/debian/libfoo@1.0-1?distro=debian-12"}},
           {"name": "libfoo 1.0-3", "product_id": "FOO-3", "product_identification_helper":
             {"purl": "pkg:deb/debian/libfoo@1.0-3?distro=debian-12"}}]},
         "vulnerabilities": [{"cve": "CVE-2026-0009", "product_status": %s,
           "flags": [{"label": "vulnerable_code_not_present", "product_ids": ["FOO-1"]}]}]}
        """
            .formatted(status);
    ReadBatch<Advisory> batch =
        AdvisoryReaders.create()
            .read(new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8)), "test.json");
    assertEquals(List.of(), batch.quarantined());
    return batch.accepted().get(0);
  }

  private Finding libfooAt(Advisory advisory, String v) {
    List<Finding> findings =
        applicability.assess(
            advisory, inventory("vm", "Debian:12", binary("libfoo1", "libfoo", v)));
    assertEquals(1, findings.size(), findings.toString());
    return findings.get(0);
  }

  @Test
  void csafKnownNotAffected_isNotAffected_withTheVexFlagAsEvidence() {
    Finding f = libfooAt(csaf("{\"known_not_affected\": [\"FOO-1\"]}"), "1.0-1");
    assertEquals(FindingStatus.NOT_AFFECTED, f.status());
    assertEquals(
        "vendor states not affected: vulnerable_code_not_present (installed 1.0-1 is listed)",
        f.evidence());
  }

  @Test
  void csafUnderInvestigation_isUnknown() {
    Finding f = libfooAt(csaf("{\"under_investigation\": [\"FOO-1\"]}"), "1.0-1");
    assertEquals(FindingStatus.UNKNOWN, f.status());
    assertEquals("the advisory lists neither ranges nor versions for libfoo", f.evidence());
  }

  @Test
  void csafRecommended_isTheFixedVersionOfAnAffectedProductWithoutFix() {
    Advisory advisory = csaf("{\"known_affected\": [\"FOO-1\"], \"recommended\": [\"FOO-3\"]}");
    Finding affected = libfooAt(advisory, "1.0-1");
    assertEquals(FindingStatus.AFFECTED, affected.status());
    assertEquals(Optional.of("1.0-3"), affected.fixedVersion());
    assertEquals(FindingStatus.FIXED, libfooAt(advisory, "1.0-3").status());
  }

  // ---- fleets
  // -------------------------------------------------------------------------------------

  @Test
  void fleet_givesTheSameFindingsAsOneByOne_inInventoryOrder() {
    Advisory advisory =
        advisory(
            pkg("Debian:12", "glibc", ecosystemRange(introduced("0"), fixed("2.36-9+deb12u4"))));
    List<Inventory> fleet = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String v = i % 3 == 0 ? "2.36-9+deb12u4" : "2.36-9";
      fleet.add(
          inventory(
              "vm-" + i, i % 5 == 0 ? "Debian:11" : "Debian:12", binary("libc6", "glibc", v)));
    }
    List<Finding> oneByOne = new ArrayList<>();
    fleet.forEach(inv -> oneByOne.addAll(applicability.assess(advisory, inv)));
    assertEquals(oneByOne, applicability.assess(advisory, fleet));
    assertEquals(40, oneByOne.size(), "the Debian 11 machines are not covered");
  }

  @Test
  void fleet_decidesEachDistinctVersionOnce() {
    Advisory advisory =
        advisory(
            pkg("Debian:12", "glibc", ecosystemRange(introduced("0"), fixed("2.36-9+deb12u4"))));
    OsvApplicability.Session session = new OsvApplicability.Session(advisory);
    for (int i = 0; i < 1_000; i++) {
      String v = i % 2 == 0 ? "2.36-9+deb12u4" : "2.36-9";
      session.assess(
          inventory(
              "vm-" + i,
              "Debian:12",
              binary("libc6", "glibc", v),
              binary("libc-bin", "glibc", v),
              InstalledPackage.of("bash", "5.2.15-2")));
    }
    assertEquals(2, session.verdictCount());
  }
}
