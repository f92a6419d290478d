package org.cloudpatch.inventory.version;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.quicktheories.core.Gen;
import org.quicktheories.impl.Constraint;

/**
 * Generates valid Debian versions that dwell on the edges of the order: tildes, leading zeros,
 * digit runs longer than any number type, letters against punctuation, epochs and revisions that
 * may or may not be there. Pairs and families are mostly near-variants of one version, so that
 * equal and almost-equal versions are common.
 */
final class VersionGenerator {
  private static final String[] EPOCHS = {"0", "1", "2", "00", "10", "01"};
  private static final String LETTERS = "aAbzZ";
  private static final String UPSTREAM_PUNCT = ".+~:-";
  private static final String REVISION_PUNCT = ".+~";

  private VersionGenerator() {}

  /** A source of choices: {@code r.applyAsInt(n)} is in {@code [0, n)}. */
  static String version(IntUnaryOperator r) {
    String v;
    do {
      v = attempt(r);
    } while (v.length() > DebianVersion.MAX_LENGTH);
    return v;
  }

  private static String attempt(IntUnaryOperator r) {
    StringBuilder sb = new StringBuilder();
    boolean epoch = r.applyAsInt(4) == 0;
    boolean revision = r.applyAsInt(2) == 0;
    if (epoch) {
      sb.append(EPOCHS[r.applyAsInt(EPOCHS.length)]).append(':');
    }
    sb.append(digits(r));
    int tokens = r.applyAsInt(6);
    for (int i = 0; i < tokens; i++) {
      sb.append(token(r, upstreamPunct(epoch, revision)));
    }
    if (revision) {
      sb.append('-');
      int revTokens = 1 + r.applyAsInt(4);
      for (int i = 0; i < revTokens; i++) {
        sb.append(token(r, REVISION_PUNCT));
      }
    }
    return sb.toString();
  }

  /** A version related to {@code a} about half of the time, else an independent one. */
  static String related(String a, IntUnaryOperator r) {
    if (r.applyAsInt(3) == 0) {
      return version(r);
    }
    String b = a;
    int steps = 1 + r.applyAsInt(2);
    for (int i = 0; i < steps; i++) {
      String next = mutate(b, r);
      if (DebianVersion.isValid(next)) {
        b = next;
      }
    }
    return b;
  }

  /** A version and {@code size - 1} relatives of it. */
  static List<String> family(IntUnaryOperator r, int size) {
    List<String> out = new ArrayList<>();
    out.add(version(r));
    while (out.size() < size) {
      out.add(related(out.get(r.applyAsInt(out.size())), r));
    }
    return out;
  }

  /** QuickTheories' randomness as a choice source, so that failures shrink. */
  static IntUnaryOperator choices(org.quicktheories.core.RandomnessSource in) {
    return n -> (int) in.next(Constraint.between(0, n - 1));
  }

  static Gen<String> versions() {
    return in -> version(choices(in));
  }

  static Gen<String[]> pairs() {
    return in -> {
      IntUnaryOperator r = choices(in);
      String a = version(r);
      return new String[] {a, related(a, r)};
    };
  }

  static Gen<List<String>> families(int size) {
    return in -> family(choices(in), size);
  }

  private static String upstreamPunct(boolean epoch, boolean revision) {
    // ':' needs an epoch before it and '-' a revision after it, or they change the structure.
    StringBuilder sb = new StringBuilder(".+~");
    if (epoch) {
      sb.append(':');
    }
    if (revision) {
      sb.append('-');
    }
    return sb.toString();
  }

  private static String token(IntUnaryOperator r, String punct) {
    switch (r.applyAsInt(4)) {
      case 0:
        return digits(r);
      case 1:
        return String.valueOf(LETTERS.charAt(r.applyAsInt(LETTERS.length())));
      case 2:
        return String.valueOf(punct.charAt(r.applyAsInt(punct.length())));
      default:
        return r.applyAsInt(2) == 0 ? "~" : "." + digits(r);
    }
  }

  private static String digits(IntUnaryOperator r) {
    StringBuilder sb = new StringBuilder();
    int zeros = r.applyAsInt(4) == 0 ? 1 + r.applyAsInt(2) : 0;
    for (int i = 0; i < zeros; i++) {
      sb.append('0');
    }
    // Now and then a run longer than a long can hold.
    int length = r.applyAsInt(12) == 0 ? 19 + r.applyAsInt(25) : 1 + r.applyAsInt(2);
    for (int i = 0; i < length; i++) {
      sb.append((char) ('0' + r.applyAsInt(10)));
    }
    return sb.toString();
  }

  private static String mutate(String v, IntUnaryOperator r) {
    int at = r.applyAsInt(v.length() + 1);
    switch (r.applyAsInt(9)) {
      case 0:
        return v + "~";
      case 1:
        return v + "0";
      case 2:
        // A leading zero before a digit run keeps the value.
        for (int i = at; i < v.length(); i++) {
          if (Character.isDigit(v.charAt(i)) && (i == 0 || !Character.isDigit(v.charAt(i - 1)))) {
            return v.substring(0, i) + "0" + v.substring(i);
          }
        }
        return v;
      case 3:
        return v.indexOf(':') < 0 ? "0:" + v : v;
      case 4:
        return v.indexOf('-') < 0 ? v + "-0" : v;
      case 5:
        return at < v.length() ? v.substring(0, at) + "~" + v.substring(at) : v + "a";
      case 6:
        return at < v.length() && at > 0 ? v.substring(0, at) : v;
      case 7:
        return at < v.length()
            ? v.substring(0, at) + LETTERS.charAt(r.applyAsInt(LETTERS.length())) + v.substring(at)
            : v + "+";
      default:
        return at < v.length() && Character.isDigit(v.charAt(at))
            ? v.substring(0, at) + (char) ('0' + r.applyAsInt(10)) + v.substring(at + 1)
            : v + ".1";
    }
  }
}
