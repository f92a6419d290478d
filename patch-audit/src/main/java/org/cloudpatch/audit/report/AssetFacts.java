package org.cloudpatch.audit.report;

import org.cloudpatch.core.asset.Asset;
import org.immutables.value.Value;

/**
 * An asset as the report sees it: the asset (with its power state) and the lifecycle facts that a
 * report must show rather than skip.
 */
@Value.Immutable
public interface AssetFacts {
  /** The asset, with its tenant and power state. */
  Asset asset();

  /** Whether it was reverted to an older snapshot during the period reported on. */
  @Value.Default
  default boolean reverted() {
    return false;
  }

  /** Whether it is held from its users until it is caught up to the patch baseline. */
  @Value.Default
  default boolean heldForCatchUp() {
    return false;
  }

  /** Whether an installed update waits for a reboot to take effect. */
  @Value.Default
  default boolean pendingReboot() {
    return false;
  }

  /** An asset that runs and was neither reverted nor held. */
  static AssetFacts of(Asset asset) {
    return builder().asset(asset).build();
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds {@link AssetFacts}. */
  final class Builder extends ImmutableAssetFacts.Builder {}
}
