package org.cloudpatch.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import org.cloudpatch.inventory.version.VersionScheme;
import org.cloudpatch.inventory.version.VersionSchemes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cloudpatch vercmp}: compares versions under an ecosystem's ordering. */
@Command(
    name = "vercmp",
    mixinStandardHelpOptions = true,
    description = {
      "Compares two versions and prints <, = or >.",
      "Without versions, reads lines 'A B' from standard input and prints one result per line;"
          + " a version the scheme rejects prints 'invalid' (the reason goes to standard error)."
    })
final class VercmpCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--ecosystem",
      required = true,
      paramLabel = "ECO",
      description = "An OSV ecosystem name, e.g. Debian or Ubuntu.")
  String ecosystem;

  @Parameters(arity = "0..*", paramLabel = "VERSION")
  List<String> versions = List.of();

  @Override
  public Integer call() {
    VersionScheme scheme =
        VersionSchemes.forEcosystem(ecosystem)
            .orElseThrow(
                () ->
                    new CommandLine.ParameterException(
                        spec.commandLine(),
                        "no version ordering for ecosystem '" + ecosystem + "'"));
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // Any count but none or two is a usage error: reading standard input instead would answer a
    // question nobody asked.
    if (versions.size() != 0 && versions.size() != 2) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "give two versions, or none to read pairs from standard input (given "
              + versions.size()
              + ")");
    }
    if (versions.size() == 2) {
      try {
        out.println(symbol(scheme.compare(versions.get(0), versions.get(1))));
        return 0;
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    int invalid = 0;
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        String[] pair = line.strip().split("\\s+");
        if (pair.length != 2) {
          out.println("invalid");
          err.println(
              "line " + number + ": expected two versions separated by space: '" + line + "'");
          invalid++;
          continue;
        }
        try {
          out.println(symbol(scheme.compare(pair[0], pair[1])));
        } catch (IllegalArgumentException e) {
          out.println("invalid");
          err.println("line " + number + ": " + e.getMessage());
          invalid++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return invalid == 0 ? 0 : Main.CHECK_FAILED;
  }

  private static String symbol(int c) {
    return c < 0 ? "<" : c > 0 ? ">" : "=";
  }
}
