package org.cloudpatch.core.batch;

import java.io.IOException;

/**
 * An input went beyond one of its {@link ReadLimits}. It carries the quarantine record that says
 * which input, where, and which bound; readers turn it into that record rather than let it escape.
 */
public final class ReadLimitException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The record to quarantine; a value type, safe to keep in an exception. */
  @SuppressWarnings("serial")
  private final Quarantined quarantined;

  private final boolean endsInput;

  /**
   * An exception for a broken bound.
   *
   * @param quarantined the input, the position and the reason, naming the bound; never null
   * @param endsInput whether nothing more of the input can be read (true for a bound on the whole
   *     input, false for one on a line or paragraph that was skipped)
   */
  public ReadLimitException(Quarantined quarantined, boolean endsInput) {
    super(quarantined.describe());
    this.quarantined = quarantined;
    this.endsInput = endsInput;
  }

  /** The record that reports the broken bound. */
  public Quarantined quarantined() {
    return quarantined;
  }

  /** Whether the rest of the input was left unread; else reading may go on after it. */
  public boolean endsInput() {
    return endsInput;
  }
}
