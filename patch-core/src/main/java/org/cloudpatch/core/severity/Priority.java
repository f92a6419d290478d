package org.cloudpatch.core.severity;

/** The enterprise's remediation priority, P1 most urgent. */
public enum Priority {
  /** Patch now, out of cycle. */
  P1,
  /** Patch in the next window. */
  P2,
  /** Patch in a regular cycle. */
  P3,
  /** Patch when convenient. */
  P4
}
