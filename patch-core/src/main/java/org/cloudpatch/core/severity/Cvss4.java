package org.cloudpatch.core.severity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The CVSS 4.0 score: the MacroVector of a vector looked up in the FIRST table, then interpolated
 * by the vector's severity distance from the highest vectors of its MacroVector.
 *
 * <p>The arithmetic follows the FIRST calculator operation by operation (in IEEE doubles, as
 * JavaScript computes), because a score lands on a rounding boundary often enough that an
 * algebraically equal formula gives a different one-decimal score.
 */
final class Cvss4 {
  private static final String PREFIX = "CVSS:4.0";
  private static final List<String> BASE =
      List.of("AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA");
  private static final List<String> ENVIRONMENTAL =
      List.of(
          "CR", "IR", "AR", "MAV", "MAC", "MAT", "MPR", "MUI", "MVC", "MVI", "MVA", "MSC", "MSI",
          "MSA");
  private static final Map<String, Set<String>> ALLOWED = new LinkedHashMap<>();
  private static final Map<String, Double> LOOKUP = loadLookup();

  static {
    ALLOWED.put("AV", CvssVector.values("N", "A", "L", "P"));
    ALLOWED.put("AC", CvssVector.values("L", "H"));
    ALLOWED.put("AT", CvssVector.values("N", "P"));
    ALLOWED.put("PR", CvssVector.values("N", "L", "H"));
    ALLOWED.put("UI", CvssVector.values("N", "P", "A"));
    for (String m : List.of("VC", "VI", "VA", "SC", "SI", "SA")) {
      ALLOWED.put(m, CvssVector.values("H", "L", "N"));
    }
    ALLOWED.put("E", CvssVector.values("X", "A", "P", "U"));
    for (String m : List.of("CR", "IR", "AR")) {
      ALLOWED.put(m, CvssVector.values("X", "H", "M", "L"));
    }
    ALLOWED.put("MAV", CvssVector.values("X", "N", "A", "L", "P"));
    ALLOWED.put("MAC", CvssVector.values("X", "L", "H"));
    ALLOWED.put("MAT", CvssVector.values("X", "N", "P"));
    ALLOWED.put("MPR", CvssVector.values("X", "N", "L", "H"));
    ALLOWED.put("MUI", CvssVector.values("X", "N", "P", "A"));
    for (String m : List.of("MVC", "MVI", "MVA", "MSC")) {
      ALLOWED.put(m, CvssVector.values("X", "H", "L", "N"));
    }
    // Safety (S) is a modified subsequent-system value only: the base metrics cannot be S.
    ALLOWED.put("MSI", CvssVector.values("X", "S", "H", "L", "N"));
    ALLOWED.put("MSA", CvssVector.values("X", "S", "H", "L", "N"));
    // Supplemental metrics: kept in the score's metrics, never part of the score.
    ALLOWED.put("S", CvssVector.values("X", "N", "P"));
    ALLOWED.put("AU", CvssVector.values("X", "N", "Y"));
    ALLOWED.put("R", CvssVector.values("X", "A", "U", "I"));
    ALLOWED.put("V", CvssVector.values("X", "D", "C"));
    ALLOWED.put("RE", CvssVector.values("X", "L", "M", "H"));
    ALLOWED.put("U", CvssVector.values("X", "Clear", "Green", "Amber", "Red"));
  }

  // The highest-severity vectors of each EQ level, from the FIRST calculator (max_composed).
  private static final Map<Integer, List<String>> EQ1_MAX =
      Map.of(
          0, List.of("AV:N/PR:N/UI:N"),
          1, List.of("AV:A/PR:N/UI:N", "AV:N/PR:L/UI:N", "AV:N/PR:N/UI:P"),
          2, List.of("AV:P/PR:N/UI:N", "AV:A/PR:L/UI:P"));
  private static final Map<Integer, List<String>> EQ2_MAX =
      Map.of(0, List.of("AC:L/AT:N"), 1, List.of("AC:H/AT:N", "AC:L/AT:P"));
  private static final Map<String, List<String>> EQ3_EQ6_MAX =
      Map.of(
          "00", List.of("VC:H/VI:H/VA:H/CR:H/IR:H/AR:H"),
          "01", List.of("VC:H/VI:H/VA:L/CR:M/IR:M/AR:H", "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M"),
          "10", List.of("VC:L/VI:H/VA:H/CR:H/IR:H/AR:H", "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H"),
          "11",
              List.of(
                  "VC:L/VI:H/VA:L/CR:H/IR:M/AR:H",
                  "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M",
                  "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M",
                  "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H",
                  "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M"),
          "21", List.of("VC:L/VI:L/VA:L/CR:H/IR:H/AR:H"));
  private static final Map<Integer, List<String>> EQ4_MAX =
      Map.of(
          0, List.of("SC:H/SI:S/SA:S"), 1, List.of("SC:H/SI:H/SA:H"), 2, List.of("SC:L/SI:L/SA:L"));
  private static final Map<Integer, List<String>> EQ5_MAX =
      Map.of(0, List.of("E:A"), 1, List.of("E:P"), 2, List.of("E:U"));

