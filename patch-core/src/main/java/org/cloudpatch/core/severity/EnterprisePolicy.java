package org.cloudpatch.core.severity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.SeverityScore;
import org.cloudpatch.core.asset.Asset;

/**
 * The enterprise's severity policy as data: which priority (P1 to P4) and due date an advisory gets
 * from its CVSS score, its CVEs' KEV membership and EPSS scores, the asset's criticality and
 * exposure, and an optional SSVC deployer decision.
 *
 * <p>The rules, in order: an SSVC decision, when given, decides alone (it already weighs the
 * deployer's context). Otherwise KEV membership, the EPSS thresholds and the CVSS thresholds each
 * propose a priority and the most urgent wins (on a tie the earlier rule); then the asset's
 * criticality and exposure move it by whole levels, never beyond P1 or P4. The due date is the
 * priority's time to remediate from the moment of assessment, and never later than the KEV due date
 * when the policy says so. Every {@link Assessment#rule()} names the rules that decided.
 *
 * <p>The JSON form (every section optional; omitted ones take the {@link #standard()} values):
 *
 * <pre>{@code
 * {"timeToRemediate": {"P1": "P3D", "P2": "P14D", "P3": "P30D", "P4": "P90D"},
 *  "unscored": "P3",
 *  "cvss": [{"atLeast": 9.0, "priority": "P1"}, {"atLeast": 7.0, "priority": "P2"},
 *           {"atLeast": 4.0, "priority": "P3"}, {"atLeast": 0.0, "priority": "P4"}],
 *  "epss": [{"atLeast": 0.5, "priority": "P1"}],
 *  "kev": {"priority": "P1", "dueByCatalog": true},
 *  "assets": {"criticality": {"CRITICAL": 1, "LOW": -1}, "exposure": {"INTERNET": 1}},
 *  "ssvc": {"Immediate": "P1", "Out-of-Cycle": "P2", "Scheduled": "P3", "Defer": "P4"}}
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class EnterprisePolicy {
  private record Threshold(double atLeast, Priority priority) {}

  /** The priorities from most to least urgent: an asset moves a priority along this list. */
  private static final List<Priority> URGENCY =
      List.of(Priority.P1, Priority.P2, Priority.P3, Priority.P4);

  private final Map<Priority, Duration> timeToRemediate;
  private final Priority unscored;
  private final List<Threshold> cvss;
  private final List<Threshold> epss;
  private final Optional<Priority> kevPriority;
  private final boolean kevDueByCatalog;
  private final Map<Asset.Criticality, Integer> criticality;
  private final Map<Asset.Exposure, Integer> exposure;
  private final Map<SsvcDecision, Priority> ssvc;

  private EnterprisePolicy(Builder b) {
    this.timeToRemediate = new EnumMap<>(b.timeToRemediate);
    this.unscored = b.unscored;
    this.cvss = sorted(b.cvss);
    this.epss = sorted(b.epss);
    this.kevPriority = b.kevPriority;
    this.kevDueByCatalog = b.kevDueByCatalog;
    this.criticality = new EnumMap<>(b.criticality);
    this.exposure = new EnumMap<>(b.exposure);
    this.ssvc = new EnumMap<>(b.ssvc);
  }

  private static List<Threshold> sorted(List<Threshold> in) {
    List<Threshold> out = new ArrayList<>(in);
    out.sort(Comparator.comparingDouble(Threshold::atLeast).reversed());
    return List.copyOf(out);
  }

  /**
   * P1 in 3 days, P2 in 14, P3 in 30, P4 in 90; CVSS at least 9.0 is P1, 7.0 P2, 4.0 P3, else P4;
   * KEV members are P1 and due no later than the catalog says; EPSS at least 0.5 is P1; critical or
   * internet-facing assets are one level more urgent, low-criticality ones one level less; SSVC
   * Immediate P1, Out-of-Cycle P2, Scheduled P3, Defer P4; unscored advisories are P3.
   */
  public static EnterprisePolicy standard() {
    return new EnterprisePolicy(new Builder());
  }

  /**
   * Reads a policy from its JSON form.
   *
   * @throws IllegalArgumentException naming the JSON pointer of the first value it cannot use
   */
  public static EnterprisePolicy fromJson(String json) {
    Objects.requireNonNull(json, "json");
    JsonNode root;
    try {
      root = JsonMapper.builder().build().readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("policy is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("policy /: must be a JSON object");
    }
    Builder b = new Builder();
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!List.of("timeToRemediate", "unscored", "cvss", "epss", "kev", "assets", "ssvc")
          .contains(f)) {
        throw new IllegalArgumentException("policy /" + f + ": unknown section");
      }
    }
    JsonNode ttr = root.path("timeToRemediate");
    for (Iterator<String> it = ttr.fieldNames(); it.hasNext(); ) {
      String p = it.next();
      String at = "/timeToRemediate/" + p;
      Duration d;
      try {
        d = Duration.parse(ttr.get(p).asText());
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("policy " + at + ": not an ISO-8601 duration", e);
      }
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("policy " + at + ": must be positive");
      }
      b.timeToRemediate.put(priority(p, at), d);
    }
    if (root.has("unscored")) {
      b.unscored = priority(root.get("unscored").asText(), "/unscored");
    }
    if (root.has("cvss")) {
      b.cvss = thresholds(root.get("cvss"), "/cvss", 10.0);
    }
    if (root.has("epss")) {
      b.epss = thresholds(root.get("epss"), "/epss", 1.0);
    }
    JsonNode kev = root.path("kev");
    if (kev.has("priority")) {
      b.kevPriority =
          kev.get("priority").isNull()
              ? Optional.empty()
              : Optional.of(priority(kev.get("priority").asText(), "/kev/priority"));
    }
    if (kev.has("dueByCatalog")) {
      b.kevDueByCatalog = kev.get("dueByCatalog").asBoolean();
    }
    JsonNode crit = root.path("assets").path("criticality");
    for (Iterator<String> it = crit.fieldNames(); it.hasNext(); ) {
      String c = it.next();
      b.criticality.put(
          enumValue(Asset.Criticality.class, c, "/assets/criticality/" + c),
          shift(crit.get(c), "/assets/criticality/" + c));
    }
    JsonNode exp = root.path("assets").path("exposure");
    for (Iterator<String> it = exp.fieldNames(); it.hasNext(); ) {
      String e = it.next();
      b.exposure.put(
          enumValue(Asset.Exposure.class, e, "/assets/exposure/" + e),
          shift(exp.get(e), "/assets/exposure/" + e));
    }
    JsonNode s = root.path("ssvc");
    for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
      String d = it.next();
      SsvcDecision decision;
      try {
        decision = SsvcDecision.parse(d);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("policy /ssvc/" + d + ": " + e.getMessage(), e);
      }
      b.ssvc.put(decision, priority(s.get(d).asText(), "/ssvc/" + d));
    }
    return new EnterprisePolicy(b);
  }

  private static Priority priority(String name, String at) {
    return enumValue(Priority.class, name, at);
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String name, String at) {
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "policy " + at + ": '" + name + "' is not one of " + List.of(type.getEnumConstants()), e);
    }
  }

  private static int shift(JsonNode n, String at) {
    if (!n.isInt() || Math.abs(n.asInt()) > 3) {
      throw new IllegalArgumentException("policy " + at + ": must be a whole number from -3 to 3");
    }
    return n.asInt();
  }

  private static List<Threshold> thresholds(JsonNode list, String at, double max) {
    if (!list.isArray()) {
      throw new IllegalArgumentException("policy " + at + ": must be an array");
    }
    List<Threshold> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode t = list.get(i);
      String p = at + "/" + i;
      if (!t.path("atLeast").isNumber()
          || t.get("atLeast").asDouble() < 0
          || t.get("atLeast").asDouble() > max) {
        throw new IllegalArgumentException(
            "policy " + p + "/atLeast: must be a number from 0 to " + max);
      }
      out.add(
          new Threshold(
              t.get("atLeast").asDouble(), priority(t.path("priority").asText(), p + "/priority")));
    }
    return out;
  }

  /** The priority of an advisory that no rule decides. */
  public Priority unscoredPriority() {
    return unscored;
  }

  /** Assesses an advisory for the fleet as a whole: no asset context, no SSVC decision. */
  public Assessment assess(Advisory advisory, ThreatIntel intel, Instant now) {
    return assess(advisory, Optional.empty(), intel, Optional.empty(), now);
  }

  /**
   * Assesses an advisory for one asset.
   *
   * @param asset the asset whose criticality and exposure count, if any
   * @param ssvc the deployer's SSVC decision, if one was made; it decides alone
   */
  public Assessment assess(
      Advisory advisory,
      Optional<Asset> asset,
      ThreatIntel intel,
      Optional<SsvcDecision> ssvc,
      Instant now) {
    Objects.requireNonNull(advisory, "advisory");
    Objects.requireNonNull(asset, "asset");
    Objects.requireNonNull(intel, "intel");
    Objects.requireNonNull(ssvc, "ssvc");
    Objects.requireNonNull(now, "now");
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
    Optional<KevEntry> kev =
        advisory.aliases().stream()
            .map(intel::kev)
            .flatMap(Optional::stream)
            .min(Comparator.comparing(KevEntry::dueDate));
    Optional<EpssScore> epssScore =
        advisory.aliases().stream()
            .map(intel::epss)
            .flatMap(Optional::stream)
            .max(Comparator.comparingDouble(EpssScore::probability));

    Priority priority;
    String rule;
    if (ssvc.isPresent()) {
      priority =
          Objects.requireNonNull(
              this.ssvc.get(ssvc.get()), "the Builder maps every SSVC decision to a priority");
      rule = "SSVC deployer decision " + ssvc.get() + " -> " + priority;
    } else {
      priority = unscored;
      rule = "no CVSS score, KEV entry or EPSS score: " + unscored + " by default";
      boolean decided = false;
      if (kev.isPresent() && kevPriority.isPresent()) {
        priority = kevPriority.get();
        rule = kev.get().cve() + " is in CISA KEV -> " + priority;
        decided = true;
      }
      if (epssScore.isPresent()) {
        for (Threshold t : epss) {
          if (epssScore.get().probability() >= t.atLeast()) {
            if (!decided || t.priority().compareTo(priority) < 0) {
              priority = t.priority();
              rule =
                  "EPSS "
                      + epssScore.get().probability()
                      + " of "
                      + epssScore.get().cve()
                      + " >= "
                      + t.atLeast()
                      + " -> "
                      + priority;
              decided = true;
            }
            break;
          }
        }
      }
      if (best.isPresent()) {
        for (Threshold t : cvss) {
          if (best.get() >= t.atLeast()) {
            if (!decided || t.priority().compareTo(priority) < 0) {
              priority = t.priority();
              rule =
                  "CVSS "
                      + best.get()
                      + " ("
                      + Cvss.rating(best.get())
                      + ") >= "
                      + t.atLeast()
                      + " -> "
                      + priority;
              decided = true;
            }
            break;
          }
        }
      }
      if (asset.isPresent()) {
        Asset a = asset.get();
        int raise =
            criticality.getOrDefault(a.criticality(), 0) + exposure.getOrDefault(a.exposure(), 0);
        if (raise != 0) {
          int index = Math.max(0, Math.min(URGENCY.size() - 1, URGENCY.indexOf(priority) - raise));
          Priority moved = URGENCY.get(index);
          rule +=
              "; asset "
                  + a.id()
                  + " ("
                  + a.criticality()
                  + ", "
                  + a.exposure()
                  + ") "
                  + (raise > 0 ? "raises" : "lowers")
                  + " it by "
                  + Math.abs(raise)
                  + " -> "
                  + moved;
          priority = moved;
        }
      }
    }
    Duration ttr =
        Objects.requireNonNull(
            timeToRemediate.get(priority), "the Builder gives every priority a time to remediate");
    Instant due = now.plus(ttr);
    String dueRule = "due in " + ttr.toDays() + " days";
    if (kev.isPresent() && kevDueByCatalog) {
      Instant catalogDue = kev.get().dueDate().atStartOfDay(ZoneOffset.UTC).toInstant();
      if (catalogDue.isBefore(due)) {
        due = catalogDue.isBefore(now) ? now : catalogDue;
        dueRule =
            "due by the KEV due date "
                + kev.get().dueDate()
                + (catalogDue.isBefore(now) ? " (past: due now)" : "");
      }
    }
    return Assessment.builder()
        .advisory(advisory.id())
        .score(best)
        .vector(bestVector)
        .priority(priority)
        .due(due)
        .rule(rule + ", " + dueRule)
        .build();
  }

  /** The defaults {@link #fromJson(String)} starts from. */
  private static final class Builder {
    final Map<Priority, Duration> timeToRemediate = new EnumMap<>(Priority.class);
    Priority unscored = Priority.P3;
    List<Threshold> cvss =
        List.of(
            new Threshold(9.0, Priority.P1),
            new Threshold(7.0, Priority.P2),
            new Threshold(4.0, Priority.P3),
            new Threshold(0.0, Priority.P4));
    List<Threshold> epss = List.of(new Threshold(0.5, Priority.P1));
    Optional<Priority> kevPriority = Optional.of(Priority.P1);
    boolean kevDueByCatalog = true;
    final Map<Asset.Criticality, Integer> criticality = new EnumMap<>(Asset.Criticality.class);
    final Map<Asset.Exposure, Integer> exposure = new EnumMap<>(Asset.Exposure.class);
    final Map<SsvcDecision, Priority> ssvc = new EnumMap<>(SsvcDecision.class);

    Builder() {
      timeToRemediate.put(Priority.P1, Duration.ofDays(3));
      timeToRemediate.put(Priority.P2, Duration.ofDays(14));
      timeToRemediate.put(Priority.P3, Duration.ofDays(30));
      timeToRemediate.put(Priority.P4, Duration.ofDays(90));
      criticality.put(Asset.Criticality.CRITICAL, 1);
      criticality.put(Asset.Criticality.LOW, -1);
      exposure.put(Asset.Exposure.INTERNET, 1);
      ssvc.put(SsvcDecision.IMMEDIATE, Priority.P1);
      ssvc.put(SsvcDecision.OUT_OF_CYCLE, Priority.P2);
      ssvc.put(SsvcDecision.SCHEDULED, Priority.P3);
      ssvc.put(SsvcDecision.DEFER, Priority.P4);
    }
  }
}
