package org.cloudpatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * {@code cloudpatch windows} as DESIGN §10 states it: one line per occurrence, exit 2 on bad input.
 */
class WindowsCommandTest {
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void cron_printsLocalStartLocalEndAndUtcStart_movingTheGapNightForward() {
    Run r =
        run(
            "windows",
            "--schedule",
            "30 2 * * *",
            "--zone",
            "Europe/Berlin",
            "--from",
            "2025-03-29",
            "--count",
            "3",
            "--duration",
            "PT4H");

    assertEquals(0, r.code(), r.err());
    assertEquals(
        "2025-03-29T02:30:00+01:00 2025-03-29T06:30:00+01:00 2025-03-29T01:30:00Z\n"
            + "2025-03-30T03:30:00+02:00 2025-03-30T07:30:00+02:00 2025-03-30T01:30:00Z\n"
            + "2025-03-31T02:30:00+02:00 2025-03-31T06:30:00+02:00 2025-03-31T00:30:00Z\n",
        r.out());
  }

  @Test
  void awsCron_withOffset_isTwoDaysAfterTheThirdTuesday() {
    Run r =
        run(
            "windows",
            "--schedule",
            "cron(30 23 ? * TUE#3 *)",
            "--zone",
            "UTC",
            "--from",
            "2025-06-01T00:00:00Z",
            "--count",
            "1",
            "--offset",
            "2");

    assertEquals("2025-06-19T23:30:00Z 2025-06-20T00:30:00Z 2025-06-19T23:30:00Z\n", r.out());
  }

  @Test
  void rrule_withoutDtstart_startsAtMidnightOfFrom_andEndsAtCount() {
    Run r =
        run(
            "windows",
            "--schedule",
            "FREQ=MONTHLY;BYDAY=2TU;BYHOUR=22;COUNT=2",
            "--zone",
            "America/New_York",
            "--from",
            "2025-01-01",
            "--count",
            "5");

    assertEquals(
        "2025-01-14T22:00:00-05:00 2025-01-14T23:00:00-05:00 2025-01-15T03:00:00Z\n"
            + "2025-02-11T22:00:00-05:00 2025-02-11T23:00:00-05:00 2025-02-12T03:00:00Z\n",
        r.out());
  }

  @Test
  void azureRecurEvery_isDetectedByForm() {
    Run r =
        run(
            "windows",
            "--schedule",
            "Month Second Tuesday Offset2",
            "--zone",
            "UTC",
            "--from",
            "2025-01-01",
            "--count",
            "1");

    assertEquals("2025-01-16T00:00:00Z 2025-01-16T01:00:00Z 2025-01-16T00:00:00Z\n", r.out());
  }

  @Test
  void invalidExpression_exits2_namingFieldAndColumn() {
    Run r = run("windows", "--schedule", "0 12 32 * *", "--zone", "UTC");

    assertEquals(2, r.code());
    assertEquals("", r.out());
    assertTrue(
        r.err().contains("cron: field 3 (day-of-month) \"32\" at column 6: out of range 1-31"),
        r.err());
  }

  @Test
  void unknownZone_exits2() {
    Run r = run("windows", "--schedule", "@daily", "--zone", "Mars/Olympus");

    assertEquals(2, r.code());
    assertTrue(r.err().contains("unknown zone"), r.err());
  }

  @Test
  void badDuration_exits2() {
    Run r = run("windows", "--schedule", "@daily", "--zone", "UTC", "--duration", "4h");

    assertEquals(2, r.code());
    assertTrue(r.err().contains("--duration"), r.err());
  }
}