  // The depth of each EQ level in severity steps, plus one (FIRST calculator, max_severity).
  private static final int[] EQ1_DEPTH = {1, 4, 5};
  private static final int[] EQ2_DEPTH = {1, 2};
  private static final int[][] EQ3_EQ6_DEPTH = {{7, 6}, {8, 8}, {0, 10}};
  private static final int[] EQ4_DEPTH = {6, 5, 4};

  private static final Map<String, Map<String, Double>> LEVELS = new HashMap<>();

  static {
    LEVELS.put("AV", Map.of("N", 0.0, "A", 0.1, "L", 0.2, "P", 0.3));
    LEVELS.put("PR", Map.of("N", 0.0, "L", 0.1, "H", 0.2));
    LEVELS.put("UI", Map.of("N", 0.0, "P", 0.1, "A", 0.2));
    LEVELS.put("AC", Map.of("L", 0.0, "H", 0.1));
    LEVELS.put("AT", Map.of("N", 0.0, "P", 0.1));
    for (String m : List.of("VC", "VI", "VA")) {
      LEVELS.put(m, Map.of("H", 0.0, "L", 0.1, "N", 0.2));
    }
    LEVELS.put("SC", Map.of("H", 0.1, "L", 0.2, "N", 0.3));
    LEVELS.put("SI", Map.of("S", 0.0, "H", 0.1, "L", 0.2, "N", 0.3));
    LEVELS.put("SA", Map.of("S", 0.0, "H", 0.1, "L", 0.2, "N", 0.3));
    for (String m : List.of("CR", "IR", "AR")) {
      LEVELS.put(m, Map.of("H", 0.0, "M", 0.1, "L", 0.2));
    }
  }

  private static final List<String> DISTANCE_METRICS =
      List.of("AV", "PR", "UI", "AC", "AT", "VC", "VI", "VA", "SC", "SI", "SA", "CR", "IR", "AR");

  private Cvss4() {}

  static CvssScore score(String vector) {
    String v = vector.strip();
    Map<String, String> metrics = CvssVector.parse(v, PREFIX, ALLOWED, BASE);
    boolean threat = !metrics.getOrDefault("E", "X").equals("X");
    boolean environmental =
        ENVIRONMENTAL.stream().anyMatch(m -> !metrics.getOrDefault(m, "X").equals("X"));
    Map<String, String> baseOnly = new LinkedHashMap<>();
    for (String m : BASE) {
      baseOnly.put(m, metrics.get(m));
    }
    return CvssScore.builder()
        .version("4.0")
        .vector(v)
        .metrics(metrics)
        .baseScore(compute(baseOnly))
        .score(compute(metrics))
        .nomenclature("CVSS-B" + (threat ? "T" : "") + (environmental ? "E" : ""))
        .build();
  }

  /** The effective value of a metric: its modified value when defined, X replaced by the worst. */
  private static String m(Map<String, String> metrics, String metric) {
    String selected = metrics.getOrDefault(metric, "X");
    if (metric.equals("E") && selected.equals("X")) {
      return "A";
    }
    if ((metric.equals("CR") || metric.equals("IR") || metric.equals("AR"))
        && selected.equals("X")) {
      return "H";
    }
    String modified = metrics.get("M" + metric);
    if (modified != null && !modified.equals("X")) {
      return modified;
    }
    return selected;
  }

