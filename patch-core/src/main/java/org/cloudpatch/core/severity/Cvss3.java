package org.cloudpatch.core.severity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The CVSS 3.0 and 3.1 base score, as the FIRST specifications define it.
 *
 * <p>Temporal and environmental metrics are accepted in a vector (they are validated) but do not
 * change the base score. Stateless and thread-safe.
 */
public final class Cvss3 {
  private static final List<String> BASE = List.of("AV", "AC", "PR", "UI", "S", "C", "I", "A");
  private static final Map<String, String> ALLOWED = new LinkedHashMap<>();

  static {
    ALLOWED.put("AV", "NALP");
    ALLOWED.put("AC", "LH");
    ALLOWED.put("PR", "NLH");
    ALLOWED.put("UI", "NR");
    ALLOWED.put("S", "UC");
    ALLOWED.put("C", "HLN");
    ALLOWED.put("I", "HLN");
    ALLOWED.put("A", "HLN");
    ALLOWED.put("E", "XUPFH");
    ALLOWED.put("RL", "XOTWU");
    ALLOWED.put("RC", "XURC");
    ALLOWED.put("CR", "XLMH");
    ALLOWED.put("IR", "XLMH");
    ALLOWED.put("AR", "XLMH");
    ALLOWED.put("MAV", "XNALP");
    ALLOWED.put("MAC", "XLH");
    ALLOWED.put("MPR", "XNLH");
    ALLOWED.put("MUI", "XNR");
    ALLOWED.put("MS", "XUC");
    ALLOWED.put("MC", "XHLN");
    ALLOWED.put("MI", "XHLN");
    ALLOWED.put("MA", "XHLN");
  }

  private Cvss3() {}

  /**
   * The base score of a CVSS 3.0 or 3.1 vector, from 0.0 to 10.0 in steps of 0.1.
   *
   * @throws IllegalArgumentException naming the reason when the vector is malformed, has an unknown
   *     or duplicate metric, or misses a base metric
   */
  // NullAway cannot see that the missing-base-metric check proves every m.get below non-null.
  @SuppressWarnings("NullAway")
  public static double baseScore(String vector) {
    Objects.requireNonNull(vector, "vector");
    String[] parts = vector.strip().split("/", -1);
    boolean v30;
    if (parts[0].equals("CVSS:3.1")) {
      v30 = false;
    } else if (parts[0].equals("CVSS:3.0")) {
      v30 = true;
    } else {
      throw new IllegalArgumentException(
          "not a CVSS 3.x vector (must start with CVSS:3.0/ or CVSS:3.1/): " + vector);
    }
    Map<String, Character> m = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i];
      int colon = p.indexOf(':');
      if (colon <= 0 || colon != p.length() - 2) {
        throw new IllegalArgumentException("malformed metric '" + p + "' in " + vector);
      }
      String key = p.substring(0, colon);
      char value = p.charAt(colon + 1);
      String allowed = ALLOWED.get(key);
      if (allowed == null) {
        throw new IllegalArgumentException("unknown metric '" + key + "' in " + vector);
      }
      if (allowed.indexOf(value) < 0) {
        throw new IllegalArgumentException(
            "metric " + key + " cannot be '" + value + "' in " + vector);
      }
      if (m.put(key, value) != null) {
        throw new IllegalArgumentException("duplicate metric '" + key + "' in " + vector);
      }
    }
    for (String key : BASE) {
      if (!m.containsKey(key)) {
        throw new IllegalArgumentException("missing base metric '" + key + "' in " + vector);
      }
    }
    boolean changed = m.get("S") == 'C';
    double av =
        switch (m.get("AV")) {
          case 'N' -> 0.85;
          case 'A' -> 0.62;
          case 'L' -> 0.55;
          default -> 0.2;
        };
    double ac = m.get("AC") == 'L' ? 0.77 : 0.44;
    double pr =
        switch (m.get("PR")) {
          case 'N' -> 0.85;
          case 'L' -> changed ? 0.68 : 0.62;
          default -> changed ? 0.5 : 0.27;
        };
    double ui = m.get("UI") == 'N' ? 0.85 : 0.62;
    double iss = 1 - (1 - cia(m.get("C"))) * (1 - cia(m.get("I"))) * (1 - cia(m.get("A")));
    double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
    double exploitability = 8.22 * av * ac * pr * ui;
    if (impact <= 0) {
      return 0.0;
    }
    double raw =
        changed
            ? Math.min(1.08 * (impact + exploitability), 10)
            : Math.min(impact + exploitability, 10);
    return v30 ? roundUp30(raw) : roundUp31(raw);
  }

  /** The qualitative rating of a score: NONE, LOW, MEDIUM, HIGH or CRITICAL. */
  public static String rating(double score) {
    if (score == 0.0) {
      return "NONE";
    } else if (score < 4.0) {
      return "LOW";
    } else if (score < 7.0) {
      return "MEDIUM";
    } else if (score < 9.0) {
      return "HIGH";
    }
    return "CRITICAL";
  }

  private static double cia(char c) {
    return switch (c) {
      case 'H' -> 0.56;
      case 'L' -> 0.22;
      default -> 0.0;
    };
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
