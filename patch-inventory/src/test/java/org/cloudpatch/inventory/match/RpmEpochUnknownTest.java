package org.cloudpatch.inventory.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.AdvisoryReaders;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.core.finding.Finding;
import org.cloudpatch.core.finding.FindingStatus;
import org.cloudpatch.inventory.format.RpmQaReader;
import org.junit.jupiter.api.Test;

/**
 * An {@code rpm -qa} inventory without epochs against real AlmaLinux 8 advisories (records of
 * github:AlmaLinux/osv-database, trimmed; each fixture names its source): a missing epoch is
 * unknown, not 0, so {@code NetworkManager 1.40.16-18.el8_10} is not affected by a fix at {@code
 * 1:1.40.16-18.el8_10} — the false positive that made 8,208 of 34,436 findings on real AlmaLinux
 * data — while a build below the fix stays affected, and the evidence says the epoch was unknown.
 */
class RpmEpochUnknownTest {
  private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");

  /** A machine's default {@code rpm -qa} output: no epochs, though NetworkManager has epoch 1. */
  private static final String RPM_QA =
      "NetworkManager-1.40.16-18.el8_10.x86_64\n"
          + "NetworkManager-libnm-1.40.16-15.el8_9.x86_64\n"
          + "NetworkManager-tui-1.40.16-19.el8_10.x86_64\n"
          + "openssl-libs-1.1.1k-12.el8_9.x86_64\n"
          + "curl-7.61.1-34.el8_10.13.x86_64\n"
          + "libcurl-7.61.1-34.el8_10.2.x86_64\n";

  /** The same machine listed with the epoch query the warning recommends. */
  private static final String RPM_QA_WITH_EPOCHS =
      "NetworkManager 1:1.40.16-18.el8_10 x86_64\n"
          + "NetworkManager-libnm 1:1.40.16-15.el8_9 x86_64\n"
          + "NetworkManager-tui 1:1.40.16-19.el8_10 x86_64\n"
          + "openssl-libs 1:1.1.1k-12.el8_9 x86_64\n"
          + "curl 0:7.61.1-34.el8_10.13 x86_64\n"
          + "libcurl 0:7.61.1-34.el8_10.2 x86_64\n";

  @Test
  void rpmQaWithoutEpochs_againstFixesWithAnEpoch_comparesVersionRelease_notEpochZero() {
    Map<String, Finding> f = findings(RPM_QA);
    // Installed equals the fix, or is above it: fixed, not the false positive of epoch 0 < 1.
    assertEquals(FindingStatus.FIXED, f.get("NetworkManager").status(), show(f));
    assertEquals(FindingStatus.FIXED, f.get("NetworkManager-tui").status(), show(f));
    // Below the fix: still affected.
    assertEquals(FindingStatus.AFFECTED, f.get("NetworkManager-libnm").status(), show(f));
    assertEquals(FindingStatus.AFFECTED, f.get("openssl-libs").status(), show(f));
    assertEquals("1:1.1.1k-17.el8_6", f.get("openssl-libs").fixedVersion().orElseThrow());
    // Where the advisory has an epoch, the evidence says the installed one was unknown.
    for (String name : List.of("NetworkManager", "NetworkManager-libnm", "openssl-libs")) {
      assertTrue(f.get(name).evidence().contains("installed epoch unknown"), show(f));
    }
    // Where it has none (epoch 0), nothing was assumed, and nothing is said.
    assertEquals(FindingStatus.FIXED, f.get("curl").status(), show(f));
    assertEquals(FindingStatus.AFFECTED, f.get("libcurl").status(), show(f));
    assertFalse(f.get("libcurl").evidence().contains("epoch"), show(f));
  }

