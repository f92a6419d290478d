package org.cloudpatch.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.cloudpatch.audit.evidence.EvidenceExport;
import org.cloudpatch.audit.evidence.EvidenceVerifier;
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
    description = "Checks the audit trail and exports evidence for auditors.",
    subcommands = {
      AuditCommand.Verify.class,
      AuditCommand.Export.class,
      AuditCommand.VerifyEvidence.class
    })
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
      return AuditCommand.verifierKey(spec, text);
    }

    private String read(Path file, String what) {
      return AuditCommand.read(spec, file, what);
    }
  }

  /**
   * {@code cloudpatch audit export FOLDER --out DIR [--key PUBKEY] [--journal FILE] [--evidence
   * DIR]}.
   */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = {
        "Exports an evidence bundle (docs/evidence.md) for every closed record whose evidence"
            + " was stored: its journal entries and the ones they rest on, each with an"
            + " inclusion proof to a signed checkpoint, into DIR/<record>/.",
        "Prints how many bundles were written and a FAIL line per record that got none; exits"
            + " 0 when every record was exported, 1 otherwise (the others are still written)."
      })
  static final class Export implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(
        paramLabel = "FOLDER",
        description =
            "The folder holding journal.log, the stored evidence in evidence/ and journal.pub,"
                + " as the demo writes them.")
    Path folder;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "DIR",
        description = "Where the bundles go (created if missing).")
    Path out;

    @Option(
        names = "--key",
        paramLabel = "PUBKEY",
        description =
            "The journal's verifier key or a file holding it; FOLDER/journal.pub if absent.")
    @Nullable String key;

    @Option(
        names = "--journal",
        paramLabel = "FILE",
        description = "The journal file; FOLDER/journal.log if absent.")
    @Nullable Path journal;

    @Option(
        names = "--evidence",
        paramLabel = "DIR",
        description = "The stored evidence (FileEvidenceStore); FOLDER/evidence if absent.")
    @Nullable Path evidence;

    @Override
    public Integer call() {
      Path journalFile = journal != null ? journal : folder.resolve("journal.log");
      Path evidenceDir = evidence != null ? evidence : folder.resolve("evidence");
      if (!Files.isRegularFile(journalFile)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "no journal file at " + journalFile);
      }
      if (!Files.isDirectory(evidenceDir)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "no evidence directory at " + evidenceDir);
      }
      Path bundledKey = folder.resolve("journal.pub");
      if (key == null && !Files.isRegularFile(bundledKey)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "no --key and no key file at " + bundledKey);
      }
      VerifierKey verifierKey = verifierKey(spec, key != null ? key : bundledKey.toString());
      EvidenceExport.Batch batch;
      try {
        batch = EvidenceExport.exportAll(journalFile, evidenceDir, verifierKey, out);
      } catch (ProofException e) {
        spec.commandLine().getOut().println("FAIL journal " + journalFile + ": " + e.getMessage());
        return Main.CHECK_FAILED;
      }
      PrintWriter stdout = spec.commandLine().getOut();
      stdout.println(
          batch.written().size()
              + " evidence bundles written to "
              + out
              + (batch.failures().isEmpty()
                  ? ""
                  : ", " + batch.failures().size() + " records got none"));
      for (EvidenceExport.Failure f : batch.failures()) {
        stdout.println("FAIL " + f);
      }
      return batch.failures().isEmpty() ? 0 : Main.CHECK_FAILED;
    }
  }

  /** {@code cloudpatch audit verify-evidence BUNDLE... [--key PUBKEY]}. */
  @Command(
      name = "verify-evidence",
      mixinStandardHelpOptions = true,
      description = {
        "Checks evidence bundles as docs/verify-evidence.py does: every entry's hash and chain,"
            + " its inclusion proof to the bundle's checkpoint, the checkpoint's signature and"
            + " the stored evidence's agreement with the proven entries.",
        "Prints an OK line per good bundle and a FAIL line naming the bundle and the first"
            + " failed check per bad one; exits 0 when all are good, 1 otherwise."
      })
  static final class VerifyEvidence implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(
        paramLabel = "BUNDLE",
        arity = "1..*",
        description =
            "A bundle directory (it holds manifest.json), or a directory of bundles such as the"
                + " demo's evidence/.")
    List<Path> paths;

    @Option(
        names = "--key",
        paramLabel = "PUBKEY",
        description =
            "The journal's verifier key as the operator published it, or a file holding it;"
                + " without it each bundle's own journal.pub is trusted.")
    @Nullable String key;

    @Override
    public Integer call() {
      Optional<VerifierKey> trusted =
          Optional.ofNullable(key).map(k -> AuditCommand.verifierKey(spec, k));
      List<Path> bundles = new ArrayList<>();
      for (Path path : paths) {
        bundles.addAll(bundlesAt(path));
      }
      if (trusted.isEmpty()) {
        spec.commandLine()
            .getErr()
            .println(
                "cloudpatch: no --key: each bundle's own journal.pub is trusted; compare the"
                    + " signer named with the key the operator published");
      }
      PrintWriter stdout = spec.commandLine().getOut();
      int failed = 0;
      for (Path bundle : bundles) {
        try {
          stdout.println(EvidenceVerifier.verify(bundle, trusted));
        } catch (PatchException e) {
          stdout.println("FAIL " + bundle + ": " + e.getMessage());
          failed++;
        }
      }
      return failed == 0 ? 0 : Main.CHECK_FAILED;
    }

    private List<Path> bundlesAt(Path path) {
      if (Files.isRegularFile(path.resolve("manifest.json"))) {
        return List.of(path);
      }
      if (Files.isDirectory(path)) {
        try (Stream<Path> children = Files.list(path)) {
          List<Path> found =
              children
                  .filter(c -> Files.isRegularFile(c.resolve("manifest.json")))
                  .sorted()
                  .toList();
          if (!found.isEmpty()) {
            return found;
          }
        } catch (IOException e) {
          throw new CommandLine.ParameterException(
              spec.commandLine(), "cannot list " + path + ": " + e);
        }
      }
      throw new CommandLine.ParameterException(
          spec.commandLine(), "no evidence bundle (a directory with manifest.json) at " + path);
    }
  }

  /** A verifier key given as text or as a file holding it. */
  private static VerifierKey verifierKey(CommandLine.Model.CommandSpec spec, String text) {
    Path file = Path.of(text);
    String vkey = Files.isRegularFile(file) ? read(spec, file, "key file") : text;
    try {
      return VerifierKey.parse(vkey.strip());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--key: " + e.getMessage());
    }
  }

  private static String read(CommandLine.Model.CommandSpec spec, Path file, String what) {
    try {
      return OperatorFiles.readText(file, what);
    } catch (PatchException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
