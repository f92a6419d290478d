package org.cloudpatch.scheduling.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.quicktheories.QuickTheory.qt;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * RRULE expansion against python-dateutil (Debian's {@code python3-dateutil}), one Python process
 * for all generated rules; skipped where no {@code python3} with dateutil and zoneinfo is found.
 *
 * <p><b>How DST-gap times compare.</b> dateutil expands a rule in floating wall-clock time and so
 * yields nominal times that a zone may not have (02:30 on a spring-forward night) or have twice.
 * The script normalises each nominal time by DESIGN §6 before comparing: it attaches the zone with
 * {@code fold=0} through Python's {@code zoneinfo}, which per PEP 495 reads a time in a gap on the
 * offset before the transition (that is, moved forward by the gap) and a time in an overlap on the
 * earlier offset, and converts to UTC; then it sorts the instants and merges equal ones (a gap time
 * moved onto another occurrence opens one window), exactly what {@link RecurringWindow} promises.
 * The instants at or after the starting point are compared, to the second. Python reads the
 * system's tz database and the JDK its own; rules start between 2000 and 2035, where the two agree
 * for the zones used.
 */
class DateutilOracleTest {
  private static final int RULES = 1000;
  private static final int OCCURRENCES = 15;
  private static final DateTimeFormatter BASIC =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss", Locale.ROOT);
  private static final List<String> ZONES =
      List.of(
          "Europe/Berlin",
          "America/New_York",
          "Australia/Lord_Howe",
          "Pacific/Chatham",
          "Africa/Casablanca",
          "America/Santiago",
          "Africa/Cairo",
          "America/Havana",
          "Pacific/Apia",
          "America/St_Johns",
          "Asia/Kolkata",
          "Europe/London");
  private static final String[] DAYS = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

  private static final String SCRIPT =
      String.join(
          "\n",
          "import sys, datetime",
          "from zoneinfo import ZoneInfo",
          "from dateutil.rrule import rrulestr",
          "UTC = datetime.timezone.utc",
          "for line in sys.stdin:",
          "    zone, rule, start, n = line.rstrip('\\n').split('\\t')",
          "    n = int(n)",
          "    z = ZoneInfo(zone)",
          "    start = datetime.datetime.fromisoformat(start.replace('Z', '+00:00'))",
          "    try:",
          "        r = rrulestr(rule.replace(' ', '\\n'))",
          "        begin = start.astimezone(z).replace(tzinfo=None) - datetime.timedelta(days=2)",
          "        found = set()",
          "        later = 0",
          "        for dt in r.xafter(begin, inc=True):",
          "            at = dt.replace(tzinfo=z, fold=0).astimezone(UTC)",
          "            if at >= start:",
          "                found.add(at)",
          "                later += 1",
          "            if later >= n + 10:",
          "                break",
          "        out = sorted(found)[:n]",
          "        print(' '.join(a.strftime('%Y-%m-%dT%H:%M:%SZ') for a in out))",
          "    except Exception as e:",
          "        print('error: ' + str(e).replace('\\n', ' '))",
          "");

  private static String python;

  @BeforeAll
  static void findPython() {
    python = interpreter();
    assumeTrue(python != null, "no python3 with dateutil and zoneinfo on PATH");
  }

  /** A rule, a zone and a starting instant. */
  private record Example(String rule, String zone, Instant from) {}

  private static final Gen<Example> EXAMPLES =
      Generate.longRange(Long.MIN_VALUE, Long.MAX_VALUE).map(seed -> example(new Random(seed)));

  @Test
  void rruleExpansion_agreesWithDateutil_normalisedByDesign6() throws Exception {
    List<Example> examples = new ArrayList<>();
    qt().withFixedSeed(0x5545L).withExamples(RULES).forAll(EXAMPLES).checkAssert(examples::add);
    List<String> theirs = run(examples);

    List<String> disagreements = new ArrayList<>();
    int compared = 0;
    for (int i = 0; i < examples.size(); i++) {
      Example e = examples.get(i);
      ZoneId zone = ZoneId.of(e.zone());
      String answer = theirs.get(i);
      if (answer.startsWith("error")) {
        disagreements.add(e + ": dateutil says " + answer);
        continue;
      }
      List<MaintenanceWindow> ours =
          RecurringWindow.parse(e.rule())
              .withDuration(Duration.ofMinutes(1))
              .withCutoffBeforeEnd(Duration.ofMinutes(1))
              .occurrences(zone, e.from(), OCCURRENCES);
      String mine = String.join(" ", ours.stream().map(w -> w.start().toString()).toList());
      compared += ours.size();
      if (!normalise(mine).equals(normalise(answer))) {
        disagreements.add(e + "\n  dateutil: " + answer + "\n  ours:     " + mine);
      }
    }
    assertTrue(
        disagreements.isEmpty(),
        disagreements.size()
            + " of "
            + examples.size()
            + " rules disagree, e.g.\n"
            + String.join("\n", disagreements.subList(0, Math.min(5, disagreements.size()))));
    assertTrue(compared > RULES * 5, "only " + compared + " occurrences compared");
  }

  @Test
  void oracle_normalisesAGapTimeForwardByTheGap() throws Exception {
    Example gap =
        new Example(
            "DTSTART:20250329T023000 RRULE:FREQ=DAILY;COUNT=3",
            "Europe/Berlin",
            Instant.parse("2025-03-28T00:00:00Z"));
    assertEquals(
        List.of("2025-03-29T01:30:00Z 2025-03-30T01:30:00Z 2025-03-31T00:30:00Z"),
        run(List.of(gap)));
  }

  private static String normalise(String instants) {
    return instants.strip();
  }

  private static Example example(Random r) {
    String freq = List.of("DAILY", "WEEKLY", "MONTHLY", "YEARLY").get(r.nextInt(4));
    LocalDateTime start =
        LocalDateTime.of(2000 + r.nextInt(36), 1 + r.nextInt(12), 1 + r.nextInt(28), 0, 0)
            .withHour(r.nextInt(3) == 0 ? r.nextInt(24) : r.nextInt(4))
            .withMinute(15 * r.nextInt(4));
    StringBuilder rule = new StringBuilder("FREQ=").append(freq);
    if (r.nextInt(3) == 0) {
      rule.append(";INTERVAL=").append(2 + r.nextInt(3));
    }
    boolean monthlyOrYearly = freq.equals("MONTHLY") || freq.equals("YEARLY");
    boolean byMonth = r.nextInt(4) == 0;
    if (byMonth) {
      rule.append(";BYMONTH=").append(1 + r.nextInt(12));
      if (r.nextBoolean()) {
        rule.append(',').append(1 + r.nextInt(12));
      }
    }
    int dayPart = r.nextInt(4);
    if (dayPart == 1) {
      rule.append(";BYMONTHDAY=").append(monthDay(r, byMonth));
      if (r.nextBoolean()) {
        rule.append(',').append(monthDay(r, byMonth));
      }
    } else if (dayPart == 2 || (dayPart == 3 && !monthlyOrYearly)) {
      rule.append(";BYDAY=").append(DAYS[r.nextInt(7)]);
      if (r.nextBoolean()) {
        rule.append(',').append(DAYS[r.nextInt(7)]);
      }
    } else if (dayPart == 3) {
      int ordinal = r.nextBoolean() ? -1 - r.nextInt(2) : 1 + r.nextInt(4);
      rule.append(";BYDAY=").append(ordinal).append(DAYS[r.nextInt(7)]);
    }
    if (r.nextInt(3) == 0) {
      rule.append(";BYHOUR=").append(r.nextInt(4));
      if (r.nextBoolean()) {
        rule.append(',').append(r.nextInt(24));
      }
    }
    if (r.nextInt(4) == 0) {
      rule.append(";BYMINUTE=").append(15 * r.nextInt(4)).append(',').append(30);
    }
    if (monthlyOrYearly && dayPart == 2 && r.nextInt(3) == 0) {
      rule.append(";BYSETPOS=").append(r.nextBoolean() ? -1 : 1);
    }
    if (freq.equals("WEEKLY") && r.nextInt(3) == 0) {
      rule.append(";WKST=").append(DAYS[r.nextInt(7)]);
    }
    int end = r.nextInt(5);
    if (end == 0) {
      rule.append(";COUNT=").append(1 + r.nextInt(40));
    } else if (end == 1) {
      rule.append(";UNTIL=").append(BASIC.format(start.plusDays(30 + r.nextInt(700))));
    }
    String zone = ZONES.get(r.nextInt(ZONES.size()));
    Instant from =
        start.plusDays(r.nextInt(500) - 20).plusHours(r.nextInt(24)).toInstant(ZoneOffset.UTC);
    return new Example("DTSTART:" + BASIC.format(start) + " RRULE:" + rule, zone, from);
  }

  private static int monthDay(Random r, boolean byMonth) {
    // Days 29-31 only without BYMONTH, so that no rule is impossible (dateutil would search to
    // year 9999 for 31 February).
    int day = 1 + r.nextInt(byMonth ? 28 : 31);
    return r.nextInt(4) == 0 ? -day : day;
  }

  private static List<String> run(List<Example> examples) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("dateutil-oracle");
    try {
      Path script = dir.resolve("oracle.py");
      Path in = dir.resolve("rules.tsv");
      Path out = dir.resolve("answers.txt");
      Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
      StringBuilder sb = new StringBuilder();
      for (Example e : examples) {
        sb.append(e.zone())
            .append('\t')
            .append(e.rule())
            .append('\t')
            .append(e.from())
            .append('\t')
            .append(OCCURRENCES)
            .append('\n');
      }
      Files.writeString(in, sb, StandardCharsets.UTF_8);
      Process p =
          new ProcessBuilder(python, script.toString())
              .redirectInput(in.toFile())
              .redirectOutput(out.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        fail("dateutil did not finish in 5 minutes");
      }
      assertEquals(0, p.exitValue(), "the oracle failed");
      List<String> answers = Files.readAllLines(out, StandardCharsets.UTF_8);
      assertEquals(examples.size(), answers.size(), "one answer per rule");
      return answers;
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  private static String interpreter() {
    List<String> candidates = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        candidates.add(Path.of(dir.isEmpty() ? "." : dir, "python3").toString());
      }
    }
    candidates.add("/usr/bin/python3");
    for (String candidate : candidates) {
      if (!Files.isExecutable(Path.of(candidate))) {
        continue;
      }
      try {
        Process p =
            new ProcessBuilder(candidate, "-c", "import dateutil.rrule, zoneinfo")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return candidate;
        }
      } catch (IOException e) {
        // try the next one
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }
}
