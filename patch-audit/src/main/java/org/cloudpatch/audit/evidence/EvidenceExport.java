package org.cloudpatch.audit.evidence;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.cloudpatch.audit.evidence.JournalLines.Line;
import org.cloudpatch.audit.proof.Checkpoint;
import org.cloudpatch.audit.proof.Merkle;
import org.cloudpatch.audit.proof.ProofException;
import org.cloudpatch.audit.proof.TlogProof;
import org.cloudpatch.audit.proof.VerifierKey;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.TrackingId;
import org.jspecify.annotations.Nullable;

/**
 * The self-contained evidence bundle of one closed tracking record, exported from a journal file
 * with signed checkpoints, for an auditor who checks it without this library ({@code
 * docs/evidence.md} describes the layout, {@code docs/verify-evidence.py} checks it).
 *
 * <p>What it guarantees: every journal entry of the record, and the entries it rests on (its
 * advisory as received and its assessment, the changes that covered it with their approvals, the
 * execution results of its patch jobs), is carried as the exact line of the journal, with a C2SP
 * {@code tlog-proof} of its inclusion in the tree of one signed checkpoint that covers them all;
 * the export checks the journal's hash chain, the checkpoint's signature and its root before it
 * writes anything. Entries that would name another tenant's assets are left out and listed as
 * withheld. The bytes written depend only on the journal, the record and the stored bundle.
 * Immutable once built.
 */
public final class EvidenceExport {
  /** The bundle format, the manifest's {@code format} field. */
  public static final String FORMAT = "cloudpatch.evidence/v1";

  static final String MANIFEST = "manifest.json";
  static final String CONTENT = "bundle.json";
  static final String ENTRIES = "entries.log";
  static final String CHECKPOINT = "checkpoint";
  static final String KEY = "journal.pub";
  static final String PROOFS = "proofs";

  private static final String CHECKPOINT_TYPE = "journal.checkpoint";

  /** One exported entry. */
  private record Exported(Line line, String role, TlogProof proof) {}

  /** An entry left out, and why. */
  private record Withheld(long seq, String reason) {}

  private final TrackingId record;
  private final String tenant;
  private final String advisory;
  private final String closedAt;
  private final byte[] content;
  private final Checkpoint checkpoint;
  private final String note;
  private final VerifierKey key;
  private final List<Exported> entries;
  private final List<Withheld> withheld;

  private EvidenceExport(
      TrackingId record,
      String tenant,
      String advisory,
      String closedAt,
      byte[] content,
      Checkpoint checkpoint,
      String note,
      VerifierKey key,
      List<Exported> entries,
      List<Withheld> withheld) {
    this.record = record;
    this.tenant = tenant;
    this.advisory = advisory;
    this.closedAt = closedAt;
    this.content = content;
    this.checkpoint = checkpoint;
    this.note = note;
    this.key = key;
    this.entries = entries;
    this.withheld = withheld;
  }

