package org.cloudpatch.inventory.match;

import static org.cloudpatch.inventory.match.OsvApplicabilityTest.binary;
import static org.cloudpatch.inventory.match.OsvApplicabilityTest.ecosystemRange;
import static org.cloudpatch.inventory.match.OsvApplicabilityTest.fixed;
import static org.cloudpatch.inventory.match.OsvApplicabilityTest.introduced;
import static org.cloudpatch.inventory.match.OsvApplicabilityTest.inventory;
import static org.cloudpatch.inventory.match.OsvApplicabilityTest.pkg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.AffectedPackage;
import org.cloudpatch.core.advisory.NotAffected;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.finding.Finding;
import org.cloudpatch.core.finding.FindingStatus;
import org.junit.jupiter.api.Test;

class ApplicabilityIndexTest {
  private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");

  private final ApplicabilityIndex index = ApplicabilityIndex.create();

  static Advisory advisory(String id, AffectedPackage... affected) {
    return Advisory.builder()
        .id(AdvisoryId.of(id))
        .source("DSA")
        .published(T)
        .modified(T)
        .summary(id)
        .addAffected(affected)
        .build();
  }

  static Advisory glibcFixedIn(String id, String fixed) {
    return advisory(id, pkg("Debian:12", "glibc", ecosystemRange(introduced("0"), fixed(fixed))));
  }

  /** A Debian 12 VM with glibc at {@code glibc}, openssl at {@code openssl}, and bash. */
  static Inventory vm(int n, String glibc, String openssl) {
    return inventory(
        "vm-" + n,
        "Debian:12",
        binary("libc6", "glibc", glibc),
        binary("libc-bin", "glibc", glibc),
        binary("libssl3", "openssl", openssl),
        InstalledPackage.of("bash", "5.2.15-2+b2"));
  }

  /** 1,000 VMs from three images: two glibc versions, two openssl versions. */
  private void thousandVmsFromThreeImages() {
    for (int i = 0; i < 1_000; i++) {
      switch (i % 3) {
        case 0 -> index.put(vm(i, "2.36-9+deb12u3", "3.0.11-1~deb12u2"));
        case 1 -> index.put(vm(i, "2.36-9+deb12u4", "3.0.11-1~deb12u2"));
        default -> index.put(vm(i, "2.36-9+deb12u4", "3.0.13-1~deb12u1"));
      }
    }
  }

  @Test
  void newAdvisory_decidesOnlyTheHeldVersionsOfThePackagesItNames_notOnePerVm() {
    thousandVmsFromThreeImages();

    int decided = index.put(glibcFixedIn("DSA-1", "2.36-9+deb12u4"));

    assertEquals(2, decided, "two glibc versions are held; openssl and bash are not named");
    List<Finding> findings = index.findings(AdvisoryId.of("DSA-1"));
    assertEquals(1_000, findings.size());
    assertEquals(334, findings.stream().filter(f -> f.status() == FindingStatus.AFFECTED).count());
    Finding first = findings.get(0);
    assertEquals(AssetId.of("vm-0"), first.asset());
    assertEquals(List.of("libc-bin", "libc6"), first.binaryPackages());
    assertEquals("2.36-9+deb12u3", first.installedVersion());
    assertEquals("2.36-9+deb12u4", first.fixedVersion().orElseThrow());
    assertTrue(first.evidence().contains("installed 2.36-9+deb12u3 < fixed 2.36-9+deb12u4"));
  }

  @Test
  void advisoryForAnotherRelease_decidesNothing() {
    thousandVmsFromThreeImages();

    int decided =
        index.put(
            advisory(
                "DLA-1",
                pkg("Debian:11", "glibc", ecosystemRange(introduced("0"), fixed("2.31")))));

    assertEquals(0, decided);
    assertEquals(List.of(), index.findings(AdvisoryId.of("DLA-1")));
  }

