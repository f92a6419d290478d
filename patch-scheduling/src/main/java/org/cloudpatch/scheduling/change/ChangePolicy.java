package org.cloudpatch.scheduling.change;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.cloudpatch.core.rollout.ChangeRequest.ChangeType;
import org.cloudpatch.core.severity.Priority;

/**
 * How the enterprise's change process treats patch work, by priority and window.
 *
 * <p>{@link #classify} decides, in this order:
 *
 * <ol>
 *   <li><b>Emergency</b> when the priority is one of {@link #emergencyPriorities()} (P1 by default)
 *       or the vulnerability is known to be exploited and {@link #emergencyForKnownExploited()}: it
 *       may be implemented in any window after {@link #emergencyLeadTime()}, and, when {@link
 *       #emergencyWindows()} allows, in an out-of-cycle window of {@link
 *       #emergencyWindowDuration()}.
 *   <li><b>Standard</b> when the work falls inside an agreed window and its priority is one of
 *       {@link #standardPriorities()}: pre-approved, no lead time.
 *   <li><b>Normal</b> otherwise: the change board needs {@link #normalLeadTime()} between the
 *       request and the opening of the window it is implemented in.
 * </ol>
 *
 * @param standardPriorities priorities pre-approved as standard changes inside agreed windows
 * @param normalLeadTime how long before its window a normal change must be requested, not negative
 * @param emergencyPriorities priorities that make an emergency change
 * @param emergencyForKnownExploited whether a known exploited vulnerability makes an emergency
 * @param emergencyLeadTime the time an emergency change needs before it starts, not negative
 * @param emergencyWindows whether an out-of-cycle window may be opened for an emergency change that
 *     would otherwise miss its due date
 * @param emergencyWindowDuration the length of such a window, positive
 */
public record ChangePolicy(
    Set<Priority> standardPriorities,
    Duration normalLeadTime,
    Set<Priority> emergencyPriorities,
    boolean emergencyForKnownExploited,
    Duration emergencyLeadTime,
    boolean emergencyWindows,
    Duration emergencyWindowDuration) {

  /** Validates and copies. */
  public ChangePolicy {
    standardPriorities = Set.copyOf(standardPriorities);
    emergencyPriorities = Set.copyOf(emergencyPriorities);
    Objects.requireNonNull(normalLeadTime, "normalLeadTime");
    Objects.requireNonNull(emergencyLeadTime, "emergencyLeadTime");
    Objects.requireNonNull(emergencyWindowDuration, "emergencyWindowDuration");
    if (normalLeadTime.isNegative() || emergencyLeadTime.isNegative()) {
      throw new IllegalArgumentException("lead times must not be negative");
    }
    if (emergencyWindowDuration.isNegative() || emergencyWindowDuration.isZero()) {
      throw new IllegalArgumentException(
          "emergencyWindowDuration must be positive: " + emergencyWindowDuration);
    }
  }

  /**
   * The usual ITIL setting: P2 to P4 are standard inside agreed windows, a normal change needs five
   * days, P1 and known exploited vulnerabilities are emergencies that may open a four-hour
   * out-of-cycle window two hours after the request.
   */
  public static ChangePolicy defaults() {
    return new ChangePolicy(
        EnumSet.of(Priority.P2, Priority.P3, Priority.P4),
        Duration.ofDays(5),
        EnumSet.of(Priority.P1),
        true,
        Duration.ofHours(2),
        true,
        Duration.ofHours(4));
  }

  /**
   * The change type for work of {@code priority} in a window.
   *
   * @param priority the work's priority, never null
   * @param knownExploited whether the vulnerability is known to be exploited
   * @param agreedWindow whether the window is one of the agreed (recurring or approved) windows
   */
  public ChangeType classify(Priority priority, boolean knownExploited, boolean agreedWindow) {
    Objects.requireNonNull(priority, "priority");
    if (isEmergency(priority, knownExploited)) {
      return ChangeType.EMERGENCY;
    }
    return agreedWindow && standardPriorities.contains(priority)
        ? ChangeType.STANDARD
        : ChangeType.NORMAL;
  }

  /** Whether work of this priority is an emergency change. */
  public boolean isEmergency(Priority priority, boolean knownExploited) {
    return emergencyPriorities.contains(priority) || (knownExploited && emergencyForKnownExploited);
  }

  /** The time a change of {@code type} needs between its request and its first job. */
  public Duration leadTime(ChangeType type) {
    return switch (type) {
      case STANDARD -> Duration.ZERO;
      case NORMAL -> normalLeadTime;
      case EMERGENCY -> emergencyLeadTime;
    };
  }

  /** The earliest start of a change of {@code type} requested at {@code requestedAt}. */
  public Instant earliestStart(ChangeType type, Instant requestedAt) {
    return requestedAt.plus(leadTime(type));
  }
}
