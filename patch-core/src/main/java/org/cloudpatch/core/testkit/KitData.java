package org.cloudpatch.core.testkit;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.rollout.ChangeRequest;
import org.cloudpatch.core.rollout.MaintenanceWindow;

/** Values the kits feed to adapters; fixed, so that a kit's failures reproduce. */
final class KitData {
  /** Before every instant the kits use, so that a feed that releases by time shows them all. */
  static final Instant EPOCH = Instant.parse("2026-01-05T00:00:00Z");

  private KitData() {}

  static Advisory advisory(String id, Instant modified) {
    return Advisory.builder()
        .id(AdvisoryId.of(id))
        .source("kit")
        .published(EPOCH)
        .modified(modified)
        .summary("contract kit advisory " + id)
        .build();
  }

  static Asset vm(String id, String tenant, String host) {
    return Asset.builder()
        .id(AssetId.of(id))
        .tenant(TenantId.of(tenant))
        .zone(ZoneId.of("UTC"))
        .platform(Platform.parse("Debian:12"))
        .host(HostId.of(host))
        .build();
  }

  static ChangeRequest change(String key, ChangeRequest.ChangeType type) {
    return ChangeRequest.builder()
        .key(key)
        .type(type)
        .window(
            MaintenanceWindow.of(
                EPOCH.plusSeconds(86_400), EPOCH.plusSeconds(86_400 + 4 * 3600), ZoneId.of("UTC")))
        .scope(List.of(AssetId.of("vm-1")))
        .advisories(List.of(AdvisoryId.of("KIT-1")))
        .summary("contract kit change " + key)
        .build();
  }
}
