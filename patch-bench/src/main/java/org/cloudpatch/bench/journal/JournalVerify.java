package org.cloudpatch.bench.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.cloudpatch.audit.journal.FileJournal;
import org.cloudpatch.audit.journal.JournalOptions;
import org.cloudpatch.audit.journal.JournalVerifier;
import org.cloudpatch.audit.journal.Verification;
import org.cloudpatch.audit.memory.InMemoryKeyProvider;
import org.cloudpatch.audit.proof.VerifierKey;
import org.cloudpatch.core.spi.JournalEntry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Full verification of a signed journal of {@value #ENTRIES} entries (chain, fields, the Merkle
 * tree, every checkpoint's root and Ed25519 signature, the published checkpoint) against its floor,
 * reading the same file and SHA-256 over all its bytes once, and against the hashing the format
 * itself requires ({@link #formatHashes}). Report {@code sha256File / verifyFull} and {@code
 * formatHashes / verifyFull} (time per file: lower is faster, so floor time ÷ verify time is the
 * speed ratio).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class JournalVerify {
  static final int ENTRIES = 20_000;

  Path dir;
  Path file;
  VerifierKey key;
  String published;

  @Setup(Level.Trial)
  public void write() throws IOException {
    dir = Files.createTempDirectory("bench-verify");
    file = dir.resolve("journal.log");
    InMemoryKeyProvider signer = InMemoryKeyProvider.generate("bench.cloudpatch/journal");
    key = signer.verifierKey();
    try (FileJournal journal =
        FileJournal.open(file, JournalOptions.builder().signer(signer).build())) {
      for (int i = 0; i < ENTRIES; i += 100) {
        List<JournalEntry.Draft> batch = new ArrayList<>();
        for (int j = 0; j < 100; j++) {
          batch.add(JournalAppend.draft(i + j));
        }
        journal.append(batch);
      }
    }
    published = Files.readString(FileJournal.checkpointFile(file));
  }

  @TearDown(Level.Trial)
  public void delete() throws IOException {
    JournalAppend.deleteAll(dir);
  }

  /** The floor: the file's bytes read and hashed once. */
  @Benchmark
  public byte[] sha256File() throws IOException, NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
  }

  /**
   * The second floor: the SHA-256 work wire format v1 asks of any verifier, over the same file and
   * nothing else (no parsing, no field checks, no signatures): per line the chain hash over the
   * previous hash and the JSON, the RFC 9162 leaf hash of the JSON, and the interior nodes of the
   * Merkle tree. Each JSON byte is hashed twice, and a ~150-byte line costs about eight SHA-256
   * blocks against the 2.3 of {@link #sha256File}: what separates this floor from that one is the
   * format, not the implementation.
   */
  @Benchmark
  public byte[] formatHashes() throws IOException, NoSuchAlgorithmException {
    byte[] bytes = Files.readAllBytes(file);
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    byte[] previous = new byte[32];
    byte[][] roots = new byte[64][];
    long[] sizes = new long[64];
    int top = 0;
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      int json = start + 65; // 64 hex digits and a space
      sha256.update(previous);
      sha256.update(bytes, json, i - json);
      previous = sha256.digest();
      sha256.update((byte) 0x00);
      sha256.update(bytes, json, i - json);
      byte[] node = sha256.digest();
      long size = 1;
      while (top > 0 && sizes[top - 1] == size) {
        sha256.update((byte) 0x01);
        sha256.update(roots[--top]);
        sha256.update(node);
        node = sha256.digest();
        size *= 2;
      }
      roots[top] = node;
      sizes[top++] = size;
      start = i + 1;
    }
    return previous;
  }

  /** Everything {@code audit verify --key --checkpoint} checks. */
  @Benchmark
  public Verification verifyFull() {
    Verification v = JournalVerifier.verify(file, Optional.of(key), Optional.of(published));
    if (!v.ok()) {
      throw new IllegalStateException(v.describe());
    }
    return v;
  }

  /** The chain and the checkpoint roots, no key. */
  @Benchmark
  public Verification verifyChain() {
    return JournalVerifier.verify(file);
  }
}
