package org.cloudpatch.core.severity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The CVSS 3.0 and 3.1 base, temporal and environmental scores, as the FIRST specifications define
 * them.
 *
 * <p>Stateless and thread-safe. {@link Cvss#score(String)} gives all scores of a vector at once.
 */
public final class Cvss3 {
  private static final List<String> BASE = List.of("AV", "AC", "PR", "UI", "S", "C", "I", "A");
  private static final List<String> TEMPORAL = List.of("E", "RL", "RC");
  private static final List<String> ENVIRONMENTAL =
      List.of("CR", "IR", "AR", "MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA");
  private static final Map<String, Set<String>> ALLOWED = new LinkedHashMap<>();

  static {
    ALLOWED.put("AV", CvssVector.values("N", "A", "L", "P"));
    ALLOWED.put("AC", CvssVector.values("L", "H"));
    ALLOWED.put("PR", CvssVector.values("N", "L", "H"));
    ALLOWED.put("UI", CvssVector.values("N", "R"));
    ALLOWED.put("S", CvssVector.values("U", "C"));
    for (String m : List.of("C", "I", "A")) {
      ALLOWED.put(m, CvssVector.values("H", "L", "N"));
    }
    ALLOWED.put("E", CvssVector.values("X", "U", "P", "F", "H"));
    ALLOWED.put("RL", CvssVector.values("X", "O", "T", "W", "U"));
    ALLOWED.put("RC", CvssVector.values("X", "U", "R", "C"));
    for (String m : List.of("CR", "IR", "AR")) {
      ALLOWED.put(m, CvssVector.values("X", "L", "M", "H"));
    }
    ALLOWED.put("MAV", CvssVector.values("X", "N", "A", "L", "P"));
    ALLOWED.put("MAC", CvssVector.values("X", "L", "H"));
    ALLOWED.put("MPR", CvssVector.values("X", "N", "L", "H"));
    ALLOWED.put("MUI", CvssVector.values("X", "N", "R"));
    ALLOWED.put("MS", CvssVector.values("X", "U", "C"));
    for (String m : List.of("MC", "MI", "MA")) {
      ALLOWED.put(m, CvssVector.values("X", "H", "L", "N"));
    }
  }

  private Cvss3() {}

  /**
   * The base score of a CVSS 3.0 or 3.1 vector, from 0.0 to 10.0 in steps of 0.1.
   *
   * @throws IllegalArgumentException naming the reason when the vector is malformed, has an unknown
   *     or duplicate metric, or misses a base metric
   */
  public static double baseScore(String vector) {
    return scores(vector).base;
  }

  /** The qualitative rating of a score: NONE, LOW, MEDIUM, HIGH or CRITICAL. */
  public static String rating(double score) {
    return Cvss.rating(score);
  }

  static CvssScore score(String vector) {
    Scores s = scores(vector);
    boolean temporal = defines(s.metrics, TEMPORAL);
    boolean environmental = defines(s.metrics, ENVIRONMENTAL);
    CvssScore.Builder b =
        CvssScore.builder()
            .version(s.v30 ? "3.0" : "3.1")
            .vector(vector.strip())
            .metrics(s.metrics)
            .baseScore(s.base);
    if (temporal) {
      b.temporalScore(s.temporal);
    }
    if (environmental) {
      b.environmentalScore(s.environmental);
    }
    if (environmental) {
      b.score(s.environmental).nomenclature("environmental");
    } else if (temporal) {
      b.score(s.temporal).nomenclature("temporal");
    } else {
      b.score(s.base).nomenclature("base");
    }
    return b.build();
  }

  private static boolean defines(Map<String, String> metrics, List<String> group) {
    return group.stream().anyMatch(m -> metrics.containsKey(m) && !metrics.get(m).equals("X"));
  }

  /** All three scores of a vector, whether or not it defines temporal or environmental metrics. */
  static final class Scores {
    final boolean v30;
    final Map<String, String> metrics;
    final double base;
    final double temporal;
    final double environmental;

    Scores(
        boolean v30,
        Map<String, String> metrics,
        double base,
        double temporal,
        double environmental) {
      this.v30 = v30;
      this.metrics = metrics;
      this.base = base;
      this.temporal = temporal;
      this.environmental = environmental;
    }
  }

  static Scores scores(String vector) {
    Objects.requireNonNull(vector, "vector");
    String v = vector.strip();
    boolean v30;
    if (v.startsWith("CVSS:3.1/")) {
      v30 = false;
    } else if (v.startsWith("CVSS:3.0/")) {
      v30 = true;
    } else {
      throw new IllegalArgumentException(
          "not a CVSS 3.x vector (must start with CVSS:3.0/ or CVSS:3.1/): " + vector);
    }
    Map<String, String> m = CvssVector.parse(v, v.substring(0, 8), ALLOWED, BASE);

    boolean changed = base(m, "S").equals("C");
    double iss = 1 - (1 - cia(base(m, "C"))) * (1 - cia(base(m, "I"))) * (1 - cia(base(m, "A")));
    double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
    double exploitability =
        8.22
            * av(base(m, "AV"))
            * ac(base(m, "AC"))
            * pr(base(m, "PR"), changed)
            * ui(base(m, "UI"));
    double base;
    if (impact <= 0) {
      base = 0.0;
    } else {
      base =
          roundUp(
              v30,
              changed
                  ? Math.min(1.08 * (impact + exploitability), 10)
                  : Math.min(impact + exploitability, 10));
    }
    double temporalFactor =
        exploitCodeMaturity(get(m, "E"))
            * remediationLevel(get(m, "RL"))
            * reportConfidence(get(m, "RC"));
    double temporal = roundUp(v30, base * temporalFactor);

    boolean mChanged = modified(m, "S").equals("C");
    double miss =
        Math.min(
            1
                - (1 - requirement(get(m, "CR")) * cia(modified(m, "C")))
                    * (1 - requirement(get(m, "IR")) * cia(modified(m, "I")))
                    * (1 - requirement(get(m, "AR")) * cia(modified(m, "A"))),
            0.915);
    double mImpact;
    if (!mChanged) {
      mImpact = 6.42 * miss;
    } else if (v30) {
      mImpact = 7.52 * (miss - 0.029) - 3.25 * Math.pow(miss - 0.02, 15);
    } else {
      mImpact = 7.52 * (miss - 0.029) - 3.25 * Math.pow(miss * 0.9731 - 0.02, 13);
    }
    double mExploitability =
        8.22
            * av(modified(m, "AV"))
            * ac(modified(m, "AC"))
            * pr(modified(m, "PR"), mChanged)
            * ui(modified(m, "UI"));
    double environmental;
    if (mImpact <= 0) {
      environmental = 0.0;
    } else if (!mChanged) {
      environmental =
          roundUp(v30, roundUp(v30, Math.min(mImpact + mExploitability, 10)) * temporalFactor);
    } else {
      environmental =
          roundUp(
              v30, roundUp(v30, Math.min(1.08 * (mImpact + mExploitability), 10)) * temporalFactor);
    }
    return new Scores(v30, m, base, temporal, environmental);
  }

  /** A base metric's value; {@link CvssVector#parse} rejects a vector that misses one. */
  private static String base(Map<String, String> m, String metric) {
    return Objects.requireNonNull(m.get(metric), "CvssVector.parse requires every base metric");
  }

  private static String get(Map<String, String> m, String metric) {
    return m.getOrDefault(metric, "X");
  }

  /** A modified base metric, or the base metric itself when the modification is not defined. */
  private static String modified(Map<String, String> m, String metric) {
    String value = get(m, "M" + metric);
    return value.equals("X") ? base(m, metric) : value;
  }

  private static double av(String v) {
    return switch (v) {
      case "N" -> 0.85;
      case "A" -> 0.62;
      case "L" -> 0.55;
      default -> 0.2;
    };
  }

  private static double ac(String v) {
    return v.equals("L") ? 0.77 : 0.44;
  }

  private static double pr(String v, boolean changed) {
    return switch (v) {
      case "N" -> 0.85;
      case "L" -> changed ? 0.68 : 0.62;
      default -> changed ? 0.5 : 0.27;
    };
  }

  private static double ui(String v) {
    return v.equals("N") ? 0.85 : 0.62;
  }

  private static double cia(String v) {
    return switch (v) {
      case "H" -> 0.56;
      case "L" -> 0.22;
      default -> 0.0;
    };
  }

  private static double exploitCodeMaturity(String v) {
    return switch (v) {
      case "F" -> 0.97;
      case "P" -> 0.94;
      case "U" -> 0.91;
      default -> 1.0;
    };
  }

  private static double remediationLevel(String v) {
    return switch (v) {
      case "W" -> 0.97;
      case "T" -> 0.96;
      case "O" -> 0.95;
      default -> 1.0;
    };
  }

  private static double reportConfidence(String v) {
    return switch (v) {
      case "R" -> 0.96;
      case "U" -> 0.92;
      default -> 1.0;
    };
  }

  private static double requirement(String v) {
    return switch (v) {
      case "H" -> 1.5;
      case "L" -> 0.5;
      default -> 1.0;
    };
  }

  private static double roundUp(boolean v30, double x) {
    return v30 ? roundUp30(x) : roundUp31(x);
  }

  // CVSS 3.0 rounds up to one decimal directly; floating-point error makes it occasionally
  // differ from 3.1, which is why 3.1 defined Roundup on integers.
  private static double roundUp30(double x) {
    return BigDecimal.valueOf(Math.ceil(x * 10) / 10)
        .setScale(1, RoundingMode.HALF_UP)
        .doubleValue();
  }

  private static double roundUp31(double x) {
    long intInput = Math.round(x * 100000);
    if (intInput % 10000 == 0) {
      return intInput / 100000.0;
    }
    return (Math.floor(intInput / 10000.0) + 1) / 10.0;
  }
}
