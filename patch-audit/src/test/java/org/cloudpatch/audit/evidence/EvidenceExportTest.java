package org.cloudpatch.audit.evidence;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.cloudpatch.audit.journal.FileJournal;
import org.cloudpatch.audit.journal.JournalOptions;
import org.cloudpatch.audit.memory.InMemoryKeyProvider;
import org.cloudpatch.audit.proof.Checkpoint;
import org.cloudpatch.audit.proof.Merkle;
import org.cloudpatch.audit.proof.ProofException;
import org.cloudpatch.audit.proof.TlogProof;
import org.cloudpatch.audit.proof.VerifierKey;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.spi.EvidenceStore.EvidenceBundle;
import org.cloudpatch.core.spi.JournalEntry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EvidenceExport} carries a closed record's journal entries, and the ones they rest on, with
 * inclusion proofs that {@link EvidenceVerifier} and {@code docs/verify-evidence.py} accept intact
 * and reject, naming what failed, after any change. The journal is written by {@link FileJournal}
 * with entries shaped as the engine writes them (the demo test in patch-cli uses the engine's own).
 */
class EvidenceExportTest {
  static final Instant T0 = Instant.parse("2026-03-03T09:00:00Z");
  static final InMemoryKeyProvider KEY =
      InMemoryKeyProvider.fromSeed("cloudpatch.test/evidence", filled((byte) 3));
  static final TrackingId TR1 = TrackingId.of("TR-ADV-1.acme.web");

  @TempDir Path dir;
  Path journal;
  Path evidence;
  List<Long> own = new ArrayList<>();
  long closing;

  private static byte[] filled(byte b) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, b);
    return seed;
  }

  @BeforeEach
  void writeTheJournal() {
    journal = dir.resolve("journal.log");
    evidence = dir.resolve("evidence");
    JournalOptions options =
        JournalOptions.builder()
            .signer(KEY)
            .checkpointEvery(4)
            .clock(Clock.fixed(T0, ZoneOffset.UTC))
            .build();
    try (FileJournal file = FileJournal.open(journal, options)) {
      append(
          file, "advisory.published", null, null, d -> d.putObject("advisory").put("id", "ADV-1"));
      append(
          file, "advisory.published", null, null, d -> d.putObject("advisory").put("id", "ADV-2"));
      append(
          file,
          "severity.assessed",
          null,
          null,
          d -> d.putObject("assessment").put("advisory", "ADV-1").put("rule", "CVSS 7.8 -> P2"));
      append(file, "tracking.opened", "acme", TR1, d -> d.put("advisory", "ADV-1"));
      append(
          file,
          "tracking.opened",
          "globex",
          TrackingId.of("TR-ADV-1.globex.app"),
          d -> d.put("advisory", "ADV-1"));
      append(file, "change.requested", null, null, d -> d.putObject("request").put("key", "CHG-1"));
      append(file, "rollout.planned", null, null, d -> planned(d, "CHG-1", TR1.value()));
      append(file, "change.requested", null, null, d -> d.putObject("request").put("key", "CHG-2"));
      append(
          file,
          "rollout.planned",
          null,
          null,
          d -> planned(d, "CHG-2", TR1.value(), "TR-ADV-1.globex.app"));
      append(
          file,
          "change.approved",
          null,
          null,
          d -> d.put("key", "CHG-1").put("approval", "APPROVED"));
      append(file, "patch.requested", "acme", TR1, d -> d.put("job", "job-1").put("vm", "vm-1"));
      append(file, "patch.applied", "acme", null, d -> d.put("job", "job-1").put("vm", "vm-1"));
      append(
          file, "revert.requested", "acme", null, d -> d.put("detail", "job-1").put("vm", "vm-1"));
      append(
          file,
          "patch.deferred",
          "acme",
          null,
          d -> d.put("waveId", "W-2").withArray("items").addObject().put("record", TR1.value()));
      append(file, "patch.applied", "globex", null, d -> d.put("job", "job-9").put("vm", "vm-9"));
      append(
          file,
          "patch.verified",
          "acme",
          TR1,
          d -> d.put("vm", "vm-1").put("installed", "glibc 2.36-9+deb12u3"));
      closing = append(file, "tracking.closed", "acme", TR1, d -> d.put("outcome", "CLOSED"));
      append(file, "evidence.stored", "acme", TR1, d -> d.put("id", TR1.value()));
    }
    FileEvidenceStore.create(evidence)
        .store(
            EvidenceBundle.builder()
                .record(TR1)
                .tenant(TenantId.of("acme"))
                .advisory(AdvisoryId.of("ADV-1"))
                .closedAt(T0.plusSeconds(closing))
                .journalSeqs(own)
                .content(JsonNodeFactory.instance.objectNode().put("status", "CLOSED"))
                .build());
  }

  private static void planned(ObjectNode data, String change, String... records) {
    data.put("changeKey", change);
    for (String r : records) {
      data.withArray("items").addObject().put("record", r).put("asset", "vm-" + r.length());
    }
  }

  private long append(
      FileJournal file,
      String type,
      @Nullable String tenant,
      @Nullable TrackingId record,
      Consumer<ObjectNode> data) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    data.accept(node);
    long seq = file.size();
    JournalEntry.Draft.Builder draft =
        JournalEntry.Draft.builder().at(T0.plusSeconds(seq)).type(type).data(node);
    if (tenant != null) {
      draft.tenant(TenantId.of(tenant));
    }
    if (record != null) {
      draft.record(record);
    }
    long written = file.append(List.of(draft.build())).get(0).seq();
    if (TR1.equals(record)) {
      own.add(written);
    }
    return written;
  }

  private Path exported() {
    Path bundle = dir.resolve("bundle");
    EvidenceExport.forRecord(journal, evidence, TR1, KEY.verifierKey()).writeTo(bundle);
    return bundle;
  }

  private static JsonNode manifest(Path bundle) throws IOException {
    return JournalLines.MAPPER.readTree(bundle.resolve("manifest.json").toFile());
  }

  private List<String> types(Path bundle) throws IOException {
    List<String> types = new ArrayList<>();
    for (JsonNode e : manifest(bundle).path("entries")) {
      types.add(e.path("type").asText() + "/" + e.path("role").asText());
    }
    return types;
  }

  @Test
  void export_carriesTheRecordsEntriesAndWhatTheyRestOn_notOtherAdvisoriesOrTenants()
      throws IOException {
    Path bundle = exported();

    assertEquals(
        List.of(
            "advisory.published/advisory",
            "severity.assessed/assessment",
            "tracking.opened/record",
            "change.requested/change",
            "rollout.planned/change",
            "change.approved/change",
            "patch.requested/record",
            "patch.applied/execution",
            "revert.requested/execution",
            "patch.deferred/execution",
            "patch.verified/record",
            "tracking.closed/record",
            "evidence.stored/record"),
        types(bundle));
    JsonNode withheld = manifest(bundle).path("withheld");
    assertEquals(2, withheld.size(), withheld::toString); // CHG-2 spans a globex record
    assertTrue(withheld.get(0).path("reason").asText().contains("another tenant"));
    String lines = Files.readString(bundle.resolve("entries.log"));
    assertTrue(!lines.contains("globex") && !lines.contains("ADV-2"), lines);
  }

  @Test
  void export_linesAreTheJournalsExactLines() throws IOException {
    Path bundle = exported();

    List<String> journalLines = Files.readAllLines(journal, StandardCharsets.UTF_8);
    for (String line : Files.readAllLines(bundle.resolve("entries.log"), StandardCharsets.UTF_8)) {
      assertTrue(journalLines.contains(line), line);
    }
  }

  @Test
  void verify_intactBundle_javaAndScriptAgree() {
    Path bundle = exported();

    String summary = EvidenceVerifier.verify(bundle, Optional.of(KEY.verifierKey()));

    assertTrue(summary.startsWith("OK record " + TR1 + ": 13 entries"), summary);
    assumeTrue(
        PythonScript.available(PythonScript.VERIFY_EVIDENCE), "python3 or the script is absent");
    PythonScript.Run run =
        PythonScript.verifyEvidence(bundle, "--key", KEY.verifierKey().toString());
    assertEquals(0, run.exit(), run::toString);
    assertEquals(summary, run.out());
  }

  @Test
  void exportAll_oneRecordNotClosedAndOneFileBroken_exportsTheRestAndNamesBoth()
      throws IOException {
    TrackingId open = TrackingId.of("TR-ADV-1.globex.app");
    FileEvidenceStore.create(evidence)
        .store(
            EvidenceBundle.builder()
                .record(open)
                .tenant(TenantId.of("globex"))
                .advisory(AdvisoryId.of("ADV-1"))
                .closedAt(T0)
                .content(JsonNodeFactory.instance.objectNode())
                .build());
    Files.writeString(evidence.resolve("broken.json"), "{\"record\": ");
    Path out = dir.resolve("out");

    EvidenceExport.Batch batch =
        EvidenceExport.exportAll(journal, evidence, KEY.verifierKey(), out);

    assertEquals(List.of(out.resolve(TR1.value())), batch.written());
    EvidenceVerifier.verify(out.resolve(TR1.value()), Optional.of(KEY.verifierKey()));
    assertEquals(2, batch.failures().size(), batch.failures()::toString);
    EvidenceExport.Failure notClosed = batch.failures().get(0);
    assertEquals(Optional.of(open), notClosed.record());
    assertTrue(notClosed.toString().startsWith("record " + open + " ("), notClosed::toString);
    assertTrue(notClosed.reason().contains("holds no closed tracking record"), notClosed::reason);
    EvidenceExport.Failure broken = batch.failures().get(1);
    assertEquals(evidence.resolve("broken.json"), broken.evidenceFile());
    assertEquals(Optional.empty(), broken.record());
    assertTrue(broken.reason().startsWith("cannot be read as JSON"), broken::reason);
    assertTrue(Files.notExists(out.resolve(open.value())));
  }

  @Test
  void exportAll_bundleNotWritable_failsThatRecordOnly() throws IOException {
    Path out = dir.resolve("out");
    Files.createDirectories(out);
    Files.writeString(out.resolve(TR1.value()), "a file where the bundle's directory would go");

    EvidenceExport.Batch batch =
        EvidenceExport.exportAll(journal, evidence, KEY.verifierKey(), out);

    assertEquals(List.of(), batch.written());
    assertEquals(1, batch.failures().size(), batch.failures()::toString);
    assertEquals(Optional.of(TR1), batch.failures().get(0).record());
    assertTrue(
        batch.failures().get(0).reason().contains("cannot write the evidence bundle"),
        batch.failures().get(0)::reason);
  }

  @Test
  void exportAll_journalChainBroken_failsTheWholeBatch() throws IOException {
    String text = Files.readString(journal);
    int at = text.indexOf("ADV-2");
    Files.writeString(journal, text.substring(0, at) + "ADV-3" + text.substring(at + 5));

    assertThrows(
        ProofException.class,
        () -> EvidenceExport.exportAll(journal, evidence, KEY.verifierKey(), dir.resolve("out")));
  }

  @Test
  void export_checkpointNotYetCovering_failsNamingTheSeq() {
    JournalOptions options =
        JournalOptions.builder().signer(KEY).checkpointEvery(1000).clock(Clock.systemUTC()).build();
    Path open = dir.resolve("open.log");
    FileJournal file = FileJournal.open(open, options);
    try {
      append(file, "tracking.opened", "acme", TR1, d -> d.put("advisory", "ADV-1"));
      append(file, "tracking.closed", "acme", TR1, d -> d.put("outcome", "CLOSED"));

      ProofException e =
          assertThrows(
              ProofException.class,
              () -> EvidenceExport.forRecord(open, evidence, TR1, KEY.verifierKey()));

      assertTrue(e.getMessage().contains("no signed checkpoint"), e.getMessage());
      assertTrue(e.getMessage().contains("covers seq 1"), e.getMessage());
    } finally {
      file.close();
    }
  }

  @Test
  void export_wrongKey_failsNamingTheCheckpoint() {
    VerifierKey other = InMemoryKeyProvider.fromSeed(KEY.name(), filled((byte) 4)).verifierKey();

    ProofException e =
        assertThrows(
            ProofException.class, () -> EvidenceExport.forRecord(journal, evidence, TR1, other));

    assertTrue(e.getMessage().contains("checkpoint at seq"), e.getMessage());
  }

  // --- mutations: each must be rejected by both verifiers, naming what failed ---

  @Test
  void mutation_byteOfAnEntryFlipped_isRejectedNamingTheEntry() throws IOException {
    Path bundle = exported();
    Path entries = bundle.resolve("entries.log");
    String text = Files.readString(entries);
    int at = text.indexOf("glibc");
    Files.writeString(entries, text.substring(0, at) + "G" + text.substring(at + 1));
    long seq = own.get(2); // patch.verified

    rejected(bundle, "entry seq " + seq + ": its hash does not match");
  }

  @Test
  void mutation_entryAndItsHashRewritten_isRejectedByTheProof() throws IOException {
    Path bundle = exported();
    Path entries = bundle.resolve("entries.log");
    List<String> lines = new ArrayList<>(Files.readAllLines(entries));
    JsonNode manifest = manifest(bundle);
    int last = lines.size() - 1; // evidence.stored: no later entry's previous hash pins it
    String json = lines.get(last).substring(65).replace("\"id\"", "\"Id\"");
    byte[] previous =
        java.util.HexFormat.of()
            .parseHex(manifest.path("entries").get(last).path("previous").asText());
    var sha = JournalLines.sha256();
    sha.update(previous);
    sha.update(json.getBytes(StandardCharsets.UTF_8));
    lines.set(last, java.util.HexFormat.of().formatHex(sha.digest()) + " " + json);
    Files.write(entries, lines);
    long seq = manifest.path("entries").get(last).path("seq").asLong();

    rejected(bundle, "entry seq " + seq + ": its inclusion proof fails against the checkpoint");
  }

  @Test
  void export_proofsAreOneFile_eachLineSplitsIntoATlogProofThatVerifiesAlone() throws IOException {
    Path bundle = exported();

    try (var files = Files.list(bundle)) {
      assertEquals(
          List.of(
              "bundle.json",
              "checkpoint",
              "entries.log",
              "journal.pub",
              "manifest.json",
              "proofs.jsonl"),
          files.map(f -> f.getFileName().toString()).sorted().toList());
    }
    List<String> entries = Files.readAllLines(bundle.resolve("entries.log"), UTF_8);
    List<String> proofs = Files.readAllLines(bundle.resolve("proofs.jsonl"), UTF_8);
    assertEquals(entries.size(), proofs.size());
    for (int i = 0; i < proofs.size(); i++) {
      JsonNode line = JournalLines.MAPPER.readTree(proofs.get(i));
      byte[] json = entries.get(i).substring(65).getBytes(UTF_8);
      long seq = JournalLines.MAPPER.readTree(json).path("seq").asLong();
      TlogProof proof = TlogProof.parse(line.path("tlogProof").asText());

      assertEquals(seq, line.path("seq").asLong());
      assertEquals(seq, proof.index());
      assertEquals(line.path("tlogProof").asText(), proof.toString());
      proof.verify(Merkle.leafHash(json), KEY.verifierKey());
    }
  }

  @Test
  void writeTo_overAFormatV1Bundle_removesItsProofFiles() throws IOException {
    Path bundle = dir.resolve("bundle");
    Files.createDirectories(bundle.resolve("proofs"));
    Files.writeString(bundle.resolve("proofs/3.tlog-proof"), "stale");

    exported();

    assertTrue(Files.notExists(bundle.resolve("proofs")));
    EvidenceVerifier.verify(bundle, Optional.of(KEY.verifierKey()));
  }

  @Test
  void mutation_proofNodeFlipped_isRejectedNamingTheEntry() throws IOException {
    Path bundle = exported();
    long seq = own.get(0);
    int at = types(bundle).indexOf("tracking.opened/record");
    Path file = bundle.resolve("proofs.jsonl");
    List<String> lines = new ArrayList<>(Files.readAllLines(file, UTF_8));
    ObjectNode line = (ObjectNode) JournalLines.MAPPER.readTree(lines.get(at));
    List<String> proof = new ArrayList<>(List.of(line.path("tlogProof").asText().split("\n", -1)));
    byte[] node = Base64.getDecoder().decode(proof.get(2));
    node[5] ^= 0x01;
    proof.set(2, Base64.getEncoder().encodeToString(node));
    line.put("tlogProof", String.join("\n", proof));
    lines.set(at, JournalLines.MAPPER.writeValueAsString(line));
    Files.write(file, lines, UTF_8);

    rejected(bundle, "entry seq " + seq + ": its inclusion proof fails against the checkpoint");
  }

  @Test
  void mutation_proofLineDropped_isRejectedNamingTheProofsFile() throws IOException {
    Path bundle = exported();
    Path file = bundle.resolve("proofs.jsonl");
    List<String> lines = new ArrayList<>(Files.readAllLines(file, UTF_8));
    lines.remove(3);
    Files.write(file, lines, UTF_8);

    rejected(bundle, "proofs.jsonl: holds " + lines.size() + " lines but entries.log holds");
  }

  @Test
  void mutation_proofLinesSwapped_isRejectedNamingTheEntry() throws IOException {
    Path bundle = exported();
    Path file = bundle.resolve("proofs.jsonl");
    List<String> lines = new ArrayList<>(Files.readAllLines(file, UTF_8));
    String first = lines.get(0);
    lines.set(0, lines.get(1));
    lines.set(1, first);
    Files.write(file, lines, UTF_8);
    long seq = manifest(bundle).path("entries").get(0).path("seq").asLong();

    rejected(bundle, "entry seq " + seq + ": its proofs.jsonl line is not");
  }

  @Test
  void mutation_signatureFlipped_isRejectedNamingTheCheckpoint() throws IOException {
    Path bundle = exported();
    Path checkpoint = bundle.resolve("checkpoint");
    String note = Files.readString(checkpoint);
    int sig = note.lastIndexOf(' ') + 1;
    byte[] blob = Base64.getDecoder().decode(note.substring(sig).strip());
    blob[20] ^= 0x40;
    Files.writeString(
        checkpoint, note.substring(0, sig) + Base64.getEncoder().encodeToString(blob) + "\n");

    rejected(bundle, "checkpoint: the signature by " + KEY.name() + " does not verify");
  }

  @Test
  void mutation_checkpointSwappedForALaterValidOne_isRejectedByTheProofs() throws IOException {
    Path bundle = exported();
    JournalOptions options =
        JournalOptions.builder()
            .signer(KEY)
            .checkpointEvery(4)
            .clock(Clock.fixed(T0, ZoneOffset.UTC))
            .build();
    try (FileJournal file = FileJournal.open(journal, options)) {
      append(
          file, "advisory.published", null, null, d -> d.putObject("advisory").put("id", "ADV-3"));
    }
    String later = Files.readString(FileJournal.checkpointFile(journal));
    String earlier = Files.readString(bundle.resolve("checkpoint"));
    assertTrue(!later.equals(earlier));
    // Swapped everywhere, so that only the Merkle proofs can notice.
    Files.writeString(bundle.resolve("checkpoint"), later);
    Path proofs = bundle.resolve("proofs.jsonl");
    Files.writeString(
        proofs, Files.readString(proofs).replace(jsonStringBody(earlier), jsonStringBody(later)));
    ObjectNode manifest = (ObjectNode) manifest(bundle);
    long size = Checkpoint.parse(later.substring(0, later.indexOf("\n\n") + 1)).size();
    ((ObjectNode) manifest.path("checkpoint")).put("size", size);
    Files.writeString(bundle.resolve("manifest.json"), manifest.toPrettyString());
    long first = manifest.path("entries").get(0).path("seq").asLong();

    rejected(bundle, "entry seq " + first + ": its inclusion proof fails against the checkpoint");
  }

  @Test
  void mutation_contentChanged_isRejectedNamingTheContentFile() throws IOException {
    Path bundle = exported();
    Path content = bundle.resolve("bundle.json");
    Files.writeString(content, Files.readString(content).replace("CLOSED", "OPENED"));

    rejected(bundle, "bundle.json: its SHA-256");
  }

  @Test
  void verify_untrustedBundledKey_isRejectedAgainstTheTrustedKey() {
    Path bundle = exported();
    VerifierKey other = InMemoryKeyProvider.fromSeed(KEY.name(), filled((byte) 4)).verifierKey();

    ProofException e =
        assertThrows(
            ProofException.class, () -> EvidenceVerifier.verify(bundle, Optional.of(other)));

    assertTrue(e.getMessage().startsWith("journal.pub: "), e.getMessage());
  }

  /** {@code text} as it stands inside a JSON string, without the quotes. */
  private static String jsonStringBody(String text) throws IOException {
    String quoted = JournalLines.MAPPER.writeValueAsString(text);
    return quoted.substring(1, quoted.length() - 1);
  }

  /** Both verifiers reject the bundle with a message that starts with {@code expected}. */
  private static void rejected(Path bundle, String expected) {
    ProofException e =
        assertThrows(
            ProofException.class,
            () -> EvidenceVerifier.verify(bundle, Optional.of(KEY.verifierKey())));
    assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    assumeTrue(
        PythonScript.available(PythonScript.VERIFY_EVIDENCE), "python3 or the script is absent");
    PythonScript.Run run =
        PythonScript.verifyEvidence(bundle, "--key", KEY.verifierKey().toString());
    assertEquals(1, run.exit(), run::toString);
    assertTrue(run.out().startsWith("FAIL " + expected), run::toString);
  }
}
