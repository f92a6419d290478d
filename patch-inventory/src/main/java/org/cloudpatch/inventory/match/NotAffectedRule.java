package org.cloudpatch.inventory.match;

import java.util.Optional;
import org.cloudpatch.core.advisory.NotAffected;
import org.cloudpatch.inventory.version.VersionSchemes;

/**
 * One not-affected statement of an advisory, its versions prepared once for many installed
 * versions. Immutable.
 */
final class NotAffectedRule {
  final NotAffected statement;
  private final ListedVersions listed;

  private NotAffectedRule(NotAffected statement) {
    this.statement = statement;
    // The same equality as an affected versions list, so that "1:2.3-4" and "01:2.3-4" are one
    // version whichever list names it.
    this.listed =
        new ListedVersions(
            statement.versions(),
            VersionSchemes.forEcosystem(statement.ecosystem()).orElse(null),
            // An installed version without an epoch is not taken for a listed one with an epoch:
            // a vendor's "not affected" is not inferred from a guess.
            false);
  }

  static NotAffectedRule compile(NotAffected statement) {
    return new NotAffectedRule(statement);
  }

  /** Whether the statement is about every version of the package rather than some. */
  boolean everyVersion() {
    return statement.versions().isEmpty();
  }

  /**
   * The version the statement lists that {@code installed} equals; empty when it lists none such,
   * and always empty for a statement about every version.
   */
  Optional<String> listedMatch(String installed) {
    return listed.match(installed);
  }
}
