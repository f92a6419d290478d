package org.cloudpatch.core.advisory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.core.batch.ReadLimits;

/**
 * Reads OSV documents (one advisory per JSON object) into {@link Advisory} values.
 *
 * <p>Accepts a file holding one object or an array of objects, a directory (read recursively, in
 * path order) or a zip archive as osv.dev publishes them. A document that is not valid JSON or
 * misses what the model needs is quarantined with the file and the JSON pointer; the rest of the
 * batch is read. Input is read under {@link ReadLimits}, as {@link AdvisoryReaders} reads it.
 * Thread-safe.
 */
public final class OsvReader {
  private final ReadLimits limits;
  private final ObjectMapper mapper;

  private OsvReader(ReadLimits limits) {
    this.limits = limits;
    this.mapper = Documents.limitedMapper(limits);
  }

  /** A reader under {@link ReadLimits#defaults()}. */
  public static OsvReader create() {
    return new OsvReader(ReadLimits.defaults());
  }

  /** A reader under {@code limits}. */
  public static OsvReader create(ReadLimits limits) {
    return new OsvReader(Objects.requireNonNull(limits, "limits"));
  }

  /**
   * Reads every OSV document at {@code path}: a file, a directory or a zip archive.
   *
   * @throws PatchException if the path cannot be read at all
   */
  public ReadBatch<Advisory> read(Path path) {
    return Documents.read(path, OsvReader::isJson, this::readDocument, limits);
  }

  /** Reads one JSON document (an object or an array of objects) named {@code source}. */
  public ReadBatch<Advisory> read(InputStream in, String source) {
    return Documents.read(in, source, this::readDocument, limits);
  }

  private static boolean isJson(String name) {
    return name.toLowerCase(Locale.ROOT).endsWith(".json");
  }

