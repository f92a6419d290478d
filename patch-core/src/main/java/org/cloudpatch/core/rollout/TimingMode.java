package org.cloudpatch.core.rollout;

/** How a rollout places its assets in time. */
public enum TimingMode {
  /** The same wall-clock time in each asset's own zone: a wave that follows the sun. */
  LOCAL_TIME,
  /**
   * One absolute instant for a whole patch group, so that no two versions of the software run at
   * once. A group is patched in one window or not at all.
   */
  SAME_INSTANT
}
