package org.cloudpatch.inventory.version;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Maven's version order: maven-artifact's {@code ComparableVersion} as released in Maven 3.9.6 and
 * 3.10.1 (whose comparisons are the same; 3.10 changed only the canonical text), made total where
 * that reference contradicts itself. Checked against both jars on every line of osv-scalibr's
 * generated Maven fixture (14,752 pairs of real versions from OSV) and of Maven's own {@code
 * ComparableVersionTest}.
 *
 * <p>A version splits at {@code .}, at {@code -} and at each change between letters and digits; a
 * {@code -}, and a change between letters and digits, opens a nested list, and so does a trailing
 * or digit-followed qualifier after a dot ({@code 1.0.RC1} reads as {@code 1.0-RC-1}). Numbers
 * compare numerically however long. Known qualifiers rank {@code alpha < beta < milestone < rc = cr
 * < snapshot < "" = ga = final = release < sp}, single letters {@code a b m} before a digit
 * standing for alpha, beta, milestone; unknown qualifiers sort after them, case-insensitively by
 * text. Trailing zeros and release qualifiers are insignificant ({@code 1.0.0 = 1 = 1-ga}), and so
 * is a zero or release qualifier followed only by lists ({@code 1.0-alpha = 1-alpha}).
 *
 * <h2>Where Maven contradicts itself, and the choice made here</h2>
 *
 * <p>Maven ranks the kinds of item at one place in two versions before it looks at their content
 * (number above list above qualifier), but compares an item with the <em>end</em> of the other
 * version by content ({@code 1-alpha < 1 < 1-sp}, a zero equal to the end), and the two rules
 * contradict each other: evidence from maven-artifact 3.9.6 and 3.10.1 alike (MNG-5568, MNG-6568):
 *
 * <ul>
 *   <li>{@code 1-alpha > 1.x.2 > 1 > 1-alpha}: a list ({@code -alpha}) above a qualifier ({@code
 *       x}) by kind, though the list is below the end and the qualifier above it;
 *   <li>{@code 0-alpha > x > 0 > 0-alpha}: the same at the first place;
 *   <li>{@code 1.0.alpha.1 > 1-x > 1 > 1.0.alpha.1}: a zero above a list by kind, though what
 *       follows the zero ({@code alpha}) puts it below the end and the list ({@code -x}) is above.
 * </ul>
 *
 * <p>Sorting with such an order throws, and a range check with it can call a version both inside
 * and outside a range. Here every item is placed by how it compares with the end first, and by kind
 * only among items on the same side of the end — from lowest to highest:
 *
 * <ol>
 *   <li>a qualifier below a release ({@code alpha} … {@code snapshot}), by qualifier;
 *   <li>a release qualifier followed by something below the end ({@code .ga.alpha.1});
 *   <li>a list below the end ({@code -alpha}, {@code -rc-1}), by content;
 *   <li>a zero followed by something below the end ({@code 3.7.0.rc.3});
 *   <li>the end, and anything that equals it;
 *   <li>a release qualifier followed by something above the end ({@code .ga.1});
 *   <li>a qualifier above a release ({@code sp}, {@code x}), by qualifier;
 *   <li>a list above the end ({@code -1}, {@code -sp}), by content;
 *   <li>a zero followed by something above the end ({@code 1.0.x.1});
 *   <li>a number above zero, by value.
 * </ol>
 *
 * <p>Two zeros (two release qualifiers) of one group compare equal, and what follows decides.
 * Within each side of the end this is Maven's kind order, and across it Maven's comparison with the
 * end, so every answer given here is Maven's except where Maven's own answers through the end (the
 * common prefix of the two versions) contradict it: {@code 1.x.2 > 1-alpha} and {@code 1.0.alpha.1
 * < 1 < 1-x} here. In particular a release candidate written with dots ranks below its release
 * ({@code 3.7.0.rc.3 < 3.7.0}), as Maven and osv-scalibr rank it. Maven 4's order (apache/maven
 * master, MNG-7644) differs from the released one on qualifiers followed by a number ({@code
 * 3.2.0rc2 > 3.2.0-rc.1} there, {@code <} in 3.9.6 and 3.10.1, and in osv-scalibr's fixture); this
 * follows the released order.
 *
 * <p>Comparison walks the nested lists with an explicit stack, never recursion. Whitespace and
 * control characters are rejected, since Maven coordinates cannot hold them. {@link #normalize} is
 * exact: equal normal forms exactly when {@code compare} is 0.
 */
final class MavenScheme implements VersionScheme {
  private static final String NAME = "Maven";

  private static final List<String> QUALIFIERS =
      List.of("alpha", "beta", "milestone", "rc", "snapshot", "", "sp");
  private static final List<String> RELEASE_QUALIFIERS = List.of("ga", "final", "release");
  private static final String RELEASE_INDEX = String.valueOf(QUALIFIERS.indexOf(""));

  // The places of an item relative to the others, lowest first (see the class Javadoc).
  private static final int QUALIFIER_BELOW = 1;
  private static final int RELEASE_BEFORE_LESS = 2;
  private static final int LIST_BELOW = 3;
  private static final int ZERO_BEFORE_LESS = 4;
  private static final int END = 5;
  private static final int RELEASE_BEFORE_MORE = 6;
  private static final int QUALIFIER_ABOVE = 7;
  private static final int LIST_ABOVE = 8;
  private static final int ZERO_BEFORE_MORE = 9;
  private static final int NUMBER = 10;

  @Override
  public String ecosystem() {
    return NAME;
  }

  @Override
  public int compare(String a, String b) {
    return compareLists(parse(a), parse(b));
  }

  @Override
  public void validate(String version) {
    check(version);
  }

  @Override
  public String normalize(String version) {
    ListItem root = parse(version);
    // Each item's place and content, bracketed per list, without the trailing items that equal
    // the end, written without recursion.
    StringBuilder sb = new StringBuilder();
    Deque<Object> work = new ArrayDeque<>();
    work.push(root);
    while (!work.isEmpty()) {
      Object o = work.pop();
      if (o instanceof String s) {
        sb.append(s);
        continue;
      }
      ListItem list = (ListItem) o;
      int n = list.items.size();
      while (n > 0 && list.place(n - 1) == END) {
        n--;
      }
      sb.append('[');
      work.push("]");
      for (int i = n - 1; i >= 0; i--) {
        Item item = list.items.get(i);
        int place = list.place(i);
        if (item instanceof ListItem child && place != END) {
          work.push(child);
        }
        work.push(
            (i > 0 ? "," : "")
                + place
                + (item instanceof Num num && place == NUMBER
                    ? "#" + num.digits
                    : item instanceof Str s && place != END ? "'" + s.comparable() : ""));
      }
    }
    return sb.toString();
  }

  private static void check(String version) {
    VersionText.checkLength(NAME, version);
    for (int i = 0; i < version.length(); i++) {
      char c = version.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw VersionText.invalid(
            NAME, version, "found " + VersionText.describe(c) + " at index " + i);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Items.

  /** An item of a version: a number, a qualifier, or a nested list. */
  private interface Item {
    /** Whether the item is insignificant at the end of a list: a zero, a release, an empty list. */
    boolean isNull();

    /** How the item alone compares with the end: -1, 0 or 1. */
    int signAgainstEnd();
  }

  private record Num(String digits) implements Item {
    static Num of(String raw) {
      int i = 0;
      while (i < raw.length() - 1 && raw.charAt(i) == '0') {
        i++;
      }
      return new Num(raw.isEmpty() ? "0" : raw.substring(i));
    }

    @Override
    public boolean isNull() {
      return digits.equals("0");
    }

    @Override
    public int signAgainstEnd() {
      return isNull() ? 0 : 1;
    }

    int compareNum(Num o) {
      return VersionText.compareDigits(digits, 0, digits.length(), o.digits, 0, o.digits.length());
    }
  }

  private record Str(String value) implements Item {
    static Str of(String raw, boolean followedByDigit) {
      String v = raw;
      if (followedByDigit && v.length() == 1) {
        switch (v.charAt(0)) {
          case 'a' -> v = "alpha";
          case 'b' -> v = "beta";
          case 'm' -> v = "milestone";
          default -> {}
        }
      }
      if (v.equals("cr")) {
        v = "rc";
      }
      return new Str(v);
    }

    /** A text whose lexical order is the qualifier order. */
    String comparable() {
      if (RELEASE_QUALIFIERS.contains(value)) {
        return RELEASE_INDEX;
      }
      int i = QUALIFIERS.indexOf(value);
      return i == -1 ? QUALIFIERS.size() + "-" + value : String.valueOf(i);
    }

    @Override
    public boolean isNull() {
      return comparable().equals(RELEASE_INDEX);
    }

    @Override
    public int signAgainstEnd() {
      return Integer.signum(comparable().compareTo(RELEASE_INDEX));
    }

    int compareStr(Str o) {
      return Integer.signum(comparable().compareTo(o.comparable()));
    }
  }

  private static final class ListItem implements Item {
    final List<Item> items = new ArrayList<>();

    /**
     * {@code tail[i]}: how the items from {@code i} on compare with the end, the first that does
     * not equal it deciding (Maven's rule); {@code tail[size]} is 0. Set once the list is final.
     */
    int[] tail = {0};

    @Override
    public boolean isNull() {
      return items.isEmpty();
    }

    @Override
    public int signAgainstEnd() {
      return tail[0];
    }

    /** Drops insignificant trailing items, Maven's way: zeros, releases, empty lists. */
    void normalize() {
      for (int i = items.size() - 1; i >= 0; i--) {
        Item last = items.get(i);
        if (last.isNull()) {
          items.remove(i);
        } else if (!(last instanceof ListItem)) {
          break;
        }
      }
      // The children are final already: parse() normalizes the innermost lists first.
      tail = new int[items.size() + 1];
      for (int i = items.size() - 1; i >= 0; i--) {
        int s = items.get(i).signAgainstEnd();
        tail[i] = s != 0 ? s : tail[i + 1];
      }
    }

    /** The place of item {@code i} among all items (see the class Javadoc). */
    int place(int i) {
      Item item = items.get(i);
      int self = item.signAgainstEnd();
      if (item instanceof Num) {
        if (self > 0) {
          return NUMBER;
        }
        int next = tail[i + 1];
        return next < 0 ? ZERO_BEFORE_LESS : next > 0 ? ZERO_BEFORE_MORE : END;
      }
      if (item instanceof Str) {
        if (self != 0) {
          return self < 0 ? QUALIFIER_BELOW : QUALIFIER_ABOVE;
        }
        int next = tail[i + 1];
        return next < 0 ? RELEASE_BEFORE_LESS : next > 0 ? RELEASE_BEFORE_MORE : END;
      }
      return self < 0 ? LIST_BELOW : self > 0 ? LIST_ABOVE : END;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Parsing, as maven-artifact 3.9.6 and 3.10.1 parse.

  private static ListItem parse(String text) {
    check(text);
    String version = asciiDigits(text.toLowerCase(Locale.ENGLISH));
    ListItem root = new ListItem();
    ListItem list = root;
    Deque<ListItem> stack = new ArrayDeque<>();
    stack.push(list);
    boolean isDigit = false;
    int start = 0;
    for (int i = 0; i < version.length(); i++) {
      char c = version.charAt(i);
      if (c == '.') {
        list.items.add(i == start ? Num.of("0") : item(isDigit, version.substring(start, i)));
        start = i + 1;
      } else if (c == '-') {
        list.items.add(i == start ? Num.of("0") : item(isDigit, version.substring(start, i)));
        start = i + 1;
        list = nested(list, stack);
      } else if (VersionText.isDigit(c)) {
        if (!isDigit && i > start) {
          // 1.0.0.X1 < 1.0.0-X2: a qualifier before a digit reads as after a hyphen.
          if (!list.items.isEmpty()) {
            list = nested(list, stack);
          }
          list.items.add(Str.of(version.substring(start, i), true));
          start = i;
          list = nested(list, stack);
        }
        isDigit = true;
      } else {
        if (isDigit && i > start) {
          list.items.add(item(true, version.substring(start, i)));
          start = i;
          list = nested(list, stack);
        }
        isDigit = false;
      }
    }
    if (version.length() > start) {
      // A trailing .X reads as -X for any qualifier X.
      if (!isDigit && !list.items.isEmpty()) {
        list = nested(list, stack);
      }
      list.items.add(item(isDigit, version.substring(start)));
    }
    while (!stack.isEmpty()) {
      stack.pop().normalize();
    }
    return root;
  }

  private static ListItem nested(ListItem list, Deque<ListItem> stack) {
    ListItem next = new ListItem();
    list.items.add(next);
    stack.push(next);
    return next;
  }

  private static Item item(boolean isDigit, String buf) {
    return isDigit ? Num.of(buf) : Str.of(buf, false);
  }

  /**
   * The text with every decimal digit written in ASCII: Maven takes any Unicode digit for a digit
   * ({@code Character.isDigit}) and reads its value.
   */
  private static String asciiDigits(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c > 127 && Character.isDigit(c)) {
        if (sb == null) {
          sb = new StringBuilder(s);
        }
        sb.setCharAt(i, (char) ('0' + Character.digit(c, 10)));
      }
    }
    return sb == null ? s : sb.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Comparison, with an explicit stack of list pairs.

  /** A pair of lists being compared item by item. */
  private static final class Frame {
    final ListItem left;
    final ListItem right;
    int index;

    Frame(ListItem left, ListItem right) {
      this.left = left;
      this.right = right;
    }
  }

  private static int compareLists(ListItem a, ListItem b) {
    Deque<Frame> stack = new ArrayDeque<>();
    stack.push(new Frame(a, b));
    while (!stack.isEmpty()) {
      Frame f = stack.peek();
      int na = f.left.items.size();
      int nb = f.right.items.size();
      if (f.index >= Math.max(na, nb)) {
        stack.pop();
        continue;
      }
      int i = f.index++;
      int pa = i < na ? f.left.place(i) : END;
      int pb = i < nb ? f.right.place(i) : END;
      if (pa != pb) {
        return pa < pb ? -1 : 1;
      }
      if (i >= na || i >= nb) {
        continue;
      }
      Item l = f.left.items.get(i);
      Item r = f.right.items.get(i);
      // One place holds one kind of item, so l and r are alike; zeros and releases of one place
      // are equal, and what follows them decides.
      if (pa == NUMBER) {
        int c = ((Num) l).compareNum((Num) r);
        if (c != 0) {
          return c;
        }
      } else if (pa == QUALIFIER_BELOW || pa == QUALIFIER_ABOVE) {
        int c = ((Str) l).compareStr((Str) r);
        if (c != 0) {
          return c;
        }
      } else if (pa == LIST_BELOW || pa == LIST_ABOVE) {
        stack.push(new Frame((ListItem) l, (ListItem) r));
      }
    }
    return 0;
  }

  @Override
  public String toString() {
    return "Maven version scheme (ComparableVersion of Maven 3.9.6 and 3.10.1, made total)";
  }
}
