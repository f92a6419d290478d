package org.cloudpatch.core.asset;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.TenantId;
import org.immutables.value.Value;

/**
 * A VM or a hypervisor host that cloudpatch keeps patched.
 *
 * <p>Immutable; a change of placement or power state is a new value from the inventory source or
 * the hypervisor.
 */
@Value.Immutable
@JsonSerialize(as = ImmutableAsset.class)
@JsonDeserialize(as = ImmutableAsset.class)
public interface Asset {
  /** The asset's identifier. */
  AssetId id();

  /** The tenant that owns it; notifications about it go to this tenant only. */
  TenantId tenant();

  /** Its own time zone: {@link org.cloudpatch.core.rollout.TimingMode#LOCAL_TIME} uses it. */
  ZoneId zone();

  /** Its operating system, which selects the advisories' ecosystem. */
  Platform platform();

  /** The host it runs on, for a VM. */
  Optional<HostId> host();

  /** Whether it is running, suspended or off. */
  @Value.Default
  default PowerState powerState() {
    return PowerState.RUNNING;
  }

  /** How much the business depends on it. */
  @Value.Default
  default Criticality criticality() {
    return Criticality.MEDIUM;
  }

  /** Who can reach it. */
  @Value.Default
  default Exposure exposure() {
    return Exposure.INTERNAL;
  }

  /**
   * A group that must never run two versions of its software at once (a database cluster), if any:
   * a {@code SAME_INSTANT} rollout patches the whole group in one window.
   */
  Optional<String> patchGroup();

  /** Free-form labels, e.g. {@code team:payments} or {@code role:db}. */
  Set<String> tags();

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link Asset}. */
  final class Builder extends ImmutableAsset.Builder {}

  /** Power states as a hypervisor reports them. */
  enum PowerState {
    /** Running and reachable. */
    RUNNING,
    /** Suspended: memory saved, not running. */
    SUSPENDED,
    /** Powered off. */
    STOPPED
  }

  /** How much the business depends on an asset. */
  enum Criticality {
    /** Can be lost without notice. */
    LOW,
    /** The default. */
    MEDIUM,
    /** Its loss is an incident. */
    HIGH,
    /** Its loss stops the business. */
    CRITICAL
  }

  /** Who can reach an asset. */
  enum Exposure {
    /** Only internal networks. */
    INTERNAL,
    /** The internet. */
    INTERNET
  }
}
