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
 * reading the same file and SHA-256 over all its bytes once. Report {@code sha256File / verifyFull}
 * (time per file: lower is faster, so floor time ÷ verify time is the speed ratio).
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