  @Test
  void updatedAdvisory_replacesItsFindings_andDecidesOnlyWhatItNamesAgain() {
    thousandVmsFromThreeImages();
    index.put(glibcFixedIn("DSA-1", "2.36-9+deb12u4"));
    index.put(
        advisory(
            "DSA-2",
            pkg(
                "Debian:12",
                "openssl",
                ecosystemRange(introduced("0"), fixed("3.0.13-1~deb12u1")))));

    int decided = index.put(glibcFixedIn("DSA-1", "2.36-9+deb12u5"));

    assertEquals(2, decided);
    assertEquals(
        1_000,
        index.findings(AdvisoryId.of("DSA-1")).stream()
            .filter(f -> f.status() == FindingStatus.AFFECTED)
            .count(),
        "every VM is below the new fix");
    assertEquals(
        667,
        index.findings(AdvisoryId.of("DSA-2")).stream()
            .filter(f -> f.status() == FindingStatus.AFFECTED)
            .count(),
        "the other advisory is untouched");
    assertEquals(2, index.advisoryCount());
  }

  @Test
  void withdrawnAdvisory_matchesNothing_andIsNoLongerHeld() {
    thousandVmsFromThreeImages();
    Advisory dsa = glibcFixedIn("DSA-1", "2.36-9+deb12u4");
    index.put(dsa);

    int decided = index.put(Advisory.builder().from(dsa).withdrawn(T.plusSeconds(60)).build());

    assertEquals(0, decided);
    assertEquals(List.of(), index.findings(AdvisoryId.of("DSA-1")));
    assertTrue(index.findings(AssetId.of("vm-0")).isEmpty());
    assertEquals(0, index.advisoryCount());
    assertFalse(index.remove(AdvisoryId.of("DSA-1")), "already gone");
  }

  @Test
  void changedInventory_toAVersionAnotherVmHolds_decidesNothing_andChangesOnlyThatAsset() {
    thousandVmsFromThreeImages();
    index.put(glibcFixedIn("DSA-1", "2.36-9+deb12u4"));
    List<Finding> vm1Before = index.findings(AssetId.of("vm-1"));

    int decided = index.put(vm(0, "2.36-9+deb12u4", "3.0.11-1~deb12u2"));

    assertEquals(0, decided, "2.36-9+deb12u4 was decided already");
    assertEquals(FindingStatus.FIXED, index.findings(AssetId.of("vm-0")).get(0).status());
    assertEquals(vm1Before, index.findings(AssetId.of("vm-1")));
    assertEquals(
        333,
        index.findings(AdvisoryId.of("DSA-1")).stream()
            .filter(f -> f.status() == FindingStatus.AFFECTED)
            .count());
  }

  @Test
  void changedInventory_toANewVersion_decidesItOncePerAdvisoryNamingThePackage() {
    thousandVmsFromThreeImages();
    index.put(glibcFixedIn("DSA-1", "2.36-9+deb12u4"));
    index.put(glibcFixedIn("DSA-2", "2.36-9+deb12u6"));
    index.put(
        advisory(
            "DSA-3",
            pkg(
                "Debian:12",
                "openssl",
                ecosystemRange(introduced("0"), fixed("3.0.13-1~deb12u1")))));

    int decided = index.put(vm(7, "2.36-9+deb12u5", "3.0.11-1~deb12u2"));

    assertEquals(2, decided, "the new glibc version, against the two glibc advisories only");
    List<Finding> vm7 = index.findings(AssetId.of("vm-7"));
    assertEquals(
        List.of(FindingStatus.FIXED, FindingStatus.AFFECTED, FindingStatus.AFFECTED),
        vm7.stream().map(Finding::status).toList(),
        "in advisory order: DSA-1 fixed, DSA-2 affected, DSA-3 affected");
    assertEquals(0, index.put(vm(8, "2.36-9+deb12u5", "3.0.11-1~deb12u2")), "now a held version");
  }

  @Test
  void revertedSnapshot_returnsToVersionsSeenBefore_atNoCost() {
    thousandVmsFromThreeImages();
    index.put(glibcFixedIn("DSA-1", "2.36-9+deb12u4"));
    Inventory day0 = vm(5000, "2.30-1", "3.0.0-1");
    index.put(day0);
    index.put(vm(5000, "2.36-9+deb12u4", "3.0.13-1~deb12u1"));

    int decided = index.put(day0);

    assertEquals(0, decided, "2.30-1 keeps its verdict though no VM held it for a while");
    assertEquals(FindingStatus.AFFECTED, index.findings(AssetId.of("vm-5000")).get(0).status());
  }

