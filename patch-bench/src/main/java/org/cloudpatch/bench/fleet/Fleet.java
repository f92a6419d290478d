package org.cloudpatch.bench.fleet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.AffectedPackage;
import org.cloudpatch.core.advisory.AffectedRange;
import org.cloudpatch.core.advisory.RangeEvent;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.asset.Platform;

/**
 * A seeded synthetic fleet and advisory set, shaped like a cloud's.
 *
 * <ul>
 *   <li>{@value #SOURCES} source packages, each building one to three binaries, each with a ladder
 *       of {@value #LADDER} Debian versions ({@code 2.4.17-3+deb12u1} … {@code u6}); Debian 11 and
 *       12 have their own ladders.
 *   <li>{@value #IMAGES} images (four of them Debian 11) of about {@value #PACKAGES_PER_IMAGE}
 *       binaries: a base every image shares and a part of their own, each at a version low on the
 *       ladder.
 *   <li>Each VM is one image plus drift: about 2% of its packages one or two steps further up the
 *       ladder (an upgrade, a hotfix) and up to five extra packages.
 *   <li>Advisories each name one source package (one in ten names two) out of {@value
 *       #ADVISORY_NAMES} names, so most name software the fleet does not run, as in a
 *       distribution's tracker; each is fixed at a random step of the ladder of its release.
 * </ul>
 *
 * <p>Installed-package values are shared between the VMs that hold them, as a host that interns
 * what it reads would share them; the benchmarks read both the floor and the index through them.
 */
final class Fleet {
  static final int SOURCES = 8_000;
  static final int LADDER = 6;
  static final int IMAGES = 20;
  static final int PACKAGES_PER_IMAGE = 1_500;
  static final int ADVISORY_NAMES = 20_000;
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  private static final Platform[] PLATFORMS = {
    Platform.parse("Debian:12"), Platform.parse("Debian:11")
  };

  /** [platform][binary][ladder step] */
  private final InstalledPackage[][][] packages;

  private final List<List<int[]>> images = new ArrayList<>();
  private final int[] imagePlatform = new int[IMAGES];
  private final int[] binarySource;
  private final String[][] upstream = new String[SOURCES][];

  Fleet(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Integer> sourceOf = new ArrayList<>();
    List<String> binaryNames = new ArrayList<>();
    for (int s = 0; s < SOURCES; s++) {
      int binaries = 1 + random.nextInt(3);
      for (int b = 0; b < binaries; b++) {
        sourceOf.add(s);
        binaryNames.add(b == 0 ? source(s) : "lib" + source(s) + "-" + b);
      }
      upstream[s] =
          new String[] {
            random.nextInt(1, 10) + "." + random.nextInt(40) + "." + random.nextInt(30),
            random.nextInt(1, 10) + "." + random.nextInt(40) + "." + random.nextInt(30)
          };
    }
    binarySource = sourceOf.stream().mapToInt(Integer::intValue).toArray();
    packages = new InstalledPackage[PLATFORMS.length][binaryNames.size()][LADDER];
    for (int p = 0; p < PLATFORMS.length; p++) {
      for (int b = 0; b < binaryNames.size(); b++) {
        int s = binarySource[b];
        for (int step = 0; step < LADDER; step++) {
          String version = version(s, p, step);
          InstalledPackage.Builder pkg =
              InstalledPackage.builder().name(binaryNames.get(b)).version(version);
          if (!binaryNames.get(b).equals(source(s))) {
            pkg.sourceName(source(s));
          }
          packages[p][b][step] = pkg.build();
        }
      }
    }
    // A base of packages every image has (libc, coreutils, ...), then each image's own.
    int binaries = binaryNames.size();
    int base = PACKAGES_PER_IMAGE * 2 / 3;
    for (int i = 0; i < IMAGES; i++) {
      imagePlatform[i] = i % 5 == 4 ? 1 : 0;
      List<int[]> image = new ArrayList<>();
      Set<Integer> chosen = new HashSet<>();
      for (int b = 0; b < base; b++) {
        chosen.add(b);
      }
      while (chosen.size() < PACKAGES_PER_IMAGE) {
        chosen.add(random.nextInt(binaries));
      }
      for (int b : chosen.stream().sorted().toList()) {
        image.add(new int[] {b, random.nextInt(3)});
      }
      images.add(image);
    }
  }

