package org.cloudpatch.inventory.version;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The RPM order ({@code rpmvercmp} over {@code [epoch:]version[-release]}), shared by Red Hat and
 * the distributions built on it, and by SUSE.
 *
 * <p>The reference is rpm 4.18's {@code rpm.vercmp}: epochs compare numerically (absent is 0); the
 * version, then the release, compare as runs of ASCII letters and of digits, every other character
 * only separating runs; digit runs compare as numbers and sort after letter runs; {@code ~} sorts
 * before everything, even the end; {@code ^} sorts after the end but before any further run. The
 * epoch is the leading digit run only when a colon follows it, so {@code 1.m+e2:1} has none,
 * exactly as rpm parses it.
 *
 * <p>One deliberate difference: rpm treats a missing release as equal to every release, which is
 * not transitive ({@code 1.0-1 = 1.0 = 1.0-2} but {@code 1.0-1 < 1.0-2}). Here a version without a
 * release sorts before the same version with any release, even an empty one ({@code 1 < 1-}, as
 * osv-scalibr also orders them), so the order stays total.
 *
 * <p>An installed version without an epoch has an unknown one ({@link #compareInstalled}): it is
 * compared with an advisory's version by version-release alone. {@link #compare}, the order of
 * versions as such, reads a missing epoch as 0, as rpm does.
 */
final class RpmScheme implements VersionScheme {
  private static final String NAME = "RPM";
  private final String ecosystem;

  RpmScheme(String ecosystem) {
    this.ecosystem = ecosystem;
  }

  @Override
  public String ecosystem() {
    return ecosystem;
  }

  /**
   * Validates both versions and compares them, in one forward pass: the common prefix of the two
   * strings is read once, validated for both and skipped for the comparison, and only each tail is
   * then read on its own. The loops only accumulate (an OR of character flags, the last hyphen, the
   * restart point) and branch on nothing but the end and, in the prefix, the first difference; the
   * epoch is looked at afterwards, and only when there is a colon. The pass proves validity only
   * for ASCII versions; anything else, valid or not, takes the slow path, {@code validate(a);
   * validate(b); compareValid(a, b)}, so an invalid version throws exactly what it always threw and
   * is never ordered.
   */
  @Override
  public int compare(String a, String b) {
    if (a == null || b == null) {
      // Null is the caller's error; let validate() report it in its usual order.
      return compareSlowly(a, b);
    }
    int na = a.length();
    int nb = b.length();
    if (na == 0 || nb == 0 || na > VersionText.MAX_LENGTH || nb > VersionText.MAX_LENGTH) {
      return compareSlowly(a, b);
    }
    // One pass over both (VersionText.scanPair): the comparison may resume just after the common
    // prefix's last character that is not an ASCII letter or digit, since rpmvercmp keeps no state
    // across one; a non-ASCII character is looked up as DEL, so the slow path decides it.
    long scan = VersionText.scanPair(a, b, FLAGS, F_NOT_ALNUM);
    int k = VersionText.prefix(scan);
    int restart = VersionText.restart(scan);
    int flagsA = VersionText.flagsA(scan);
    int flagsB = VersionText.flagsB(scan);
    int hyphenA = VersionText.hyphenA(scan);
    int hyphenB = VersionText.hyphenB(scan);
    if (((flagsA | flagsB) & F_BAD) != 0) {
      return compareSlowly(a, b);
    }
    int colonA = (flagsA & F_COLON) == 0 ? -1 : epochColon(a);
    int colonB = (flagsB & F_COLON) == 0 ? -1 : epochColon(b);
    hyphenA = hyphenA > colonA ? hyphenA : -1;
    hyphenB = hyphenB > colonB ? hyphenB : -1;
    int versionEndA = hyphenA < 0 ? na : hyphenA;
    int versionEndB = hyphenB < 0 ? nb : hyphenB;
    // What validate() checks beyond the characters: an epoch of at most 10 digits and a non-empty
    // version. Failing either goes to the slow path, which rejects it with the reason.
    if (colonA > 10 || colonB > 10 || versionEndA == colonA + 1 || versionEndB == colonB + 1) {
      return compareSlowly(a, b);
    }
    // Both are valid. With the epoch colon at one index inside the common prefix (or no epoch on
    // either side) the epochs are the same text and the prefix scan carries over.
    if (colonA == colonB && colonA < k) {
      return compareAfterPrefix(a, hyphenA, b, hyphenB, k, restart);
    }
    int c = VersionText.compareDigits(a, 0, Math.max(colonA, 0), b, 0, Math.max(colonB, 0));
    if (c != 0) {
      return c;
    }
    c = rpmvercmp(a, colonA + 1, versionEndA, b, colonB + 1, versionEndB);
    return c != 0 ? c : compareReleases(a, hyphenA, b, hyphenB);
  }

  /**
   * Compares two valid versions whose epochs are the same text, {@code a[0, colon]} and {@code b[0,
   * colon]}, given the last release hyphen of each (or -1).
   *
   * <p>For {@link RpmVersion}: one scan from just after the epoch finds where the strings part, and
   * the comparison resumes from there for the version and the release alike.
   */
  static int compareSameEpochText(String a, int hyphenA, String b, int hyphenB, int colon) {
    int n = Math.min(a.length(), b.length());
    int k = colon + 1;
    int restart = k;
    while (k < n) {
      char c = a.charAt(k);
      if (c != b.charAt(k)) {
        break;
      }
      k++;
      restart = (FLAGS[Math.min(c, 127)] & F_NOT_ALNUM) != 0 ? k : restart;
    }
    return compareAfterPrefix(a, hyphenA, b, hyphenB, k, restart);
  }

  /**
   * Compares the versions, then the releases, of two valid versions whose epochs are the same text
   * and whose first {@code k} characters are equal, {@code restart} being just after the last
   * character among them that is neither an ASCII letter nor a digit (or just after the epoch):
   * rpmvercmp keeps no state across such a character, so resuming there is exact.
   */
  static int compareAfterPrefix(String a, int hyphenA, String b, int hyphenB, int k, int restart) {
    int na = a.length();
    int nb = b.length();
    int versionEndA = hyphenA < 0 ? na : hyphenA;
    int versionEndB = hyphenB < 0 ? nb : hyphenB;
    int m = Math.min(versionEndA, versionEndB);
    if (k < na && k < nb && (m >= k || versionEndA == versionEndB)) {
      // The strings part inside the same part of both (version or release). The common case,
      // where they part inside a digit run that no leading zero starts, is decided right here.
      int d = digitRunOrder(a, b, k, restart);
      if (d != 0) {
        return d;
      }
    }
    int c;
    if (m < k) {
      // A release hyphen inside the common prefix, so the other string has a '-' there too.
      if (versionEndA == versionEndB) {
        // The same version text; both releases start after that hyphen, before restart.
        return rpmvercmp(a, restart, na, b, restart, nb);
      }
      // One version ends at m where the other has a '-': a boundary for both.
      c = rpmvercmp(a, m, versionEndA, b, m, versionEndB);
    } else {
      c = rpmvercmp(a, restart, versionEndA, b, restart, versionEndB);
    }
    return c != 0 ? c : compareReleases(a, hyphenA, b, hyphenB);
  }

  /**
   * When {@code a} and {@code b} agree on {@code [restart, k)}, which holds only ASCII letters and
   * digits and where rpmvercmp starts afresh in both, and part at {@code k} between two digits:
   * rpmvercmp's result if the digit run around {@code k} starts with no zero, else 0 (undecided).
   *
   * <p>The digit run starts at {@code restart} or just after a letter, so in both strings at the
   * same index, rpmvercmp having found everything before it equal. Without leading zeros the longer
   * run is the larger number, and runs of one length differ first at {@code k}.
   */
  private static int digitRunOrder(String a, String b, int k, int restart) {
    char x = a.charAt(k);
    char y = b.charAt(k);
    if (!VersionText.isDigit(x) || !VersionText.isDigit(y)) {
      return 0;
    }
    int start = k;
    while (start > restart && VersionText.isDigit(a.charAt(start - 1))) {
      start--;
    }
    if (a.charAt(start) == '0' || b.charAt(start) == '0') {
      return 0;
    }
    int ea = k + 1;
    while (ea < a.length() && VersionText.isDigit(a.charAt(ea))) {
      ea++;
    }
    int eb = k + 1;
    while (eb < b.length() && VersionText.isDigit(b.charAt(eb))) {
      eb++;
    }
    if (ea != eb) {
      return ea < eb ? -1 : 1;
    }
    return x < y ? -1 : 1;
  }

  /**
   * Compares two valid versions after their epochs, which compare equal, given each one's epoch
   * colon and release hyphen (or -1).
   */
  static int compareAfterEpoch(
      String a, int colonA, int hyphenA, String b, int colonB, int hyphenB) {
    int c =
        rpmvercmp(
            a,
            colonA + 1,
            hyphenA < 0 ? a.length() : hyphenA,
            b,
            colonB + 1,
            hyphenB < 0 ? b.length() : hyphenB);
    return c != 0 ? c : compareReleases(a, hyphenA, b, hyphenB);
  }

  /**
   * As {@link #compare}, but an installed version without an epoch is compared with the stated
   * version's version-release alone (see {@link VersionScheme#compareInstalled}).
   */
  @Override
  public int compareInstalled(String installed, String stated) {
    if (!epochUnknown(installed)) {
      return compare(installed, stated);
    }
    validate(stated);
    int colon = epochColon(stated);
    return compareAfterEpoch(
        installed, -1, releaseHyphen(installed, -1), stated, colon, releaseHyphen(stated, colon));
  }

  /** Whether an installed version writes no epoch, so that its epoch is unknown. */
  @Override
  public boolean epochUnknown(String installed) {
    validate(installed);
    return epochColon(installed) < 0;
  }

  private int compareSlowly(String a, String b) {
    validate(a);
    validate(b);
    return compareValid(a, b);
  }

  /** The release rule once the versions compare equal: a missing release sorts first. */
  private static int compareReleases(String a, int ha, String b, int hb) {
    if (ha < 0 || hb < 0) {
      return ha < 0 ? (hb < 0 ? 0 : -1) : 1;
    }
    return rpmvercmp(a, ha + 1, a.length(), b, hb + 1, b.length());
  }

  /**
   * The fused pass's view of each ASCII character, as bits ORed over a whole string: every
   * character but an ASCII letter or digit sets {@link #F_NOT_ALNUM}, a colon also {@link
   * #F_COLON}, and one {@link #validate} rejects (space, controls, DEL) also {@link #F_BAD}. The
   * pass looks up every non-ASCII character as DEL: some are valid, but the slow path decides.
   */
  private static final byte[] FLAGS = new byte[128];

  private static final byte F_NOT_ALNUM = 1;
  private static final byte F_COLON = 2;
  private static final byte F_BAD = 4;

  static {
    for (char c = 0; c < 128; c++) {
      if (!VersionText.isDigit(c) && !VersionText.isAsciiLetter(c)) {
        FLAGS[c] = c <= ' ' || c == 0x7f ? F_NOT_ALNUM | F_BAD : F_NOT_ALNUM;
      }
    }
    FLAGS[':'] |= F_COLON;
  }

  @Override
  public void validate(String version) {
    check(version);
  }

  /**
   * What {@link #validate} does, for {@link RpmVersion} too.
   *
   * @throws NullPointerException if {@code version} is null
   * @throws IllegalArgumentException naming the version and the reason
   */
  static void check(String version) {
    Objects.requireNonNull(version, "version");
    String problem = problem(version);
    if (problem != null) {
      throw VersionText.invalid(NAME, version, problem);
    }
  }

  /** Why {@link #check} rejects {@code version}, or null when it does not. */
  static @Nullable String problem(String version) {
    String length = VersionText.lengthProblem(version);
    if (length != null) {
      return length;
    }
    for (int i = 0; i < version.length(); i++) {
      char c = version.charAt(i);
      // ASCII decides in one comparison; only other characters need the Unicode tables.
      if (c <= ' '
          || c == 0x7f
          || (c >= 0x80 && (Character.isWhitespace(c) || Character.isISOControl(c)))) {
        return "found " + VersionText.describe(c) + " at index " + i;
      }
    }
    int colon = epochColon(version);
    if (colon >= 0 && colon > 10) {
      return "the epoch has more than 10 digits";
    }
    int hyphen = version.lastIndexOf('-');
    if (hyphen >= 0 && hyphen <= colon) {
      hyphen = -1;
    }
    if ((hyphen < 0 ? version.length() : hyphen) == colon + 1) {
      return "the version is empty";
    }
    return null;
  }

  @Override
  public String normalize(String version) {
    validate(version);
    return normalizeValid(version);
  }

  /**
   * The normal form of a version that passed {@link #validate}: equal for two versions exactly when
   * {@link #compareValid} finds them equal.
   */
  static String normalizeValid(String version) {
    int colon = epochColon(version);
    int hyphen = releaseHyphen(version, colon);
    StringBuilder sb = new StringBuilder(version.length() + 8);
    if (colon > 0) {
      VersionText.appendNumber(sb, version, 0, colon);
    } else {
      sb.append('0');
    }
    sb.append(':');
    appendRuns(sb, version, colon + 1, hyphen < 0 ? version.length() : hyphen);
    if (hyphen >= 0) {
      sb.append('-');
      appendRuns(sb, version, hyphen + 1, version.length());
    }
    return sb.toString();
  }

  /** Compares two versions that passed {@link #validate}. */
  static int compareValid(String a, String b) {
    int ca = epochColon(a);
    int cb = epochColon(b);
    int c = VersionText.compareDigits(a, 0, Math.max(ca, 0), b, 0, Math.max(cb, 0));
    if (c != 0) {
      return c;
    }
    int ha = releaseHyphen(a, ca);
    int hb = releaseHyphen(b, cb);
    c = rpmvercmp(a, ca + 1, ha < 0 ? a.length() : ha, b, cb + 1, hb < 0 ? b.length() : hb);
    if (c != 0) {
      return c;
    }
    return compareReleases(a, ha, b, hb);
  }

  /** The index of the colon that ends a leading digit run, or -1: only that colon is an epoch. */
  static int epochColon(String s) {
    int i = 0;
    while (i < s.length() && VersionText.isDigit(s.charAt(i))) {
      i++;
    }
    return i < s.length() && s.charAt(i) == ':' ? i : -1;
  }

  /** The last hyphen after the epoch, or -1: the release follows it (rpm uses strrchr). */
  static int releaseHyphen(String s, int colon) {
    int h = s.lastIndexOf('-');
    return h > colon ? h : -1;
  }

  /**
   * rpm's {@code rpmvercmp} on {@code a[ai, ae)} and {@code b[bi, be)}, iterative. The sign is
   * rpm's.
   */
  static int rpmvercmp(String a, int ai, int ae, String b, int bi, int be) {
    while (ai < ae || bi < be) {
      while (ai < ae && isSeparator(a.charAt(ai))) {
        ai++;
      }
      while (bi < be && isSeparator(b.charAt(bi))) {
        bi++;
      }
      char x = ai < ae ? a.charAt(ai) : 0;
      char y = bi < be ? b.charAt(bi) : 0;
      if (x == '~' || y == '~') {
        if (x != '~') {
          return 1;
        }
        if (y != '~') {
          return -1;
        }
        ai++;
        bi++;
        continue;
      }
      if (x == '^' || y == '^') {
        if (ai == ae) {
          return -1;
        }
        if (bi == be) {
          return 1;
        }
        if (x != '^') {
          return 1;
        }
        if (y != '^') {
          return -1;
        }
        ai++;
        bi++;
        continue;
      }
      if (ai == ae || bi == be) {
        break;
      }
      boolean numeric = VersionText.isDigit(x);
      int as = ai;
      int bs = bi;
      if (numeric) {
        while (ai < ae && VersionText.isDigit(a.charAt(ai))) {
          ai++;
        }
        while (bi < be && VersionText.isDigit(b.charAt(bi))) {
          bi++;
        }
      } else {
        while (ai < ae && VersionText.isAsciiLetter(a.charAt(ai))) {
          ai++;
        }
        while (bi < be && VersionText.isAsciiLetter(b.charAt(bi))) {
          bi++;
        }
      }
      if (bi == bs) {
        // The runs differ in kind: a number is newer than letters.
        return numeric ? 1 : -1;
      }
      int c;
      if (numeric) {
        c = VersionText.compareDigits(a, as, ai, b, bs, bi);
      } else {
        c = compareLetters(a, as, ai, b, bs, bi);
      }
      if (c != 0) {
        return c;
      }
    }
    if (ai >= ae && bi >= be) {
      return 0;
    }
    return ai >= ae ? -1 : 1;
  }

  private static int compareLetters(String a, int as, int ae, String b, int bs, int be) {
    int n = Math.min(ae - as, be - bs);
    for (int i = 0; i < n; i++) {
      char x = a.charAt(as + i);
      char y = b.charAt(bs + i);
      if (x != y) {
        return x < y ? -1 : 1;
      }
    }
    return Integer.signum(Integer.compare(ae - as, be - bs));
  }

  /** rpm skips every character that is not an ASCII letter or digit, {@code ~} or {@code ^}. */
  private static boolean isSeparator(char c) {
    return !VersionText.isDigit(c) && !VersionText.isAsciiLetter(c) && c != '~' && c != '^';
  }

  /** Appends the runs of {@code s[from, to)} as rpmvercmp sees them, each followed by '.'. */
  private static void appendRuns(StringBuilder sb, String s, int from, int to) {
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      if (isSeparator(c)) {
        i++;
      } else if (c == '~' || c == '^') {
        sb.append(c).append('.');
        i++;
      } else if (VersionText.isDigit(c)) {
        int start = i;
        while (i < to && VersionText.isDigit(s.charAt(i))) {
          i++;
        }
        VersionText.appendNumber(sb, s, start, i);
        sb.append('.');
      } else {
        int start = i;
        while (i < to && VersionText.isAsciiLetter(s.charAt(i))) {
          i++;
        }
        sb.append(s, start, i).append('.');
      }
    }
  }

  @Override
  public String toString() {
    return "rpm version scheme (" + ecosystem + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RpmScheme other && ecosystem.equals(other.ecosystem);
  }

  @Override
  public int hashCode() {
    return Objects.hash(RpmScheme.class, ecosystem);
  }
}
