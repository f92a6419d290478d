package org.cloudpatch.inventory.version;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Maven's version order, following maven-artifact's {@code ComparableVersion} in its 3.9-era form
 * (with MNG-7644's qualifier-and-number items), checked against every case of its test suite at
 * apache/maven commit 540897d. Maven 3.8 and earlier differ on a few odd qualifiers ({@code 1-ga-1}
 * equals {@code 1-1} there, is below it here).
 *
 * <p>A version splits at {@code .}, at {@code -} and at each change between letters and digits; a
 * {@code -}, and a change from digits to letters, opens a nested list. Numbers compare numerically
 * however long; a qualifier of letters followed by digits ({@code alpha2}, {@code rc-1}) compares
 * as one item. Known qualifiers rank {@code alpha < beta < milestone < rc = cr < snapshot < "" = ga
 * = final = release < sp}, single letters {@code a b m} before a digit standing for alpha, beta,
 * milestone; unknown qualifiers sort after them, case-insensitively by text. Trailing zeros and
 * release qualifiers are insignificant ({@code 1.0.0 = 1 = 1-ga}).
 *
 * <p>Comparison walks the nested lists with an explicit stack, never recursion. Whitespace and
 * control characters are rejected, since Maven coordinates cannot hold them.
 *
 * <p>A total order, where the reference is not. Maven ranks kinds of item (number above list above
 * qualifier) before it looks at content, but compares an item with the end of the other version by
 * content, and the two rules contradict each other (MNG-5568, MNG-6568): {@code 1-alpha > 1.x.2 > 1
 * > 1-alpha}, {@code 0-alpha > x > 0 > 0-alpha}, {@code 1.0.alpha.1 > 1-x > 1 > 1.0.alpha.1}.
 * Sorting with such an order throws. Here, exactly three item comparisons differ from the
 * reference, each so that the end of a version keeps one place among the items:
 *
 * <ul>
 *   <li>a qualifier at or above a release ({@code sp}, {@code x}, {@code ga}) ranks above a list
 *       below a release ({@code -alpha}); Maven ranks every qualifier below every list;
 *   <li>a zero followed by more items ranks above the end, as every number ranks above a list;
 *       Maven takes it for the end (trailing zeros are still insignificant);
 *   <li>a release qualifier with a non-zero number ({@code ga1}) ranks above the end, as
 *       apache/maven PR 12942 later made it; Maven 540897d takes it for the end yet orders {@code
 *       ga1 < ga2}.
 * </ul>
 *
 * <p>Every version pair decided elsewhere gets Maven's answer, and so does every line of Maven's
 * and osv-scalibr's fixtures. {@link #normalize} is exact: equal normal forms exactly when {@code
 * compare} is 0.
 */
final class MavenScheme implements VersionScheme {
  private static final String NAME = "Maven";

  private static final List<String> QUALIFIERS =
      List.of("alpha", "beta", "milestone", "rc", "snapshot", "", "sp");
  private static final List<String> RELEASE_QUALIFIERS = List.of("ga", "final", "release");
  private static final String RELEASE_INDEX = String.valueOf(QUALIFIERS.indexOf(""));

  @Override
  public String ecosystem() {
    return NAME;
  }

  @Override
  public int compare(String a, String b) {
    return Integer.signum(compareLists(parse(a), parse(b)));
  }

  @Override
  public void validate(String version) {
    check(version);
  }

  @Override
  public String normalize(String version) {
    ListItem root = parse(version);
    // Each item's canonical text, bracketed per list, written without recursion.
    StringBuilder sb = new StringBuilder();
    Deque<Object> work = new ArrayDeque<>();
    work.push(root);
    while (!work.isEmpty()) {
      Object o = work.pop();
      if (o instanceof String s) {
        sb.append(s);
      } else if (nullSign((Item) o) == 0) {
        sb.append('_');
      } else if (o instanceof ListItem list) {
        sb.append('[');
        work.push("]");
        for (int i = list.items.size() - 1; i >= 0; i--) {
          work.push(list.items.get(i));
          if (i > 0) {
            work.push(",");
          }
        }
      } else {
        sb.append(o);
      }
    }
    return sb.toString();
  }