  /**
   * Builds the evidence bundle of {@code record} from {@code journal}, with the bundle that {@link
   * FileEvidenceStore} stored for it in {@code evidenceDirectory} as its content. The checkpoint is
   * the first signed one that covers every entry of the record, so that a bundle exported again
   * later is the same.
   *
   * @param journal a journal file of wire format v1 with signed checkpoints, never null
   * @param evidenceDirectory the directory of a {@link FileEvidenceStore}, never null
   * @param record a closed tracking record, never null
   * @param key the journal's verifier key, never null
   * @return the bundle, ready to be written
   * @throws IllegalArgumentException if the journal holds no closed record of that id, or the
   *     record's evidence was not stored
   * @throws ProofException if the journal's chain, a checkpoint's signature or its root does not
   *     verify, or no signed checkpoint covers the record's entries yet (the message says which)
   * @throws PatchException if a file cannot be read
   */
  public static EvidenceExport forRecord(
      Path journal, Path evidenceDirectory, TrackingId record, VerifierKey key) {
    Objects.requireNonNull(journal, "journal");
    Objects.requireNonNull(evidenceDirectory, "evidenceDirectory");
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(key, "key");
    Scan scan = new Scan(record.value());
    JournalLines.read(journal, scan::accept);
    if (scan.closing == null || scan.tenant == null || scan.advisory == null) {
      throw new IllegalArgumentException(
          "journal " + journal + " holds no closed tracking record " + record);
    }
    long last = scan.own.get(scan.own.size() - 1);
    int chosen = -1;
    for (int i = 0; i < scan.checkpointSeqs.size(); i++) {
      if (scan.checkpointSeqs.get(i) > last) {
        chosen = i;
        break;
      }
    }
    if (chosen < 0) {
      throw new ProofException(
          "no signed checkpoint of journal "
              + journal
              + " covers seq "
              + last
              + " of record "
              + record
              + " yet: close the journal or wait for its next checkpoint");
    }
    String note = scan.checkpointNotes.get(chosen);
    long size = scan.checkpointSeqs.get(chosen);
    Checkpoint checkpoint;
    try {
      checkpoint = Checkpoint.open(note, key);
    } catch (ProofException e) {
      throw new ProofException(
          "journal " + journal + ": the checkpoint at seq " + size + ": " + e.getMessage(), e);
    }
    List<byte[]> tree = scan.leaves.subList(0, (int) size);
    if (checkpoint.size() != size || !MessageDigest.isEqual(Merkle.root(tree), checkpoint.root())) {
      throw new ProofException(
          "journal "
              + journal
              + ": the checkpoint at seq "
              + size
              + " does not match the entries before it");
    }
    Selection selection = new Selection(scan, size);
    JournalLines.read(journal, selection::accept);
    List<Exported> entries = new ArrayList<>();
    for (Map.Entry<Line, String> e : selection.chosen.entrySet()) {
      long seq = e.getKey().seq();
      entries.add(
          new Exported(
              e.getKey(), e.getValue(), TlogProof.of(seq, Merkle.inclusionProof(tree, seq), note)));
    }
    byte[] content = storedBundle(evidenceDirectory, record);
    return new EvidenceExport(
        record,
        scan.tenant,
        scan.advisory,
        scan.closedAt == null ? "" : scan.closedAt,
        content,
        checkpoint,
        note,
        key,
        List.copyOf(entries),
        List.copyOf(selection.withheld));
  }

  /**
   * Exports the bundle of every record whose evidence {@link FileEvidenceStore} stored in {@code
   * evidenceDirectory}, each into the directory beside its stored file named like the file without
   * {@code .json}.
   *
   * @return the bundle directories written, in the order of their names
   * @throws ProofException if the journal does not verify or does not cover a record yet
   * @throws PatchException if a file cannot be read or written
   */
  public static List<Path> exportAll(Path journal, Path evidenceDirectory, VerifierKey key) {
    Objects.requireNonNull(evidenceDirectory, "evidenceDirectory");
    List<Path> stored;
    try (var files = Files.list(evidenceDirectory)) {
      stored =
          files
              .filter(f -> f.getFileName().toString().endsWith(".json") && Files.isRegularFile(f))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new PatchException("cannot list evidence directory " + evidenceDirectory + ": " + e, e);
    }
    List<Path> written = new ArrayList<>();
    for (Path file : stored) {
      String id;
      try {
        id = JournalLines.MAPPER.readTree(file.toFile()).path("record").asText("");
      } catch (IOException e) {
        throw new PatchException("cannot read evidence file " + file + ": " + e, e);
      }
      if (id.isEmpty()) {
        throw new IllegalArgumentException("evidence file " + file + " names no record");
      }
      String name = file.getFileName().toString();
      Path target = file.resolveSibling(name.substring(0, name.length() - ".json".length()));
      forRecord(journal, evidenceDirectory, TrackingId.of(id), key).writeTo(target);
      written.add(target);
    }
    return List.copyOf(written);
  }

  /** The record. */
  public TrackingId record() {
    return record;
  }

  /** The seqs of the entries carried, in order. */
  public List<Long> seqs() {
    return entries.stream().map(e -> e.line().seq()).toList();
  }

  /** The signed checkpoint every entry's proof leads to. */
  public Checkpoint checkpoint() {
    return checkpoint;
  }

