package org.cloudpatch.core.spi;

import org.cloudpatch.core.ChangeId;
import org.cloudpatch.core.rollout.ChangeRequest;

/**
 * The host's change management (an ITSM tool): change records and their approval.
 *
 * <p>Contract: {@link #open} is idempotent by {@link ChangeRequest#key()}; {@link #close} of a
 * closed change does nothing. Approval may take days: the engine polls {@link #approval}, it never
 * blocks on it; once decided, an approval does not change. A change id the system never issued is
 * rejected with {@link IllegalArgumentException} or {@link org.cloudpatch.core.PatchException};
 * arguments and results are never null. The engine calls it from one thread at a time.
 *
 * @see org.cloudpatch.core.testkit.ChangeSystemContract
 */
public interface ChangeSystem {
  /** Opens a change for the request, or returns the change already opened for its key. */
  ChangeId open(ChangeRequest request);

  /** Where the change stands. */
  ChangeRequest.Approval approval(ChangeId change);

  /** Records that the change was implemented, with a summary of what was done. */
  void recordImplementation(ChangeId change, String summary);

  /** Closes the change as successful or not, with a summary. */
  void close(ChangeId change, boolean successful, String summary);
}