  static String macroVector(Map<String, String> c) {
    String av = m(c, "AV");
    String pr = m(c, "PR");
    String ui = m(c, "UI");
    int eq1;
    if (av.equals("N") && pr.equals("N") && ui.equals("N")) {
      eq1 = 0;
    } else if ((av.equals("N") || pr.equals("N") || ui.equals("N")) && !av.equals("P")) {
      eq1 = 1;
    } else {
      eq1 = 2;
    }
    int eq2 = m(c, "AC").equals("L") && m(c, "AT").equals("N") ? 0 : 1;
    String vc = m(c, "VC");
    String vi = m(c, "VI");
    String va = m(c, "VA");
    int eq3;
    if (vc.equals("H") && vi.equals("H")) {
      eq3 = 0;
    } else if (vc.equals("H") || vi.equals("H") || va.equals("H")) {
      eq3 = 1;
    } else {
      eq3 = 2;
    }
    int eq4;
    if (m(c, "MSI").equals("S") || m(c, "MSA").equals("S")) {
      eq4 = 0;
    } else if (m(c, "SC").equals("H") || m(c, "SI").equals("H") || m(c, "SA").equals("H")) {
      eq4 = 1;
    } else {
      eq4 = 2;
    }
    String e = m(c, "E");
    int eq5 = e.equals("A") ? 0 : e.equals("P") ? 1 : 2;
    boolean eq6High =
        (m(c, "CR").equals("H") && vc.equals("H"))
            || (m(c, "IR").equals("H") && vi.equals("H"))
            || (m(c, "AR").equals("H") && va.equals("H"));
    int eq6 = eq6High ? 0 : 1;
    return "" + eq1 + eq2 + eq3 + eq4 + eq5 + eq6;
  }

  private static double lookup(int eq1, int eq2, int eq3, int eq4, int eq5, int eq6) {
    Double value = LOOKUP.get("" + eq1 + eq2 + eq3 + eq4 + eq5 + eq6);
    return value == null ? Double.NaN : value;
  }

