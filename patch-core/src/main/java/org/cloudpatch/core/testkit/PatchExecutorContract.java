package org.cloudpatch.core.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.rollout.PackageUpdate;
import org.cloudpatch.core.rollout.PatchJob;
import org.cloudpatch.core.rollout.PatchOutcome;
import org.cloudpatch.core.spi.PatchExecutor;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link PatchExecutor}: submitting is idempotent by job key, because the engine
 * resubmits after a crash, and an outcome, once reported, never changes, because the engine acts on
 * it (verifies, rolls back, opens a risk).
 *
 * <p>A vendor extends this class and implements {@link #newExecutor()}, {@link #job} (a job its
 * test environment can run to an outcome, success or failure) and {@link #letTimePass}. A job must
 * reach its outcome within two days of {@link #letTimePass}.
 *
 * @param <E> the executor type under test
 */
public abstract class PatchExecutorContract<E extends PatchExecutor> {
  /** For subclasses. */
  protected PatchExecutorContract() {}

  /**
   * A new executor with no jobs; called once per test.
   *
   * @return the executor under test, never null
   */
  protected abstract E newExecutor();

  /**
   * A job that this executor can run to an outcome in the test environment.
   *
   * @param executor an executor from {@link #newExecutor()}
   * @param key the job's key; the kit uses a new key for each distinct job
   * @return the job, with this key
   */
  protected abstract PatchJob job(E executor, String key);

  /**
   * Lets time pass so that submitted jobs progress: advance a virtual clock, or wait.
   *
   * @param executor an executor from {@link #newExecutor()}
   * @param duration how much time passes
   */
  protected abstract void letTimePass(E executor, Duration duration);

  /** Submitting the same job twice (same key) gives the same handle. */
  @Test
  public void submit_sameKeyTwice_givesTheSameHandle() {
    E executor = newExecutor();
    PatchJob job = job(executor, "kit-job-1");
    assertEquals(executor.submit(job), executor.submit(job));
  }

  /** Jobs with different keys get different handles. */
  @Test
  public void submit_differentKeys_giveDifferentHandles() {
    E executor = newExecutor();
    assertNotEquals(
        executor.submit(job(executor, "kit-job-1")), executor.submit(job(executor, "kit-job-2")));
  }

  /** A submitted job reaches an outcome, and reports only packages of the job. */
  @Test
  public void poll_reportsAnOutcomeForThePackagesOfTheJob() {
    E executor = newExecutor();
    PatchJob job = job(executor, "kit-job-1");
    PatchOutcome outcome = awaitOutcome(executor, executor.submit(job));
    Set<String> names = job.updates().stream().map(PackageUpdate::name).collect(Collectors.toSet());
    assertTrue(
        names.containsAll(outcome.packages().keySet()),
        "outcome names packages outside the job: " + outcome.packages().keySet());
  }

  /** An outcome, once reported, never changes, however often and however late it is polled. */
  @Test
  public void poll_outcomeOnceReported_neverChanges() {
    E executor = newExecutor();
    String handle = executor.submit(job(executor, "kit-job-1"));
    PatchOutcome outcome = awaitOutcome(executor, handle);
    for (int i = 0; i < 3; i++) {
      letTimePass(executor, Duration.ofHours(1));
      assertEquals(Optional.of(outcome), executor.poll(handle), "the outcome changed");
    }
  }

  /**
   * A resubmission after the outcome (a restarted engine that lost its handles) gives the same
   * handle and the same outcome; the job does not run again.
   */
  @Test
  public void submit_againAfterOutcome_givesTheSameHandleAndOutcome() {
    E executor = newExecutor();
    PatchJob job = job(executor, "kit-job-1");
    String handle = executor.submit(job);
    PatchOutcome outcome = awaitOutcome(executor, handle);
    assertEquals(handle, executor.submit(job));
    assertEquals(Optional.of(outcome), executor.poll(handle));
  }

  /**
   * Bad input: a handle the executor never issued is rejected with {@link IllegalArgumentException}
   * or {@link PatchException}.
   */
  @Test
  public void poll_handleTheExecutorNeverIssued_isRejected() {
    E executor = newExecutor();
    RuntimeException e =
        assertThrows(RuntimeException.class, () -> executor.poll("kit-no-such-handle"));
    assertTrue(
        e instanceof IllegalArgumentException || e instanceof PatchException,
        "rejected with " + e + ", expected IllegalArgumentException or PatchException");
  }

  /** Bad input: a null job fails fast with {@link NullPointerException}. */
  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  public void submit_null_failsFast() {
    E executor = newExecutor();
    assertThrows(NullPointerException.class, () -> executor.submit(null));
  }

  private PatchOutcome awaitOutcome(E executor, String handle) {
    for (int step = 0; step <= 96; step++) {
      Optional<PatchOutcome> outcome = executor.poll(handle);
      if (outcome.isPresent()) {
        return outcome.get();
      }
      letTimePass(executor, Duration.ofMinutes(30));
    }
    throw new AssertionError("job " + handle + " had no outcome after two days");
  }
}
