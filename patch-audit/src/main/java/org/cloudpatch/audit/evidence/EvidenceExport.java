package org.cloudpatch.audit.evidence;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  public static final String FORMAT = "cloudpatch.evidence/v2";

  static final String MANIFEST = "manifest.json";
  static final String CONTENT = "bundle.json";
  static final String ENTRIES = "entries.log";
  static final String CHECKPOINT = "checkpoint";
  static final String KEY = "journal.pub";
  static final String PROOFS = "proofs.jsonl";

  /** Where format v1 kept one file per proof; removed when a bundle is written over one. */
  private static final String V1_PROOFS = "proofs";

  private static final Logger LOG = LoggerFactory.getLogger(EvidenceExport.class);

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
    Objects.requireNonNull(record, "record");
    Built built = build(journal, evidenceDirectory, List.of(record), key).get(0);
    if (built.error() != null) {
      throw built.error();
    }
    return Objects.requireNonNull(built.export());
  }

  /** One record's bundle, or why it has none. */
  private record Built(
      TrackingId record, @Nullable EvidenceExport export, @Nullable RuntimeException error) {}

  /**
   * The bundles of {@code records}, in their order, from two passes over the journal; a record that
   * cannot be exported gets its error and takes no other record down.
   */
  private static List<Built> build(
      Path journal, Path evidenceDirectory, List<TrackingId> records, VerifierKey key) {
    Objects.requireNonNull(journal, "journal");
    Objects.requireNonNull(evidenceDirectory, "evidenceDirectory");
    Objects.requireNonNull(key, "key");
    Scan scan = new Scan(records);
    JournalLines.read(journal, scan::accept);
    Map<String, RuntimeException> errors = new HashMap<>();
    Map<Long, Checkpoint> opened = new HashMap<>();
    for (RecordScan r : scan.records.values()) {
      try {
        prepare(journal, evidenceDirectory, scan, r, opened, key);
      } catch (PatchException | IllegalArgumentException e) {
        errors.put(r.id, e);
      }
    }
    scan.records.keySet().removeAll(errors.keySet());
    Selection selection = new Selection(scan);
    JournalLines.read(journal, selection::accept);
    List<long[]> pairs = new ArrayList<>();
    for (RecordScan r : scan.records.values()) {
      for (Line line : r.chosen.keySet()) {
        pairs.add(new long[] {line.seq(), r.size});
      }
    }
    Iterator<List<byte[]>> proofs = Merkle.inclusionProofs(scan.leaves, pairs).iterator();
    Map<String, EvidenceExport> exports = new HashMap<>();
    for (RecordScan r : scan.records.values()) {
      List<Exported> entries = new ArrayList<>();
      for (Map.Entry<Line, String> e : r.chosen.entrySet()) {
        entries.add(
            new Exported(
                e.getKey(), e.getValue(), TlogProof.of(e.getKey().seq(), proofs.next(), r.note)));
      }
      exports.put(
          r.id,
          new EvidenceExport(
              TrackingId.of(r.id),
              Objects.requireNonNull(r.tenant),
              Objects.requireNonNull(r.advisory),
              r.closedAt == null ? "" : r.closedAt,
              Objects.requireNonNull(r.content),
              Objects.requireNonNull(r.checkpoint),
              r.note,
              key,
              List.copyOf(entries),
              List.copyOf(r.withheld)));
    }
    List<Built> built = new ArrayList<>();
    for (TrackingId id : records) {
      built.add(new Built(id, exports.get(id.value()), errors.get(id.value())));
    }
    return List.copyOf(built);
  }

  /**
   * Checks that the first pass found {@code r} closed and covered by a signed checkpoint whose root
   * matches, and reads its stored evidence.
   */
  private static void prepare(
      Path journal,
      Path evidenceDirectory,
      Scan scan,
      RecordScan r,
      Map<Long, Checkpoint> opened,
      VerifierKey key) {
    if (r.closing == null || r.tenant == null || r.advisory == null) {
      throw new IllegalArgumentException(
          "journal " + journal + " holds no closed tracking record " + r.id);
    }
    long last = r.own.get(r.own.size() - 1);
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
              + r.id
              + " yet: close the journal or wait for its next checkpoint");
    }
    r.note = scan.checkpointNotes.get(chosen);
    r.size = scan.checkpointSeqs.get(chosen);
    String note = r.note;
    r.checkpoint = opened.get(r.size);
    if (r.checkpoint == null) {
      r.checkpoint = open(journal, scan, note, r.size, key);
      opened.put(r.size, r.checkpoint);
    }
    r.content = storedBundle(evidenceDirectory, TrackingId.of(r.id));
  }

  /** Opens the checkpoint entry at seq {@code size} and checks its root against the entries. */
  private static Checkpoint open(Path journal, Scan scan, String note, long size, VerifierKey key) {
    Checkpoint checkpoint;
    try {
      checkpoint = Checkpoint.open(note, key);
    } catch (ProofException e) {
      throw new ProofException(
          "journal " + journal + ": the checkpoint at seq " + size + ": " + e.getMessage(), e);
    }
    if (checkpoint.size() != size
        || !MessageDigest.isEqual(
            Merkle.root(scan.leaves.subList(0, (int) size)), checkpoint.root())) {
      throw new ProofException(
          "journal "
              + journal
              + ": the checkpoint at seq "
              + size
              + " does not match the entries before it");
    }
    return checkpoint;
  }

  /**
   * What {@link #exportAll} did: the bundles written, and each stored evidence file that got none,
   * with why. Immutable.
   *
   * @param written the bundle directories written, in the order of their evidence files' names
   * @param failures the evidence files that got no bundle, in the same order
   */
  public record Batch(List<Path> written, List<Failure> failures) {
    /** Copies both lists. */
    public Batch {
      written = List.copyOf(written);
      failures = List.copyOf(failures);
    }
  }

  /**
   * A stored evidence file that got no bundle.
   *
   * @param evidenceFile the stored evidence file
   * @param record the record it names; empty when it cannot be read or names none
   * @param reason why, naming what failed
   */
  public record Failure(Path evidenceFile, Optional<TrackingId> record, String reason) {
    /** Checks that nothing is null. */
    public Failure {
      Objects.requireNonNull(evidenceFile, "evidenceFile");
      Objects.requireNonNull(record, "record");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
      return record
              .map(r -> "record " + r + " (" + evidenceFile + ")")
              .orElse(evidenceFile.toString())
          + ": "
          + reason;
    }
  }

  /**
   * Exports the bundle of every record whose evidence {@link FileEvidenceStore} stored in {@code
   * evidenceDirectory}, each into the directory beside its stored file named like the file without
   * {@code .json}; as {@link #exportAll(Path, Path, VerifierKey, Path)} into {@code
   * evidenceDirectory}.
   */
  public static Batch exportAll(Path journal, Path evidenceDirectory, VerifierKey key) {
    return exportAll(journal, evidenceDirectory, key, evidenceDirectory);
  }

  /**
   * Exports the bundle of every record whose evidence {@link FileEvidenceStore} stored in {@code
   * evidenceDirectory}, each into {@code outputDirectory/<name>}, {@code <name>} being its stored
   * file's name without {@code .json}. A record that cannot be exported (not closed in the journal,
   * not yet covered by a signed checkpoint, its checkpoint's signature or root wrong, its evidence
   * file unreadable, its bundle not writable) is listed in {@link Batch#failures()}, logged, and
   * takes no other record down.
   *
   * @param journal a journal file of wire format v1 with signed checkpoints, never null
   * @param evidenceDirectory the directory of a {@link FileEvidenceStore}, never null
   * @param key the journal's verifier key, never null
   * @param outputDirectory where the bundle directories go (created if missing), never null
   * @return the bundles written and the records that got none
   * @throws ProofException if the journal's hash chain does not verify: no bundle of it could be
   *     trusted
   * @throws PatchException if the journal or the evidence directory cannot be read
   */
  public static Batch exportAll(
      Path journal, Path evidenceDirectory, VerifierKey key, Path outputDirectory) {
    Objects.requireNonNull(journal, "journal");
    Objects.requireNonNull(evidenceDirectory, "evidenceDirectory");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(outputDirectory, "outputDirectory");
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
    List<Failure> failures = new ArrayList<>();
    Map<TrackingId, Path> files = new LinkedHashMap<>();
    for (Path file : stored) {
      String id;
      try {
        id = JournalLines.MAPPER.readTree(file.toFile()).path("record").asText("");
      } catch (IOException e) {
        failures.add(new Failure(file, Optional.empty(), "cannot be read as JSON: " + e));
        continue;
      }
      if (id.isEmpty()) {
        failures.add(new Failure(file, Optional.empty(), "names no record"));
        continue;
      }
      TrackingId record;
      try {
        record = TrackingId.of(id);
      } catch (IllegalArgumentException e) {
        failures.add(
            new Failure(file, Optional.empty(), "names no valid record: " + e.getMessage()));
        continue;
      }
      Path earlier = files.putIfAbsent(record, file);
      if (earlier != null) {
        failures.add(
            new Failure(file, Optional.of(record), "evidence file " + earlier + " names it too"));
      }
    }
    List<Path> written = new ArrayList<>();
    if (!files.isEmpty()) {
      for (Built built : build(journal, evidenceDirectory, List.copyOf(files.keySet()), key)) {
        Path file = Objects.requireNonNull(files.get(built.record()));
        String name = file.getFileName().toString();
        Path target = outputDirectory.resolve(name.substring(0, name.length() - ".json".length()));
        RuntimeException error = built.error();
        if (error == null) {
          try {
            Objects.requireNonNull(built.export()).writeTo(target);
            written.add(target);
            continue;
          } catch (PatchException e) {
            error = e;
          }
        }
        failures.add(
            new Failure(file, Optional.of(built.record()), String.valueOf(error.getMessage())));
      }
    }
    failures.sort(Comparator.comparing(Failure::evidenceFile));
    for (Failure f : failures) {
      LOG.warn("No evidence bundle for {}", f);
    }
    return new Batch(written, failures);
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
   * proofs.jsonl} (line {@code i} holds the seq and the C2SP {@code tlog-proof} of line {@code i}
   * of {@code entries.log}), {@code checkpoint} and {@code journal.pub}.
   *
   * @throws PatchException if a file cannot be written
   */
  public void writeTo(Path directory) {
    Objects.requireNonNull(directory, "directory");
    try {
      Files.createDirectories(directory);
      removeV1Proofs(directory);
      Files.write(directory.resolve(CONTENT), content);
      ByteArrayOutputStream lines = new ByteArrayOutputStream();
      ByteArrayOutputStream proofs = new ByteArrayOutputStream();
      for (Exported e : entries) {
        lines.writeBytes(e.line().bytes());
        lines.write('\n');
        try (JsonGenerator gen = JournalLines.MAPPER.createGenerator(proofs, JsonEncoding.UTF8)) {
          gen.writeStartObject();
          gen.writeNumberField("seq", e.line().seq());
          gen.writeStringField("tlogProof", e.proof().toString());
          gen.writeEndObject();
        }
        proofs.write('\n');
      }
      Files.write(directory.resolve(ENTRIES), lines.toByteArray());
      Files.write(directory.resolve(PROOFS), proofs.toByteArray());
      Files.writeString(directory.resolve(CHECKPOINT), note, StandardCharsets.UTF_8);
      Files.writeString(directory.resolve(KEY), key + "\n", StandardCharsets.UTF_8);
      Files.write(directory.resolve(MANIFEST), manifest());
    } catch (IOException e) {
      throw new PatchException(
          "cannot write the evidence bundle of record " + record + " to " + directory + ": " + e,
          e);
    }
  }

  /**
   * Removes the {@code proofs/<seq>.tlog-proof} files of a format v1 bundle written to the same
   * directory before, so that no stale proof sits beside the new ones; anything else there is left.
   */
  private static void removeV1Proofs(Path directory) throws IOException {
    Path old = directory.resolve(V1_PROOFS);
    if (!Files.isDirectory(old, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var files = Files.list(old)) {
      for (Path f : files.toList()) {
        if (f.getFileName().toString().endsWith(".tlog-proof")) {
          Files.delete(f);
        }
      }
    }
    try (var rest = Files.list(old)) {
      if (rest.findAny().isEmpty()) {
        Files.delete(old);
      }
    }
  }

  @Override
  public String toString() {
    return "EvidenceExport[" + record + ", " + entries.size() + " entries, " + checkpoint + "]";
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
      gen.writeStringField("proofsFile", PROOFS);
      gen.writeArrayFieldStart("entries");
      for (Exported e : entries) {
        gen.writeStartObject();
        gen.writeNumberField("seq", e.line().seq());
        gen.writeStringField("type", e.line().type());
        gen.writeStringField("role", e.role());
        gen.writeStringField("previous", JournalLines.HEX.formatHex(e.line().previous()));
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

  /** What the passes learn about one record. */
  private static final class RecordScan {
    final String id;
    final List<Long> own = new ArrayList<>();
    final Set<String> jobs = new HashSet<>();

    /** Change keys of the waves that carried the record's items, with their waves' records. */
    final Map<String, Set<String>> recordsOfChange = new HashMap<>();

    final Set<String> foreignChanges = new HashSet<>();
    final Map<Line, String> chosen = new LinkedHashMap<>();
    final List<Withheld> withheld = new ArrayList<>();
    @Nullable String tenant;
    @Nullable String advisory;
    @Nullable String closedAt;
    @Nullable Long closing;
    String note = "";
    long size;
    @Nullable Checkpoint checkpoint;
    byte @Nullable [] content;

    RecordScan(String id) {
      this.id = id;
    }
  }

  /** The first pass: the tree, the checkpoints and what links entries to the records. */
  private static final class Scan {
    final Map<String, RecordScan> records = new LinkedHashMap<>();
    final List<byte[]> leaves = new ArrayList<>();
    final List<Long> checkpointSeqs = new ArrayList<>();
    final List<String> checkpointNotes = new ArrayList<>();
    final Map<String, String> tenantOfRecord = new HashMap<>();

    Scan(List<TrackingId> ids) {
      for (TrackingId id : ids) {
        records.putIfAbsent(id.value(), new RecordScan(id.value()));
      }
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
        Set<String> carried = new HashSet<>();
        for (JsonNode item : data.path("items")) {
          carried.add(item.path("record").asText());
        }
        for (String r : carried) {
          RecordScan scan = records.get(r);
          if (key != null && scan != null) {
            scan.recordsOfChange.computeIfAbsent(key, k -> new HashSet<>()).addAll(carried);
          }
        }
      }
      RecordScan r = entryRecord == null ? null : records.get(entryRecord);
      if (r == null) {
        return true;
      }
      r.own.add(line.seq());
      r.tenant = entryTenant;
      if (type.equals("tracking.opened")) {
        r.advisory = Line.text(data, "advisory");
      }
      String job = Line.text(data, "job");
      if (type.startsWith("patch.") && job != null) {
        r.jobs.add(job);
      }
      if (type.startsWith("tracking.closed") || type.equals("tracking.risk-accepted")) {
        r.closing = line.seq();
        r.closedAt = Line.text(json, "at");
      }
      return true;
    }
  }

  /** The second pass: the lines of the entries each bundle carries, with their roles. */
  private static final class Selection {
    final Scan scan;
    final long limit;
    final Map<String, List<RecordScan>> byAdvisory = new HashMap<>();
    final Map<String, List<RecordScan>> byChange = new HashMap<>();
    final Map<String, List<RecordScan>> byJob = new HashMap<>();
    final Map<String, List<RecordScan>> byRecord = new HashMap<>();

    Selection(Scan scan) {
      this.scan = scan;
      long max = 0;
      for (RecordScan r : scan.records.values()) {
        max = Math.max(max, r.size);
        byRecord.put(r.id, List.of(r));
        byAdvisory
            .computeIfAbsent(Objects.requireNonNull(r.advisory), k -> new ArrayList<>())
            .add(r);
        for (String job : r.jobs) {
          byJob.computeIfAbsent(job, k -> new ArrayList<>()).add(r);
        }
        r.recordsOfChange.forEach(
            (key, carried) -> {
              byChange.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
              for (String other : carried) {
                if (!Objects.equals(scan.tenantOfRecord.get(other), r.tenant)) {
                  r.foreignChanges.add(key);
                }
              }
            });
      }
      this.limit = max;
    }

    boolean accept(Line line) {
      if (line.seq() >= limit) {
        return false;
      }
      JsonNode json = line.json();
      String entryRecord = Line.text(json, "record");
      if (entryRecord != null) {
        RecordScan r = scan.records.get(entryRecord);
        if (r != null && line.seq() < r.size) {
          r.chosen.put(line, "record");
        }
        return true; // a record's own entry belongs to no other record's bundle
      }
      String type = line.type();
      JsonNode data = json.path("data");
      String entryTenant = Line.text(json, "tenant");
      if (type.equals("advisory.published")) {
        link(line, "advisory", byAdvisory, Line.text(data.path("advisory"), "id"), entryTenant);
      } else if (type.equals("severity.assessed")) {
        link(
            line,
            "assessment",
            byAdvisory,
            Line.text(data.path("assessment"), "advisory"),
            entryTenant);
      } else if (type.equals("applicability.matched") || type.equals("advisory.withdrawn")) {
        link(line, "advisory", byAdvisory, Line.text(data, "advisory"), entryTenant);
      } else if (type.equals("rollout.planned") || type.startsWith("change.")) {
        link(line, "change", byChange, changeKey(data), entryTenant);
      } else if (type.equals("patch.deferred")) {
        // A wave's item held back (its VM suspended, ...): names the records, not a job.
        Set<String> deferred = new LinkedHashSet<>();
        for (JsonNode item : data.path("items")) {
          deferred.add(item.path("record").asText());
        }
        for (String r : deferred) {
          link(line, "execution", byRecord, r, entryTenant);
        }
      } else if (type.equals("revert.requested")) {
        // The rollback of a failed job names the job as its detail.
        link(line, "execution", byJob, Line.text(data, "detail"), entryTenant);
      } else {
        link(line, "execution", byJob, Line.text(data, "job"), entryTenant);
      }
      return true;
    }

    private static void link(
        Line line,
        String role,
        Map<String, List<RecordScan>> index,
        @Nullable String key,
        @Nullable String entryTenant) {
      if (key == null) {
        return;
      }
      for (RecordScan r : index.getOrDefault(key, List.of())) {
        if (line.seq() >= r.size) {
          continue;
        }
        if (entryTenant != null && !entryTenant.equals(r.tenant)) {
          r.withheld.add(new Withheld(line.seq(), "it belongs to another tenant"));
        } else if (role.equals("change") && r.foreignChanges.contains(key)) {
          r.withheld.add(
              new Withheld(line.seq(), "its change also covers records of another tenant"));
        } else {
          r.chosen.put(line, role);
        }
      }
    }

    /** The change an entry is about: a wave's change, a close request's subject, or its key. */
    private static @Nullable String changeKey(JsonNode data) {
      for (String field : List.of("changeKey", "subject", "key")) {
        String key = Line.text(data, field);
        if (key != null) {
          return key;
        }
      }
      return Line.text(data.path("request"), "key");
    }
  }
}