  /**
   * Writes the bundle into {@code directory} (created if missing), replacing the files of an
   * earlier export there: {@code manifest.json}, {@code bundle.json}, {@code entries.log}, {@code
   * proofs/<seq>.tlog-proof}, {@code checkpoint} and {@code journal.pub}.
   *
   * @throws PatchException if a file cannot be written
   */
  public void writeTo(Path directory) {
    Objects.requireNonNull(directory, "directory");
    try {
      Files.createDirectories(directory.resolve(PROOFS));
      Files.write(directory.resolve(CONTENT), content);
      ByteArrayOutputStream lines = new ByteArrayOutputStream();
      for (Exported e : entries) {
        lines.writeBytes(e.line().bytes());
        lines.write('\n');
        Files.writeString(
            directory.resolve(proofFile(e.line().seq())),
            e.proof().toString(),
            StandardCharsets.UTF_8);
      }
      Files.write(directory.resolve(ENTRIES), lines.toByteArray());
      Files.writeString(directory.resolve(CHECKPOINT), note, StandardCharsets.UTF_8);
      Files.writeString(directory.resolve(KEY), key + "\n", StandardCharsets.UTF_8);
      Files.write(directory.resolve(MANIFEST), manifest());
    } catch (IOException e) {
      throw new PatchException(
          "cannot write the evidence bundle of record " + record + " to " + directory + ": " + e,
          e);
    }
  }

  @Override
  public String toString() {
    return "EvidenceExport[" + record + ", " + entries.size() + " entries, " + checkpoint + "]";
  }

  static String proofFile(long seq) {
    return PROOFS + "/" + seq + ".tlog-proof";
  }

