package org.cloudpatch.adapters.osv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.OsvReader;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.core.batch.ReadLimitException;
import org.cloudpatch.core.batch.ReadLimits;
import org.cloudpatch.core.internal.CountedInputStream;
import org.jspecify.annotations.Nullable;

/**
 * One downloaded archive of the feed, indexed: the key {@code (modified, id)} of every record it
 * holds in feed order, where each record lives, and the records it could not use. Records are
 * parsed by {@link OsvReader} once to index them and again when a page delivers them, so memory
 * holds keys, not advisories.
 *
 * <p>The archive is read from its central directory ({@link ZipFile}), so a torn download is
 * refused before anything is delivered from it, and nothing is ever extracted to disk: an entry
 * name is only a label, and one that is a path is quarantined. Every entry is read under {@link
 * ReadLimits}: an entry that expands beyond {@link ReadLimits#maxCompressionRatio()} times its
 * compressed size or {@link ReadLimits#maxDocumentBytes()} is quarantined after reading no more
 * than that; an archive beyond {@link ReadLimits#maxArchiveBytes()} or {@link
 * ReadLimits#maxArchiveEntries()} is refused as a whole, because a partial archive would let a
 * cursor pass records it never saw.
 */
final class Snapshot {
  private static final Comparator<Key> ORDER =
      Comparator.comparing(Key::modified).thenComparing(Key::id);

  /** Where a record is: its key, its archive entry and its index within that entry. */
  record Key(Instant modified, String id, String entry, int index) {}

  final Path file;
  final String source;
  final Optional<String> etag;
  final Optional<String> lastModified;
  final List<Key> keys;
  final List<Quarantined> quarantined;
  private final OsvReader reader;
  private final ReadLimits limits;

  private Snapshot(
      Path file,
      String source,
      Optional<String> etag,
      Optional<String> lastModified,
      List<Key> keys,
      List<Quarantined> quarantined,
      OsvReader reader,
      ReadLimits limits) {
    this.file = file;
    this.source = source;
    this.etag = etag;
    this.lastModified = lastModified;
    this.keys = keys;
    this.quarantined = quarantined;
    this.reader = reader;
    this.limits = limits;
  }

