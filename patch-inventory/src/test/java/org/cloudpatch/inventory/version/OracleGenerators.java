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

  /**
   * Maven versions dwelling on what makes its order hard: qualifiers known and unknown, {@code -}
   * and {@code .} and no separator at all, letters against digits, zeros, {@code sp}, {@code ga},
   * {@code final}, {@code rc}, {@code cr}, {@code x}.
   */
  static Gen<String[]> mavenPairs() {
    return in -> {
      IntUnaryOperator r = VersionGenerator.choices(in);
      String a = maven(r);
      return new String[] {a, r.applyAsInt(3) == 0 ? maven(r) : mavenEdit(a, r)};
    };
  }

  static final String[] MAVEN_QUALIFIERS = {
    "alpha",
    "a",
    "beta",
    "b",
    "milestone",
    "m",
    "rc",
    "cr",
    "RC",
    "snapshot",
    "SNAPSHOT",
    "ga",
    "final",
    "release",
    "sp",
    "x",
    "foo"
  };

  static String maven(IntUnaryOperator r) {
    StringBuilder sb = new StringBuilder();
    sb.append(r.applyAsInt(6) == 0 ? pick(r, MAVEN_QUALIFIERS) : mavenNumber(r));
    int n = r.applyAsInt(6);
    for (int i = 0; i < n; i++) {
      sb.append(pick(r, ".", ".", "-", "-", ""));
      sb.append(r.applyAsInt(2) == 0 ? pick(r, MAVEN_QUALIFIERS) : mavenNumber(r));
    }
    return sb.toString();
  }

  private static String mavenNumber(IntUnaryOperator r) {
    return r.applyAsInt(3) == 0 ? pick(r, "0", "00", "0", "1") : digits(r);
  }

  private static String mavenEdit(String v, IntUnaryOperator r) {
    int at = r.applyAsInt(v.length() + 1);
    String piece =
        pick(r, ".0", "-0", ".", "-", "0", "-alpha", ".sp", "-ga", ".x", "1", "-1", "final", "-cr");
    switch (r.applyAsInt(5)) {
      case 0:
        return v + piece;
      case 1:
        return v.substring(0, at) + piece + v.substring(at);
      case 2:
        return v.toUpperCase(java.util.Locale.ROOT);
      case 3:
        return v.replace('.', '-');
      default:
        return at < v.length() && v.length() > 1
            ? v.substring(0, at) + v.substring(at + 1)
            : v + ".0.0";
    }
  }

  /** SemVer 2.0.0 versions, with pre-release identifiers numeric and not, build metadata. */
  static Gen<String[]> semverPairs() {
    return in -> {
      IntUnaryOperator r = VersionGenerator.choices(in);
      String a = semver(r);
      return new String[] {a, r.applyAsInt(3) == 0 ? semver(r) : semverEdit(a, r)};
    };
  }

  private static String semver(IntUnaryOperator r) {
    StringBuilder sb = new StringBuilder();
    sb.append(semverNumber(r)).append('.').append(semverNumber(r)).append('.');
    sb.append(semverNumber(r));
    if (r.applyAsInt(2) == 0) {
      sb.append('-');
      int n = 1 + r.applyAsInt(3);
      for (int i = 0; i < n; i++) {
        sb.append(i == 0 ? "" : ".").append(semverIdentifier(r));
      }
    }
    if (r.applyAsInt(5) == 0) {
      sb.append('+').append(pick(r, "build", "1", "001", "x.y", "sha.5114f85"));
    }
    return sb.toString();
  }

  private static String semverNumber(IntUnaryOperator r) {
    return r.applyAsInt(4) == 0
        ? "0"
        : String.valueOf(r.applyAsInt(r.applyAsInt(4) == 0 ? 1000 : 12));
  }

  private static String semverIdentifier(IntUnaryOperator r) {
    return r.applyAsInt(2) == 0
        ? semverNumber(r)
        : pick(r, "alpha", "beta", "rc", "a", "A", "x-y", "-", "1a", "0a", "alpha1", "z");
  }

  private static String semverEdit(String v, IntUnaryOperator r) {
    switch (r.applyAsInt(6)) {
      case 0:
        return v + (v.indexOf('+') < 0 ? "+meta" : ".1");
      case 1:
        return v.indexOf('-') < 0 && v.indexOf('+') < 0 ? v + "-" + semverIdentifier(r) : v;
      case 2:
        return v.replaceFirst("[0-9]+", String.valueOf(r.applyAsInt(3)));
      case 3:
        int plus = v.indexOf('+');
        return plus < 0 ? v + ".0" : v.substring(0, plus);
      case 4:
        return v.replaceFirst("-", "-0");
      default:
        return v.contains("-") ? v + "." + semverIdentifier(r) : v;
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