  @Test
  void rpmQaWithEpochs_comparesExactly_andSaysNothingOfEpochs() {
    Map<String, Finding> f = findings(RPM_QA_WITH_EPOCHS);
    assertEquals(FindingStatus.FIXED, f.get("NetworkManager").status(), show(f));
    assertEquals(FindingStatus.FIXED, f.get("NetworkManager-tui").status(), show(f));
    assertEquals(FindingStatus.AFFECTED, f.get("NetworkManager-libnm").status(), show(f));
    assertEquals(FindingStatus.AFFECTED, f.get("openssl-libs").status(), show(f));
    assertEquals(FindingStatus.FIXED, f.get("curl").status(), show(f));
    assertEquals(FindingStatus.AFFECTED, f.get("libcurl").status(), show(f));
    f.values().forEach(x -> assertFalse(x.evidence().contains("epoch"), show(f)));
  }

  /** A known epoch 0 (rpm's "(none)") below the advisory's epoch 1 is affected, however new. */
  @Test
  void knownEpochZero_belowTheAdvisorysEpoch_isAffected_whateverTheVersion() {
    Map<String, Finding> f = findings("NetworkManager (none):1.99-1.el8 x86_64\n");
    assertEquals(FindingStatus.AFFECTED, f.get("NetworkManager").status(), show(f));
  }

  /** The incremental index gives exactly the findings of the one-shot assessment. */
  @Test
  void applicabilityIndex_givesTheSameFindings() {
    Inventory inventory = inventory(RPM_QA);
    List<Advisory> advisories = advisories();
    ApplicabilityIndex index = ApplicabilityIndex.create();
    index.put(inventory);
    List<Finding> expected = new ArrayList<>();
    List<Finding> actual = new ArrayList<>();
    for (Advisory a : advisories) {
      index.put(a);
      expected.addAll(OsvApplicability.create().assess(a, inventory));
      actual.addAll(index.findings(a.id()));
    }
    Comparator<Finding> order =
        Comparator.comparing((Finding x) -> x.advisory().value())
            .thenComparing(Finding::packageName);
    expected.sort(order);
    actual.sort(order);
    assertEquals(expected, actual);
    assertEquals(6, actual.size());
  }

  private static Map<String, Finding> findings(String rpmQa) {
    Inventory inventory = inventory(rpmQa);
    Map<String, Finding> out = new TreeMap<>();
    for (Advisory a : advisories()) {
      for (Finding f : OsvApplicability.create().assess(a, inventory)) {
        out.put(f.packageName(), f);
      }
    }
    return out;
  }

  private static Inventory inventory(String rpmQa) {
    ReadBatch<InstalledPackage> batch =
        RpmQaReader.create().read(new StringReader(rpmQa), "rpm-qa");
    assertEquals(List.of(), batch.quarantined());
    return Inventory.builder()
        .asset(AssetId.of("alma-1"))
        .platform(Platform.parse("AlmaLinux:8"))
        .observedAt(T)
        .source("rpm-qa")
        .addAllPackages(batch.accepted())
        .build();
  }

  private static List<Advisory> advisories() {
    List<Advisory> out = new ArrayList<>();
    for (String name :
        List.of(
            "alma8-ALSA-2025-0288.json",
            "alma8-ALSA-2026-38503.json",
            "alma8-ALSA-2026-57462.json")) {
      ReadBatch<Advisory> batch = AdvisoryReaders.create().read(resource(name));
      assertEquals(List.of(), batch.quarantined(), name);
      out.addAll(batch.accepted());
    }
    return out;
  }

  private static Path resource(String name) {
    try {
      return Path.of(
          Objects.requireNonNull(RpmEpochUnknownTest.class.getResource(name), name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String show(Map<String, Finding> f) {
    StringBuilder sb = new StringBuilder();
    f.values()
        .forEach(
            x ->
                sb.append('\n')
                    .append(x.packageName())
                    .append(' ')
                    .append(x.installedVersion())
                    .append(' ')
                    .append(x.status())
                    .append(": ")
                    .append(x.evidence()));
    return sb.toString();
  }
}
