package org.cloudpatch.adapters.osv;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cloudpatch.core.PatchException;
import org.jspecify.annotations.Nullable;

/**
 * osv.dev's per-ecosystem change index, {@code <ecosystem>/modified_id.csv}: one line {@code <RFC
 * 3339 modified>,<id>} per record, newest first (the exporter writes Go's {@code time.RFC3339Nano},
 * so fractions lose their trailing zeros; {@link Instant#parse} reads them all).
 *
 * <p>A scan reads from the top and stops at the first line older than the cursor, so a reader that
 * is nearly current reads a few lines of a file that lists the whole ecosystem. The scan only
 * counts when the index can be trusted: a line that is not {@code instant,id}, an id that is not a
 * flat record name, or a line newer than the one before it (not newest first, so stopping early
 * could pass a change) makes the whole index {@link Unusable}, and the feed reads {@code all.zip}
 * instead. Nothing of an unusable index is delivered, so none of it can be lost.
 */
final class ModifiedIndex {
  private ModifiedIndex() {}

  /** One line: a record and the instant of its current version. */
  record Entry(Instant modified, String id) {}

  /** What a scan found. */
  sealed interface Scan permits Changed, Unusable {}

  /** The records after the cursor, oldest first (the feed's order), newest version of each. */
  record Changed(List<Entry> entries) implements Scan {}

  /** Why the index cannot be trusted, naming the line. */
  record Unusable(String reason) implements Scan {}

  private static final Comparator<Entry> ORDER =
      Comparator.comparing(Entry::modified).thenComparing(Entry::id);

  /**
   * The entries of {@code file} after {@code from}, at most {@code maxEntries} of them (more would
   * make the whole archive the cheaper read: {@link Unusable}).
   *
   * @throws PatchException when the file cannot be read
   */
  static Scan after(Path file, Cursor from, String source, int maxEntries) {
    List<Entry> changed = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Instant previous = Instant.MAX;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        String at = source + " line " + number;
        int comma = line.indexOf(',');
        if (comma < 0) {
          return new Unusable(at + ": not '<modified>,<id>': '" + shorten(line) + "'");
        }
        Instant modified;
        try {
          modified = Instant.parse(line.substring(0, comma).strip());
        } catch (DateTimeException e) {
          return new Unusable(
              at + ": '" + shorten(line.substring(0, comma)) + "' is not an RFC 3339 instant");
        }
        String id = line.substring(comma + 1).strip();
        String bad = badId(id);
        if (bad != null) {
          return new Unusable(at + ": the id '" + shorten(id) + "' " + bad);
        }
        if (modified.isAfter(previous)) {
          return new Unusable(
              at
                  + ": "
                  + modified
                  + " is newer than the line before ("
                  + previous
                  + "); the index is not newest first, so a scan cannot stop early");
        }
        previous = modified;
        if (modified.isBefore(from.modified())) {
          break; // every later line is older still: nothing after the cursor follows
        }
        // The first line of an id is its newest version; an older one is already replaced.
        if (seen.add(id) && from.before(modified, id)) {
          if (changed.size() == maxEntries) {
            return new Unusable(
                source
                    + ": more than "
                    + maxEntries
                    + " changed records after the cursor (ReadLimits.maxArchiveEntries); the"
                    + " archive is the cheaper read");
          }
          changed.add(new Entry(modified, id));
        }
      }
    } catch (IOException e) {
      throw new PatchException(source + ": cannot read the index: " + e.getMessage(), e);
    }
    changed.sort(ORDER);
    return new Changed(List.copyOf(changed));
  }

  /** Why {@code id} cannot name a record file of the bucket, or null if it can. */
  static @Nullable String badId(String id) {
    if (id.isEmpty()) {
      return "is empty";
    }
    if (id.equals(".") || id.equals("..")) {
      return "is not a record name";
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c == '/' || c == '\\' || c == ',' || Character.isISOControl(c)) {
        return "holds '" + (Character.isISOControl(c) ? "\\u" + (int) c : c) + "'";
      }
    }
    return null;
  }

  private static String shorten(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