  @Test
  void removedAsset_hasNoFindings_andLeavesTheOthersAsTheyWere() {
    thousandVmsFromThreeImages();
    index.put(glibcFixedIn("DSA-1", "2.36-9+deb12u4"));

    assertTrue(index.remove(AssetId.of("vm-0")));

    assertEquals(List.of(), index.findings(AssetId.of("vm-0")));
    assertEquals(999, index.findings(AdvisoryId.of("DSA-1")).size());
    assertEquals(AssetId.of("vm-1"), index.findings(AdvisoryId.of("DSA-1")).get(0).asset());
    assertEquals(999, index.assetCount());
  }

  @Test
  void advisoryBeforeInventories_findsTheSameAsAfter() {
    Advisory dsa = glibcFixedIn("DSA-1", "2.36-9+deb12u4");
    index.put(dsa);
    thousandVmsFromThreeImages();

    ApplicabilityIndex other = ApplicabilityIndex.create();
    for (int i = 0; i < 1_000; i++) {
      other.put(
          switch (i % 3) {
            case 0 -> vm(i, "2.36-9+deb12u3", "3.0.11-1~deb12u2");
            case 1 -> vm(i, "2.36-9+deb12u4", "3.0.11-1~deb12u2");
            default -> vm(i, "2.36-9+deb12u4", "3.0.13-1~deb12u1");
          });
    }
    other.put(dsa);

    assertEquals(other.findings(dsa.id()), index.findings(dsa.id()));
    assertEquals(5, index.distinctVersionCount(), "two of glibc, two of openssl, one of bash");
  }

  /** An image of 200 packages of its own, the VM's drift upgrading {@code drift} of them. */
  private static Inventory fromImage(int vm, int image, int drift) {
    Inventory.Builder b =
        Inventory.builder()
            .asset(AssetId.of("vm-" + vm))
            .platform(org.cloudpatch.core.asset.Platform.parse("Debian:12"))
            .observedAt(T)
            .source("image " + image);
    for (int p = 0; p < 200; p++) {
      b.addPackages(InstalledPackage.of("img" + image + "-pkg" + p, p < drift ? "1.1-1" : "1.0-1"));
    }
    return b.build();
  }

  @Test
  void vmsClonedFromImages_shareOneBaselinePerImage_notOnePerVm() {
    for (int vm = 0; vm < 300; vm++) {
      index.put(fromImage(vm, vm % 3, vm % 4));
    }

    assertEquals(3, index.baselineCount());
    assertEquals(300, index.assetCount());
  }

  @Test
  void beyondTheBaselineLimit_vmsOfOtherImagesAreHeldAsRowsOfTheirOwn_andStillFound() {
    ApplicabilityIndex limited = new ApplicabilityIndex(16, 2);
    for (int vm = 0; vm < 50; vm++) {
      limited.put(fromImage(vm, vm % 5, 0));
    }
    limited.put(
        advisory(
            "DSA-9",
            pkg("Debian:12", "img4-pkg7", ecosystemRange(introduced("0"), fixed("1.0-2")))));

    assertEquals(2, limited.baselineCount());
    assertEquals(
        List.of(
            "vm-4", "vm-9", "vm-14", "vm-19", "vm-24", "vm-29", "vm-34", "vm-39", "vm-44", "vm-49"),
        limited.findings(AdvisoryId.of("DSA-9")).stream().map(f -> f.asset().value()).toList());
  }

  @Test
  void lastVmOfAnImageRemoved_forgetsItsBaseline() {
    index.put(fromImage(1, 1, 0));
    index.put(fromImage(2, 2, 0));

    index.remove(AssetId.of("vm-1"));

    assertEquals(1, index.baselineCount());
  }

  // ---- the index answers what the stateless matcher answers, after any sequence of changes ----

  @Test
  void anySequenceOfChanges_givesTheFindingsOfAssessingFromScratch() {
    qt().withExamples(150).forAll(longs().all()).checkAssert(seed -> replay(new Random(seed)));
  }

