package org.cloudpatch.inventory.match;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.finding.Finding;
import org.cloudpatch.core.finding.FindingStatus;
import org.jspecify.annotations.Nullable;

/**
 * The verdict of an advisory's entries for one package name on one installed version, before it is
 * attached to an asset. The same verdict serves every asset with that version.
 */
record Verdict(
    String ecosystem, FindingStatus status, Optional<String> fixedVersion, String evidence) {

  /** This verdict as the finding of one advisory on one asset's binaries of one source version. */
  Finding finding(
      AssetId asset,
      AdvisoryId advisory,
      String packageName,
      Collection<String> binaries,
      String installed) {
    return Finding.builder()
        .asset(asset)
        .advisory(advisory)
        .ecosystem(ecosystem)
        .packageName(packageName)
        .binaryPackages(binaries)
        .installedVersion(installed)
        .fixedVersion(fixedVersion)
        .status(status)
        .evidence(evidence)
        .build();
  }

  /**
   * Decides from the affected entries as {@link #fromAffected} does, and from the vendor's
   * not-affected statements that cover the installed version: those about every version, and those
   * listing it (in the scheme's equality, as an affected list).
   *
   * <p>A covering statement makes the verdict NOT_AFFECTED, with its justification as evidence,
   * over a FIXED, NOT_AFFECTED or UNKNOWN verdict of the affected entries: the vendor's explicit
   * word decides what ranges leave open or cannot evaluate. Over an AFFECTED verdict it prevails
   * only when it is the more specific of the two: a statement listing the installed version against
   * a range containing it, since ranges are intervals and often inferred (CSAF's fixed products
   * become "introduced 0, fixed X", which claims every older version, including ones the vendor
   * states are not affected). When the two truly conflict — the version is listed both as affected
   * and as not affected, or a statement about every version meets a range or list naming this one —
   * AFFECTED wins and the evidence names the statement it overrides: a false "not affected" hides a
   * vulnerability, a false "affected" costs only a patch.
   *
   * <p>With statements and no affected entries, a version no statement covers is UNKNOWN: the
   * vendor spoke about other versions of the package, not about this one.
   *
   * @param rules the advisory's affected entries for one package name that cover the platform
   * @param statements the advisory's not-affected statements for that name that cover the platform;
   *     not both empty
   */
  static Verdict decide(
      List<AffectedRule> rules, List<NotAffectedRule> statements, String installed) {
    NotAffectedRule covering = null;
    String listedAs = null;
    for (NotAffectedRule s : statements) {
      Optional<String> listed = s.listedMatch(installed);
      if (listed.isPresent()) {
        covering = s;
        listedAs = listed.get();
        break;
      }
      if (covering == null && s.everyVersion()) {
        covering = s;
      }
    }
    if (rules.isEmpty()) {
      if (covering != null) {
        return notAffected(covering, installed, listedAs, "");
      }
      NotAffectedRule first = statements.get(0);
      return new Verdict(
          first.statement.ecosystem(),
          FindingStatus.UNKNOWN,
          Optional.empty(),
          "the advisory states only versions "
              + String.join(
                  ", ", statements.stream().flatMap(s -> s.statement.versions().stream()).toList())
              + " of "
              + first.statement.name()
              + " not affected ("
              + first.statement.justification()
              + ") and says nothing about installed "
              + installed);
    }
    Verdict affected = fromAffected(rules, installed);
    if (covering == null) {
      return affected;
    }
    if (affected.status() != FindingStatus.AFFECTED) {
      return notAffected(covering, installed, listedAs, "");
    }
    boolean listedAffected = rules.stream().anyMatch(r -> r.listedMatch(installed).isPresent());
    if (listedAs != null && !listedAffected) {
      return notAffected(
          covering, installed, listedAs, "; outweighs the less specific " + affected.evidence());
    }
    return new Verdict(
        affected.ecosystem(),
        FindingStatus.AFFECTED,
        affected.fixedVersion(),
        affected.evidence()
            + "; overrides the conflicting not-affected statement ("
            + covering.statement.justification()
            + ")");
  }

  private static Verdict notAffected(
      NotAffectedRule covering, String installed, @Nullable String listedAs, String more) {
    String which =
        listedAs == null
            ? "every version of " + covering.statement.name()
            : listedAs.equals(installed)
                ? "installed " + installed + " is listed"
                : "installed " + installed + " equals listed " + listedAs;
    return new Verdict(
        covering.statement.ecosystem(),
        FindingStatus.NOT_AFFECTED,
        Optional.empty(),
        "vendor states not affected: "
            + covering.statement.justification()
            + " ("
            + which
            + ")"
            + more);
  }

  /**
   * Decides, following the OSV evaluation: affected when the version is listed or inside any range.
   * Otherwise a range that cannot be evaluated (GIT, an unknown scheme, an invalid version) makes
   * it UNKNOWN — never NOT_AFFECTED. Otherwise FIXED when a fix at or below the installed version
   * ended a range, and NOT_AFFECTED when the version is simply outside every range.
   *
   * @param rules the advisory's entries for one package name that cover the platform, never empty
   */
  private static Verdict fromAffected(List<AffectedRule> rules, String installed) {
    Verdict v = decideAffected(rules, installed);
    if (rules.stream().noneMatch(r -> r.epochMatters(installed))) {
      return v;
    }
    return new Verdict(
        v.ecosystem(), v.status(), v.fixedVersion(), v.evidence() + "; " + EPOCH_UNKNOWN);
  }

  /** What the evidence says when an installed version's unknown epoch was ignored. */
  static final String EPOCH_UNKNOWN =
      "installed epoch unknown (none written): compared by version-release alone, the advisory's"
          + " epoch ignored";

  // NullAway cannot see that fixedEvidence is set together with fixedBy.
  @SuppressWarnings("NullAway")
  private static Verdict decideAffected(List<AffectedRule> rules, String installed) {
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
          if (rule.scheme.compareInstalled(installed, f) < 0
              && (best == null || rule.scheme.compare(f, best) < 0)) {
            best = f;
          }
        }
      }
    }
    return best;
  }
}
