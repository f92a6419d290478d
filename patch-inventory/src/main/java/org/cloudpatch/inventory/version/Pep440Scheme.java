package org.cloudpatch.inventory.version;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * PEP 440 ordering for PyPI, with the reference behaviour of pypa/packaging's {@code Version}.
 *
 * <p>Epoch, then the release with trailing zeros ignored ({@code 1.0 == 1}), then pre-release
 * ({@code a < b < rc}; spellings {@code alpha}, {@code beta}, {@code c}, {@code pre}, {@code
 * preview} normalised), post-release (including the implicit {@code 1.0-1}), dev-release, and the
 * local version, whose numeric parts compare as numbers and sort after alphanumeric ones. A
 * developmental release without pre or post sorts before every pre-release of its release. Legacy
 * versions that packaging no longer accepts ({@code 0.1-bulbasaur}) are rejected.
 */
final class Pep440Scheme implements VersionScheme {
  private static final String NAME = "PyPI";

  // packaging's VERSION_PATTERN; input is bounded to 256 characters before it runs, which bounds
  // the regex engine's stack as well.
  private static final Pattern PATTERN =
      Pattern.compile(
          "\\s*v?(?:(?:([0-9]+)!)?([0-9]+(?:\\.[0-9]+)*)"
              + "([-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?([0-9]+)?)?"
              + "((?:-([0-9]+))|(?:[-_.]?(post|rev|r)[-_.]?([0-9]+)?))?"
              + "([-_.]?(dev)[-_.]?([0-9]+)?)?)"
              + "(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*",
          Pattern.CASE_INSENSITIVE);

  @Override
  public String ecosystem() {
    return NAME;
  }

  @Override
  public int compare(String a, String b) {
    return Integer.signum(parse(a).compareTo(parse(b)));
  }

  @Override
  public void validate(String version) {
    parse(version);
  }

  @Override
  public String normalize(String version) {
    return parse(version).normal();
  }

  static Parsed parse(String text) {
    VersionText.checkLength(NAME, text);
    Matcher m = PATTERN.matcher(text);
    if (!m.matches()) {
      throw VersionText.invalid(NAME, text, "not a PEP 440 version");
    }
    Parsed p = new Parsed();
    p.epoch = m.group(1) == null ? "0" : strip(m.group(1));
    List<String> release = new ArrayList<>();
    for (String part : m.group(2).split("\\.", -1)) {
      release.add(strip(part));
    }
    while (release.size() > 1 && release.get(release.size() - 1).equals("0")) {
      release.remove(release.size() - 1);
    }
    p.release = release;
    if (m.group(3) != null) {
      String l = m.group(4).toLowerCase(Locale.ROOT);
      p.preLetter =
          switch (l) {
            case "a", "alpha" -> 0;
            case "b", "beta" -> 1;
            default -> 2;
          };
      p.preNumber = m.group(5) == null ? "0" : strip(m.group(5));
    }
    if (m.group(6) != null) {
      String n = m.group(7) != null ? m.group(7) : m.group(9);
      p.post = n == null ? "0" : strip(n);
    }
    if (m.group(10) != null) {
      p.dev = m.group(12) == null ? "0" : strip(m.group(12));
    }
    if (m.group(13) != null) {
      p.local = m.group(13).toLowerCase(Locale.ROOT).split("[-_.]");
    }
    return p;
  }

  private static String strip(String digits) {
    int i = 0;
    while (i < digits.length() - 1 && digits.charAt(i) == '0') {
      i++;
    }
    return digits.substring(i);
  }

  private static int num(String x, String y) {
    return VersionText.compareDigits(x, 0, x.length(), y, 0, y.length());
  }

  private static boolean numeric(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!VersionText.isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** A parsed version, its numbers without leading zeros. */
  static final class Parsed implements Comparable<Parsed> {
    String epoch = "0";
    List<String> release = List.of();

    /** 0, 1, 2 for a, b, rc; -1 for no pre-release. */
    int preLetter = -1;

    /** The pre-release number; read only when {@link #preLetter} is not -1. */
    String preNumber = "0";

    /** The post-release number, or null for none. */
    @Nullable String post;

    /** The dev-release number, or null for none. */
    @Nullable String dev;

    /** The local version's parts, or null for none. */
    String @Nullable [] local;

    @Override
    public int compareTo(Parsed o) {
      int c = num(epoch, o.epoch);
      if (c != 0) {
        return c;
      }
      int n = Math.max(release.size(), o.release.size());
      for (int i = 0; i < n; i++) {
        c =
            num(
                i < release.size() ? release.get(i) : "0",
                i < o.release.size() ? o.release.get(i) : "0");
        if (c != 0) {
          return c;
        }
      }
      c = Integer.compare(preRank(), o.preRank());
      if (c != 0) {
        return c;
      }
      if (preLetter >= 0) {
        c = num(preNumber, o.preNumber);
        if (c != 0) {
          return c;
        }
      }
      // No post-release sorts before any post-release.
      c = post == null ? (o.post == null ? 0 : -1) : (o.post == null ? 1 : num(post, o.post));
      if (c != 0) {
        return c;
      }
      // No dev-release sorts after any dev-release.
      c = dev == null ? (o.dev == null ? 0 : 1) : (o.dev == null ? -1 : num(dev, o.dev));
      if (c != 0) {
        return c;
      }
      return compareLocal(local, o.local);
    }

    /**
     * -1 for a bare dev-release (before every pre-release), 0..2 for a, b, rc, 3 for none (after
     * every pre-release).
     */
    private int preRank() {
      if (preLetter >= 0) {
        return preLetter;
      }
      return post == null && dev != null ? -1 : 3;
    }

    private static int compareLocal(String @Nullable [] x, String @Nullable [] y) {
      if (x == null || y == null) {
        return x == null ? (y == null ? 0 : -1) : 1;
      }
      int n = Math.min(x.length, y.length);
      for (int i = 0; i < n; i++) {
        boolean nx = numeric(x[i]);
        boolean ny = numeric(y[i]);
        int c;
        if (nx && ny) {
          c = num(strip(x[i]), strip(y[i]));
        } else if (nx || ny) {
          c = nx ? 1 : -1;
        } else {
          c = Integer.signum(x[i].compareTo(y[i]));
        }
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(x.length, y.length);
    }

    String normal() {
      StringBuilder sb = new StringBuilder().append(epoch).append('!');
      sb.append(String.join(".", release));
      if (preLetter >= 0) {
        sb.append("abc".charAt(preLetter)).append(preNumber);
      }
      if (post != null) {
        sb.append(".post").append(post);
      }
      if (dev != null) {
        sb.append(".dev").append(dev);
      }
      if (local != null) {
        sb.append('+');
        for (int i = 0; i < local.length; i++) {
          sb.append(i == 0 ? "" : ".").append(numeric(local[i]) ? strip(local[i]) : local[i]);
        }
      }
      return sb.toString();
    }
  }

  @Override
  public String toString() {
    return "PEP 440 version scheme (PyPI)";
  }
}
