package org.cloudpatch.core.advisory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.core.batch.ReadLimits;

/**
 * Reads advisories in any format cloudpatch knows, detected from content: OSV (one record or an
 * array), CSAF 2.0 (any profile, including VEX) and the Debian security tracker's DSA/DLA lists.
 *
 * <p>Accepts a file, a directory (read recursively in path order: {@code *.json}, {@code *.zip} and
 * files whose name ends in {@code list}) or a zip archive, streamed entry by entry. A document that
 * cannot be read is quarantined with the file and the JSON pointer or line, and the rest is read;
 * JSON is parsed under limits on nesting depth, string length and number length, so a hostile
 * document costs bounded memory and stack. The only exception {@link #read(Path)} throws is a
 * {@link PatchException} when the path itself cannot be read. Every input is read under {@link
 * ReadLimits} (bytes per document, JSON tokens, an archive's expanded size, ratio, entry count and
 * nesting): what breaks a bound is quarantined naming the input and the bound. Thread-safe.
 */
public final class AdvisoryReaders {

  private final ReadLimits limits;
  private final ObjectMapper mapper;

  private AdvisoryReaders(ReadLimits limits) {
    this.limits = limits;
    this.mapper = Documents.limitedMapper(limits);
  }

  /** A reader of every known format, under {@link ReadLimits#defaults()}. */
  public static AdvisoryReaders create() {
    return new AdvisoryReaders(ReadLimits.defaults());
  }

  /** A reader of every known format, under {@code limits}. */
  public static AdvisoryReaders create(ReadLimits limits) {
    return new AdvisoryReaders(Objects.requireNonNull(limits, "limits"));
  }

  /**
   * Reads every advisory at {@code path}: a file, a directory or a zip archive.
   *
   * @throws PatchException if the path cannot be read at all
   */
  public ReadBatch<Advisory> read(Path path) {
    return Documents.read(path, AdvisoryReaders::isAdvisoryFile, this::readDocument, limits);
  }

  /** Reads one document named {@code source}, in any known format. */
  public ReadBatch<Advisory> read(InputStream in, String source) {
    return Documents.read(in, source, this::readDocument, limits);
  }

  private static boolean isAdvisoryFile(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".json") || lower.endsWith("list");
  }

  private void readDocument(InputStream raw, String source, ReadBatch.Collector<Advisory> batch)
      throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, 8192);
    in.mark(8192);
    byte[] head = in.readNBytes(8192);
    in.reset();
    String start = new String(head, StandardCharsets.UTF_8).stripLeading();
    if (start.startsWith("\uFEFF")) {
      start = start.substring(1).stripLeading();
    }
    if (start.isEmpty()) {
      batch.quarantine(Quarantined.of(source, "line 1", "empty document"));
    } else if (DebianTrackerReader.looksLikeTrackerList(start.lines().findFirst().orElse(""))) {
      // Checked first: a tracker list starts with '[' too.
      DebianTrackerReader.read(in, source, batch, limits);
    } else if (start.charAt(0) == '{' || start.charAt(0) == '[') {
      readJson(in, source, batch);
    } else {
      batch.quarantine(
          Quarantined.of(
              source,
              "line 1",
              "unknown format: neither JSON (OSV, CSAF) nor a Debian tracker list"));
    }
  }

  private void readJson(InputStream in, String source, ReadBatch.Collector<Advisory> batch)
      throws IOException {
    JsonNode root;
    try {
      root = mapper.readTree(in);
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      String position =
          loc == null ? "?" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
      batch.quarantine(Quarantined.of(source, position, Documents.notJson(e)));
      return;
    }
    if (root == null || root.isMissingNode()) {
      batch.quarantine(Quarantined.of(source, "line 1", "empty document"));
    } else if (CsafReader.isCsaf(root)) {
      try {
        batch.accept(CsafReader.toAdvisory(root));
      } catch (CsafReader.Invalid e) {
        batch.quarantine(Quarantined.of(source, e.pointer.isEmpty() ? "/" : e.pointer, e.reason));
      } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
        batch.quarantine(Quarantined.of(source, "/", "CSAF: " + e.getMessage()));
      }
    } else if (root.isArray()) {
      for (int i = 0; i < root.size(); i++) {
        OsvReader.readAdvisory(root.get(i), source, "/" + i, batch);
      }
    } else {
      OsvReader.readAdvisory(root, source, "", batch);
    }
  }
}
