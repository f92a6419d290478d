package org.cloudpatch.core.process;

import static org.cloudpatch.core.process.EngineFixture.START;
import static org.cloudpatch.core.process.EngineFixture.advisory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.memory.InMemoryNotifier;
import org.cloudpatch.core.spi.EvidenceStore;
import org.junit.jupiter.api.Test;

/**
 * Finding 9 of issue 9: record ids are collision-free by construction, and no record, evidence
 * bundle or notification ever holds an asset of another tenant (or of another resolver group).
 */
class TenantIsolationTest {
  private static final List<InstalledPackage> FIXED = List.of(InstalledPackage.of("openssl", "2"));

  /** Two VMs: vm-01 of tenant1 in group1, vm-02 of tenant2 in group2; one advisory for both. */
  private static EngineFixture twoOwners(
      String tenant1, String group1, String tenant2, String group2) {
    EngineFixture f = new EngineFixture(0.0, 0);
    add(f, 1, tenant1, group1);
    add(f, 2, tenant2, group2);
    f.feed.publish(advisory("DSA-1", "openssl", "2", START.plus(Duration.ofHours(1))));
    f.run(f.engine(), Duration.ofDays(1));
    return f;
  }

  private static void add(EngineFixture f, int i, String tenant, String group) {
    TenantId t = TenantId.of(tenant);
    f.cloud.addVm(
        Asset.builder()
            .id(AssetId.of(String.format("vm-%02d", i)))
            .tenant(t)
            .zone(ZoneId.of("UTC"))
            .platform(Platform.parse("Debian:12"))
            .host(HostId.of("host-1"))
            .addTags("team:" + group)
            .build(),
        2,
        List.of(InstalledPackage.of("openssl", "1")));
    f.notifier.register(t, List.of("secops@" + tenant + ".example"));
  }

  @Test
  void tenantsWithCollidingNames_getDistinctRecords() {
    EngineFixture f = twoOwners("acme", "ops-db", "acme-ops", "db");

    List<TrackingRecord> records = f.engine().trackingRecords();
    assertEquals(2, records.size(), records.toString());
    assertNotEquals(records.get(0).id(), records.get(1).id());
    assertIsolated(f);
    assertEquals(FIXED, f.cloud.installed(AssetId.of("vm-01")), "acme's VM is patched too");
    assertEquals(FIXED, f.cloud.installed(AssetId.of("vm-02")));
  }

  @Test
  void randomTenantAndGroupNames_neverShareARecordBundleOrNotification() {
    // Random names that collide when joined naively: (a, b-c) and (a-b, c), over an alphabet of
    // separators and escape characters.
    qt().withExamples(20)
        .forAll(
            integers().between(0, 1295), integers().between(0, 1295), integers().between(0, 1295))
        .checkAssert(
            (a, b, c) -> {
              String t1 = name(a);
              String g1 = name(b) + "-" + name(c);
              String t2 = name(a) + "-" + name(b);
              String g2 = name(c);
              EngineFixture f = twoOwners(t1, g1, t2, g2);
              assertEquals(2, f.engine().trackingRecords().size());
              assertIsolated(f);
            });
  }

  /** A short name over an alphabet of separators and escapes: the names that collide naively. */
  private static String name(int n) {
    String alphabet = "a-.%1b";
    StringBuilder out = new StringBuilder();
    int rest = n;
    do {
      out.append(alphabet.charAt(rest % alphabet.length()));
      rest /= alphabet.length();
    } while (rest > 0);
    return out.toString();
  }

  private static void assertIsolated(EngineFixture f) {
    Map<AssetId, TenantId> tenantOf = new TreeMap<>();
    Map<AssetId, String> groupOf = new TreeMap<>();
    for (Asset a : f.cloud.assets()) {
      tenantOf.put(a.id(), a.tenant());
      groupOf.put(a.id(), a.tags().iterator().next().substring("team:".length()));
    }
    for (TrackingRecord r : f.engine().trackingRecords()) {
      for (AssetId vm : r.items().keySet()) {
        assertEquals(r.tenant(), tenantOf.get(vm), vm + " in " + r.id());
        assertEquals(r.resolverGroup(), groupOf.get(vm), vm + " in " + r.id());
      }
      EvidenceStore.EvidenceBundle bundle = f.evidence.bundle(r.id()).orElseThrow();
      assertEquals(r.tenant(), bundle.tenant());
      for (JsonNode item : bundle.content().path("items")) {
        AssetId vm = AssetId.of(item.path("asset").asText());
        assertEquals(r.tenant(), tenantOf.get(vm), vm + " in the bundle of " + r.id());
      }
    }
    assertTrue(!f.notifier.deliveries().isEmpty());
    for (InMemoryNotifier.Delivery d : f.notifier.deliveries()) {
      for (AssetId vm : d.notification().assets()) {
        assertEquals(d.notification().tenant(), tenantOf.get(vm), vm + " told to another tenant");
      }
    }
    for (AssetId vm : tenantOf.keySet()) {
      assertEquals(FIXED, f.cloud.installed(vm), vm + " patched");
    }
  }
}
