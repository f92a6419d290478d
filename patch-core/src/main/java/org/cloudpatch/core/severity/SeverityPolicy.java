package org.cloudpatch.core.severity;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.SeverityScore;
import org.cloudpatch.core.asset.Asset;

/**
 * Turns an advisory's CVSS score into a priority and a due date.
 *
 * <p>The rule: the highest CVSS 3.x or 4.0 score among the advisory's vectors (each vector's most
 * specific score, see {@link CvssScore#score()}) picks the priority (at least 9.0: P1; 7.0: P2;
 * 4.0: P3; else P4), and each priority has a time to remediate counted from the moment of
 * assessment. An advisory without a score it can compute gets {@link #unscoredPriority()}. A policy
 * made {@link #of(EnterprisePolicy, Supplier)} decides by that enterprise policy instead, with KEV
 * and EPSS. Immutable and thread-safe.
 */
public final class SeverityPolicy {
  private final Map<Priority, Duration> timeToRemediate;
  private final Priority unscored;
  private final Optional<EnterprisePolicy> enterprise;
  private final Supplier<ThreatIntel> intel;

  private SeverityPolicy(Map<Priority, Duration> timeToRemediate, Priority unscored) {
    this.timeToRemediate = new EnumMap<>(timeToRemediate);
    this.unscored = unscored;
    this.enterprise = Optional.empty();
    this.intel = ThreatIntel::none;
  }

  private SeverityPolicy(EnterprisePolicy enterprise, Supplier<ThreatIntel> intel) {
    this.timeToRemediate = Map.of();
    this.unscored = enterprise.unscoredPriority();
    this.enterprise = Optional.of(enterprise);
    this.intel = intel;
  }

  /**
   * The engine's severity policy decided by an {@link EnterprisePolicy} for the fleet as a whole
   * (no asset context, no SSVC decision), with the threat intelligence {@code intel} supplies at
   * each assessment, so that a host can refresh KEV and EPSS without rebuilding the engine.
   */
  public static SeverityPolicy of(EnterprisePolicy enterprise, Supplier<ThreatIntel> intel) {
    return new SeverityPolicy(
        Objects.requireNonNull(enterprise, "enterprise"), Objects.requireNonNull(intel, "intel"));
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

  /**
   * This policy with another time to remediate for one priority.
   *
   * @throws IllegalStateException on a policy made {@link #of(EnterprisePolicy, Supplier)}
   */
  public SeverityPolicy withTimeToRemediate(Priority priority, Duration duration) {
    Objects.requireNonNull(priority, "priority");
    if (enterprise.isPresent()) {
      throw new IllegalStateException(
          "the times to remediate of an enterprise policy are set in the enterprise policy");
    }
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

  /**
   * Assesses {@code advisory} for one asset at {@code now}: a policy made {@link
   * #of(EnterprisePolicy, Supplier)} moves the priority by the asset's criticality and exposure as
   * that enterprise policy says; the CVSS-only policies decide as for the fleet.
   */
  public Assessment assess(Advisory advisory, Asset asset, Instant now) {
    Objects.requireNonNull(asset, "asset");
    if (enterprise.isPresent()) {
      Objects.requireNonNull(advisory, "advisory");
      Objects.requireNonNull(now, "now");
      return enterprise
          .get()
          .assess(
              advisory,
              Optional.of(asset),
              Objects.requireNonNull(intel.get(), "intel"),
              Optional.empty(),
              now);
    }
    return assess(advisory, now);
  }

  /** Assesses {@code advisory} at {@code now}. */
  // NullAway cannot see that standard() fills timeToRemediate for every priority.
  @SuppressWarnings("NullAway")
  public Assessment assess(Advisory advisory, Instant now) {
    Objects.requireNonNull(advisory, "advisory");
    Objects.requireNonNull(now, "now");
    if (enterprise.isPresent()) {
      return enterprise.get().assess(advisory, Objects.requireNonNull(intel.get(), "intel"), now);
    }
    Optional<Double> best = Optional.empty();
    Optional<String> bestVector = Optional.empty();
    for (SeverityScore s : advisory.severities()) {
      try {
        double score = Cvss.score(s.vector()).score();
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
      rule = "no CVSS vector could be scored: " + priority + " by default";
    } else {
      double score = best.get();
      priority =
          score >= 9.0
              ? Priority.P1
              : score >= 7.0 ? Priority.P2 : score >= 4.0 ? Priority.P3 : Priority.P4;
      rule = "CVSS " + score + " (" + Cvss.rating(score) + ") -> " + priority;
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
