package org.cloudpatch.inventory.match;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.finding.FindingStatus;
import org.jspecify.annotations.Nullable;

/**
 * The verdict of an advisory's entries for one package name on one installed version, before it is
 * attached to an asset. The same verdict serves every asset with that version.
 */
record Verdict(
    String ecosystem, FindingStatus status, Optional<String> fixedVersion, String evidence) {

  /**
   * Decides, following the OSV evaluation: affected when the version is listed or inside any range.
   * Otherwise a range that cannot be evaluated (GIT, an unknown scheme, an invalid version) makes
   * it UNKNOWN — never NOT_AFFECTED. Otherwise FIXED when a fix at or below the installed version
   * ended a range, and NOT_AFFECTED when the version is simply outside every range.
   *
   * @param rules the advisory's entries for one package name that cover the platform, never empty
   */
  // NullAway cannot see that fixedEvidence is set together with fixedBy.
  @SuppressWarnings("NullAway")
  static Verdict decide(List<AffectedRule> rules, String installed) {
    String ecosystem = rules.get(0).affected.ecosystem();
    boolean prefix = rules.size() > 1;
    List<String> unknown = new ArrayList<>();
    List<String> negative = new ArrayList<>();
    String listedEvidence = null;
    String rangeEvidence = null;
    String fix = null;
    String fixedBy = null;
    String fixedEvidence = null;
    boolean anyRangeOrList = false;
    AffectedRule schemeless = null;

    for (AffectedRule rule : rules) {
      String at = prefix ? rule.affected.ecosystem() + " " : "";
      anyRangeOrList |= !rule.ranges.isEmpty() || !rule.affected.versions().isEmpty();
      if (rule.scheme == null) {
        // Without a scheme only an exact listing can decide; anything else needs a human.
        Optional<String> same = rule.listedMatch(installed);
        if (same.isPresent() && listedEvidence == null) {
          listedEvidence = at + "versions list: installed " + installed + " is listed";
        }
        schemeless = rule;
        continue;
      }
      String invalid = AffectedRule.problem(rule.scheme, installed);
      if (invalid != null) {
        unknown.add(at + "installed version cannot be compared: " + invalid);
        continue;
      }
      Optional<String> listed = rule.listedMatch(installed);
      if (listed.isPresent()) {
        listedEvidence =
            at
                + "versions list: installed "
                + installed
                + (listed.get().equals(installed)
                    ? " is listed"
                    : " equals listed " + listed.get());
      } else if (!rule.affected.versions().isEmpty()) {
        negative.add(at + "versions list: installed " + installed + " is not listed");
      }
      rule.listedProblems.forEach(p -> unknown.add(at + p));
      for (AffectedRule.Range range : rule.ranges) {
        AffectedRule.Outcome o = range.evaluate(installed);
        if (!o.evaluable()) {
          unknown.add(at + o.evidence());
        } else if (o.affected()) {
          if (rangeEvidence == null) {
            rangeEvidence = at + o.evidence();
          }
          if (o.fixAbove() != null && (fix == null || rule.scheme.compare(o.fixAbove(), fix) < 0)) {
            fix = o.fixAbove();
          }
        } else {
          negative.add(at + o.evidence());
          if (o.fixBelow() != null
              && (fixedBy == null || rule.scheme.compare(o.fixBelow(), fixedBy) > 0)) {
            fixedBy = o.fixBelow();
            fixedEvidence = at + o.evidence();
          }
        }
      }
    }

    if (rangeEvidence != null) {
      return new Verdict(
          ecosystem, FindingStatus.AFFECTED, Optional.ofNullable(fix), rangeEvidence);
    }
    if (listedEvidence != null) {
      return new Verdict(
          ecosystem,
          FindingStatus.AFFECTED,
          Optional.ofNullable(smallestFixAbove(rules, installed)),
          listedEvidence);
    }
    if (schemeless != null) {
      unknown.add(
          0,
          "no version scheme for ecosystem "
              + schemeless.affected.ecosystem()
              + ", cannot compare installed "
              + installed);
    }
    if (!anyRangeOrList) {
      unknown.add(
          "the advisory lists neither ranges nor versions for " + rules.get(0).affected.name());
    }
    if (!unknown.isEmpty()) {
      return new Verdict(
          ecosystem, FindingStatus.UNKNOWN, Optional.empty(), String.join("; ", unknown));
    }
    if (fixedBy != null) {
      return new Verdict(ecosystem, FindingStatus.FIXED, Optional.of(fixedBy), fixedEvidence);
    }
    return new Verdict(
        ecosystem, FindingStatus.NOT_AFFECTED, Optional.empty(), String.join("; ", negative));
  }

  /** For a version affected by listing only: the smallest fix above it in any range. */
  private static @Nullable String smallestFixAbove(List<AffectedRule> rules, String installed) {
    String best = null;
    for (AffectedRule rule : rules) {
      if (rule.scheme == null || AffectedRule.problem(rule.scheme, installed) != null) {
        continue;
      }
      for (AffectedRule.Range range : rule.ranges) {
        for (String f : range.fixes()) {
          if (rule.scheme.compare(f, installed) > 0
              && (best == null || rule.scheme.compare(f, best) < 0)) {
            best = f;
          }
        }
      }
    }
    return best;
  }
}
