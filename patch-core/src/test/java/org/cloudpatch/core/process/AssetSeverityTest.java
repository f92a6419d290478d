package org.cloudpatch.core.process;

import static org.cloudpatch.core.process.EngineFixture.START;
import static org.cloudpatch.core.process.EngineFixture.advisory;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.SeverityScore;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.severity.EnterprisePolicy;
import org.cloudpatch.core.severity.Priority;
import org.cloudpatch.core.severity.SeverityPolicy;
import org.cloudpatch.core.severity.ThreatIntel;
import org.junit.jupiter.api.Test;

/**
 * Asset criticality and exposure reach the severity policy per asset: one advisory is P1 on an
 * exposed VM and P3 on a low-criticality one, and each priority of a team has its own record with
 * its own due date.
 */
class AssetSeverityTest {
  private static final TenantId ACME = TenantId.of("acme");

  private static Asset vm(String id, Asset.Criticality criticality, Asset.Exposure exposure) {
    return Asset.builder()
        .id(AssetId.of(id))
        .tenant(ACME)
        .zone(ZoneId.of("UTC"))
        .platform(Platform.parse("Debian:12"))
        .host(HostId.of("host-1"))
        .addTags("team:web")
        .criticality(criticality)
        .exposure(exposure)
        .build();
  }

  @Test
  void enterprisePolicy_exposedVmIsP1_lowCriticalityVmIsP3_eachPriorityItsOwnRecord() {
    EngineFixture f = new EngineFixture(0.0, 0);
    List<InstalledPackage> image = List.of(InstalledPackage.of("openssl", "1"));
    f.cloud.addVm(vm("vm-exposed", Asset.Criticality.MEDIUM, Asset.Exposure.INTERNET), 2, image);
    f.cloud.addVm(vm("vm-plain", Asset.Criticality.MEDIUM, Asset.Exposure.INTERNAL), 2, image);
    f.cloud.addVm(vm("vm-minor", Asset.Criticality.LOW, Asset.Exposure.INTERNAL), 2, image);
    f.policy =
        ProcessPolicy.builder()
            .maxConcurrency(2)
            .severity(SeverityPolicy.of(EnterprisePolicy.standard(), ThreatIntel::none))
            .build();
    // CVSS 7.5: P2 for the fleet as a whole.
    Advisory high =
        Advisory.builder()
            .from(advisory("DSA-80", "openssl", "2", START))
            .severities(
                List.of(
                    SeverityScore.of("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N")))
            .build();
    f.feed.publish(high);
    PatchEngine engine = f.engine();
    engine.tick();

    Map<Priority, TrackingRecord> byPriority = new TreeMap<>();
    engine.trackingRecords().forEach(r -> byPriority.put(r.priority(), r));
    assertEquals(3, engine.trackingRecords().size(), engine.trackingRecords().toString());
    assertEquals(List.of(AssetId.of("vm-exposed")), items(byPriority.get(Priority.P1)));
    assertEquals(List.of(AssetId.of("vm-plain")), items(byPriority.get(Priority.P2)));
    assertEquals(List.of(AssetId.of("vm-minor")), items(byPriority.get(Priority.P3)));
    assertEquals(START.plus(Duration.ofDays(3)), byPriority.get(Priority.P1).due());
    assertEquals(START.plus(Duration.ofDays(14)), byPriority.get(Priority.P2).due());
    assertEquals(START.plus(Duration.ofDays(30)), byPriority.get(Priority.P3).due());
    engine.trackingRecords().forEach(r -> assertEquals("web", r.resolverGroup()));

    // And each is patched, per the cloud.
    f.run(engine, Duration.ofDays(3));
    for (String id : List.of("vm-exposed", "vm-plain", "vm-minor")) {
      assertEquals(
          List.of(InstalledPackage.of("openssl", "2")), f.cloud.installed(AssetId.of(id)), id);
    }
  }

  private static List<AssetId> items(TrackingRecord r) {
    return List.copyOf(r.items().keySet());
  }
}
