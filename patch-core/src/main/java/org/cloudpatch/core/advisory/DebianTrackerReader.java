package org.cloudpatch.core.advisory;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.batch.BoundedLines;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.core.batch.ReadLimitException;
import org.cloudpatch.core.batch.ReadLimits;
import org.jspecify.annotations.Nullable;

/**
 * Reads the Debian security tracker's {@code data/DSA/list} and {@code data/DLA/list} format.
 *
 * <p>An entry is a header line {@code [DD Mon YYYY] DSA-NNNN-N package - title} followed by
 * indented lines: {@code {CVE-...}}, {@code [release] - package version} (the fixed version in that
 * release, or {@code <not-affected>}, {@code <unfixed>}, {@code <end-of-life>}) and {@code NOTE:}
 * lines. An entry with a line it cannot read is quarantined with that line's number; the rest of
 * the list is read. Lines and entries are bounded by {@link ReadLimits}.
 */
final class DebianTrackerReader {
  static final Pattern HEADER =
      Pattern.compile(
          "^\\[(\\d{1,2} [A-Za-z]{3} \\d{4})\\]\\s+((?:DSA|DLA)-\\d+(?:-\\d+)?)\\s*(.*)$");
  private static final Pattern RELEASE =
      Pattern.compile("^\\[([a-z-]+)\\]\\s+-\\s+(\\S+)\\s+(\\S+)(?:\\s+\\((.*)\\))?$");
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);

  /** Codenames as OSV's Debian ecosystem numbers them. */
  private static final Map<String, String> RELEASES =
      Map.ofEntries(
          Map.entry("woody", "3.0"),
          Map.entry("sarge", "3.1"),
          Map.entry("etch", "4.0"),
          Map.entry("lenny", "5.0"),
          Map.entry("squeeze", "6.0"),
          Map.entry("wheezy", "7"),
          Map.entry("jessie", "8"),
          Map.entry("stretch", "9"),
          Map.entry("buster", "10"),
          Map.entry("bullseye", "11"),
          Map.entry("bookworm", "12"),
          Map.entry("trixie", "13"),
          Map.entry("forky", "14"));

  private DebianTrackerReader() {}

  /** Whether the first non-blank line of a document looks like a tracker list. */
  static boolean looksLikeTrackerList(String firstLine) {
    return HEADER.matcher(firstLine.strip()).matches();
  }

  static void read(
      InputStream in, String source, ReadBatch.Collector<Advisory> batch, ReadLimits limits)
      throws IOException {
    BoundedLines lines =
        BoundedLines.of(new InputStreamReader(in, StandardCharsets.UTF_8), source, limits);
    Entry entry = null;
    long entryLength = 0;
    while (true) {
      String line;
      try {
        line = lines.next();
      } catch (ReadLimitException e) {
        batch.quarantine(e.quarantined());
        if (e.endsInput()) {
          break;
        }
        entry =
            entry == null ? null : entry.fail(lines.lineNumber(), "the entry has an overlong line");
        continue;
      }
      if (line == null) {
        break;
      }
      int number = lines.lineNumber();
      if (line.isBlank()) {
        continue;
      }
      if (!Character.isWhitespace(line.charAt(0))) {
        if (entry != null) {
          entry.finish(source, batch);
        }
        entry = Entry.start(line, number);
        entryLength = line.length();
        if (entry.failure != null) {
          batch.quarantine(Quarantined.of(source, "line " + number, entry.failure));
          entry = null;
        }
      } else if (entry == null) {
        batch.quarantine(
            Quarantined.of(
                source,
                "line " + number,
                "indented line outside an entry: '" + line.strip() + "'"));
      } else {
        entryLength += line.length();
        if (entryLength > limits.maxParagraphLength()) {
          entry.fail(
              number,
              "the entry is longer than "
                  + limits.maxParagraphLength()
                  + " characters (ReadLimits.maxParagraphLength)");
        } else {
          entry.add(line.strip(), number);
        }
      }
    }
    if (entry != null) {
      entry.finish(source, batch);
    }
  }

  /** One entry as it is read. */
  private static final class Entry {
    final int line;

    /** Why the entry cannot be read, or null while it can. */
    @Nullable String failure;

    int failureLine;

    /** The advisory as read so far; unused when the header already fails. */
    final Advisory.Builder advisory = Advisory.builder();

    final List<String> notes = new ArrayList<>();
    boolean anyFix;
    boolean noFix;

    private Entry(int line) {
      this.line = line;
    }

    Entry fail(int at, String reason) {
      if (failure == null) {
        failure = reason;
        failureLine = at;
      }
      return this;
    }

    static Entry start(String header, int line) {
      Entry e = new Entry(line);
      Matcher m = HEADER.matcher(header.strip());
      if (!m.matches()) {
        return e.fail(
            line,
            "not a tracker entry header ([DD Mon YYYY] DSA-NNNN-N package - title): '"
                + header.strip()
                + "'");
      }
      Instant published;
      try {
        published = LocalDate.parse(m.group(1), DATE).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException ex) {
        return e.fail(line, "not a date: '" + m.group(1) + "'");
      }
      String rest = m.group(3).strip();
      int dash = rest.indexOf(" - ");
      String summary = dash < 0 ? rest : rest.substring(dash + 3).strip();
      String id = m.group(2);
      e.advisory
          .id(AdvisoryId.of(id))
          .source(id.substring(0, 3))
          .published(published)
          .modified(published)
          .summary(summary.isEmpty() ? rest : summary);
      return e;
    }

    void add(String text, int at) {
      if (failure != null) {
        return;
      }
      if (text.startsWith("{")) {
        if (!text.endsWith("}")) {
          fail(at, "a CVE list must be enclosed in { }: '" + text + "'");
          return;
        }
        for (String cve : text.substring(1, text.length() - 1).strip().split("\\s+")) {
          if (!cve.isEmpty()) {
            advisory.addAliases(cve);
          }
        }
      } else if (text.startsWith("NOTE:")) {
        notes.add(text.substring(5).strip());
      } else if (text.startsWith("[")) {
        release(text, at);
      } else {
        fail(at, "unknown line in a tracker entry: '" + text + "'");
      }
    }

    private void release(String text, int at) {
      Matcher m = RELEASE.matcher(text);
      if (!m.matches()) {
        fail(at, "not a release line ([release] - package version): '" + text + "'");
        return;
      }
      String number = RELEASES.get(m.group(1));
      if (number == null) {
        fail(at, "unknown Debian release '" + m.group(1) + "'");
        return;
      }
      String ecosystem = "Debian:" + number;
      String pkg = m.group(2);
      String version = m.group(3);
      String note = m.group(4);
      switch (version) {
        case "<not-affected>" ->
            advisory.addNotAffected(
                NotAffected.builder()
                    .ecosystem(ecosystem)
                    .name(pkg)
                    .justification(note == null || note.isBlank() ? "not affected" : note.strip())
                    .build());
        case "<unfixed>", "<end-of-life>" -> {
          noFix = true;
          advisory.addAffected(
              AffectedPackage.builder()
                  .ecosystem(ecosystem)
                  .name(pkg)
                  .addRanges(
                      AffectedRange.of(
                          AffectedRange.RangeType.ECOSYSTEM, List.of(RangeEvent.introduced("0"))))
                  .build());
        }
        default -> {
          if (version.startsWith("<")) {
            fail(at, "unknown version tag '" + version + "'");
            return;
          }
          anyFix = true;
          advisory.addAffected(
              AffectedPackage.builder()
                  .ecosystem(ecosystem)
                  .name(pkg)
                  .addRanges(
                      AffectedRange.of(
                          AffectedRange.RangeType.ECOSYSTEM,
                          List.of(RangeEvent.introduced("0"), RangeEvent.fixed(version))))
                  .build());
        }
      }
    }

    void finish(String source, ReadBatch.Collector<Advisory> batch) {
      if (failure != null) {
        batch.quarantine(
            Quarantined.of(
                source, "line " + failureLine, failure + " (entry at line " + line + ")"));
        return;
      }
      if (anyFix) {
        advisory.addRemediations(
            Remediation.of(Remediation.Kind.VENDOR_FIX, "update to the fixed version"));
      }
      if (noFix) {
        advisory.addRemediations(
            Remediation.of(
                Remediation.Kind.NONE_AVAILABLE, "no fixed version in at least one release"));
      }
      advisory.details(String.join("\n", notes));
      batch.accept(advisory.build());
    }
  }
}
