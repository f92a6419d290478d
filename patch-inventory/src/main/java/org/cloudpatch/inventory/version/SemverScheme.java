package org.cloudpatch.inventory.version;

import java.util.Objects;

/**
 * Semantic Versioning 2.0.0 precedence, for npm, crates.io and Go.
 *
 * <p>{@code MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]}: the three numbers compare numerically however
 * long they are; a version with a pre-release sorts before the same version without one;
 * pre-release identifiers compare one by one, numeric ones numerically and before alphanumeric
 * ones, which compare in ASCII order, and a shorter list of equal identifiers sorts first; build
 * metadata is ignored, so {@code 1.0.0+a} equals {@code 1.0.0+b}. Numbers with leading zeros, empty
 * identifiers and anything but exactly three numbers are rejected, as the specification demands. A
 * leading {@code v} is accepted (Go writes {@code v1.2.3}); npm also accepts what node-semver's
 * loose mode strips in front of a version: any mix of {@code v}, {@code =} and spaces.
 */
final class SemverScheme implements VersionScheme {
  private final String ecosystem;
  private final boolean npmPrefix;

  SemverScheme(String ecosystem, boolean npmPrefix) {
    this.ecosystem = ecosystem;
    this.npmPrefix = npmPrefix;
  }

  @Override
  public String ecosystem() {
    return ecosystem;
  }

  @Override
  public int compare(String a, String b) {
    int[] x = parse(a);
    int[] y = parse(b);
    for (int i = 0; i < 3; i++) {
      int c = VersionText.compareDigits(a, x[2 * i], x[2 * i + 1], b, y[2 * i], y[2 * i + 1]);
      if (c != 0) {
        return c;
      }
    }
    return comparePrerelease(a, x[6], x[7], b, y[6], y[7]);
  }

  @Override
  public void validate(String version) {
    parse(version);
  }

  @Override
  public String normalize(String version) {
    int[] p = parse(version);
    StringBuilder sb = new StringBuilder(version.length());
    for (int i = 0; i < 3; i++) {
      if (i > 0) {
        sb.append('.');
      }
      VersionText.appendNumber(sb, version, p[2 * i], p[2 * i + 1]);
    }
    if (p[6] < p[7]) {
      sb.append('-').append(version, p[6], p[7]);
    }
    return sb.toString();
  }

  /**
   * The bounds of major, minor, patch and pre-release (start, end pairs; an empty pre-release has
   * start == end).
   */
  private int[] parse(String v) {
    VersionText.checkLength(ecosystem, v);
    int n = v.length();
    int i = 0;
    if (npmPrefix) {
      while (i < n && (v.charAt(i) == 'v' || v.charAt(i) == '=' || v.charAt(i) == ' ')) {
        i++;
      }
      while (n > i && v.charAt(n - 1) == ' ') {
        n--;
      }
    } else if (i < n && v.charAt(i) == 'v') {
      i++;
    }
    int[] p = new int[8];
    for (int k = 0; k < 3; k++) {
      int start = i;
      while (i < n && VersionText.isDigit(v.charAt(i))) {
        i++;
      }
      if (i == start) {
        throw VersionText.invalid(
            ecosystem, v, "expected a number at index " + start + " (MAJOR.MINOR.PATCH)");
      }
      if (v.charAt(start) == '0' && i - start > 1) {
        throw VersionText.invalid(ecosystem, v, "a number has a leading zero at index " + start);
      }
      p[2 * k] = start;
      p[2 * k + 1] = i;
      if (k < 2) {
        if (i == n || v.charAt(i) != '.') {
          throw VersionText.invalid(
              ecosystem, v, "expected '.' at index " + i + " (MAJOR.MINOR.PATCH)");
        }
        i++;
      }
    }
    p[6] = i;
    p[7] = i;
    if (i < n && v.charAt(i) == '-') {
      i++;
      p[6] = i;
      i = identifiers(v, i, n, true, "pre-release");
      p[7] = i;
    }
    if (i < n && v.charAt(i) == '+') {
      i = identifiers(v, i + 1, n, false, "build metadata");
    }
    if (i != n) {
      throw VersionText.invalid(
          ecosystem, v, "unexpected " + VersionText.describe(v.charAt(i)) + " at index " + i);
    }
    return p;
  }

  /** Reads dot-separated identifiers of {@code [0-9A-Za-z-]} from {@code i}; returns the end. */
  private int identifiers(String v, int i, int n, boolean numericRule, String what) {
    while (true) {
      int start = i;
      boolean numeric = true;
      while (i < n && isIdentifierChar(v.charAt(i))) {
        numeric &= VersionText.isDigit(v.charAt(i));
        i++;
      }
      if (i == start) {
        throw VersionText.invalid(ecosystem, v, "empty " + what + " identifier at index " + i);
      }
      if (numericRule && numeric && v.charAt(start) == '0' && i - start > 1) {
        throw VersionText.invalid(
            ecosystem, v, "a numeric " + what + " identifier has a leading zero at index " + start);
      }
      if (i < n && v.charAt(i) == '.') {
        i++;
        continue;
      }
      return i;
    }
  }

  private static boolean isIdentifierChar(char c) {
    return VersionText.isDigit(c) || VersionText.isAsciiLetter(c) || c == '-';
  }

  private static int comparePrerelease(String a, int as, int ae, String b, int bs, int be) {
    boolean na = as == ae;
    boolean nb = bs == be;
    if (na || nb) {
      return na == nb ? 0 : (na ? 1 : -1);
    }
    int i = as;
    int j = bs;
    while (true) {
      if (i >= ae || j >= be) {
        return i >= ae ? (j >= be ? 0 : -1) : 1;
      }
      int ie = i;
      boolean numA = true;
      while (ie < ae && a.charAt(ie) != '.') {
        numA &= VersionText.isDigit(a.charAt(ie));
        ie++;
      }
      int je = j;
      boolean numB = true;
      while (je < be && b.charAt(je) != '.') {
        numB &= VersionText.isDigit(b.charAt(je));
        je++;
      }
      int c;
      if (numA && numB) {
        c = VersionText.compareDigits(a, i, ie, b, j, je);
      } else if (numA || numB) {
        c = numA ? -1 : 1;
      } else {
        c = ascii(a, i, ie, b, j, je);
      }
      if (c != 0) {
        return c;
      }
      i = ie + 1;
      j = je + 1;
    }
  }

  private static int ascii(String a, int as, int ae, String b, int bs, int be) {
    int n = Math.min(ae - as, be - bs);
    for (int k = 0; k < n; k++) {
      char x = a.charAt(as + k);
      char y = b.charAt(bs + k);
      if (x != y) {
        return x < y ? -1 : 1;
      }
    }
    return Integer.signum(Integer.compare(ae - as, be - bs));
  }

  @Override
  public String toString() {
    return "semver version scheme (" + ecosystem + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SemverScheme other && ecosystem.equals(other.ecosystem);
  }

  @Override
  public int hashCode() {
    return Objects.hash(SemverScheme.class, ecosystem);
  }
}