  static double compute(Map<String, String> c) {
    if (List.of("VC", "VI", "VA", "SC", "SI", "SA").stream().allMatch(x -> m(c, x).equals("N"))) {
      return 0.0;
    }
    String macro = macroVector(c);
    int eq1 = macro.charAt(0) - '0';
    int eq2 = macro.charAt(1) - '0';
    int eq3 = macro.charAt(2) - '0';
    int eq4 = macro.charAt(3) - '0';
    int eq5 = macro.charAt(4) - '0';
    int eq6 = macro.charAt(5) - '0';
    double value = lookup(eq1, eq2, eq3, eq4, eq5, eq6);

    double lowerEq1 = lookup(eq1 + 1, eq2, eq3, eq4, eq5, eq6);
    double lowerEq2 = lookup(eq1, eq2 + 1, eq3, eq4, eq5, eq6);
    double lowerEq3Eq6;
    if (eq3 == 0 && eq6 == 0) {
      // Two ways down; the calculator takes the left one only when it is strictly higher.
      double left = lookup(eq1, eq2, eq3, eq4, eq5, eq6 + 1);
      double right = lookup(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
      lowerEq3Eq6 = left > right ? left : right;
    } else if (eq3 == 1 && eq6 == 0) {
      lowerEq3Eq6 = lookup(eq1, eq2, eq3, eq4, eq5, eq6 + 1);
    } else if ((eq3 == 0 || eq3 == 1) && eq6 == 1) {
      lowerEq3Eq6 = lookup(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
    } else {
      lowerEq3Eq6 = lookup(eq1, eq2, eq3 + 1, eq4, eq5, eq6 + 1);
    }
    double lowerEq4 = lookup(eq1, eq2, eq3, eq4 + 1, eq5, eq6);
    double lowerEq5 = lookup(eq1, eq2, eq3, eq4, eq5 + 1, eq6);

    // The first highest vector of the MacroVector that the scored vector does not exceed.
    Map<String, Double> distance = new HashMap<>();
    for (String max : maxVectors(eq1, eq2, eq3, eq4, eq5, eq6)) {
      Map<String, String> maxMetrics = new HashMap<>();
      for (String part : max.split("/")) {
        int colon = part.indexOf(':');
        maxMetrics.put(part.substring(0, colon), part.substring(colon + 1));
      }
      boolean negative = false;
      for (String metric : DISTANCE_METRICS) {
        double d = level(metric, m(c, metric)) - level(metric, maxMetrics.get(metric));
        distance.put(metric, d);
        negative |= d < 0;
      }
      if (!negative) {
        break;
      }
    }
    double distanceEq1 =
        distance(distance, "AV") + distance(distance, "PR") + distance(distance, "UI");
    double distanceEq2 = distance(distance, "AC") + distance(distance, "AT");
    double distanceEq3Eq6 =
        distance(distance, "VC")
            + distance(distance, "VI")
            + distance(distance, "VA")
            + distance(distance, "CR")
            + distance(distance, "IR")
            + distance(distance, "AR");
    double distanceEq4 =
        distance(distance, "SC") + distance(distance, "SI") + distance(distance, "SA");

    double step = 0.1;
    double maxSeverityEq1 = EQ1_DEPTH[eq1] * step;
    double maxSeverityEq2 = EQ2_DEPTH[eq2] * step;
    double maxSeverityEq3Eq6 = EQ3_EQ6_DEPTH[eq3][eq6] * step;
    double maxSeverityEq4 = EQ4_DEPTH[eq4] * step;

    int existingLower = 0;
    double normalized1 = 0;
    double normalized2 = 0;
    double normalized3 = 0;
    double normalized4 = 0;
    double normalized5 = 0;
    double available1 = value - lowerEq1;
    double available2 = value - lowerEq2;
    double available3 = value - lowerEq3Eq6;
    double available4 = value - lowerEq4;
    double available5 = value - lowerEq5;
    if (!Double.isNaN(available1)) {
      existingLower++;
      normalized1 = available1 * (distanceEq1 / maxSeverityEq1);
    }
    if (!Double.isNaN(available2)) {
      existingLower++;
      normalized2 = available2 * (distanceEq2 / maxSeverityEq2);
    }
    if (!Double.isNaN(available3)) {
      existingLower++;
      normalized3 = available3 * (distanceEq3Eq6 / maxSeverityEq3Eq6);
    }
    if (!Double.isNaN(available4)) {
      existingLower++;
      normalized4 = available4 * (distanceEq4 / maxSeverityEq4);
    }
    if (!Double.isNaN(available5)) {
      // The severity distance within an EQ5 level is always zero.
      existingLower++;
      normalized5 = available5 * 0;
    }
    double mean =
        existingLower == 0
            ? 0
            : (normalized1 + normalized2 + normalized3 + normalized4 + normalized5) / existingLower;
    value -= mean;
    if (value < 0) {
      value = 0.0;
    }
    if (value > 10) {
      value = 10.0;
    }
    // The calculator adds a millionth before rounding, so that x.x5 that floating point renders as
    // x.x4999... still rounds up.
    return Math.round((value + 1e-6) * 10) / 10.0;
  }

  /**
   * The severity level of a metric's value. {@link CvssVector#parse} admits only values that {@link
   * #LEVELS} lists for every metric of {@link #DISTANCE_METRICS}, and so do the max vectors.
   */
  private static double level(String metric, @Nullable String value) {
    Map<String, Double> levels =
        Objects.requireNonNull(LEVELS.get(metric), "LEVELS lists every distance metric");
    return Objects.requireNonNull(levels.get(value), "LEVELS lists every value a vector may have");
  }

  /** A metric's distance; compute puts one for every metric of {@link #DISTANCE_METRICS}. */
  private static double distance(Map<String, Double> distance, String metric) {
    return Objects.requireNonNull(distance.get(metric), "compute puts every distance metric");
  }

  /** The highest vectors of an EQ level; macroVector yields only levels the FIRST tables list. */
  private static <K> List<String> highest(Map<K, List<String>> max, K level) {
    return Objects.requireNonNull(max.get(level), "macroVector yields only listed EQ levels");
  }

  private static List<String> maxVectors(int eq1, int eq2, int eq3, int eq4, int eq5, int eq6) {
    List<String> out = new ArrayList<>();
    for (String a : highest(EQ1_MAX, eq1)) {
      for (String b : highest(EQ2_MAX, eq2)) {
        for (String c : highest(EQ3_EQ6_MAX, "" + eq3 + eq6)) {
          for (String d : highest(EQ4_MAX, eq4)) {
            for (String e : highest(EQ5_MAX, eq5)) {
              out.add(a + "/" + b + "/" + c + "/" + d + "/" + e);
            }
          }
        }
      }
    }
    return out;
  }

  private static Map<String, Double> loadLookup() {
    Map<String, Double> table = new HashMap<>();
    try (InputStream in = Cvss4.class.getResourceAsStream("cvss40-macrovectors.txt")) {
      if (in == null) {
        throw new IllegalStateException("the CVSS 4.0 MacroVector table is missing");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] kv = line.strip().split(" ");
        table.put(kv[0], Double.parseDouble(kv[1]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.copyOf(table);
  }
}