  static String source(int s) {
    return "pkg" + s;
  }

  /** The ladder: {@code 2.4.17-3+deb12u1} … for Debian 12, {@code ~deb11u} for Debian 11. */
  private String version(int s, int platform, int step) {
    String up = upstream[s][step < 4 ? 0 : 1];
    return up + "-" + (1 + s % 5) + (platform == 0 ? "+deb12u" : "~deb11u") + (step + 1);
  }

  /** The inventories of {@code count} VMs, VM {@code i} built from image {@code i % IMAGES}. */
  List<Inventory> vms(int count, long seed) {
    return vms(count, seed, true);
  }

  /**
   * The same, with {@code shared} false giving every VM package values of its own — equal, not
   * identical, down to the strings — as a reader that does not intern produces.
   */
  List<Inventory> vms(int count, long seed, boolean shared) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Inventory> fleet = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int image = i % IMAGES;
      int p = imagePlatform[image];
      List<InstalledPackage> rows = new ArrayList<>(PACKAGES_PER_IMAGE + 5);
      for (int[] entry : images.get(image)) {
        int step = entry[1];
        if (random.nextInt(50) == 0) {
          step = Math.min(LADDER - 1, step + 1 + random.nextInt(2));
        }
        rows.add(own(packages[p][entry[0]][step], shared));
      }
      int extra = random.nextInt(6);
      for (int e = 0; e < extra; e++) {
        rows.add(
            own(packages[p][random.nextInt(binarySource.length)][random.nextInt(LADDER)], shared));
      }
      fleet.add(
          Inventory.builder()
              .asset(AssetId.of("vm-" + i))
              .platform(PLATFORMS[p])
              .observedAt(T)
              .source("synthetic image " + image)
              .packages(rows)
              .build());
    }
    return fleet;
  }

  // Copies are the point: a reader that does not intern gives each VM strings of its own.
  private static InstalledPackage own(InstalledPackage pkg, boolean shared) {
    if (shared) {
      return pkg;
    }
    InstalledPackage.Builder copy =
        InstalledPackage.builder().name(new String(pkg.name())).version(new String(pkg.version()));
    pkg.sourceName().ifPresent(n -> copy.sourceName(new String(n)));
    return copy.build();
  }

  /** {@code count} advisories, numbered from {@code first}. */
  List<Advisory> advisories(int count, int first, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Advisory> out = new ArrayList<>(count);
    for (int a = 0; a < count; a++) {
      int names = random.nextInt(10) == 0 ? 2 : 1;
      Advisory.Builder advisory =
          Advisory.builder()
              .id(AdvisoryId.of("DSA-" + (first + a) + "-1"))
              .source("DSA")
              .published(T)
              .modified(T)
              .summary("synthetic");
      for (int n = 0; n < names; n++) {
        advisory.addAffected(affected(random.nextInt(ADVISORY_NAMES), random));
      }
      out.add(advisory.build());
    }
    return out;
  }

  /** An advisory for {@code source} fixed at a step of its ladder, on one release. */
  Advisory advisoryFor(int source, int fixedStep, String id) {
    return Advisory.builder()
        .id(AdvisoryId.of(id))
        .source("DSA")
        .published(T)
        .modified(T)
        .summary("synthetic")
        .addAffected(affected(source, 0, fixedStep))
        .build();
  }

  private AffectedPackage affected(int name, SplittableRandom random) {
    return affected(name, random.nextInt(PLATFORMS.length), random.nextInt(LADDER));
  }

  private AffectedPackage affected(int name, int platform, int fixedStep) {
    // Names beyond the fleet's sources get a version of their own: nothing installed matches.
    String fixed = name < SOURCES ? version(name, platform, fixedStep) : "1.0-" + (fixedStep + 1);
    return AffectedPackage.builder()
        .ecosystem(PLATFORMS[platform].ecosystem())
        .name(source(name))
        .addRanges(
            AffectedRange.of(
                AffectedRange.RangeType.ECOSYSTEM,
                List.of(RangeEvent.introduced("0"), RangeEvent.fixed(fixed))))
        .build();
  }
}
