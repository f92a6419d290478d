package org.cloudpatch.audit.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.cloudpatch.audit.proof.Checkpoint;
import org.cloudpatch.audit.proof.Merkle;
import org.cloudpatch.audit.proof.OperatorFiles;
import org.cloudpatch.audit.proof.ProofException;
import org.cloudpatch.audit.proof.TlogProof;
import org.cloudpatch.audit.proof.VerifierKey;
import org.cloudpatch.core.PatchException;
import org.jspecify.annotations.Nullable;

/**
 * Checks an evidence bundle that {@link EvidenceExport} wrote, exactly as {@code
 * docs/verify-evidence.py} does: each entry line's hash over the previous hash and its JSON, the
 * chain between consecutive entries, each entry's {@code tlog-proof} to the bundle's checkpoint,
 * the checkpoint's Ed25519 signature, and the content file's SHA-256 and its agreement with the
 * proven entries. Stateless and thread-safe.
 */
public final class EvidenceVerifier {
  private static final HexFormat HEX = HexFormat.of();

  private EvidenceVerifier() {}

  /**
   * Verifies the bundle in {@code directory}.
   *
   * @param directory the bundle's directory, never null
   * @param trusted the journal's verifier key as the auditor got it from the operator; when empty,
   *     the bundle's own {@code journal.pub} is used (which proves only that the bundle is
   *     consistent, not who signed it)
   * @return a one-line summary: the record, the number of entries and the checkpoint they are in
   * @throws ProofException naming the first check that failed (the file and the seq)
   * @throws PatchException if a file of the bundle cannot be read
   */
  public static String verify(Path directory, Optional<VerifierKey> trusted) {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(trusted, "trusted");
    JsonNode manifest = json(directory.resolve(EvidenceExport.MANIFEST), "manifest.json");
    if (!EvidenceExport.FORMAT.equals(manifest.path("format").asText())) {
      throw new ProofException("manifest.json: not a " + EvidenceExport.FORMAT + " bundle");
    }
    String record = manifest.path("record").asText();
    VerifierKey bundled;
    try {
      bundled =
          VerifierKey.parse(
              OperatorFiles.readText(directory.resolve(EvidenceExport.KEY), "key file").strip());
    } catch (IllegalArgumentException e) {
      throw new ProofException("journal.pub: " + e.getMessage(), e);
    }
    if (trusted.isPresent() && !trusted.get().equals(bundled)) {
      throw new ProofException(
          "journal.pub: the bundle's key " + bundled + " is not the trusted key " + trusted.get());
    }
    VerifierKey key = trusted.orElse(bundled);
    String note =
        OperatorFiles.readText(directory.resolve(EvidenceExport.CHECKPOINT), "checkpoint file");
    Checkpoint checkpoint;
    try {
      checkpoint = Checkpoint.open(note, key);
    } catch (ProofException e) {
      throw new ProofException("checkpoint: " + e.getMessage(), e);
    }
    JsonNode cp = manifest.path("checkpoint");
    if (!cp.path("origin").asText().equals(checkpoint.origin())
        || cp.path("size").asLong(-1) != checkpoint.size()) {
      throw new ProofException(
          "checkpoint: it is not the checkpoint the manifest names (" + checkpoint + ")");
    }
    String[] lines = lines(directory.resolve(EvidenceExport.ENTRIES), EvidenceExport.ENTRIES);
    JsonNode entries = manifest.path("entries");
    if (lines.length != entries.size()) {
      throw new ProofException(
          "entries.log: holds "
              + lines.length
              + " lines but the manifest lists "
              + entries.size()
              + " entries");
    }
    String[] proofs = lines(directory.resolve(EvidenceExport.PROOFS), EvidenceExport.PROOFS);
    if (proofs.length != lines.length) {
      throw new ProofException(
          "proofs.jsonl: holds " + proofs.length + " lines but entries.log holds " + lines.length);
    }
    Set<Long> ownSeqs = new HashSet<>();
    @Nullable String closingAt = null;
    long previousSeq = -1;
    byte @Nullable [] previousHash = null;
    for (int i = 0; i < lines.length; i++) {
      JsonNode listed = entries.get(i);
      long seq = listed.path("seq").asLong(-1);
      String what = "entry seq " + seq;
      byte[] bytes = lines[i].getBytes(StandardCharsets.UTF_8);
      if (bytes.length < 66 || bytes[64] != ' ') {
        throw new ProofException(what + ": entries.log line " + (i + 1) + " is not 'HASH JSON'");
      }
      byte[] json = Arrays.copyOfRange(bytes, 65, bytes.length);
      byte[] hash = hex(lines[i].substring(0, 64), what + ": hash");
      byte[] previous = hex(listed.path("previous").asText(), what + ": previous hash");
      if (seq <= previousSeq) {
        throw new ProofException(what + ": entries are not in increasing seq order");
      }
      if (seq == 0 && !Arrays.equals(previous, new byte[32])) {
        throw new ProofException(what + ": the first entry's previous hash is not all zeros");
      }
      if (previousHash != null
          && seq == previousSeq + 1
          && !Arrays.equals(previous, previousHash)) {
        throw new ProofException(
            what
                + ": the chain is broken: its previous hash is not the hash of entry seq "
                + previousSeq);
      }
      MessageDigest sha = JournalLines.sha256();
      sha.update(previous);
      sha.update(json);
      if (!MessageDigest.isEqual(sha.digest(), hash)) {
        throw new ProofException(what + ": its hash does not match SHA-256(previous hash || JSON)");
      }
      JsonNode entry;
      try {
        entry = JournalLines.MAPPER.readTree(json);
      } catch (IOException e) {
        throw new ProofException(what + ": its JSON does not parse", e);
      }
      if (entry == null || entry.path("seq").asLong(-1) != seq) {
        throw new ProofException(what + ": the entry holds another seq");
      }
      TlogProof proof = proof(proofs[i], seq, what);
      if (proof.index() != seq) {
        throw new ProofException(what + ": its proof is for index " + proof.index());
      }
      if (!proof.checkpoint().equals(note)) {
        throw new ProofException(
            what + ": its proof leads to another checkpoint than the bundle's");
      }
      try {
        Merkle.verifyInclusion(
            seq, checkpoint.size(), Merkle.leafHash(json), proof.proof(), checkpoint.root());
      } catch (ProofException e) {
        throw new ProofException(
            what + ": its inclusion proof fails against the checkpoint: " + e.getMessage(), e);
      }
      if (record.equals(JournalLines.Line.text(entry, "record"))) {
        ownSeqs.add(seq);
        String type = entry.path("type").asText();
        if (type.startsWith("tracking.closed") || type.equals("tracking.risk-accepted")) {
          closingAt = entry.path("at").asText();
        }
      }
      previousSeq = seq;
      previousHash = hash;
    }
    checkContent(directory, manifest, record, ownSeqs, closingAt);
    return "OK record "
        + record
        + ": "
        + lines.length
        + " entries proven in checkpoint "
        + checkpoint.origin()
        + " @ "
        + checkpoint.size()
        + " signed by "
        + key.name();
  }

