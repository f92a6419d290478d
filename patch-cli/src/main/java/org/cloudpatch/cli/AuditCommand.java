package org.cloudpatch.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cloudpatch.audit.journal.JournalVerifier;
import org.cloudpatch.audit.journal.Verification;
import picocli.CommandLine;
import picocli.CommandLine.Command;
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

  /** {@code cloudpatch audit verify JOURNAL}. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Recomputes a journal's hash chain.",
        "Prints the entry count and the head hash and exits 0, or names the first bad seq and"
            + " exits 1."
      })
  static final class Verify implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "JOURNAL", description = "A journal file in wire format v1.")
    Path journal;

    @Override
    public Integer call() {
      if (!Files.isRegularFile(journal)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "no journal file at " + journal);
      }
      Verification v = JournalVerifier.verify(journal);
      if (v.ok()) {
        spec.commandLine().getOut().println(v.entries() + " entries, head " + v.headHash());
        return 0;
      }
      spec.commandLine().getOut().println(v.describe());
      return Main.CHECK_FAILED;
    }
  }
}
