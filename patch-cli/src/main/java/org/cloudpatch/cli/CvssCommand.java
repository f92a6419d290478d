package org.cloudpatch.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cloudpatch.core.severity.Cvss;
import org.cloudpatch.core.severity.CvssScore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cloudpatch cvss}: scores CVSS 3.0, 3.1 and 4.0 vectors. */
@Command(
    name = "cvss",
    mixinStandardHelpOptions = true,
    description = {
      "Prints 'SCORE RATING' per CVSS 3.0, 3.1 or 4.0 vector, e.g. '9.8 CRITICAL': the most"
          + " specific score the vector allows (3.x: environmental, else temporal, else base;"
          + " 4.0: the score of the whole vector).",
      "Without vectors, reads one vector per line from standard input and prints one line per"
          + " input line. A bad vector, or a blank line, prints 'invalid' (the reason goes to"
          + " standard error), the rest goes on, and the exit code is 1."
    })
final class CvssCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "VECTOR")
  List<String> vectors = List.of();

  private final InputStream stdin;

  /** Reads standard input when no vector is given. */
  CvssCommand() {
    this(System.in);
  }

  /** Reads {@code stdin} when no vector is given. */
  CvssCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int invalid = 0;
    if (!vectors.isEmpty()) {
      for (int i = 0; i < vectors.size(); i++) {
        invalid += score(vectors.get(i), "argument " + (i + 1), out, err);
      }
    } else {
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))) {
        String line;
        int number = 0;
        while ((line = in.readLine()) != null) {
          number++;
          if (line.isBlank()) {
            // A line of output per line of input, so that a script can paste the two together.
            out.println("invalid");
            err.println("line " + number + ": blank line, no vector");
            invalid++;
          } else {
            invalid += score(line, "line " + number, out, err);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    out.flush();
    err.flush();
    return invalid == 0 ? 0 : Main.CHECK_FAILED;
  }

  /** Prints the score of one vector, or {@code invalid}; returns 1 when it was invalid. */
  private static int score(String vector, String where, PrintWriter out, PrintWriter err) {
    try {
      CvssScore s = Cvss.score(vector);
      out.println(String.format(Locale.ROOT, "%.1f %s", s.score(), s.rating()));
      return 0;
    } catch (IllegalArgumentException e) {
      out.println("invalid");
      err.println(where + ": " + e.getMessage());
      return 1;
    }
  }
}