  private void readDocument(InputStream in, String source, ReadBatch.Collector<Advisory> batch)
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
    } else if (root.isArray()) {
      for (int i = 0; i < root.size(); i++) {
        readAdvisory(root.get(i), source, "/" + i, batch);
      }
    } else {
      readAdvisory(root, source, "", batch);
    }
  }

  /** Maps one OSV record into the batch, or quarantines it with the JSON pointer of the fault. */
  static void readAdvisory(
      JsonNode node, String source, String pointer, ReadBatch.Collector<Advisory> batch) {
    try {
      batch.accept(OsvMapping.toAdvisory(node, pointer));
    } catch (OsvMapping.BadField e) {
      batch.quarantine(Quarantined.of(source, e.pointer, e.reason));
    } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
      batch.quarantine(
          Quarantined.of(
              source, pointer.isEmpty() ? "/" : pointer, String.valueOf(e.getMessage())));
    }
  }

  /** Maps one OSV JSON object, naming the JSON pointer of the first field it cannot use. */
  static final class OsvMapping {
    private OsvMapping() {}

    static final class BadField extends RuntimeException {
      private static final long serialVersionUID = 1L;
      final String pointer;
      final String reason;

      BadField(String pointer, String message) {
        super(message, null, false, false);
        this.pointer = pointer;
        this.reason = message;
      }
    }

    static Advisory toAdvisory(JsonNode node, String at) {
      if (!node.isObject()) {
        throw new BadField(at.isEmpty() ? "/" : at, "an OSV record must be a JSON object");
      }
      String id = text(node, at, "id", true);
      Instant modified = instant(node, at, "modified", true);
      Instant published = node.has("published") ? instant(node, at, "published", true) : modified;
      if (modified.isBefore(published)) {
        // Real feeds contain this; the later of the two is the honest "last changed".
        modified = published;
      }
      Advisory.Builder b =
          Advisory.builder()
              .id(AdvisoryId.of(id))
              .source(sourceOf(id))
              .published(published)
              .modified(modified)
              .summary(summaryOf(node));
      if (node.hasNonNull("withdrawn")) {
        b.withdrawn(instant(node, at, "withdrawn", true));
      }
      b.addAllAliases(strings(node, at, "aliases"));
      b.addAllRelated(strings(node, at, "related"));
      b.addAllUpstream(strings(node, at, "upstream"));
      if (node.hasNonNull("details")) {
        b.details(text(node, at, "details", false));
      }
      if (node.hasNonNull("database_specific")) {
        b.databaseSpecific(node.get("database_specific").deepCopy());
      }
      JsonNode severities = array(node, at, "severity");
      for (int i = 0; i < severities.size(); i++) {
        JsonNode s = severities.get(i);
        String p = at + "/severity/" + i;
        b.addSeverities(SeverityScore.of(text(s, p, "type", true), text(s, p, "score", true)));
      }
      boolean anyFix = false;
      JsonNode affected = array(node, at, "affected");
      for (int i = 0; i < affected.size(); i++) {
        if (onlyGitRanges(affected.get(i))) {
          // OSV lets an entry name only a repository and commit ranges: nothing an installed
          // package can be matched against, so it is not part of the model.
          continue;
        }
        AffectedPackage pkg = affectedPackage(affected.get(i), at + "/affected/" + i);
        anyFix |=
            pkg.ranges().stream()
                .flatMap(r -> r.events().stream())
                .anyMatch(e -> e.kind() == RangeEvent.Kind.FIXED);
        b.addAffected(pkg);
      }
      if (anyFix) {
        b.addRemediations(Remediation.of(Remediation.Kind.VENDOR_FIX, "update to a fixed version"));
      }
      for (JsonNode ref : array(node, at, "references")) {
        if (ref.hasNonNull("url")) {
          b.addReferences(ref.get("url").asText());
        }
      }
      return b.build();
    }

    private static boolean onlyGitRanges(JsonNode a) {
      JsonNode ranges = a.get("ranges");
      if (a.has("package") || ranges == null || !ranges.isArray() || ranges.isEmpty()) {
        return false;
      }
      for (JsonNode r : ranges) {
        if (!"GIT".equals(r.path("type").asText())) {
          return false;
        }
      }
      return true;
    }

    private static AffectedPackage affectedPackage(JsonNode a, String at) {
      if (!a.isObject()) {
        throw new BadField(at, "an affected entry must be an object");
      }
      JsonNode pkg = a.get("package");
      if (pkg == null || !pkg.isObject()) {
        throw new BadField(at + "/package", "affected entry has no package object");
      }
      AffectedPackage.Builder b =
          AffectedPackage.builder()
              .ecosystem(text(pkg, at + "/package", "ecosystem", true))
              .name(text(pkg, at + "/package", "name", true));
      if (pkg.hasNonNull("purl")) {
        b.purl(pkg.get("purl").asText());
      }
      if (a.hasNonNull("ecosystem_specific")) {
        b.ecosystemSpecific(a.get("ecosystem_specific").deepCopy());
      }
      if (a.hasNonNull("database_specific")) {
        b.databaseSpecific(a.get("database_specific").deepCopy());
      }
      JsonNode ranges = array(a, at, "ranges");
      for (int r = 0; r < ranges.size(); r++) {
        b.addRanges(range(ranges.get(r), at + "/ranges/" + r));
      }
      JsonNode versions = array(a, at, "versions");
      for (int v = 0; v < versions.size(); v++) {
        if (!versions.get(v).isTextual()) {
          throw new BadField(at + "/versions/" + v, "a version must be a string");
        }
        b.addVersions(versions.get(v).asText());
      }
      return b.build();
    }

    private static AffectedRange range(JsonNode r, String at) {
      String type = text(r, at, "type", true);
      AffectedRange.RangeType rangeType;
      try {
        rangeType = AffectedRange.RangeType.valueOf(type);
      } catch (IllegalArgumentException e) {
        throw new BadField(at + "/type", "unknown range type '" + type + "'");
      }
      JsonNode events = array(r, at, "events");
      if (events.isEmpty()) {
        throw new BadField(at + "/events", "a range needs at least one event");
      }
      List<RangeEvent> out = new ArrayList<>();
      for (int e = 0; e < events.size(); e++) {
        JsonNode ev = events.get(e);
        String p = at + "/events/" + e;
        if (!ev.isObject() || ev.size() != 1) {
          throw new BadField(p, "an event must be an object with exactly one field");
        }
        String name = ev.fieldNames().next();
        RangeEvent.Kind kind =
            switch (name) {
              case "introduced" -> RangeEvent.Kind.INTRODUCED;
              case "fixed" -> RangeEvent.Kind.FIXED;
              case "last_affected" -> RangeEvent.Kind.LAST_AFFECTED;
              case "limit" -> RangeEvent.Kind.LIMIT;
              default -> throw new BadField(p + "/" + name, "unknown event '" + name + "'");
            };
        JsonNode version = ev.get(name);
        if (!version.isTextual() || version.asText().isEmpty()) {
          throw new BadField(p + "/" + name, "an event version must be a non-empty string");
        }
        out.add(RangeEvent.of(kind, version.asText()));
      }
      return AffectedRange.of(rangeType, out);
    }

    private static String sourceOf(String id) {
      int dash = id.indexOf('-');
      return dash > 0 ? id.substring(0, dash) : "OSV";
    }

    private static String summaryOf(JsonNode node) {
      if (node.hasNonNull("summary") && !node.get("summary").asText().isBlank()) {
        return node.get("summary").asText();
      }
      if (node.hasNonNull("details")) {
        String details = node.get("details").asText().strip();
        int nl = details.indexOf('\n');
        return nl < 0 ? details : details.substring(0, nl);
      }
      return "";
    }

    private static String text(JsonNode node, String at, String field, boolean required) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        if (required) {
          throw new BadField(at + "/" + field, "missing required field '" + field + "'");
        }
        return "";
      }
      if (!v.isTextual()) {
        throw new BadField(at + "/" + field, "'" + field + "' must be a string");
      }
      if (required && v.asText().isBlank()) {
        throw new BadField(at + "/" + field, "'" + field + "' must not be blank");
      }
      return v.asText();
    }

    private static Instant instant(JsonNode node, String at, String field, boolean required) {
      String text = text(node, at, field, required);
      try {
        return java.time.OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        throw new BadField(
            at + "/" + field, "'" + field + "' is not an RFC 3339 timestamp: '" + text + "'");
      }
    }

    private static List<String> strings(JsonNode node, String at, String field) {
      JsonNode values = array(node, at, field);
      List<String> out = new ArrayList<>(values.size());
      for (int i = 0; i < values.size(); i++) {
        if (!values.get(i).isTextual()) {
          throw new BadField(at + "/" + field + "/" + i, "'" + field + "' must hold strings");
        }
        out.add(values.get(i).asText());
      }
      return out;
    }

    private static JsonNode array(JsonNode node, String at, String field) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
      }
      if (!v.isArray()) {
        throw new BadField(at + "/" + field, "'" + field + "' must be an array");
      }
      return v;
    }
  }
}