  private static final String[] PLATFORMS = {"Debian:12", "Debian:11", "Ubuntu:22.04"};
  private static final String[] SOURCES = {"glibc", "openssl", "curl", "zlib"};
  private static final String[] VERSIONS = {
    "1.0-1", "1.0-2", "1.1-1", "1:0.9-1", "2.0~rc1-1", "1.0-1+b1"
  };

  /**
   * Random puts, updates, withdrawals and removals; after each, every answer is checked. The VMs
   * come from a few images with drift — packages substituted, inserted and deleted anywhere, some
   * as equal values rather than the image's own — and now and then from nowhere, under random
   * thresholds for when a VM becomes a baseline, so that every way of holding an asset is used.
   */
  private static void replay(Random random) {
    int minDrift = new int[] {0, 2, 16}[random.nextInt(3)];
    int maxBaselines = new int[] {1, 2, 256}[random.nextInt(3)];
    ApplicabilityIndex index = new ApplicabilityIndex(minDrift, maxBaselines);
    OsvApplicability reference = OsvApplicability.create();
    List<InstalledPackage> pool = pool();
    List<List<InstalledPackage>> images = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      List<InstalledPackage> image = new ArrayList<>();
      int size = 10 + random.nextInt(20);
      for (int k = 0; k < size; k++) {
        image.add(pool.get(random.nextInt(pool.size())));
      }
      images.add(image);
    }
    String[] imagePlatform = {
      PLATFORMS[random.nextInt(2)], PLATFORMS[random.nextInt(2)], "Ubuntu:22.04"
    };
    Map<AdvisoryId, Advisory> advisories = new LinkedHashMap<>();
    Map<AssetId, Inventory> fleet = new LinkedHashMap<>();
    for (int step = 0; step < 40; step++) {
      int op = random.nextInt(10);
      if (op < 3) {
        Advisory a = randomAdvisory(random, "ADV-" + random.nextInt(6));
        index.put(a);
        if (a.withdrawn().isPresent()) {
          advisories.remove(a.id());
        } else {
          advisories.put(a.id(), a);
        }
      } else if (op < 8) {
        String asset = "vm-" + random.nextInt(12);
        int image = random.nextInt(images.size());
        Inventory inv =
            random.nextInt(8) == 0
                ? randomInventory(random, asset, pool)
                : Inventory.builder()
                    .asset(AssetId.of(asset))
                    .platform(org.cloudpatch.core.asset.Platform.parse(imagePlatform[image]))
                    .observedAt(T)
                    .source("image " + image)
                    .packages(drift(random, images.get(image), pool))
                    .build();
        index.put(inv);
        // A changed inventory keeps its place: the index orders assets by their first put.
        fleet.put(inv.asset(), inv);
      } else if (op == 8 && !fleet.isEmpty()) {
        AssetId gone = new ArrayList<>(fleet.keySet()).get(random.nextInt(fleet.size()));
        assertTrue(index.remove(gone));
        fleet.remove(gone);
      } else if (!advisories.isEmpty()) {
        AdvisoryId gone =
            new ArrayList<>(advisories.keySet()).get(random.nextInt(advisories.size()));
        assertTrue(index.remove(gone));
        advisories.remove(gone);
      }
      assertAgrees(index, reference, advisories, fleet);
    }
  }

  /** Every package the replays install, each value once, as a reader that interns would. */
  static List<InstalledPackage> pool() {
    List<InstalledPackage> pool = new ArrayList<>();
    for (String source : SOURCES) {
      for (String version : VERSIONS) {
        pool.add(binary(source, source, version));
        pool.add(binary("lib" + source + "1", source, version));
        pool.add(
            InstalledPackage.builder()
                .name("lib" + source + "-dev")
                .version(version + "+b1")
                .sourceName(source)
                .sourceVersion(version)
                .build());
      }
    }
    return pool;
  }

  static List<InstalledPackage> drift(
      Random random, List<InstalledPackage> image, List<InstalledPackage> pool) {
    List<InstalledPackage> packages = new ArrayList<>(image);
    int changes = random.nextInt(6);
    for (int c = 0; c < changes; c++) {
      int at = packages.isEmpty() ? 0 : random.nextInt(packages.size());
      switch (random.nextInt(3)) {
        case 0 -> packages.add(at, pool.get(random.nextInt(pool.size())));
        case 1 -> {
          if (!packages.isEmpty()) {
            packages.remove(at);
          }
        }
        default -> {
          if (!packages.isEmpty()) {
            packages.set(at, pool.get(random.nextInt(pool.size())));
          }
        }
      }
    }
    // Some packages as equal values, not the very objects of the image: a reader that does not
    // intern gives every VM its own.
    for (int k = 0; k < packages.size(); k++) {
      if (random.nextInt(5) == 0) {
        packages.set(k, InstalledPackage.builder().from(packages.get(k)).build());
      }
    }
    return packages;
  }

  private static void assertAgrees(
      ApplicabilityIndex index,
      OsvApplicability reference,
      Map<AdvisoryId, Advisory> advisories,
      Map<AssetId, Inventory> fleet) {
    assertEquals(advisories.size(), index.advisoryCount());
    assertEquals(fleet.size(), index.assetCount());
    List<AssetId> order = new ArrayList<>(fleet.keySet());
    Comparator<Finding> byAssetPackageVersion =
        Comparator.<Finding>comparingInt(f -> order.indexOf(f.asset()))
            .thenComparing(Finding::packageName)
            .thenComparing(Finding::installedVersion);
    for (Advisory a : advisories.values()) {
      List<Finding> expected = new ArrayList<>(reference.assess(a, List.copyOf(fleet.values())));
      expected.sort(byAssetPackageVersion);
      assertEquals(expected, index.findings(a.id()), "findings of " + a.id());
    }
    for (Inventory inv : fleet.values()) {
      List<Finding> expected = new ArrayList<>();
      for (Advisory a : advisories.values()) {
        expected.addAll(reference.assess(a, inv));
      }
      assertEquals(
          sortedByAdvisoryThenPackage(expected),
          sortedByAdvisoryThenPackage(index.findings(inv.asset())),
          "findings on " + inv.asset());
    }
  }

  private static List<Finding> sortedByAdvisoryThenPackage(List<Finding> findings) {
    List<Finding> sorted = new ArrayList<>(findings);
    sorted.sort(
        Comparator.comparing((Finding f) -> f.advisory().value())
            .thenComparing(Finding::packageName)
            .thenComparing(Finding::installedVersion));
    return sorted;
  }

  static Advisory randomAdvisory(Random random, String id) {
    Advisory.Builder b =
        Advisory.builder()
            .id(AdvisoryId.of(id))
            .source("test")
            .published(T)
            .modified(T)
            .summary(id);
    int entries = 1 + random.nextInt(3);
    for (int i = 0; i < entries; i++) {
      String eco = random.nextInt(4) == 0 ? "Debian" : PLATFORMS[random.nextInt(PLATFORMS.length)];
      String name = SOURCES[random.nextInt(SOURCES.length)];
      if (random.nextInt(5) == 0) {
        b.addNotAffected(
            NotAffected.builder()
                .ecosystem(eco)
                .name(name)
                .addVersions(VERSIONS[random.nextInt(VERSIONS.length)])
                .justification("vulnerable_code_not_present")
                .build());
        continue;
      }
      AffectedPackage.Builder p = AffectedPackage.builder().ecosystem(eco).name(name);
      if (random.nextInt(4) == 0) {
        p.addVersions(VERSIONS[random.nextInt(VERSIONS.length)]);
      } else {
        p.addRanges(
            ecosystemRange(
                introduced(random.nextBoolean() ? "0" : VERSIONS[random.nextInt(VERSIONS.length)]),
                fixed(VERSIONS[random.nextInt(VERSIONS.length)])));
      }
      b.addAffected(p.build());
    }
    if (random.nextInt(8) == 0) {
      b.withdrawn(T);
    }
    return b.build();
  }

  static Inventory randomInventory(Random random, String asset, List<InstalledPackage> pool) {
    Inventory.Builder b =
        Inventory.builder()
            .asset(AssetId.of(asset))
            .platform(
                org.cloudpatch.core.asset.Platform.parse(
                    PLATFORMS[random.nextInt(PLATFORMS.length)]))
            .observedAt(T)
            .source("test");
    int packages = random.nextInt(6);
    for (int i = 0; i < packages; i++) {
      b.addPackages(pool.get(random.nextInt(pool.size())));
    }
    return b.build();
  }
}