  /**
   * Drops, innermost lists first, trailing items that compare equal to nothing ({@code ga1}
   * compares equal to a missing item, though Maven keeps it), so that the normal form is equal
   * exactly when the versions compare equal.
   */
  private static void trimNullEquivalents(ListItem root) {
    List<ListItem> order = new ArrayList<>();
    Deque<ListItem> work = new ArrayDeque<>();
    work.push(root);
    while (!work.isEmpty()) {
      ListItem l = work.pop();
      order.add(l);
      for (Item i : l.items) {
        if (i instanceof ListItem child) {
          work.push(child);
        }
      }
    }
    for (int k = order.size() - 1; k >= 0; k--) {
      ListItem list = order.get(k);
      List<Item> items = list.items;
      while (!items.isEmpty() && isNullAtEnd(items.get(items.size() - 1))) {
        items.remove(items.size() - 1);
      }
      list.nullSign = 0;
      for (Item i : items) {
        int sign = nullSign(i);
        if (sign != 0) {
          list.nullSign = sign;
          break;
        }
      }
    }
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

  /** An item of a version: a number, a qualifier, a qualifier with a number, or a nested list. */
  private interface Item {
    boolean isNull();
  }

  private record Num(String digits) implements Item {
    static Num of(String raw) {
      int i = 0;
      while (i < raw.length() - 1 && raw.charAt(i) == '0') {
        i++;
      }
      return new Num(raw.substring(i));
    }

    @Override
    public boolean isNull() {
      return digits.equals("0");
    }

    int compareNum(Num o) {
      return VersionText.compareDigits(digits, 0, digits.length(), o.digits, 0, o.digits.length());
    }

    @Override
    public String toString() {
      return digits;
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

    int compareStr(Str o) {
      return Integer.signum(comparable().compareTo(o.comparable()));
    }

    int compareNull() {
      return Integer.signum(comparable().compareTo(RELEASE_INDEX));
    }

    @Override
    public String toString() {
      return "'" + comparable();
    }
  }

  private record Combination(Str text, Num number) implements Item {
    static Combination of(String raw) {
      String s = raw.replace("-", "");
      int i = 0;
      while (i < s.length() && !VersionText.isDigit(s.charAt(i))) {
        i++;
      }
      return new Combination(Str.of(s.substring(0, i), true), Num.of(s.substring(i)));
    }

    @Override
    public boolean isNull() {
      return false;
    }

    @Override
    public String toString() {
      return text + "#" + number;
    }
  }

  private static final class ListItem implements Item {
    final List<Item> items = new ArrayList<>();

    /** How the list compares with nothing; set once parsing has trimmed it. */
    int nullSign;

    @Override
    public boolean isNull() {
      return items.isEmpty();
    }

    /** Drops insignificant trailing items: zeros, release qualifiers, empty lists. */
    void normalize() {
      for (int i = items.size() - 1; i >= 0; i--) {
        Item last = items.get(i);
        if (last.isNull()) {
          items.remove(i);
        } else if (!(last instanceof ListItem)) {
          break;
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Parsing.

  private static ListItem parse(String text) {
    check(text);
    String version = text.toLowerCase(Locale.ENGLISH);
    ListItem root = new ListItem();
    ListItem list = root;
    Deque<ListItem> stack = new ArrayDeque<>();
    stack.push(list);
    boolean isDigit = false;
    boolean isCombination = false;
    int start = 0;
    for (int i = 0; i < version.length(); i++) {
      char c = version.charAt(i);
      if (c == '.') {
        if (i == start) {
          list.items.add(Num.of("0"));
        } else {
          list.items.add(item(isCombination, isDigit, version.substring(start, i)));
        }
        isCombination = false;
        start = i + 1;
      } else if (c == '-') {
        if (i == start) {
          list.items.add(Num.of("0"));
        } else {
          // X-1 is read as X1.
          if (!isDigit && i != version.length() - 1 && VersionText.isDigit(version.charAt(i + 1))) {
            isCombination = true;
            continue;
          }
          list.items.add(item(isCombination, isDigit, version.substring(start, i)));
        }
        start = i + 1;
        if (!list.items.isEmpty()) {
          ListItem next = new ListItem();
          list.items.add(next);
          list = next;
          stack.push(list);
        }
        isCombination = false;
      } else if (VersionText.isDigit(c)) {
        if (!isDigit && i > start) {
          // X1: letters then digits form one item.
          isCombination = true;
          if (!list.items.isEmpty()) {
            ListItem next = new ListItem();
            list.items.add(next);
            list = next;
            stack.push(list);
          }
        }
        isDigit = true;
      } else {
        if (isDigit && i > start) {
          list.items.add(item(isCombination, true, version.substring(start, i)));
          start = i;
          ListItem next = new ListItem();
          list.items.add(next);
          list = next;
          stack.push(list);
          isCombination = false;
        }
        isDigit = false;
      }
    }
    if (version.length() > start) {
      // 1.0.0.X1 < 1.0.0-X2: a trailing .X reads as -X for any qualifier X.
      if (!isDigit && !list.items.isEmpty()) {
        ListItem next = new ListItem();
        list.items.add(next);
        list = next;
        stack.push(list);
      }
      list.items.add(item(isCombination, isDigit, version.substring(start)));
    }
    while (!stack.isEmpty()) {
      stack.pop().normalize();
    }
    trimNullEquivalents(root);
    return root;
  }

  private static Item item(boolean isCombination, boolean isDigit, String buf) {
    if (isCombination) {
      return Combination.of(buf);
    }
    return isDigit ? Num.of(buf) : Str.of(buf, false);
  }

  // ---------------------------------------------------------------------------------------------
  // Comparison, with an explicit stack of list pairs.

  /** A pair of lists being compared item by item; {@code right} null compares with nothing. */
  private static final class Frame {
    final ListItem left;

    /** The list compared with {@link #left}, or null to compare it with nothing. */
    final @Nullable ListItem right;

    final int sign;
    int index;

    Frame(ListItem left, @Nullable ListItem right, int sign) {
      this.left = left;
      this.right = right;
      this.sign = sign;
    }
  }

  private static int compareLists(ListItem a, ListItem b) {
    Deque<Frame> stack = new ArrayDeque<>();
    stack.push(new Frame(a, b, 1));
    while (!stack.isEmpty()) {
      Frame f = stack.peek();
      int n =
          f.right == null
              ? f.left.items.size()
              : Math.max(f.left.items.size(), f.right.items.size());
      if (f.index >= n) {
        stack.pop();
        continue;
      }
      int i = f.index++;
      Item l = i < f.left.items.size() ? f.left.items.get(i) : null;
      Item r = f.right != null && i < f.right.items.size() ? f.right.items.get(i) : null;
      int sign = f.sign;
      if (l == null) {
        // This side is shorter: compare the other with nothing and invert. The other has an item
        // here, as i is below the longer side's size.
        l = Objects.requireNonNull(r, "index below the longer list's size");
        r = null;
        sign = -sign;
      }
      if (l instanceof ListItem ll && (r == null || r instanceof ListItem)) {
        stack.push(new Frame(ll, (ListItem) r, sign));
        continue;
      }
      int c = compareScalar(l, r);
      if (c != 0) {
        return c * sign;
      }
    }
    return 0;
  }

  /**
   * A qualifier ({@link Str} or {@link Combination}) against a list at the same place. Maven ranks
   * every qualifier below every list, yet compares each with the end of a version by its content,
   * so that {@code 1.x.2 < 1-alpha} while {@code 1-alpha < 1 < 1.x.2}. Here the end decides first:
   * a qualifier at or above a release ({@code sp}, {@code x}, {@code ga}) ranks above a list below
   * a release ({@code -alpha}); otherwise Maven's rank stands and the qualifier is below.
   */
  private static int qualifierVersusList(Item qualifier, ListItem list) {
    return nullSign(qualifier) >= 0 && list.nullSign < 0 ? 1 : -1;
  }

  /** Whether a last item is insignificant: a zero, a release qualifier, an empty list. */
  private static boolean isNullAtEnd(Item item) {
    return item instanceof Num n ? n.isNull() : nullSign(item) == 0;
  }

  /** How an item compares with nothing, the end of the other version. */
  private static int nullSign(Item item) {
    if (item instanceof ListItem list) {
      return list.nullSign;
    }
    return compareScalar(item, null);
  }

  /**
   * Compares two items of which at most one is a list, or an item with nothing ({@code r} null).
   */
  private static int compareScalar(Item l, @Nullable Item r) {
    if (l instanceof Num n) {
      if (r == null) {
        // A number ranks above every list, and so above the end, even a zero: trailing zeros are
        // gone by now, and one followed by more items is more than nothing.
        return 1;
      }
      return r instanceof Num m ? n.compareNum(m) : 1;
    }
    if (l instanceof Str s) {
      if (r == null) {
        return s.compareNull();
      }
      if (r instanceof Str t) {
        return s.compareStr(t);
      }
      if (r instanceof Combination k) {
        return -compareScalar(k, s);
      }
      return r instanceof ListItem list ? qualifierVersusList(s, list) : -1;
    }
    if (l instanceof Combination k) {
      if (r == null) {
        int c = k.text.compareNull();
        return c != 0 || k.number.isNull() ? c : 1;
      }
      if (r instanceof Str t) {
        int c = k.text.compareStr(t);
        return c != 0 ? c : k.number.isNull() && t.compareNull() == 0 ? 0 : 1;
      }
      if (r instanceof Combination o) {
        int c = k.text.compareStr(o.text);
        return c != 0 ? c : k.number.compareNum(o.number);
      }
      return r instanceof ListItem list ? qualifierVersusList(k, list) : -1;
    }
    // l is a list and r is not: a number beats a list; a qualifier, see qualifierVersusList.
    return r instanceof Num ? -1 : -qualifierVersusList(Objects.requireNonNull(r), (ListItem) l);
  }

  @Override
  public String toString() {
    return "Maven version scheme (ComparableVersion at apache/maven 540897d, made total)";
  }
}
