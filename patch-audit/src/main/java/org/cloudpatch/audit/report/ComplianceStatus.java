package org.cloudpatch.audit.report;

/**
 * Where one asset stands against one advisory. Ordered from worst to best, so that an asset's
 * overall status is the first of its advisories' statuses in this order.
 */
public enum ComplianceStatus {
  /** A patch attempt failed, or an exception expired, and the asset is still affected. */
  FAILED,
  /** Affected and not yet patched: the update is missing. */
  MISSING,
  /** Patched, but the update takes effect only after a reboot. */
  PENDING_REBOOT,
  /** Not patched, covered by an open, unexpired risk acceptance with an owner. */
  EXCEPTED,
  /** Patched, and re-inventory verified the fixed version. */
  COMPLIANT,
  /** The advisory does not apply (not installed, or withdrawn). */
  NOT_APPLICABLE;

  /** Whether nothing is left to do for the asset and advisory. */
  public boolean isCompliant() {
    return this == COMPLIANT || this == NOT_APPLICABLE;
  }

  /** Whether the asset still carries the vulnerability and no exception covers it. */
  public boolean isOutstanding() {
    return this == FAILED || this == MISSING || this == PENDING_REBOOT;
  }
}