  private byte[] manifest() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator gen = JournalLines.MAPPER.createGenerator(out, JsonEncoding.UTF8)) {
      gen.useDefaultPrettyPrinter();
      gen.writeStartObject();
      gen.writeStringField("format", FORMAT);
      gen.writeStringField("record", record.value());
      gen.writeStringField("tenant", tenant);
      gen.writeStringField("advisory", advisory);
      gen.writeStringField("closedAt", closedAt);
      gen.writeObjectFieldStart("content");
      gen.writeStringField("file", CONTENT);
      gen.writeStringField(
          "sha256", JournalLines.HEX.formatHex(JournalLines.sha256().digest(content)));
      gen.writeEndObject();
      gen.writeObjectFieldStart("checkpoint");
      gen.writeStringField("file", CHECKPOINT);
      gen.writeStringField("origin", checkpoint.origin());
      gen.writeNumberField("size", checkpoint.size());
      gen.writeEndObject();
      gen.writeStringField("key", KEY);
      gen.writeStringField("entriesFile", ENTRIES);
      gen.writeArrayFieldStart("entries");
      for (Exported e : entries) {
        gen.writeStartObject();
        gen.writeNumberField("seq", e.line().seq());
        gen.writeStringField("type", e.line().type());
        gen.writeStringField("role", e.role());
        gen.writeStringField("previous", JournalLines.HEX.formatHex(e.line().previous()));
        gen.writeStringField("proof", proofFile(e.line().seq()));
        gen.writeEndObject();
      }
      gen.writeEndArray();
      gen.writeArrayFieldStart("withheld");
      for (Withheld w : withheld) {
        gen.writeStartObject();
        gen.writeNumberField("seq", w.seq());
        gen.writeStringField("reason", w.reason());
        gen.writeEndObject();
      }
      gen.writeEndArray();
      gen.writeEndObject();
    }
    // Jackson's default pretty printer uses the platform's line separator.
    String text = out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    return (text + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] storedBundle(Path evidenceDirectory, TrackingId record) {
    Path file = FileEvidenceStore.fileOf(evidenceDirectory, record);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "no evidence of record " + record + " was stored in " + evidenceDirectory);
    }
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new PatchException("cannot read evidence file " + file + ": " + e, e);
    }
  }

  /** The first pass: the tree, the checkpoints and what links entries to the record. */
  private static final class Scan {
    final String id;
    final List<byte[]> leaves = new ArrayList<>();
    final List<Long> checkpointSeqs = new ArrayList<>();
    final List<String> checkpointNotes = new ArrayList<>();
    final List<Long> own = new ArrayList<>();
    final Map<String, String> tenantOfRecord = new HashMap<>();
    final Set<String> jobs = new HashSet<>();

    /** Change keys of the waves that carried the record's items, with their waves' records. */
    final Map<String, Set<String>> recordsOfChange = new HashMap<>();

    @Nullable String tenant;
    @Nullable String advisory;
    @Nullable String closedAt;
    @Nullable Long closing;

    Scan(String id) {
      this.id = id;
    }

    boolean accept(Line line) {
      JsonNode json = line.json();
      JsonNode data = json.path("data");
      String type = line.type();
      leaves.add(Merkle.leafHash(line.jsonBytes()));
      if (type.equals(CHECKPOINT_TYPE) && data.path("checkpoint").isTextual()) {
        checkpointSeqs.add(line.seq());
        checkpointNotes.add(data.path("checkpoint").textValue());
      }
      String entryRecord = Line.text(json, "record");
      String entryTenant = Line.text(json, "tenant");
      if (type.equals("tracking.opened") && entryRecord != null && entryTenant != null) {
        tenantOfRecord.put(entryRecord, entryTenant);
      }
      if (type.equals("rollout.planned")) {
        String key = Line.text(data, "changeKey");
        Set<String> records = new HashSet<>();
        for (JsonNode item : data.path("items")) {
          records.add(item.path("record").asText());
        }
        if (key != null && records.contains(id)) {
          recordsOfChange.computeIfAbsent(key, k -> new HashSet<>()).addAll(records);
        }
      }
      if (!id.equals(entryRecord)) {
        return true;
      }
      own.add(line.seq());
      tenant = entryTenant;
      if (type.equals("tracking.opened")) {
        advisory = Line.text(data, "advisory");
      }
      String job = Line.text(data, "job");
      if (type.startsWith("patch.") && job != null) {
        jobs.add(job);
      }
      if (type.startsWith("tracking.closed") || type.equals("tracking.risk-accepted")) {
        closing = line.seq();
        closedAt = Line.text(json, "at");
      }
      return true;
    }
  }

  /** The second pass: the lines of the entries the bundle carries, with their roles. */
  private static final class Selection {
    final Scan scan;
    final long size;
    final Map<Line, String> chosen = new LinkedHashMap<>();
    final List<Withheld> withheld = new ArrayList<>();
    final Set<String> foreignChanges = new HashSet<>();

    Selection(Scan scan, long size) {
      this.scan = scan;
      this.size = size;
      scan.recordsOfChange.forEach(
          (key, records) -> {
            for (String r : records) {
              if (!Objects.equals(scan.tenantOfRecord.get(r), scan.tenant)) {
                foreignChanges.add(key);
              }
            }
          });
    }

    boolean accept(Line line) {
      if (line.seq() >= size) {
        return false;
      }
      JsonNode json = line.json();
      String entryRecord = Line.text(json, "record");
      if (scan.id.equals(entryRecord)) {
        chosen.put(line, "record");
        return true;
      }
      if (entryRecord != null) {
        return true; // another record's own entry
      }
      String role = role(line);
      if (role == null) {
        return true;
      }
      String entryTenant = Line.text(json, "tenant");
      if (entryTenant != null && !entryTenant.equals(scan.tenant)) {
        withheld.add(new Withheld(line.seq(), "it belongs to another tenant"));
      } else if (role.equals("change") && foreignChanges.contains(changeKey(line))) {
        withheld.add(new Withheld(line.seq(), "its change also covers records of another tenant"));
      } else {
        chosen.put(line, role);
      }
      return true;
    }

    /** Why a record-less entry belongs to the bundle, or null if it does not. */
    private @Nullable String role(Line line) {
      String type = line.type();
      JsonNode data = line.json().path("data");
      if (type.equals("advisory.published")) {
        return Objects.equals(Line.text(data.path("advisory"), "id"), scan.advisory)
            ? "advisory"
            : null;
      }
      if (type.equals("severity.assessed")) {
        return Objects.equals(Line.text(data.path("assessment"), "advisory"), scan.advisory)
            ? "assessment"
            : null;
      }
      if (type.equals("applicability.matched") || type.equals("advisory.withdrawn")) {
        return Objects.equals(Line.text(data, "advisory"), scan.advisory) ? "advisory" : null;
      }
      if (type.equals("rollout.planned") || type.startsWith("change.")) {
        String key = changeKey(line);
        return key != null && scan.recordsOfChange.containsKey(key) ? "change" : null;
      }
      String job = Line.text(data, "job");
      if (job != null && scan.jobs.contains(job)) {
        return "execution";
      }
      return null;
    }

    private static @Nullable String changeKey(Line line) {
      JsonNode data = line.json().path("data");
      for (String field : List.of("changeKey", "subject", "key")) {
        String key = Line.text(data, field);
        if (key != null && !(field.equals("key") && line.type().equals("change.close.requested"))) {
          return key;
        }
      }
      return Line.text(data.path("request"), "key");
    }
  }
}
