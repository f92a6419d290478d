package org.cloudpatch.inventory.version;

/**
 * The Alpine order, as apk-tools 3 orders versions: {@code digits{.digits}[letter]{_suffix[digits]}
 * [~hash][-rN]}.
 *
 * <p>Versions compare token by token. The first number compares numerically; a later number
 * compares numerically unless either side starts with {@code 0}, when both compare as text (so
 * {@code 1.02 < 1.1}). Suffixes rank {@code _alpha < _beta < _pre < _rc} (pre-releases, before the
 * bare version) {@code < _cvs < _svn < _git < _hg < _p} (after it). When one version runs out of
 * tokens or continues with a different kind of token, the one that continues is greater unless it
 * continues with a pre-release suffix; a letter sorts before a further dotted number. Commit hashes
 * after {@code ~} compare as text. A version that apk-tools' own validator rejects ({@code 1.0bc},
 * {@code 0.1_foobar}, {@code 0.1-r}) is rejected here too, where apk-tools would fall back to a
 * string comparison.
 */
final class AlpineScheme implements VersionScheme {
  private static final String NAME = "Alpine";

  // Token kinds, in the order that decides between versions whose tokens differ in kind.
  static final int NUMBER = 0;
  static final int LETTER = 1;
  static final int SUFFIX = 2;
  static final int SUFFIX_NUMBER = 3;
  static final int HASH = 4;
  static final int REVISION = 5;
  static final int END = 6;

  private static final String[] SUFFIXES = {
    "alpha", "beta", "pre", "rc", "cvs", "svn", "git", "hg", "p"
  };

  /** The rank of the bare version among the suffixes: below it are the pre-release suffixes. */
  private static final int NO_SUFFIX = 4;

  @Override
  public String ecosystem() {
    return NAME;
  }

  @Override
  public int compare(String a, String b) {
    validate(a);
    validate(b);
    return compareValid(a, b);
  }

  @Override
  public void validate(String version) {
    VersionText.checkLength(NAME, version);
    Tokens t = new Tokens(version);
    while (t.kind != END) {
      t.next();
    }
  }

  @Override
  public String normalize(String version) {
    validate(version);
    StringBuilder sb = new StringBuilder(version.length() + 8);
    Tokens t = new Tokens(version);
    while (t.kind != END) {
      sb.append(t.kind);
      if (t.kind == LETTER || t.kind == HASH) {
        sb.append(version, t.start, t.end);
      } else if (t.kind == SUFFIX) {
        sb.append(t.suffix);
      } else if (t.kind == NUMBER && t.first) {
        VersionText.appendNumber(sb, version, t.start, t.end);
      } else if (t.kind == NUMBER && version.charAt(t.start) == '0') {
        // A zero-led number compares as text, so its zeros matter.
        sb.append('0').append(version, t.start, t.end);
      } else {
        VersionText.appendNumber(sb, version, t.start, t.end);
      }
      sb.append('.');
      t.next();
    }
    return sb.toString();
  }

  static int compareValid(String a, String b) {
    Tokens x = new Tokens(a);
    Tokens y = new Tokens(b);
    while (x.kind == y.kind && x.kind != END) {
      int c = compareToken(x, y);
      if (c != 0) {
        return c;
      }
      x.next();
      y.next();
    }
    if (x.kind == y.kind) {
      return 0;
    }
    if (x.kind == SUFFIX && x.suffix < NO_SUFFIX) {
      return -1;
    }
    if (y.kind == SUFFIX && y.suffix < NO_SUFFIX) {
      return 1;
    }
    return x.kind > y.kind ? -1 : 1;
  }

  private static int compareToken(Tokens x, Tokens y) {
    String a = x.text;
    String b = y.text;
    return switch (x.kind) {
      case NUMBER -> {
        if (!x.first && (a.charAt(x.start) == '0' || b.charAt(y.start) == '0')) {
          yield compareText(a, x.start, x.end, b, y.start, y.end);
        }
        yield VersionText.compareDigits(a, x.start, x.end, b, y.start, y.end);
      }
      case SUFFIX_NUMBER, REVISION ->
          VersionText.compareDigits(a, x.start, x.end, b, y.start, y.end);
      case SUFFIX -> Integer.compare(x.suffix, y.suffix);
      default -> compareText(a, x.start, x.end, b, y.start, y.end); // LETTER, HASH
    };
  }

