package org.cloudpatch.scheduling.rollout;

import java.time.ZoneId;
import java.util.Optional;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.Platform;

/** Test assets. */
final class Fleet {
  private Fleet() {}

  static Asset asset(String id, String zone) {
    return asset(id, ZoneId.of(zone), Optional.empty());
  }

  static Asset asset(String id, String zone, String patchGroup) {
    return asset(id, ZoneId.of(zone), Optional.of(patchGroup));
  }

  static Asset asset(String id, ZoneId zone, Optional<String> patchGroup) {
    return Asset.builder()
        .id(AssetId.of(id))
        .tenant(TenantId.of("acme"))
        .zone(zone)
        .platform(Platform.parse("Debian:12"))
        .patchGroup(patchGroup)
        .build();
  }
}
