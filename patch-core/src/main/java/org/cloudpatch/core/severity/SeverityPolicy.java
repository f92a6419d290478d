package org.cloudpatch.core.severity;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.SeverityScore;

/**
 * Turns an advisory's CVSS base score into a priority and a due date.
 *
 * <p>The rule: the highest CVSS 3.x base score among the advisory's vectors picks the priority (at
 * least 9.0: P1; 7.0: P2; 4.0: P3; else P4), and each priority has a time to remediate counted from
 * the moment of assessment. An advisory without a score it can compute gets {@link
 * #unscoredPriority()}. Immutable and thread-safe.
 */
public final class SeverityPolicy {
  private final Map<Priority, Duration> timeToRemediate;
  private final Priority unscored;

  private SeverityPolicy(Map<Priority, Duration> timeToRemediate, Priority unscored) {
    this.timeToRemediate = new EnumMap<>(timeToRemediate);
    this.unscored = unscored;
  }

  /** P1 in 3 days, P2 in 14, P3 in 30, P4 in 90; unscored advisories are P3. */
  public static SeverityPolicy standard() {
    Map<Priority, Duration> ttr = new EnumMap<>(Priority.class);
    ttr.put(Priority.P1, Duration.ofDays(3));
    ttr.put(Priority.P2, Duration.ofDays(14));
    ttr.put(Priority.P3, Duration.ofDays(30));
    ttr.put(Priority.P4, Duration.ofDays(90));
    return new SeverityPolicy(ttr, Priority.P3);
  }

  /** This policy with another time to remediate for one priority. */
  public SeverityPolicy withTimeToRemediate(Priority priority, Duration duration) {
    Objects.requireNonNull(priority, "priority");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("time to remediate must be positive: " + duration);
    }
    Map<Priority, Duration> ttr = new EnumMap<>(timeToRemediate);
    ttr.put(priority, duration);
    return new SeverityPolicy(ttr, unscored);
  }

  /** The priority of an advisory whose vectors cannot be scored. */
  public Priority unscoredPriority() {
    return unscored;
  }

  /** Assesses {@code advisory} at {@code now}. */
  // NullAway cannot see that standard() fills timeToRemediate for every priority.
  @SuppressWarnings("NullAway")
  public Assessment assess(Advisory advisory, Instant now) {
    Objects.requireNonNull(advisory, "advisory");
    Objects.requireNonNull(now, "now");
    Optional<Double> best = Optional.empty();
    Optional<String> bestVector = Optional.empty();
    for (SeverityScore s : advisory.severities()) {
      if (!s.vector().startsWith("CVSS:3.")) {
        continue;
      }
      try {
        double score = Cvss3.baseScore(s.vector());
        if (best.isEmpty() || score > best.get()) {
          best = Optional.of(score);
          bestVector = Optional.of(s.vector());
        }
      } catch (IllegalArgumentException e) {
        // An unscorable vector does not make the advisory less urgent; the others decide.
      }
    }
    Priority priority;
    String rule;
    if (best.isEmpty()) {
      priority = unscored;
      rule = "no CVSS 3.x vector could be scored: " + priority + " by default";
    } else {
      double score = best.get();
      priority =
          score >= 9.0
              ? Priority.P1
              : score >= 7.0 ? Priority.P2 : score >= 4.0 ? Priority.P3 : Priority.P4;
      rule = "CVSS base " + score + " (" + Cvss3.rating(score) + ") -> " + priority;
    }
    Duration ttr = timeToRemediate.get(priority);
    return Assessment.builder()
        .advisory(advisory.id())
        .score(best)
        .vector(bestVector)
        .priority(priority)
        .due(now.plus(ttr))
        .rule(rule + ", due in " + ttr.toDays() + " days")
        .build();
  }
}
