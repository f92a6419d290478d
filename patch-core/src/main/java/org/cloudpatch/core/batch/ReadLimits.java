package org.cloudpatch.core.batch;

import org.immutables.value.Value;

/**
 * How much of an external input a reader takes before it stops: the bounds that keep a hostile or
 * broken file (a zip bomb, a file that is one endless line, {@code /dev/zero}) from exhausting the
 * heap.
 *
 * <p>Every reader of advisories and inventories reads under a {@code ReadLimits}, {@link
 * #defaults()} unless the host gives its own. An input that goes beyond a bound is quarantined with
 * its name, the position and the bound it broke (named after the accessor, e.g. {@code
 * maxLineLength}), never read into memory whole; what was read before it stays read. The defaults
 * are a few times the largest real inputs known (osv.dev's per-ecosystem archives, vendor CSAF
 * documents, dpkg databases of large servers), so only broken or hostile input meets them.
 * Immutable.
 */
@Value.Immutable
public interface ReadLimits {
  /** Characters in one line of a line-based input (dpkg, rpm, apk, os-release, tracker lists). */
  @Value.Default
  default int maxLineLength() {
    return 64 * 1024;
  }

  /**
   * Characters in one paragraph of a line-based input: a dpkg package paragraph, an apk package
   * block, a Debian tracker entry. Generous, because readers keep only a few fields of a paragraph
   * and an apk block lists every file of its package (tens of thousands for the largest).
   */
  @Value.Default
  default int maxParagraphLength() {
    return 16 * 1024 * 1024;
  }

  /** Bytes of one document: a file, an archive entry, or a stream given to a reader. */
  @Value.Default
  default long maxDocumentBytes() {
    return 64L * 1024 * 1024;
  }

  /**
   * JSON tokens (values, keys, brackets) of one document: what bounds the parsed size, since a
   * small number of bytes per token ({@code [0,0,0,...]}) can cost far more once parsed.
   */
  @Value.Default
  default long maxJsonTokens() {
    return 4_000_000;
  }

  /** Bytes one archive expands to, all its entries together. */
  @Value.Default
  default long maxArchiveBytes() {
    return 1024L * 1024 * 1024;
  }

  /**
   * How many times larger than its compressed bytes an archive may expand (checked once it has
   * expanded beyond a mebibyte): real advisory archives stay well below, zip bombs go far beyond.
   */
  @Value.Default
  default int maxCompressionRatio() {
    return 100;
  }

  /** Entries of one archive, directories included. */
  @Value.Default
  default int maxArchiveEntries() {
    return 500_000;
  }

  /**
   * How deep archives are read inside archives: 1 reads no archive inside an archive, the default 2
   * reads one level; a deeper one is quarantined, not skipped.
   */
  @Value.Default
  default int maxArchiveDepth() {
    return 2;
  }

  /**
   * Rejects a bound that is not positive; the builder calls it, so no such value exists.
   *
   * @throws IllegalStateException naming the bound
   */
  @Value.Check
  default void check() {
    positive("maxLineLength", maxLineLength());
    positive("maxParagraphLength", maxParagraphLength());
    positive("maxDocumentBytes", maxDocumentBytes());
    positive("maxJsonTokens", maxJsonTokens());
    positive("maxArchiveBytes", maxArchiveBytes());
    positive("maxCompressionRatio", maxCompressionRatio());
    positive("maxArchiveEntries", maxArchiveEntries());
    positive("maxArchiveDepth", maxArchiveDepth());
  }

  private static void positive(String name, long value) {
    if (value < 1) {
      throw new IllegalStateException(name + " must be at least 1, was " + value);
    }
  }

  /** The defaults documented on each bound. */
  static ReadLimits defaults() {
    return builder().build();
  }

  /** A builder, starting from the defaults. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ReadLimits}. */
  final class Builder extends ImmutableReadLimits.Builder {}
}