  /** Whether {@code file} is a zip archive with an intact central directory. */
  static void checkArchive(Path file) throws IOException {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      if (zip.size() == 0) {
        throw new IOException("the archive has no entries");
      }
    }
  }

  /**
   * Indexes the archive in {@code file}, named {@code source} in quarantine records.
   *
   * @throws PatchException when the archive as a whole breaks a bound or cannot be read
   */
  static Snapshot index(
      Path file,
      String source,
      Optional<String> etag,
      Optional<String> lastModified,
      OsvReader reader,
      ReadLimits limits) {
    Map<String, Key> byId = new HashMap<>();
    List<Quarantined> quarantined = new ArrayList<>();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      if (zip.size() > limits.maxArchiveEntries()) {
        throw new PatchException(
            source
                + ": "
                + zip.size()
                + " entries, more than "
                + limits.maxArchiveEntries()
                + " (ReadLimits.maxArchiveEntries); nothing of it is delivered");
      }
      Budget budget = new Budget(source, limits);
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        if (entry.isDirectory()) {
          continue;
        }
        String name = entry.getName();
        String at = source + "!/" + name;
        Optional<String> bad = badName(name);
        if (bad.isPresent()) {
          quarantined.add(Quarantined.of(at, "entry", bad.get()));
          continue;
        }
        ReadBatch<Advisory> batch = read(zip, entry, at, reader, limits, budget);
        quarantined.addAll(batch.quarantined());
        List<Advisory> accepted = batch.accepted();
        for (int i = 0; i < accepted.size(); i++) {
          Advisory a = accepted.get(i);
          Key key = new Key(a.modified(), a.id().value(), name, i);
          // The same id twice (a record copied under two names): the later version wins.
          byId.merge(
              key.id(), key, (old, neu) -> neu.modified().isAfter(old.modified()) ? neu : old);
        }
      }
    } catch (IOException e) {
      throw new PatchException(source + ": cannot read the archive: " + e.getMessage(), e);
    }
    List<Key> keys = new ArrayList<>(byId.values());
    keys.sort(ORDER);
    return new Snapshot(
        file,
        source,
        etag,
        lastModified,
        Collections.unmodifiableList(keys),
        Collections.unmodifiableList(quarantined),
        reader,
        limits);
  }

  /** Index of the first key after {@code cursor}'s position. */
  int firstAfter(Cursor cursor) {
    int lo = 0;
    int hi = keys.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      Key k = keys.get(mid);
      if (cursor.before(k.modified(), k.id())) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /**
   * The advisories of {@code page}, in its order.
   *
   * @throws PatchException if the archive no longer gives them (the file was changed under us)
   */
  List<Advisory> read(List<Key> page) {
    Map<String, List<Advisory>> entries = new LinkedHashMap<>();
    List<Advisory> out = new ArrayList<>(page.size());
    try (ZipFile zip = new ZipFile(file.toFile())) {
      Budget budget = new Budget(source, limits);
      for (Key k : page) {
        List<Advisory> accepted = entries.get(k.entry());
        if (accepted == null) {
          ZipEntry entry = zip.getEntry(k.entry());
          if (entry == null) {
            throw new IOException("entry " + k.entry() + " is gone");
          }
          accepted = read(zip, entry, source + "!/" + k.entry(), reader, limits, budget).accepted();
          entries.put(k.entry(), accepted);
        }
        if (k.index() >= accepted.size() || !accepted.get(k.index()).id().value().equals(k.id())) {
          throw new IOException("entry " + k.entry() + " no longer holds " + k.id());
        }
        out.add(accepted.get(k.index()));
      }
    } catch (IOException e) {
      throw new PatchException(source + ": cannot re-read the archive: " + e.getMessage(), e);
    }
    return out;
  }

  private static ReadBatch<Advisory> read(
      ZipFile zip, ZipEntry entry, String at, OsvReader reader, ReadLimits limits, Budget budget)
      throws IOException {
    if (!entry.getName().toLowerCase(Locale.ROOT).endsWith(".json")) {
      return ReadBatch.<Advisory>collector()
          .quarantine(Quarantined.of(at, "entry", "not an OSV JSON document (*.json)"))
          .build();
    }
    try (InputStream raw = zip.getInputStream(entry)) {
      Expansion in = new Expansion(raw, at, entry.getCompressedSize(), limits, budget);
      ReadBatch<Advisory> batch = reader.read(in, at);
      if (budget.exceeded != null) {
        throw new PatchException(budget.exceeded.describe() + "; nothing of it is delivered");
      }
      return batch;
    }
  }

  /** Why an entry name cannot be an osv.dev record's name, if it cannot. */
  static Optional<String> badName(String name) {
    if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
      return Optional.of(
          "the entry name is a path; osv.dev archives hold flat <id>.json entries, and nothing"
              + " is extracted, so it is skipped");
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        return Optional.of("the entry name holds a control character; it is skipped");
      }
    }
    return Optional.empty();
  }

  /** What the archive may expand to, all entries together; records the first breach. */
  private static final class Budget {
    final String source;
    final long max;
    long expanded;
    @Nullable Quarantined exceeded;

    Budget(String source, ReadLimits limits) {
      this.source = source;
      this.max = limits.maxArchiveBytes();
    }
  }

  /** One entry's expanded bytes, checked against its ratio and the archive's budget. */
  private static final class Expansion extends CountedInputStream {
    private final String at;
    private final long compressed;
    private final ReadLimits limits;
    private final Budget budget;

    Expansion(InputStream in, String at, long compressed, ReadLimits limits, Budget budget) {
      super(in);
      this.at = at;
      this.compressed = Math.max(compressed, 1);
      this.limits = limits;
      this.budget = budget;
    }

    @Override
    protected void counted(int n) throws ReadLimitException {
      budget.expanded += n;
      if (budget.expanded > budget.max) {
        Quarantined q =
            Quarantined.of(
                budget.source,
                at,
                "expands to more than " + budget.max + " bytes (ReadLimits.maxArchiveBytes)");
        budget.exceeded = q;
        throw new ReadLimitException(q, true);
      }
      if (CountedInputStream.beyondRatio(count(), compressed, limits)) {
        throw new ReadLimitException(
            Quarantined.of(
                at,
                "byte " + count(),
                "expands more than "
                    + limits.maxCompressionRatio()
                    + " times its compressed size of "
                    + compressed
                    + " bytes (ReadLimits.maxCompressionRatio), as a zip bomb does; the entry is"
                    + " not read"),
            true);
      }
    }
  }
}
