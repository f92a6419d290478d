package org.cloudpatch.audit.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import org.cloudpatch.audit.memory.InMemoryKeyProvider;
import org.cloudpatch.audit.proof.VerifierKey;

/** Journals with signed checkpoints for the tests, under one fixed key. */
final class SignedJournals {
  static final InMemoryKeyProvider KEY =
      InMemoryKeyProvider.fromSeed("cloudpatch.test/journal", seed());

  private SignedJournals() {}

  private static byte[] seed() {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 7);
    return seed;
  }

  static VerifierKey vkey() {
    return KEY.verifierKey();
  }

  static JournalOptions options(int every) {
    return JournalOptions.builder()
        .signer(KEY)
        .checkpointEvery(every)
        .clock(Clock.fixed(Drafts.T0, ZoneOffset.UTC))
        .build();
  }

  /** Verifies with the key and, if given, a checkpoint published earlier. */
  static Verification verify(Path file, Optional<String> published) {
    return JournalVerifier.verify(file, Optional.of(vkey()), published);
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