  /** Byte order over the common length, then the shorter first, as apk's blob sort. */
  private static int compareText(String a, int as, int ae, String b, int bs, int be) {
    int n = Math.min(ae - as, be - bs);
    for (int i = 0; i < n; i++) {
      char p = a.charAt(as + i);
      char q = b.charAt(bs + i);
      if (p != q) {
        return p < q ? -1 : 1;
      }
    }
    return Integer.signum(Integer.compare(ae - as, be - bs));
  }

  /**
   * A cursor over the tokens of a version; validates as it goes, so it never loops on bad input.
   */
  private static final class Tokens {
    final String text;
    int kind;
    boolean first = true;
    int start;
    int end;
    int suffix;

    Tokens(String text) {
      this.text = text;
      this.kind = NUMBER;
      this.end = digits(0);
      if (end == 0) {
        throw fail("the version must start with a digit", 0);
      }
    }

    void next() {
      int i = end;
      first = false;
      start = i;
      if (i == text.length()) {
        kind = END;
        return;
      }
      char c = text.charAt(i);
      if (c == '.' && kind == NUMBER) {
        start = i + 1;
        end = digits(start);
        if (end == start) {
          throw fail("a digit must follow '.'", start);
        }
      } else if (c >= 'a' && c <= 'z' && kind == NUMBER) {
        kind = LETTER;
        end = i + 1;
      } else if (c == '_' && kind <= SUFFIX_NUMBER) {
        start = i + 1;
        suffix = -1;
        for (int s = 0; s < SUFFIXES.length; s++) {
          if (text.startsWith(SUFFIXES[s], start)) {
            suffix = s;
            break;
          }
        }
        if (suffix < 0) {
          throw fail(
              "unknown suffix; expected one of _alpha _beta _pre _rc _cvs _svn _git _hg _p", i);
        }
        kind = SUFFIX;
        end = start + SUFFIXES[suffix].length();
      } else if (VersionText.isDigit(c) && kind == SUFFIX) {
        kind = SUFFIX_NUMBER;
        end = digits(i);
      } else if (c == '~' && kind < HASH) {
        kind = HASH;
        start = i + 1;
        end = start;
        while (end < text.length() && isHex(text.charAt(end))) {
          end++;
        }
        if (end == start) {
          throw fail("a commit hash of lowercase hex digits must follow '~'", start);
        }
      } else if (c == '-' && kind < REVISION && text.startsWith("-r", i)) {
        kind = REVISION;
        start = i + 2;
        end = digits(start);
        if (end == start) {
          throw fail("a number must follow '-r'", start);
        }
      } else {
        throw fail("unexpected " + VersionText.describe(c), i);
      }
      // A token must end where the next kind can begin; digits run into letters only after '.'.
      if (end < text.length() && kind == SUFFIX && !isSuffixEnd(text.charAt(end))) {
        throw fail(
            "unknown suffix; expected one of _alpha _beta _pre _rc _cvs _svn _git _hg _p", i);
      }
    }

    private static boolean isSuffixEnd(char c) {
      return VersionText.isDigit(c) || c == '_' || c == '~' || c == '-';
    }

    private int digits(int from) {
      int i = from;
      while (i < text.length() && VersionText.isDigit(text.charAt(i))) {
        i++;
      }
      return i;
    }

    private static boolean isHex(char c) {
      return VersionText.isDigit(c) || (c >= 'a' && c <= 'f');
    }

    private IllegalArgumentException fail(String reason, int index) {
      return VersionText.invalid(NAME, text, reason + " at index " + index);
    }
  }

  @Override
  public String toString() {
    return "apk version scheme (Alpine)";
  }
}
