package org.cloudpatch.audit.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.cloudpatch.core.PatchException;

/**
 * Checks a journal file of wire format v1 without changing it: recomputes the hash chain and the
 * seqs from the first line and reports the first bad entry.
 *
 * <p>Stateless and thread-safe. It takes no lock, so it may run while a {@link FileJournal} appends
 * to the same file; a batch in the middle of being written then shows as a torn last line. Removing
 * entries from the end leaves a valid, shorter chain: compare {@link Verification#headHash()} with
 * a head hash kept elsewhere to detect that.
 */
public final class JournalVerifier {
  private JournalVerifier() {}

  /**
   * Verifies the journal at {@code journal}.
   *
   * @param journal the journal file, never null
   * @return the outcome; a bad entry is a result, not an exception
   * @throws PatchException if the file cannot be read
   */
  public static Verification verify(Path journal) {
    Objects.requireNonNull(journal, "journal");
    ChainReader.Result result;
    try (InputStream in = Files.newInputStream(journal)) {
      result = ChainReader.read(in, entry -> {});
    } catch (IOException e) {
      throw new PatchException("cannot read journal " + journal + ": " + e, e);
    }
    String head = WireFormat.hex(result.head());
    return result
        .defect()
        .map(d -> Verification.failed(result.entries(), head, d.seq(), d.reason()))
        .orElseGet(() -> Verification.passed(result.entries(), head));
  }
}
