package org.cloudpatch.inventory.match;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.cloudpatch.core.advisory.AffectedPackage;
import org.cloudpatch.core.advisory.AffectedRange;
import org.cloudpatch.core.advisory.AffectedRange.RangeType;
import org.cloudpatch.core.advisory.RangeEvent;
import org.cloudpatch.core.advisory.RangeEvent.Kind;
import org.cloudpatch.inventory.version.RpmVersion;
import org.cloudpatch.inventory.version.VersionScheme;
import org.cloudpatch.inventory.version.VersionSchemes;
import org.jspecify.annotations.Nullable;

/**
 * One affected package of an advisory, prepared once for many installed versions: its scheme looked
 * up, its event versions validated and its events sorted. Immutable.
 */
final class AffectedRule {
  final AffectedPackage affected;

  /** Null when cloudpatch has no scheme for the ecosystem. */
  final @Nullable VersionScheme scheme;

  final List<Range> ranges;

  /** The listed versions. */
  private final ListedVersions listed;

  /** Why listed versions were rejected; each makes a negative verdict UNKNOWN. */
  final List<String> listedProblems;

  private AffectedRule(AffectedPackage affected) {
    this.affected = affected;
    this.scheme = VersionSchemes.forEcosystem(affected.ecosystem()).orElse(null);
    List<Range> rs = new ArrayList<>();
    for (int i = 0; i < affected.ranges().size(); i++) {
      rs.add(new Range(i, affected.ranges().get(i), scheme));
    }
    this.ranges = List.copyOf(rs);
    this.listed = new ListedVersions(affected.versions(), scheme, true);
    this.listedProblems = listed.problems;
  }

  static AffectedRule compile(AffectedPackage affected) {
    return new AffectedRule(affected);
  }

