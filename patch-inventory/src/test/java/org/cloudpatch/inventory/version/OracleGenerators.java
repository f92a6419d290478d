package org.cloudpatch.inventory.version;

import java.util.function.IntUnaryOperator;
import org.quicktheories.core.Gen;

/**
 * Generators of RPM and PEP 440 version pairs for the oracle tests: the second version of a pair is
 * mostly a small edit of the first, so that equal and nearly equal pairs are common.
 */
final class OracleGenerators {
  private OracleGenerators() {}

  /** RPM {@code [epoch:]version[-release]}; both sides of a pair have a release or neither. */
  static Gen<String[]> rpmPairs() {
    return in -> {
      IntUnaryOperator r = VersionGenerator.choices(in);
      boolean release = r.applyAsInt(3) > 0;
      String a = rpm(r, release);
      String b = r.applyAsInt(3) == 0 ? rpm(r, release) : rpmEdit(a, r);
      return new String[] {a, b};
    };
  }

  private static String rpm(IntUnaryOperator r, boolean release) {
    StringBuilder sb = new StringBuilder();
    if (r.applyAsInt(4) == 0) {
      sb.append(pick(r, "0", "1", "2", "00", "10")).append(':');
    }
    sb.append(digits(r));
    rpmTokens(sb, r, r.applyAsInt(6));
    if (release) {
      sb.append('-').append(r.applyAsInt(3) == 0 ? pick(r, "el", "a", "~") : digits(r));
      rpmTokens(sb, r, r.applyAsInt(4));
    }
    return sb.toString();
  }

  private static void rpmTokens(StringBuilder sb, IntUnaryOperator r, int n) {
    for (int i = 0; i < n; i++) {
      sb.append(pick(r, ".", ".", "_", "+", "~", "^", "", "."));
      sb.append(r.applyAsInt(3) == 0 ? pick(r, "a", "b", "rc", "Z", "el9", "git") : digits(r));
    }
  }

  private static String rpmEdit(String v, IntUnaryOperator r) {
    int hyphen = v.lastIndexOf('-');
    int at = r.applyAsInt(hyphen < 0 ? v.length() + 1 : hyphen + 1);
    switch (r.applyAsInt(7)) {
      case 0:
        return v.substring(0, at) + "~" + v.substring(at);
      case 1:
        return v.substring(0, at) + "^" + v.substring(at);
      case 2:
        return v.substring(0, at) + "0" + v.substring(at);
      case 3:
        return v.substring(0, at) + "." + v.substring(at);
      case 4:
        return v.indexOf(':') < 0 ? "0:" + v : v;
      case 5:
        return v.replace('.', '_');
      default:
        return v.substring(0, at) + pick(r, "a", "1", "9") + v.substring(at);
    }
  }

  /** PEP 440 versions in many spellings, and now and then a near miss packaging rejects. */
  static Gen<String[]> pep440Pairs() {
    return in -> {
      IntUnaryOperator r = VersionGenerator.choices(in);
      String a = pep440(r);
      String b = r.applyAsInt(3) == 0 ? pep440(r) : pep440Edit(a, r);
      return new String[] {a, b};
    };
  }

  private static String pep440(IntUnaryOperator r) {
    StringBuilder sb = new StringBuilder();
    if (r.applyAsInt(8) == 0) {
      sb.append(pick(r, "v", "V"));
    }
    if (r.applyAsInt(6) == 0) {
      sb.append(pick(r, "0", "1", "2", "01")).append('!');
    }
    sb.append(digits(r));
    int parts = r.applyAsInt(4);
    for (int i = 0; i < parts; i++) {
      sb.append('.').append(r.applyAsInt(3) == 0 ? "0" : digits(r));
    }
    if (r.applyAsInt(3) == 0) {
      sb.append(pick(r, "", ".", "-", "_"))
          .append(pick(r, "a", "b", "rc", "c", "alpha", "beta", "pre", "preview", "RC"))
          .append(pick(r, "", ".", "-", "_"))
          .append(r.applyAsInt(4) == 0 ? "" : digits(r));
    }
    if (r.applyAsInt(4) == 0) {
      sb.append(
          r.applyAsInt(3) == 0
              ? "-" + digits(r)
              : pick(r, "", ".", "-", "_") + pick(r, "post", "rev", "r") + pick(r, "", "1", "02"));
    }
    if (r.applyAsInt(4) == 0) {
      sb.append(pick(r, "", ".", "-", "_"))
          .append(pick(r, "dev", "DEV"))
          .append(pick(r, "", "0", "3"));
    }
    if (r.applyAsInt(5) == 0) {
      sb.append('+').append(pick(r, "ubuntu", "1", "01", "abc", "x"));
      if (r.applyAsInt(2) == 0) {
        sb.append(pick(r, ".", "-", "_")).append(pick(r, "1", "2", "a", "b"));
      }
    }
    return sb.toString();
  }

  private static String pep440Edit(String v, IntUnaryOperator r) {
    switch (r.applyAsInt(7)) {
      case 0:
        return v + ".0";
      case 1:
        return v.replace("a", "alpha").replace("rc", "c");
      case 2:
        return v + pick(r, ".post0", ".dev0", "a0", "+0", "+local", "-", "..1");
      case 3:
        return v.toUpperCase(java.util.Locale.ROOT);
      case 4:
        return "0!" + v;
      case 5:
        return v.replace(".", "-");
      default:
        return v.replaceFirst("[0-9]", pick(r, "0", "1", "9", "00"));
    }
  }

  private static String digits(IntUnaryOperator r) {
    StringBuilder sb = new StringBuilder();
    if (r.applyAsInt(5) == 0) {
      sb.append('0');
    }
    int length = r.applyAsInt(15) == 0 ? 19 + r.applyAsInt(10) : 1 + r.applyAsInt(2);
    for (int i = 0; i < length; i++) {
      sb.append((char) ('0' + r.applyAsInt(10)));
    }
    return sb.toString();
  }

  private static String pick(IntUnaryOperator r, String... options) {
    return options[r.applyAsInt(options.length)];
  }
}
