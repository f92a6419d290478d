package org.cloudpatch.inventory.version;

import java.util.Optional;

/**
 * An RPM version, {@code [epoch:]version[-release]} (an EVR), ordered exactly as the {@code RPM}
 * version scheme of {@link VersionSchemes} orders it: validated once by {@code parse}, then
 * compared as often as needed without validating or allocating again.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>{@link #compareTo} follows rpm 4.18's {@code rpm.vercmp}: epochs compare numerically
 *       (absent is 0); the version, then the release, compare as runs of ASCII letters and of
 *       digits, every other character only separating runs; digit runs compare as numbers however
 *       long they are and sort after letter runs; {@code ~} sorts before everything, even the end;
 *       {@code ^} sorts after the end but before any further run. The epoch is the leading digit
 *       run only when a colon follows it, and the release follows the last hyphen after it, as rpm
 *       parses them.
 *   <li>One deliberate difference from rpm, the same as the scheme's: rpm treats a missing release
 *       as equal to every release, which is not transitive. Here a version without a release sorts
 *       before the same version with any release, even an empty one ({@code 1 < 1-}), so the order
 *       is total.
 *   <li>{@link #equals} and {@link #hashCode} are consistent with {@link #compareTo}: {@code 0:1.0}
 *       equals {@code 1.0}, {@code 1.01} equals {@code 1.1}, {@code 1.0_1} equals {@code 1.0.1}.
 *       {@link #toString()} keeps the text as it was given.
 *   <li>{@link #parse} accepts exactly what {@link VersionScheme#validate} of the RPM scheme
 *       accepts, and rejects the rest with the same message: at most 256 characters, no whitespace
 *       or control characters, an epoch of at most 10 digits, a non-empty version.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class RpmVersion implements Comparable<RpmVersion> {
  private final String text;
  private final long epoch;

  /** The epoch colon, or -1 when there is none. */
  private final int colon;

  /** The hyphen before the release, or -1 when there is none. */
  private final int hyphen;

  /** Lazily computed over the normal form; 0 doubles as "not yet computed". */
  private int hash;

  private RpmVersion(String text) {
    this.text = text;
    this.colon = RpmScheme.epochColon(text);
    this.hyphen = RpmScheme.releaseHyphen(text, colon);
    long e = 0;
    for (int i = 0; i < colon; i++) {
      // At most 10 digits, so no overflow.
      e = e * 10 + (text.charAt(i) - '0');
    }
    this.epoch = e;
  }

  /**
   * Parses a version.
   *
   * @param text the version, never null
   * @throws NullPointerException if {@code text} is null
   * @throws IllegalArgumentException naming the text and the reason when it is not a valid RPM
   *     version; the message is the one the RPM scheme's {@code validate} gives
   */
  public static RpmVersion parse(String text) {
    RpmScheme.check(text);
    return new RpmVersion(text);
  }

  /** Whether {@code text} is a valid RPM version, as {@link #parse} decides. Never throws. */
  public static boolean isValid(String text) {
    return text != null && RpmScheme.problem(text) == null;
  }

  /**
   * The epoch; 0 when the version has none. At most 10 digits, so it may exceed an int. For an
   * installed version see {@link #hasEpoch}: without one, the epoch is unknown rather than 0.
   */
  public long epoch() {
    return epoch;
  }

  /**
   * Whether the text writes an epoch ({@code 0:1.0-1} does, {@code 1.0-1} does not). The order
   * reads a missing epoch as 0, as rpm does; but {@code rpm -qa}'s default output never writes the
   * epoch, so an installed version without one has an unknown epoch, and a matcher compares it with
   * an advisory's version by version-release alone ({@link VersionScheme#compareInstalled}).
   */
  public boolean hasEpoch() {
    return colon >= 0;
  }

  /** The version: the text between the epoch's colon and the release's hyphen. */
  public String version() {
    return text.substring(colon + 1, hyphen < 0 ? text.length() : hyphen);
  }

  /**
   * The release after the last hyphen that follows the epoch; empty when there is none. An empty
   * release ({@code 1.0-}) is present and empty, and sorts after no release at all.
   */
  public Optional<String> release() {
    return hyphen < 0 ? Optional.empty() : Optional.of(text.substring(hyphen + 1));
  }

  @Override
  public int compareTo(RpmVersion other) {
    if (epoch != other.epoch) {
      return epoch < other.epoch ? -1 : 1;
    }
    // Small, with the work in static methods given only strings and indices, so that it inlines.
    if (colon == other.colon) {
      // Equal epochs with as many digits are the same text: scan the common prefix once.
      return RpmScheme.compareSameEpochText(text, hyphen, other.text, other.hyphen, colon);
    }
    // Equal epochs written differently (0:1.0 against 1.0).
    return RpmScheme.compareAfterEpoch(text, colon, hyphen, other.text, other.colon, other.hyphen);
  }

  /** Equal when {@link #compareTo} is 0, so {@code 1.01} equals {@code 1.1}. */
  @Override
  public boolean equals(Object o) {
    return o instanceof RpmVersion v && compareTo(v) == 0;
  }

  /** Hashes the normal form, so that versions that compare equal hash equal. */
  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = normalized().hashCode();
      if (h == 0) {
        h = 1;
      }
      hash = h;
    }
    return h;
  }

  /**
   * The normal form: the same for versions that compare equal, different otherwise ({@code 1.01}
   * and {@code 0:1_1} both give {@code 0:1.1.}).
   */
  String normalized() {
    return RpmScheme.normalizeValid(text);
  }

  /** The version as it was given. */
  @Override
  public String toString() {
    return text;
  }
}
