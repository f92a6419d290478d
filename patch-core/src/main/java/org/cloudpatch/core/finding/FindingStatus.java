package org.cloudpatch.core.finding;

/** The verdict of a finding. */
public enum FindingStatus {
  /** The installed version is in an affected range. */
  AFFECTED,
  /** The installed version is at or above the fixed version. */
  FIXED,
  /** The installed version is in no affected range. */
  NOT_AFFECTED,
  /** The verdict cannot be decided (an unparsable version, a GIT range): needs a human. */
  UNKNOWN
}
