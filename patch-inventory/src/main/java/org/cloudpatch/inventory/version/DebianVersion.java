package org.cloudpatch.inventory.version;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A Debian package version, {@code [epoch:]upstream_version[-debian_revision]}, ordered exactly as
 * {@code dpkg --compare-versions} orders it.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>{@link #compareTo} agrees with dpkg: the epoch compares numerically, then the upstream
 *       version, then the revision, each with dpkg's algorithm: {@code ~} sorts before everything,
 *       even the end of the string; letters sort before other characters; digit runs compare
 *       numerically however long they are.
 *   <li>{@link #equals} and {@link #hashCode} are consistent with {@link #compareTo}: {@code 0:1.0}
 *       equals {@code 1.0}, {@code 1.01} equals {@code 1.1}, {@code 1.0} equals {@code 1.0-0}.
 *       {@link #toString()} keeps the text as it was given.
 *   <li>{@link #parse} accepts only what Debian Policy §5.6.12 allows: an epoch of digits no
 *       greater than {@value #MAX_EPOCH}; an upstream version that starts with a digit and holds
 *       only ASCII letters, digits and {@code . + ~ - :}; a revision of ASCII letters, digits and
 *       {@code . + ~}; at most {@value #MAX_LENGTH} characters. dpkg itself only warns about a
 *       non-digit start or a stray character; cloudpatch rejects them, because a version that
 *       breaks policy in an advisory or an inventory is far more often a data error (the security
 *       tracker once recorded a package name as a fixed version) than a real package, and an
 *       advisory match built on it would be a guess.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class DebianVersion implements Comparable<DebianVersion> {
  /** The longest version accepted; real versions stay far below it. */
  public static final int MAX_LENGTH = 256;

  /** The largest epoch accepted: dpkg stores the epoch in a C {@code int}. */
  public static final int MAX_EPOCH = Integer.MAX_VALUE;

  private final String text;
  private final int epoch;
  private final int upstreamStart;
  private final int upstreamEnd;
  private final int revisionStart;

  /** Lazily computed over the normalized form; 0 doubles as "not yet computed". */
  private int hash;

  private DebianVersion(String text) {
    this.text = text;
    int colon = text.indexOf(':');
    int hyphen = text.lastIndexOf('-');
    this.epoch = colon < 0 ? 0 : parseEpoch(text, colon);
    this.upstreamStart = colon + 1;
    this.upstreamEnd = hyphen < 0 ? text.length() : hyphen;
    this.revisionStart = hyphen < 0 ? text.length() : hyphen + 1;
  }

  /**
   * Parses a version.
   *
   * @param text the version, never null
   * @throws IllegalArgumentException naming the text and the reason when it is not a valid Debian
   *     version
   */
  public static DebianVersion parse(String text) {
    check(text);
    return new DebianVersion(text);
  }

  /** Whether {@code text} is a valid Debian version, as {@link #parse} decides. Never throws. */
  public static boolean isValid(String text) {
    return text != null && problem(text) == null;
  }

  /** The epoch; 0 when the version has none. */
  public int epoch() {
    return epoch;
  }

  /** The upstream version: the text between the epoch and the last hyphen. */
  public String upstreamVersion() {
    return text.substring(upstreamStart, upstreamEnd);
  }

  /** The Debian revision after the last hyphen; empty when the version has none. */
  public String revision() {
    return text.substring(revisionStart);
  }

  @Override
  public int compareTo(DebianVersion other) {
    if (epoch != other.epoch) {
      return epoch < other.epoch ? -1 : 1;
    }
    // Kept this small, with the work in a static method given only strings and indices, so that it
    // inlines and parse-then-compare callers need not allocate the versions at all.
    return compareSameEpoch(
        text, upstreamStart, upstreamEnd, other.text, other.upstreamStart, other.upstreamEnd);
  }

  /** Equal when {@link #compareTo} is 0, so {@code 1.01} equals {@code 1.1}. */
  @Override
  public boolean equals(Object o) {
    return o instanceof DebianVersion v && compareTo(v) == 0;
  }

  /** Hashes the normalized form, so that versions that compare equal hash equal. */
  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = epoch;
      h = normalizedHash(h * 31 + ':', text, upstreamStart, upstreamEnd);
      h = normalizedHash(h * 31 + '-', text, revisionStart, text.length());
      if (h == 0) {
        h = 1;
      }
      hash = h;
    }
    return h;
  }

  /**
   * The normal form: equal for versions that compare equal, different otherwise ({@code 0:1.01-0}
   * and {@code 1.1} both give {@code 0:1.1-}).
   */
  String normalized() {
    StringBuilder sb = new StringBuilder(text.length() + 4).append(epoch).append(':');
    normalizedParts(sb, text, upstreamStart, upstreamEnd);
    sb.append('-');
    normalizedParts(sb, text, revisionStart, text.length());
    return sb.toString();
  }

  /** Appends {@code s[from, to)} as {@link #normalizedHash} sees it. */
  private static void normalizedParts(StringBuilder sb, String s, int from, int to) {
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        sb.append(c);
        i++;
        continue;
      }
      while (i < to && s.charAt(i) == '0') {
        i++;
      }
      int start = i;
      while (i < to && isDigit(s.charAt(i))) {
        i++;
      }
      sb.append(s, start, i);
      if (start == i && i < to) {
        sb.append('0');
      }
    }
  }

  /** The version as it was given. */
  @Override
  public String toString() {
    return text;
  }

  // ---------------------------------------------------------------------------------------------
  // The comparison on raw strings. Package-private so that the scheme compares without building
  // objects.

  /**
   * Validates both versions and compares them: the sign is dpkg's, the magnitude is meaningless.
   *
   * <p>Equivalent to {@code check(a); check(b); compareValid(a, b)}, in one forward pass: the
   * common prefix of the two strings is read once, both validated and skipped for the comparison,
   * and only each tail is then read on its own. The loops only accumulate (an OR of character
   * flags, the last hyphen, the restart point) and branch on nothing but the end and, in the
   * prefix, the first difference; the rare checks (an epoch) run after them, once per string. The
   * pass proves validity only for the shape nearly every real version has (ASCII, at most one
   * colon, for an epoch of 1 to 9 digits); anything else, valid or not, takes the slow path, which
   * runs {@link #check} on each string and so throws exactly what it always threw. The fast path
   * therefore never decides that a version is invalid; it only proves that two versions are valid.
   *
   * @throws NullPointerException if either is null
   * @throws IllegalArgumentException naming the invalid version and the reason
   */
  static int compareChecked(String a, String b) {
    if (a == null || b == null) {
      // Null is the caller's error; let check() report it in its usual order.
      return compareSlowly(a, b);
    }
    int na = a.length();
    int nb = b.length();
    if (na == 0 || nb == 0 || na > MAX_LENGTH || nb > MAX_LENGTH) {
      return compareSlowly(a, b);
    }
    // One pass over both (VersionText.scanPair): the comparison may resume just after the common
    // prefix's last non-digit, since dpkg's algorithm keeps no state across one (see compareParts).
    long scan = VersionText.scanPair(a, b, FLAGS, F_NON_DIGIT);
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
    if (colonA == NOT_FAST
        || colonB == NOT_FAST
        || !wellFormed(a, colonA, hyphenA)
        || !wellFormed(b, colonB, hyphenB)) {
      return compareSlowly(a, b);
    }
    int upstreamEndA = hyphenA < 0 ? na : hyphenA;
    int upstreamEndB = hyphenB < 0 ? nb : hyphenB;
    // Both are valid. With the epoch colon at one index inside the common prefix (or no epoch on
    // either side) the epochs are the same text and the prefix scan carries over.
    if (colonA == colonB && colonA < k) {
      return compareAfterPrefix(a, upstreamEndA, b, upstreamEndB, k, restart);
    }
    int ea = colonA < 0 ? 0 : parseEpoch(a, colonA);
    int eb = colonB < 0 ? 0 : parseEpoch(b, colonB);
    if (ea != eb) {
      return ea < eb ? -1 : 1;
    }
    return compareUpstreamThenRevision(a, colonA + 1, upstreamEndA, b, colonB + 1, upstreamEndB);
  }

  /**
   * Compares upstream then revision of two valid versions with equal epochs, the upstream versions
   * being {@code a[upstreamStartA, upstreamEndA)} and {@code b[upstreamStartB, upstreamEndB)}.
   */
  private static int compareSameEpoch(
      String a,
      int upstreamStartA,
      int upstreamEndA,
      String b,
      int upstreamStartB,
      int upstreamEndB) {
    if (upstreamStartA != upstreamStartB) {
      // Equal epochs written differently (0:1.0 against 1.0): no common prefix to exploit.
      return compareUpstreamThenRevision(
          a, upstreamStartA, upstreamEndA, b, upstreamStartB, upstreamEndB);
    }
    // Equal epochs whose digits are equally long are the same text, so the strings agree up to the
    // upstream start: one scan from there finds where they part and the restart point for the
    // upstream and the revision alike, instead of one scan per part.
    int n = Math.min(a.length(), b.length());
    int k = upstreamStartA;
    int restart = k;
    while (k < n) {
      char c = a.charAt(k);
      if (c != b.charAt(k)) {
        break;
      }
      k++;
      if (!isDigit(c)) {
        restart = k;
      }
    }
    return compareAfterPrefix(a, upstreamEndA, b, upstreamEndB, k, restart);
  }

  /** The old way, kept for whatever the fused pass does not prove valid: exact messages. */
  private static int compareSlowly(String a, String b) {
    check(a);
    check(b);
    return compareValid(a, b);
  }

  /** From {@link #epochColon}: the fused pass cannot prove the epoch valid. */
  private static final int NOT_FAST = -2;

  /**
   * The index of the colon of {@code s}, which holds one, when it is the only colon and follows 1
   * to 9 digits (which cannot exceed {@link #MAX_EPOCH}); else {@link #NOT_FAST}. A second colon is
   * legal inside the upstream version and a 10-digit epoch may be, but both are rare enough to
   * leave to the slow path; a colon anywhere else is never legal.
   */
  private static int epochColon(String s) {
    int colon = s.indexOf(':');
    if (colon < 1 || colon > 9 || s.indexOf(':', colon + 1) >= 0) {
      return NOT_FAST;
    }
    for (int i = 0; i < colon; i++) {
      if (!isDigit(s.charAt(i))) {
        return NOT_FAST;
      }
    }
    return colon;
  }

  /**
   * What {@link #problem} still checks once every character is allowed, any colon is an epoch colon
   * after 1 to 9 digits and no colon follows a hyphen: a non-empty upstream version that starts
   * with a digit, and no empty revision. (A colon that ends the string leaves the upstream empty.)
   */
  private static boolean wellFormed(String s, int colon, int hyphen) {
    int upstreamStart = colon + 1;
    int upstreamEnd = hyphen < 0 ? s.length() : hyphen;
    return upstreamStart < upstreamEnd
        && isDigit(s.charAt(upstreamStart))
        && hyphen != s.length() - 1;
  }

  /**
   * Compares upstream then revision of two valid versions with equal epochs written alike, whose
   * first {@code k} characters are equal and whose characters {@code [restart, k)} are digits after
   * a non-digit (or after the epoch): {@link #compareParts}'s prefix skip, done once for both
   * parts.
   */
  private static int compareAfterPrefix(
      String a, int upstreamEndA, String b, int upstreamEndB, int k, int restart) {
    int na = a.length();
    int nb = b.length();
    int m = Math.min(upstreamEndA, upstreamEndB);
    if (m < k) {
      // A revision hyphen inside the common prefix, so the other string has a '-' there too.
      if (upstreamEndA == upstreamEndB) {
        // The same upstream text; the revisions start together, after that hyphen, so restart
        // (past the hyphen) lies inside both.
        return verrevcmp(a, restart, na, b, restart, nb);
      }
      // One upstream ends at m where the other has a '-': a boundary for both, so resuming at m
      // is exact.
      int c = verrevcmp(a, m, upstreamEndA, b, m, upstreamEndB);
      if (c != 0) {
        return c;
      }
    } else {
      // The strings part inside both upstream versions (or where one ends).
      int c = verrevcmp(a, restart, upstreamEndA, b, restart, upstreamEndB);
      if (c != 0) {
        return c;
      }
    }
    // Upstreams equal but written differently (1.01 against 1.1): compare the revisions afresh.
    return compareParts(
        a,
        upstreamEndA == na ? na : upstreamEndA + 1,
        na,
        b,
        upstreamEndB == nb ? nb : upstreamEndB + 1,
        nb);
  }

  /** Upstream, then revision, each with its own prefix skip. */
  private static int compareUpstreamThenRevision(
      String a,
      int upstreamStartA,
      int upstreamEndA,
      String b,
      int upstreamStartB,
      int upstreamEndB) {
    int c = compareParts(a, upstreamStartA, upstreamEndA, b, upstreamStartB, upstreamEndB);
    if (c != 0) {
      return c;
    }
    int na = a.length();
    int nb = b.length();
    return compareParts(
        a,
        upstreamEndA == na ? na : upstreamEndA + 1,
        na,
        b,
        upstreamEndB == nb ? nb : upstreamEndB + 1,
        nb);
  }

  /** Compares two valid versions; the sign is dpkg's, the magnitude is meaningless. */
  static int compareValid(String a, String b) {
    int ca = a.indexOf(':');
    int cb = b.indexOf(':');
    int ea = ca < 0 ? 0 : parseEpoch(a, ca);
    int eb = cb < 0 ? 0 : parseEpoch(b, cb);
    if (ea != eb) {
      return ea < eb ? -1 : 1;
    }
    int ha = a.lastIndexOf('-');
    int hb = b.lastIndexOf('-');
    int ua = ha < 0 ? a.length() : ha;
    int ub = hb < 0 ? b.length() : hb;
    int c = compareParts(a, ca + 1, ua, b, cb + 1, ub);
    if (c != 0) {
      return c;
    }
    int ra = ha < 0 ? a.length() : ha + 1;
    int rb = hb < 0 ? b.length() : hb + 1;
    return compareParts(a, ra, a.length(), b, rb, b.length());
  }

  /**
   * dpkg's {@code verrevcmp} on {@code a[ai, ae)} and {@code b[bi, be)}: alternately a run of
   * non-digits compared character by character in dpkg's weights, then a run of digits compared as
   * a number. Digit runs are compared by stripping leading zeros, then by length, then character by
   * character, so no run is ever too long for a number type. Iterative, so no input can exhaust the
   * stack. Both ranges must hold only characters that {@link #check} accepts.
   */
  static int compareParts(String a, int ai, int ae, String b, int bi, int be) {
    // Versions compared in matching mostly share a long prefix (2.36-9+deb12u3 vs 2.36-9+deb12u4).
    // Skip it up to just after its last non-digit: the algorithm keeps no state across a non-digit,
    // so restarting there is exact, while restarting inside a digit run would not be.
    int n = Math.min(ae - ai, be - bi);
    int k = 0;
    int restart = 0;
    while (k < n) {
      char c = a.charAt(ai + k);
      if (c != b.charAt(bi + k)) {
        break;
      }
      k++;
      if (!isDigit(c)) {
        restart = k;
      }
    }
    if (k == ae - ai && k == be - bi) {
      return 0;
    }
    return verrevcmp(a, ai + restart, ae, b, bi + restart, be);
  }

  /**
   * The loop of dpkg's {@code verrevcmp} on {@code a[ai, ae)} and {@code b[bi, be)}, without the
   * prefix skip: callers start it where neither side is inside a digit run that began earlier.
   */
  private static int verrevcmp(String a, int ai, int ae, String b, int bi, int be) {
    while (ai < ae || bi < be) {
      while ((ai < ae && !isDigit(a.charAt(ai))) || (bi < be && !isDigit(b.charAt(bi)))) {
        int ac = ai < ae ? ORDER[a.charAt(ai)] : 0;
        int bc = bi < be ? ORDER[b.charAt(bi)] : 0;
        if (ac != bc) {
          return ac < bc ? -1 : 1;
        }
        // Equal weights here mean both sides hold the same non-digit, so neither is at its end.
        ai++;
        bi++;
      }
      while (ai < ae && a.charAt(ai) == '0') {
        ai++;
      }
      while (bi < be && b.charAt(bi) == '0') {
        bi++;
      }
      int as = ai;
      int bs = bi;
      while (ai < ae && isDigit(a.charAt(ai))) {
        ai++;
      }
      while (bi < be && isDigit(b.charAt(bi))) {
        bi++;
      }
      int la = ai - as;
      int lb = bi - bs;
      if (la != lb) {
        return la < lb ? -1 : 1;
      }
      for (int i = 0; i < la; i++) {
        char x = a.charAt(as + i);
        char y = b.charAt(bs + i);
        if (x != y) {
          return x < y ? -1 : 1;
        }
      }
    }
    return 0;
  }

  /**
   * dpkg's weight of each accepted character in a non-digit run: {@code ~} below the end of the
   * string (0, as are digits), which is below letters, which are below every other character.
   */
  private static final int[] ORDER = new int[128];

  /** Which characters may appear where: bit flags over ASCII. */
  private static final byte[] CLASS = new byte[128];

  private static final byte DIGIT = 1;
  private static final byte LETTER = 2;
  private static final byte UPSTREAM = 4;
  private static final byte REVISION = 8;

  /**
   * The fused pass's view of each ASCII character, as bits ORed over a whole string: every
   * non-digit sets {@link #F_NON_DIGIT}, a colon also {@link #F_COLON}, and a character never
   * allowed (anything but letters, digits and {@code . + ~ - :}) also {@link #F_BAD}. DEL is one of
   * those, so the pass looks up every non-ASCII character as DEL.
   */
  private static final byte[] FLAGS = new byte[128];

  private static final byte F_NON_DIGIT = 1;
  private static final byte F_COLON = 2;
  private static final byte F_BAD = 4;

  static {
    for (char c = 0; c < 128; c++) {
      if (isDigit(c)) {
        ORDER[c] = 0;
        CLASS[c] = DIGIT | UPSTREAM | REVISION;
      } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        ORDER[c] = c;
        CLASS[c] = LETTER | UPSTREAM | REVISION;
      } else if (c == '~') {
        ORDER[c] = -1;
      } else {
        ORDER[c] = c + 256;
      }
    }
    for (char c : ".+~".toCharArray()) {
      CLASS[c] |= UPSTREAM | REVISION;
    }
    for (char c : "-:".toCharArray()) {
      CLASS[c] |= UPSTREAM;
    }
    for (char c = 0; c < 128; c++) {
      if (!isDigit(c)) {
        FLAGS[c] = (CLASS[c] & UPSTREAM) != 0 ? F_NON_DIGIT : F_NON_DIGIT | F_BAD;
      }
    }
    FLAGS[':'] |= F_COLON;
  }

  private static boolean allowed(char c, byte where) {
    return c < 128 && (CLASS[c] & where) != 0;
  }

  /**
   * Hashes {@code s[from, to)} as {@link #compareParts} sees it: digit runs without leading zeros,
   * a zero run written as {@code 0} — except at the very end, where a zero run and no run compare
   * equal ({@code 1.0} and {@code 1.} are equal; {@code 0a} and {@code a} are not).
   */
  private static int normalizedHash(int h, String s, int from, int to) {
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        h = h * 31 + c;
        i++;
        continue;
      }
      while (i < to && s.charAt(i) == '0') {
        i++;
      }
      int start = i;
      while (i < to && isDigit(s.charAt(i))) {
        h = h * 31 + s.charAt(i);
        i++;
      }
      if (start == i && i < to) {
        h = h * 31 + '0';
      }
    }
    return h;
  }

  private static int parseEpoch(String s, int colon) {
    // check() has bounded it by MAX_EPOCH, so the int cannot overflow.
    int e = 0;
    for (int i = 0; i < colon; i++) {
      e = e * 10 + (s.charAt(i) - '0');
    }
    return e;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  // ---------------------------------------------------------------------------------------------
  // Validation.

  /**
   * Fails unless {@code text} is a valid version.
   *
   * @throws NullPointerException if it is null
   * @throws IllegalArgumentException naming the text and the reason
   */
  static void check(String text) {
    Objects.requireNonNull(text, "version");
    String problem = problem(text);
    if (problem != null) {
      throw new IllegalArgumentException("invalid Debian version " + quote(text) + ": " + problem);
    }
  }

  /** Why {@code text} is not a valid version, or null when it is. Allocates only on failure. */
  private static @Nullable String problem(String text) {
    int n = text.length();
    if (n == 0) {
      return "the version is empty";
    }
    if (n > MAX_LENGTH) {
      return "it is " + n + " characters long; at most " + MAX_LENGTH + " are allowed";
    }
    int colon = text.indexOf(':');
    if (colon == 0) {
      return "the epoch before ':' is empty";
    }
    if (colon > 0) {
      long epoch = 0;
      for (int i = 0; i < colon; i++) {
        char c = text.charAt(i);
        if (!isDigit(c)) {
          return "the epoch must be a number, found " + describe(c) + " at index " + i;
        }
        epoch = epoch * 10 + (c - '0');
        if (epoch > MAX_EPOCH) {
          return "the epoch is larger than " + MAX_EPOCH;
        }
      }
      if (colon == n - 1) {
        return "nothing follows the epoch";
      }
    }
    int hyphen = text.lastIndexOf('-');
    int upstreamEnd = n;
    if (hyphen > colon) {
      if (hyphen == n - 1) {
        return "the revision after the last '-' is empty";
      }
      upstreamEnd = hyphen;
    }
    int upstreamStart = colon + 1;
    if (upstreamStart == upstreamEnd) {
      return "the upstream version is empty";
    }
    if (!isDigit(text.charAt(upstreamStart))) {
      return "the upstream version must start with a digit, found "
          + describe(text.charAt(upstreamStart));
    }
    for (int i = upstreamStart; i < upstreamEnd; i++) {
      char c = text.charAt(i);
      if (!allowed(c, UPSTREAM)) {
        return "the upstream version may hold only letters, digits and . + ~ - :, found "
            + describe(c)
            + " at index "
            + i;
      }
    }
    for (int i = upstreamEnd + 1; i < n; i++) {
      char c = text.charAt(i);
      if (!allowed(c, REVISION)) {
        return "the revision may hold only letters, digits and . + ~, found "
            + describe(c)
            + " at index "
            + i;
      }
    }
    return null;
  }

  private static String describe(char c) {
    if (c >= 0x21 && c < 0x7f) {
      return "'" + c + "'";
    }
    return String.format("U+%04X", (int) c);
  }

  /** The text in quotes, with control characters escaped and an overlong text cut short. */
  private static String quote(String text) {
    String shown = text.length() > 80 ? text.substring(0, 77) + "..." : text;
    StringBuilder sb = new StringBuilder(shown.length() + 2).append('\'');
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('\'').toString();
  }
}
