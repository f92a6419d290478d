package org.cloudpatch.inventory.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.AdvisoryReaders;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.finding.Finding;
import org.cloudpatch.core.finding.FindingStatus;
import org.cloudpatch.inventory.ConformanceData;
import org.cloudpatch.inventory.format.DpkgStatusReader;
import org.junit.jupiter.api.Test;

/**
 * {@link IndexedApplicability} against its reference, {@link OsvApplicability} over the held
 * inventories in asset id order: the same findings in the same order, since the engine's journal
 * must not depend on which of the two it used.
 */
class IndexedApplicabilityTest {
  private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");
  private static final OsvApplicability REFERENCE = OsvApplicability.create();

  @Test
  void anySequenceOfPutsAndRemovals_assessHeld_equalsOsvOnTheHeldFleetInIdOrder() {
    qt().withExamples(100).forAll(longs().all()).checkAssert(seed -> replay(new Random(seed)));
  }

  private static void replay(Random random) {
    IndexedApplicability index = IndexedApplicability.create();
    List<InstalledPackage> pool = ApplicabilityIndexTest.pool();
    List<InstalledPackage> image = new ArrayList<>();
    for (int k = 0; k < 25; k++) {
      image.add(pool.get(random.nextInt(pool.size())));
    }
    Map<AssetId, Inventory> fleet = new TreeMap<>();
    for (int step = 0; step < 30; step++) {
      int op = random.nextInt(10);
      String asset = "vm-" + random.nextInt(12);
      if (op < 6) {
        Inventory inv =
            random.nextInt(4) == 0
                ? ApplicabilityIndexTest.randomInventory(random, asset, pool)
                : Inventory.builder()
                    .asset(AssetId.of(asset))
                    .platform(Platform.parse("Debian:12"))
                    .observedAt(T)
                    .source("image")
                    .packages(ApplicabilityIndexTest.drift(random, image, pool))
                    .build();
        index.put(inv);
        fleet.put(inv.asset(), inv);
      } else if (op < 7) {
        index.remove(AssetId.of(asset));
        fleet.remove(AssetId.of(asset));
      } else if (op < 8 && random.nextInt(4) == 0) {
        index.clear();
        fleet.clear();
      }
      Advisory advisory = ApplicabilityIndexTest.randomAdvisory(random, "ADV-" + step);
      assertEquals(
          REFERENCE.assess(advisory, fleet.values()),
          index.assessHeld(advisory),
          "findings of " + advisory + " on " + fleet.keySet());
    }
    assertEquals(fleet.size(), index.size());
  }

  /**
   * Real data: the shared Debian machine's 710 packages as a fleet of VMs that drift from it (older
   * versions, packages missing), against every Debian Security Advisory of the tracker that speaks
   * about bullseye (the tracker's copy predates bookworm's release, so the fleet is labelled Debian
   * 11: the versions are real, their verdicts a mix of fixed, affected and not affected).
   */
  @Test
  void realDebianFleet_trackerAdvisories_sameFindingsAsOsv() throws IOException {
    Path status = ConformanceData.require("local-dpkg-status/status");
    Path dsaList = ConformanceData.require("debian-security-tracker/DSA-list");
    Inventory machine =
        DpkgStatusReader.create()
            .readInventory(status, AssetId.of("machine"), Platform.parse("Debian:11"), T);
    List<Advisory> advisories;
    try (InputStream in = Files.newInputStream(dsaList)) {
      advisories =
          AdvisoryReaders.create().read(in, "DSA-list").accepted().stream()
              .filter(a -> a.affected().stream().anyMatch(p -> p.ecosystem().equals("Debian:11")))
              .toList();
    }
    assertTrue(advisories.size() > 50, "bullseye advisories: " + advisories.size());
    IndexedApplicability index = IndexedApplicability.create();
    Map<AssetId, Inventory> fleet = new TreeMap<>();
    Random random = new Random(20260201);
    for (int vm = 0; vm < 40; vm++) {
      List<InstalledPackage> packages = new ArrayList<>();
      for (InstalledPackage p : machine.packages()) {
        int roll = random.nextInt(100);
        if (roll < 3) {
          continue; // not installed on this VM
        } else if (roll < 8) {
          // an older build of the same source: before most fixes
          packages.add(
              InstalledPackage.builder()
                  .from(p)
                  .version("0.1-1")
                  .sourceVersion(
                      p.sourceName().isPresent()
                          ? java.util.Optional.of("0.1-1")
                          : java.util.Optional.empty())
                  .build());
        } else {
          packages.add(p);
        }
      }
      // Put in a shuffled order of assets: the answer's order is by asset id regardless.
      AssetId id = AssetId.of(String.format("vm-%03d", (vm * 17) % 40));
      Inventory inv = Inventory.builder().from(machine).asset(id).packages(packages).build();
      index.put(inv);
      fleet.put(id, inv);
    }
    int findings = 0;
    int affected = 0;
    for (Advisory advisory : advisories) {
      List<Finding> expected = REFERENCE.assess(advisory, fleet.values());
      assertEquals(expected, index.assessHeld(advisory), advisory.id().toString());
      findings += expected.size();
      affected += (int) expected.stream().filter(f -> f.status() == FindingStatus.AFFECTED).count();
    }
    assertTrue(
        affected > 0 && findings > affected, findings + " findings, " + affected + " affected");
  }
}
