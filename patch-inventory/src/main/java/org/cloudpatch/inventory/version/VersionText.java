package org.cloudpatch.inventory.version;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Checks shared by the schemes: null, empty, over-long, and how a bad version is quoted. */
final class VersionText {
  /** The longest version any scheme accepts; real versions stay far below it. */
  static final int MAX_LENGTH = 256;

  private VersionText() {}

  /**
   * Fails unless {@code text} is non-empty and at most {@link #MAX_LENGTH} characters long.
   *
   * @throws NullPointerException if it is null
   */
  static void checkLength(String scheme, String text) {
    Objects.requireNonNull(text, "version");
    String problem = lengthProblem(text);
    if (problem != null) {
      throw invalid(scheme, text, problem);
    }
  }

  /** Why {@link #checkLength} rejects {@code text}, or null when it does not. */
  static @Nullable String lengthProblem(String text) {
    if (text.isEmpty()) {
      return "the version is empty";
    }
    if (text.length() > MAX_LENGTH) {
      return "it is " + text.length() + " characters long; at most " + MAX_LENGTH + " are allowed";
    }
    return null;
  }

  /**
   * The one forward pass that dpkg's and rpm's fused comparisons make over two versions of at most
   * {@link #MAX_LENGTH} characters: the common prefix read once for both, then each tail. Each
   * character's flags come from {@code flags} (every non-ASCII character looked up as DEL, which
   * both schemes reject), ORed per side; {@code restartFlag} marks the characters after which the
   * scheme's algorithm keeps no state, so that comparison may resume just after the last such
   * character of the prefix. Returns, packed into one long so that the hot path allocates nothing:
   * the prefix length, that restart index, each side's last {@code '-'} and each side's flags; read
   * them with {@link #prefix}, {@link #restart}, {@link #hyphenA}, {@link #hyphenB}, {@link
   * #flagsA}, {@link #flagsB}.
   */
  static long scanPair(String a, String b, byte[] flags, int restartFlag) {
    int na = a.length();
    int nb = b.length();
    int n = Math.min(na, nb);
    int k = 0;
    int common = 0;
    int restart = 0;
    int hyphen = -1;
    while (k < n) {
      char c = a.charAt(k);
      if (c != b.charAt(k)) {
        break;
      }
      int f = flags[Math.min(c, 127)];
      common |= f;
      hyphen = c == '-' ? k : hyphen;
      k++;
      restart = (f & restartFlag) != 0 ? k : restart;
    }
    int flagsA = common;
    int hyphenA = hyphen;
    for (int i = k; i < na; i++) {
      char c = a.charAt(i);
      flagsA |= flags[Math.min(c, 127)];
      hyphenA = c == '-' ? i : hyphenA;
    }
    int flagsB = common;
    int hyphenB = hyphen;
    for (int i = k; i < nb; i++) {
      char c = b.charAt(i);
      flagsB |= flags[Math.min(c, 127)];
      hyphenB = c == '-' ? i : hyphenB;
    }
    return k
        | (long) restart << 9
        | (long) (hyphenA + 1) << 18
        | (long) (hyphenB + 1) << 27
        | (long) (flagsA & 0xff) << 36
        | (long) (flagsB & 0xff) << 44;
  }

  static int prefix(long scan) {
    return (int) (scan & 0x1ff);
  }

  static int restart(long scan) {
    return (int) (scan >>> 9 & 0x1ff);
  }

  static int hyphenA(long scan) {
    return (int) (scan >>> 18 & 0x1ff) - 1;
  }

  static int hyphenB(long scan) {
    return (int) (scan >>> 27 & 0x1ff) - 1;
  }

  static int flagsA(long scan) {
    return (int) (scan >>> 36 & 0xff);
  }

  static int flagsB(long scan) {
    return (int) (scan >>> 44 & 0xff);
  }

  static IllegalArgumentException invalid(String scheme, String text, String reason) {
    return new IllegalArgumentException(
        "invalid " + scheme + " version " + quote(text) + ": " + reason);
  }

  static String describe(char c) {
    if (c >= 0x21 && c < 0x7f) {
      return "'" + c + "'";
    }
    return String.format("U+%04X", (int) c);
  }

  /** The text in quotes, with control characters escaped and an overlong text cut short. */
  static String quote(String text) {
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

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /**
   * Compares the digit runs {@code a[as, ae)} and {@code b[bs, be)} as unbounded non-negative
   * numbers: leading zeros stripped, then by length, then digit by digit.
   */
  static int compareDigits(String a, int as, int ae, String b, int bs, int be) {
    while (as < ae && a.charAt(as) == '0') {
      as++;
    }
    while (bs < be && b.charAt(bs) == '0') {
      bs++;
    }
    int la = ae - as;
    int lb = be - bs;
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
    return 0;
  }

  /** Appends the digit run {@code s[from, to)} without leading zeros ({@code 0} for all zeros). */
  static void appendNumber(StringBuilder sb, String s, int from, int to) {
    while (from < to - 1 && s.charAt(from) == '0') {
      from++;
    }
    sb.append(s, from, to);
  }
}