  /** The scheme's reason to reject {@code version}, or null when it is valid. */
  static @Nullable String problem(VersionScheme scheme, String version) {
    try {
      scheme.validate(version);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /**
   * Whether the installed version's epoch is unknown ({@link VersionScheme#epochUnknown}, only RPM
   * versions) while a version this entry states has an epoch other than 0: then the verdict rests
   * on the rule of {@link VersionScheme#compareInstalled} (the installed package has the advisory's
   * epoch), and says so. Against epoch 0 nothing is assumed beyond what every RPM tool assumes.
   */
  boolean epochMatters(String installed) {
    VersionScheme s = scheme;
    if (s == null || problem(s, installed) != null || !s.epochUnknown(installed)) {
      return false;
    }
    List<String> stated = new ArrayList<>(listed.valid());
    ranges.forEach(r -> stated.addAll(r.stated()));
    for (String v : stated) {
      if (RpmVersion.isValid(v) && RpmVersion.parse(v).epoch() != 0) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code installed} is listed; compares in the scheme when there is one. */
  Optional<String> listedMatch(String installed) {
    return listed.match(installed);
  }

  /** What one range says about one installed version. */
  record Outcome(
      boolean evaluable,
      boolean affected,
      /* For AFFECTED: the first fix above the installed version in this range, or null. */
      @Nullable String fixAbove,
      /* For a negative verdict: the fix at or below the installed version that ended it, or null. */
      @Nullable String fixBelow,
      String evidence) {}

  /** One OSV range with its events validated and sorted. */
  static final class Range {
    private static final Comparator<Kind> KIND_ORDER =
        Comparator.comparingInt(
            k ->
                switch (k) {
                  // At equal versions, "introduced" comes first so that "introduced X, fixed X"
                  // is the empty range, and "introduced X, last_affected X" holds X alone.
                  case INTRODUCED -> 0;
                  case LAST_AFFECTED -> 1;
                  case FIXED -> 2;
                  case LIMIT -> 3;
                });

    final int index;
    final RangeType type;

    /** Why the range cannot be evaluated, or null. */
    private final @Nullable String problem;

    private final List<RangeEvent> sorted;
    private final List<RangeEvent> limits;

    /**
     * The order of this range's events: SemVer 2.0.0 for a SEMVER range whatever the ecosystem (as
     * the OSV schema defines it), else the ecosystem's; null when there is none.
     */
    private final @Nullable VersionScheme scheme;

    // NullAway cannot see that a null scheme always leaves a problem, so the sort never runs.
    @SuppressWarnings("NullAway")
    Range(int index, AffectedRange range, @Nullable VersionScheme ecosystemScheme) {
      this.index = index;
      this.type = range.type();
      @Nullable VersionScheme scheme =
          type == RangeType.SEMVER ? VersionSchemes.semver() : ecosystemScheme;
      this.scheme = scheme;
      List<RangeEvent> events = new ArrayList<>(range.events());
      this.limits = events.stream().filter(e -> e.kind() == Kind.LIMIT).toList();
      String why = null;
      if (type == RangeType.GIT) {
        why = "commit ranges cannot be compared with a package version";
      } else if (scheme == null) {
        why = "no version scheme for its ecosystem";
      } else {
        for (RangeEvent e : events) {
          if (isMinimum(e) || isInfinity(e)) {
            continue;
          }
          String p = problem(scheme, e.version());
          if (p != null) {
            why = "event " + name(e.kind()) + " is invalid: " + p;
            break;
          }
        }
      }
      this.problem = why;
      if (why == null) {
        events.sort(
            ((Comparator<RangeEvent>) (x, y) -> compareEvents(scheme, x, y))
                .thenComparing(RangeEvent::kind, KIND_ORDER));
        this.sorted = List.copyOf(events);
      } else {
        this.sorted = List.of();
      }
    }

    /** The OSV evaluation of one range (https://ossf.github.io/osv-schema/#evaluation). */
    Outcome evaluate(String v) {
      String prefix = "range " + index + " (" + type + "): ";
      if (problem != null) {
        return new Outcome(false, false, null, null, prefix + problem);
      }
      VersionScheme scheme =
          Objects.requireNonNull(
              this.scheme, "the constructor gives a range without a scheme a problem");
      String invalid = problem(scheme, v);
      if (invalid != null) {
        return new Outcome(
            false, false, null, null, prefix + "installed version cannot be compared: " + invalid);
      }
      if (!limits.isEmpty() && !beforeLimits(v, scheme)) {
        return new Outcome(
            true,
            false,
            null,
            null,
            prefix
                + "installed "
                + v
                + " is not below any limit ("
                + String.join(", ", limits.stream().map(RangeEvent::version).toList())
                + ")");
      }
      boolean vulnerable = false;
      int on = -1;
      int off = -1;
      int lastIntroduced = -1;
      for (int i = 0; i < sorted.size(); i++) {
        RangeEvent e = sorted.get(i);
        switch (e.kind()) {
          case INTRODUCED -> {
            if (isMinimum(e) || scheme.compareInstalled(v, e.version()) >= 0) {
              vulnerable = true;
              on = i;
              lastIntroduced = i;
              off = -1;
            }
          }
          case FIXED -> {
            if (scheme.compareInstalled(v, e.version()) >= 0) {
              vulnerable = false;
              off = i;
            }
          }
          case LAST_AFFECTED -> {
            if (scheme.compareInstalled(v, e.version()) > 0) {
              vulnerable = false;
              off = i;
            }
          }
          case LIMIT -> {
            // Decided by beforeLimits above.
          }
        }
      }
      if (vulnerable) {
        String introduced = "introduced " + sorted.get(on).version() + ", installed " + v;
        for (int i = on + 1; i < sorted.size(); i++) {
          RangeEvent e = sorted.get(i);
          if (e.kind() == Kind.FIXED) {
            return new Outcome(
                true, true, e.version(), null, prefix + introduced + " < fixed " + e.version());
          }
          if (e.kind() == Kind.LAST_AFFECTED) {
            String fix = nextFix(i + 1);
            return new Outcome(
                true, true, fix, null, prefix + introduced + " <= last_affected " + e.version());
          }
        }
        return new Outcome(true, true, null, null, prefix + introduced + ", no fixed version");
      }
      if (off >= 0) {
        RangeEvent e = sorted.get(off);
        String introduced =
            lastIntroduced >= 0 ? "introduced " + sorted.get(lastIntroduced).version() + ", " : "";
        if (e.kind() == Kind.FIXED) {
          return new Outcome(
              true,
              false,
              null,
              e.version(),
              prefix + introduced + "installed " + v + " >= fixed " + e.version());
        }
        return new Outcome(
            true,
            false,
            null,
            null,
            prefix + introduced + "installed " + v + " > last_affected " + e.version());
      }
      for (RangeEvent e : sorted) {
        if (e.kind() == Kind.INTRODUCED) {
          return new Outcome(
              true, false, null, null, prefix + "installed " + v + " < introduced " + e.version());
        }
      }
      return new Outcome(true, false, null, null, prefix + "no introduced event");
    }

    /** The versions the range's events and limits state; none when it cannot be evaluated. */
    List<String> stated() {
      List<String> out = new ArrayList<>();
      for (RangeEvent e : sorted) {
        if (!isMinimum(e) && !isInfinity(e)) {
          out.add(e.version());
        }
      }
      for (RangeEvent e : limits) {
        if (!isInfinity(e) && scheme != null && problem(scheme, e.version()) == null) {
          out.add(e.version());
        }
      }
      return out;
    }

    /** The versions of the range's fixed events; none when it cannot be evaluated. */
    List<String> fixes() {
      return sorted.stream().filter(e -> e.kind() == Kind.FIXED).map(RangeEvent::version).toList();
    }

    /** The first fix in sorted order from {@code from}, or null. */
    private @Nullable String nextFix(int from) {
      for (int i = from; i < sorted.size(); i++) {
        if (sorted.get(i).kind() == Kind.FIXED) {
          return sorted.get(i).version();
        }
      }
      return null;
    }

    private boolean beforeLimits(String v, VersionScheme scheme) {
      for (RangeEvent limit : limits) {
        if (isInfinity(limit) || scheme.compareInstalled(v, limit.version()) < 0) {
          return true;
        }
      }
      return false;
    }

    private static int compareEvents(VersionScheme scheme, RangeEvent x, RangeEvent y) {
      int rx = isMinimum(x) ? -1 : isInfinity(x) ? 1 : 0;
      int ry = isMinimum(y) ? -1 : isInfinity(y) ? 1 : 0;
      if (rx != 0 || ry != 0) {
        return Integer.compare(rx, ry);
      }
      return scheme.compare(x.version(), y.version());
    }

    /** OSV: {@code introduced: "0"} sorts before every version. */
    private static boolean isMinimum(RangeEvent e) {
      return e.kind() == Kind.INTRODUCED && e.version().equals("0");
    }

    /** OSV: a limit containing {@code *} is infinity. */
    private static boolean isInfinity(RangeEvent e) {
      return e.kind() == Kind.LIMIT && e.version().contains("*");
    }

    private static String name(Kind kind) {
      return kind.name().toLowerCase(Locale.ROOT);
    }
  }
}
