package org.cloudpatch.inventory.match;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.cloudpatch.inventory.version.VersionScheme;
import org.jspecify.annotations.Nullable;

/**
 * Versions an advisory lists one by one, prepared for matching installed versions: as written, and
 * in the scheme's equality when there is a scheme. Immutable.
 */
final class ListedVersions {
  private final @Nullable VersionScheme scheme;

  /** The versions as written, for exact matches. */
  private final Set<String> exactly;

  /** The versions the scheme accepts, in its order, for matches in its equality. */
  private final NavigableSet<String> ordered;

  /** Why listed versions were rejected by the scheme. */
  final List<String> problems;

  /**
   * Whether an installed version whose epoch is unknown matches a listed one by version-release
   * alone ({@link VersionScheme#compareInstalled}): yes for versions listed affected, where a wrong
   * match costs a patch; no for versions listed not affected, where it would hide one.
   */
  private final boolean epochUnknownMatches;

  ListedVersions(
      List<String> versions, @Nullable VersionScheme scheme, boolean epochUnknownMatches) {
    this.scheme = scheme;
    this.epochUnknownMatches = epochUnknownMatches;
    List<String> ok = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    for (String v : versions) {
      String problem = scheme == null ? null : AffectedRule.problem(scheme, v);
      if (problem == null) {
        ok.add(v);
      } else {
        bad.add("versions list: " + problem);
      }
    }
    this.exactly = Set.copyOf(versions);
    this.ordered = scheme == null ? new TreeSet<>() : new TreeSet<>(scheme::compare);
    ordered.addAll(ok);
    this.problems = List.copyOf(bad);
  }

  /** The listed versions the scheme accepts, in its order. */
  NavigableSet<String> valid() {
    return ordered;
  }

  /**
   * The listed version {@code installed} equals: as written, or in the scheme's equality when the
   * scheme accepts {@code installed}; empty when none does.
   */
  Optional<String> match(String installed) {
    if (exactly.contains(installed)) {
      return Optional.of(installed);
    }
    if (scheme != null && !ordered.isEmpty() && AffectedRule.problem(scheme, installed) == null) {
      if (epochUnknownMatches && scheme.epochUnknown(installed)) {
        // The order has epochs, the comparison not: scan (RPM lists are short).
        for (String v : ordered) {
          if (scheme.compareInstalled(installed, v) == 0) {
            return Optional.of(v);
          }
        }
        return Optional.empty();
      }
      // Long lists (Ubuntu's kernel lists thousands) are searched, not scanned.
      String candidate = ordered.ceiling(installed);
      if (candidate != null && scheme.compare(candidate, installed) == 0) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
