package org.cloudpatch.core.memory;

import java.time.Duration;
import org.immutables.value.Value;

/**
 * Which faults a {@link SimulatedCloud} injects, each as a rate from 0 to 1. Every draw comes from
 * the cloud's seed, the operation, its key (an idempotency key, a job key, a VM or a host) and how
 * often that operation was called with that key: the same seed and the same calls give the same
 * faults, and a call added elsewhere does not shift them.
 *
 * <ul>
 *   <li>{@link #exception()}: a call fails with a {@link org.cloudpatch.core.PatchException} and
 *       its effect does not happen.
 *   <li>{@link #lostReply()}: the effect happens, and the caller gets a {@link
 *       org.cloudpatch.core.PatchException} (a retry under the same key confirms it).
 *   <li>{@link #slowCall()}: the call takes {@link #slowBy()} of clock time (a {@link VirtualClock}
 *       is moved forward before the call returns; any other clock is left alone). With a {@link
 *       #callTimeout()}, as a real adapter's HTTP client has, a call slower than it gives up at the
 *       bound: the clock moves by the bound and the caller gets a timeout, the effect done (as for
 *       a lost reply).
 *   <li>{@link #neverReports()}: a patch job whose poll answers empty forever, although its effect
 *       lands when it finishes.
 *   <li>{@link #duplicateEvent()}: a lifecycle event reported twice.
 *   <li>{@link #migrationFailure()}: a migration that fails under its key, however often retried;
 *       the VM stays where it was.
 *   <li>{@link #capacityShort()}: a migration target that refuses the VM for lack of memory under
 *       that key (its free memory is less than the hypervisor reports, as when ballooned or
 *       reserved memory is not counted), however often retried; the VM stays where it was.
 *   <li>{@link #stuckMaintenance()}: a host stuck entering maintenance mode under that key: the
 *       call fails every time and the host stays out of maintenance.
 *   <li>{@link #hostPatchIneffective()}: a host patch that the hypervisor confirms but that does
 *       not take (the host boots its old image): its patch level stays what it was.
 *   <li>{@link #agentOffline()}: the share of VM-hours in which a VM's agent is offline: inventory
 *       and job submission for it fail during that clock hour.
 *   <li>{@link #resumedEarly()}: a suspended VM that its user resumes unannounced, one to twelve
 *       hours later, in the middle of whatever rollout runs.
 *   <li>{@link #changeFeedFailure()}: a call of the inventory change feed ({@code changes}) that
 *       fails with a {@link org.cloudpatch.core.PatchException}.
 *   <li>{@link #changeFeedExpired()}: a call of the change feed that answers its cursor expired.
 * </ul>
 *
 * <p>Faults apply to hypervisor, executor and inventory calls alike ({@code capabilities()} and the
 * cloud's own inspection methods excepted); the change feed has only its own two. Only an engine
 * that keeps an inventory index calls the feed, so the feed's rates, in {@link #uniform} too, leave
 * the faults of every other call, and the runs of engines without an index, as they were.
 */
@Value.Immutable
public interface FaultPlan {
  /** The share of calls that fail without effect. */
  @Value.Default
  default double exception() {
    return 0;
  }

  /** The share of calls whose effect happens but whose reply is lost. */
  @Value.Default
  default double lostReply() {
    return 0;
  }

  /** The share of calls that take {@link #slowBy()}. */
  @Value.Default
  default double slowCall() {
    return 0;
  }

  /** The share of patch jobs that never report an outcome. */
  @Value.Default
  default double neverReports() {
    return 0;
  }

  /** The share of lifecycle events reported twice. */
  @Value.Default
  default double duplicateEvent() {
    return 0;
  }

  /** The share of migration keys under which the migration fails. */
  @Value.Default
  default double migrationFailure() {
    return 0;
  }

  /** The share of migration keys under which the target refuses the VM for lack of memory. */
  @Value.Default
  default double capacityShort() {
    return 0;
  }

  /** The share of maintenance keys under which the host is stuck entering maintenance mode. */
  @Value.Default
  default double stuckMaintenance() {
    return 0;
  }

  /** The share of host patch keys under which the patch is confirmed but does not take. */
  @Value.Default
  default double hostPatchIneffective() {
    return 0;
  }

  /** The share of VM-hours in which the VM's agent is offline. */
  @Value.Default
  default double agentOffline() {
    return 0;
  }

  /** The share of suspensions that the VM's user ends early, unannounced. */
  @Value.Default
  default double resumedEarly() {
    return 0;
  }

  /** The share of change feed calls that fail. */
  @Value.Default
  default double changeFeedFailure() {
    return 0;
  }

  /** The share of change feed calls that answer the cursor expired. */
  @Value.Default
  default double changeFeedExpired() {
    return 0;
  }

  /** How long a slow call takes (default 15 minutes). */
  @Value.Default
  default Duration slowBy() {
    return Duration.ofMinutes(15);
  }

  /**
   * The bound the adapter's own client puts on each call, as an HTTP client's read timeout does;
   * empty (the default) for an adapter that waits as long as the call takes.
   */
  java.util.Optional<Duration> callTimeout();

  /** Rejects rates outside [0, 1] and a slow call that takes no time. */
  @Value.Check
  default void check() {
    double[] rates = {
      exception(),
      lostReply(),
      slowCall(),
      neverReports(),
      duplicateEvent(),
      migrationFailure(),
      capacityShort(),
      stuckMaintenance(),
      hostPatchIneffective(),
      agentOffline(),
      resumedEarly(),
      changeFeedFailure(),
      changeFeedExpired()
    };
    for (double r : rates) {
      if (!(r >= 0 && r <= 1)) {
        throw new IllegalArgumentException("fault rates must be in [0, 1]: " + r);
      }
    }
    if (slowBy().isNegative() || slowBy().isZero()) {
      throw new IllegalArgumentException("a slow call must take time: " + slowBy());
    }
    if (callTimeout().isPresent()
        && (callTimeout().get().isNegative() || callTimeout().get().isZero())) {
      throw new IllegalArgumentException("a call timeout must be positive: " + callTimeout().get());
    }
  }

  /** Whether no fault is ever injected. */
  default boolean injectsNothing() {
    return exception() == 0
        && lostReply() == 0
        && slowCall() == 0
        && neverReports() == 0
        && duplicateEvent() == 0
        && migrationFailure() == 0
        && capacityShort() == 0
        && stuckMaintenance() == 0
        && hostPatchIneffective() == 0
        && agentOffline() == 0
        && resumedEarly() == 0
        && changeFeedFailure() == 0
        && changeFeedExpired() == 0;
  }

  /** No faults. */
  static FaultPlan none() {
    return builder().build();
  }

  /** Every kind of fault at the same rate. */
  static FaultPlan uniform(double rate) {
    return builder()
        .exception(rate)
        .lostReply(rate)
        .slowCall(rate)
        .neverReports(rate)
        .duplicateEvent(rate)
        .migrationFailure(rate)
        .capacityShort(rate)
        .stuckMaintenance(rate)
        .hostPatchIneffective(rate)
        .agentOffline(rate)
        .resumedEarly(rate)
        .changeFeedFailure(rate)
        .changeFeedExpired(rate)
        .build();
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link FaultPlan}. */
  final class Builder extends ImmutableFaultPlan.Builder {}
}
