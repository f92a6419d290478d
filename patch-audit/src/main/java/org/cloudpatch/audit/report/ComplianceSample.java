package org.cloudpatch.audit.report;

import java.time.Instant;
import org.cloudpatch.core.TenantId;
import org.immutables.value.Value;

/** How many of one tenant's assets were compliant at one instant: a point of the history. */
@Value.Immutable
public interface ComplianceSample {
  /** When it was sampled. */
  @Value.Parameter
  Instant at();

  /** The tenant. */
  @Value.Parameter
  TenantId tenant();

  /** The tenant's assets at that instant. */
  @Value.Parameter
  int assets();

  /** How many of them had no open affected finding. */
  @Value.Parameter
  int compliant();

  /** Rejects counts that cannot be. */
  @Value.Check
  default void check() {
    if (assets() < 0 || compliant() < 0 || compliant() > assets()) {
      throw new IllegalStateException(
          "compliant " + compliant() + " of " + assets() + " assets is impossible");
    }
  }

  /** A sample. */
  static ComplianceSample of(Instant at, TenantId tenant, int assets, int compliant) {
    return ImmutableComplianceSample.of(at, tenant, assets, compliant);
  }
}
