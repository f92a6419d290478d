package org.cloudpatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code cloudpatch cvss} as DESIGN section 10 specifies it. */
class CvssCommandTest {
  record Run(int code, String out, String err) {}

  static Run run(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli =
        new CommandLine(
            new CvssCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void cvss31Vector_printsScoreAndRating() {
    Run r = run("", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    assertEquals(0, r.code(), r.err());
    assertEquals("9.8 CRITICAL\n", r.out());
  }

  @Test
  void severalVectors_oneLineEach_mostSpecificScore() {
    Run r =
        run(
            "",
            "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U",
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N",
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N");
    assertEquals(0, r.code(), r.err());
    assertEquals("10.0 CRITICAL\n7.8 HIGH\n0.0 NONE\n9.3 CRITICAL\n", r.out());
  }

  @Test
  void withoutArguments_readsStandardInput_andABadVectorPrintsInvalid() {
    Run r =
        run(
            "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N\n"
                + "\n"
                + "CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n"
                + "CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N\n");
    assertEquals(1, r.code());
    assertEquals("6.5 MEDIUM\ninvalid\ninvalid\n8.6 HIGH\n", r.out());
    assertTrue(r.err().contains("line 3: duplicate metric 'AV'"), r.err());
  }

  @Test
  void badArgument_printsInvalid_reasonOnStderr_exit1() {
    Run r = run("", "CVSS:2.0/AV:N", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    assertEquals(1, r.code());
    assertEquals("invalid\n9.8 CRITICAL\n", r.out());
    assertTrue(r.err().contains("argument 1: not a CVSS 3.0, 3.1 or 4.0 vector"), r.err());
  }

  @Test
  void blankStdinLine_printsInvalid_soThatOutputLinesUpWithInput() {
    Run r = run("\n   \nCVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n");
    assertEquals("invalid\ninvalid\n9.8 CRITICAL\n", r.out());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("line 1: blank line"), r.err());
    assertTrue(r.err().contains("line 2: blank line"), r.err());
  }
}
