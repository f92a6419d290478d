package org.cloudpatch.core.severity;

import java.util.Locale;

/** The SSVC deployer decisions (CERT/CC Stakeholder-Specific Vulnerability Categorization). */
public enum SsvcDecision {
  /** Do not act now. */
  DEFER,
  /** Act in the regular maintenance cycle. */
  SCHEDULED,
  /** Act before the next cycle. */
  OUT_OF_CYCLE,
  /** Act now, with all resources. */
  IMMEDIATE;

  /**
   * The decision named as SSVC spells it ({@code Defer}, {@code Scheduled}, {@code Out-of-Cycle},
   * {@code Immediate}), case-insensitively.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static SsvcDecision parse(String name) {
    String n = name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    for (SsvcDecision d : values()) {
      if (d.name().equals(n)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "not an SSVC deployer decision (Defer, Scheduled, Out-of-Cycle, Immediate): '"
            + name
            + "'");
  }
}
