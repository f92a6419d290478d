package org.cloudpatch.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.cloudpatch.audit.journal.JournalVerifier;
import org.cloudpatch.audit.journal.Verification;
import org.cloudpatch.audit.proof.OperatorFiles;
import org.cloudpatch.audit.proof.ProofException;
import org.cloudpatch.audit.proof.VerifierKey;
import org.cloudpatch.core.PatchException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cloudpatch audit}: checks the audit trail. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Checks the audit trail.",
    subcommands = {AuditCommand.Verify.class})
final class AuditCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** {@code cloudpatch audit verify JOURNAL [--key PUBKEY] [--checkpoint FILE]}. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Recomputes a journal's hash chain and the Merkle root of every checkpoint entry; with"
            + " --key checks every checkpoint's signature and that every entry is covered by"
            + " one; with --checkpoint proves the journal still holds every entry that"
            + " checkpoint covered.",
        "Prints the entry count and the head hash and exits 0, or names the first bad seq and"
            + " exits 1."
      })
  static final class Verify implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "JOURNAL", description = "A journal file in wire format v1.")
    Path journal;

    @Option(
        names = "--key",
        paramLabel = "PUBKEY",
        description =
            "The journal's verifier key, <name>+<hex key hash>+<base64(0x01 || key)>, or a file"
                + " holding it (journal.pub).")
    @Nullable String key;

    @Option(
        names = "--checkpoint",
        paramLabel = "FILE",
        description = "A signed checkpoint of this journal published earlier (C2SP note).")
    @Nullable Path checkpoint;

    @Override
    public Integer call() {
      if (!Files.isRegularFile(journal)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "no journal file at " + journal);
      }
      Optional<VerifierKey> verifierKey = Optional.ofNullable(key).map(this::verifierKey);
      Optional<String> published =
          Optional.ofNullable(checkpoint).map(f -> read(f, "checkpoint file"));
      Verification v;
      try {
        v = JournalVerifier.verify(journal, verifierKey, published);
      } catch (ProofException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "checkpoint " + checkpoint + ": " + e.getMessage());
      }
      if (v.ok()) {
        StringBuilder line = new StringBuilder(v.entries() + " entries, head " + v.headHash());
        if (verifierKey.isPresent()) {
          line.append(", ")
              .append(v.checkpoints())
              .append(" checkpoints signed by ")
              .append(verifierKey.get().name());
        }
        if (checkpoint != null) {
          line.append(", holds everything checkpoint ").append(checkpoint).append(" covered");
        }
        spec.commandLine().getOut().println(line);
        return 0;
      }
      spec.commandLine().getOut().println(v.describe());
      return Main.CHECK_FAILED;
    }

    private VerifierKey verifierKey(String text) {
      Path file = Path.of(text);
      String vkey = Files.isRegularFile(file) ? read(file, "key file") : text;
      try {
        return VerifierKey.parse(vkey.strip());
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--key: " + e.getMessage());
      }
    }

    private String read(Path file, String what) {
      try {
        return OperatorFiles.readText(file, what);
      } catch (PatchException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
  }
}
