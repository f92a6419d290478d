package org.cloudpatch.core.spi;

import java.util.Optional;
import org.cloudpatch.core.rollout.PatchJob;
import org.cloudpatch.core.rollout.PatchOutcome;

/**
 * Applies package updates to assets. A job takes minutes: the engine submits it and polls, it never
 * blocks on it.
 *
 * <p>Contract: {@link #submit} is idempotent by {@link PatchJob#key()} (a resubmission after a
 * crash returns the same handle, and the job does not run again); an outcome, once reported, does
 * not change. A handle the executor never issued is rejected with {@link IllegalArgumentException}
 * or {@link org.cloudpatch.core.PatchException}. Arguments and results are never null. The engine
 * calls it from one thread at a time.
 *
 * @see org.cloudpatch.core.testkit.PatchExecutorContract
 */
public interface PatchExecutor {
  /** Starts the job and returns a handle to poll. */
  String submit(PatchJob job);

  /** The job's outcome, or empty while it runs. */
  Optional<PatchOutcome> poll(String handle);
}