  private static void checkContent(
      Path directory,
      JsonNode manifest,
      String record,
      Set<Long> ownSeqs,
      @Nullable String closingAt) {
    byte[] content = read(directory.resolve(EvidenceExport.CONTENT), "bundle.json");
    String actual = HEX.formatHex(JournalLines.sha256().digest(content));
    String stated = manifest.path("content").path("sha256").asText();
    if (!actual.equals(stated)) {
      throw new ProofException(
          "bundle.json: its SHA-256 " + actual + " does not match the manifest's " + stated);
    }
    JsonNode bundle;
    try {
      bundle = JournalLines.MAPPER.readTree(content);
    } catch (IOException e) {
      throw new ProofException("bundle.json: does not parse", e);
    }
    for (String field : new String[] {"record", "tenant", "advisory"}) {
      if (!bundle.path(field).asText().equals(manifest.path(field).asText())) {
        throw new ProofException(
            "bundle.json: its " + field + " is not the manifest's " + manifest.path(field));
      }
    }
    if (closingAt == null) {
      throw new ProofException("bundle.json: no proven entry closes record " + record);
    }
    if (!bundle.path("closedAt").asText().equals(closingAt)) {
      throw new ProofException(
          "bundle.json: closedAt is not the time of the proven entry that closed the record ("
              + closingAt
              + ")");
    }
    for (JsonNode seq : bundle.path("journalSeqs")) {
      if (!ownSeqs.contains(seq.asLong())) {
        throw new ProofException(
            "bundle.json: journal seq " + seq.asLong() + " of the record is not a proven entry");
      }
    }
  }

  /** The tlog-proof of line {@code proofs.jsonl}'s line {@code {"seq":N,"tlogProof":"..."}}. */
  private static TlogProof proof(String line, long seq, String what) {
    JsonNode json;
    try {
      json = JournalLines.MAPPER.readTree(line);
    } catch (IOException e) {
      throw new ProofException(what + ": its proofs.jsonl line does not parse", e);
    }
    if (json == null || json.path("seq").asLong(-1) != seq || !json.path("tlogProof").isTextual()) {
      throw new ProofException(
          what + ": its proofs.jsonl line is not {\"seq\":" + seq + ",\"tlogProof\":\"...\"}");
    }
    try {
      return TlogProof.parse(json.path("tlogProof").textValue());
    } catch (ProofException e) {
      throw new ProofException(what + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode json(Path file, String what) {
    try {
      return JournalLines.MAPPER.readTree(read(file, what));
    } catch (IOException e) {
      throw new ProofException(what + ": does not parse: " + e.getMessage(), e);
    }
  }

  private static String[] lines(Path file, String what) {
    String text = new String(read(file, what), StandardCharsets.UTF_8);
    if (text.isEmpty()) {
      return new String[0];
    }
    if (!text.endsWith("\n")) {
      throw new ProofException(what + ": the last line has no newline");
    }
    return text.substring(0, text.length() - 1).split("\n", -1);
  }

  /**
   * The most a bundle file may hold: a bundle comes from someone else, and a verifier must not be
   * made to read /dev/zero or a 300 GB file into memory. Real bundles are a few MB.
   */
  private static final long MAX_FILE_BYTES = 256L * 1024 * 1024;

  private static byte[] read(Path file, String what) {
    try {
      if (Files.size(file) > MAX_FILE_BYTES || !Files.isRegularFile(file)) {
        throw new ProofException(
            what
                + " of the bundle ("
                + file
                + ") is not a regular file of at most "
                + MAX_FILE_BYTES
                + " bytes");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new PatchException("cannot read " + what + " of the bundle (" + file + "): " + e, e);
    }
  }

  private static byte[] hex(String text, String what) {
    try {
      byte[] bytes = HEX.parseHex(text);
      if (bytes.length == 32) {
        return bytes;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new ProofException(what + " is not 64 hex digits");
  }
}
