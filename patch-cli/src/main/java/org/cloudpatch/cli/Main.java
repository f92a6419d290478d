package org.cloudpatch.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cloudpatch} command line. */
@Command(
    name = "cloudpatch",
    mixinStandardHelpOptions = true,
    version = "cloudpatch 0.1.0-SNAPSHOT",
    description = "Carries vendor advisories to patched, verified and closed tracking records.",
    subcommands = {
      DemoCommand.class,
      VercmpCommand.class,
      CvssCommand.class,
      AssessCommand.class,
      WindowsCommand.class,
      PlanCommand.class,
      AuditCommand.class
    })
public final class Main implements Runnable {
  /** Exit code when a check fails. */
  static final int CHECK_FAILED = 1;

  /** Exit code on a usage error. */
  static final int USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    System.exit(
        execute(
            args,
            // The terminal's charset, as before; said explicitly so that the choice is visible.
            new PrintWriter(new OutputStreamWriter(System.out, Charset.defaultCharset()), true),
            new PrintWriter(new OutputStreamWriter(System.err, Charset.defaultCharset()), true)));
  }

  /** Runs the command with the given streams and returns its exit code (for tests). */
  static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(
        e -> e instanceof IllegalArgumentException ? USAGE : CHECK_FAILED);
    cli.setParameterExceptionHandler(
        (e, a) -> {
          e.getCommandLine().getErr().println("cloudpatch: " + e.getMessage());
          e.getCommandLine().usage(e.getCommandLine().getErr());
          return USAGE;
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("cloudpatch: " + e.getMessage());
          return e instanceof IllegalArgumentException ? USAGE : CHECK_FAILED;
        });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }
}
