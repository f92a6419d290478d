package org.cloudpatch.scheduling.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Daily and weekly cron forms against {@code systemd-analyze calendar}, another implementation of
 * wall-clock recurrences over the system's tz database; skipped where it is absent. systemd takes
 * the earlier offset in an overlap, as DESIGN §6 does, but lets a time in a gap pass without
 * elapsing; so the starts that cloudpatch moved out of a gap are left out of the comparison and
 * must be exactly the ones systemd does not have. Everything else agrees to the second.
 */
class CronSystemdOracleTest {
  private static final Pattern ELAPSE =
      Pattern.compile(
          "(?:Next elapse|Iter\\. #\\d+): \\w{3} (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d) UTC");
  private static final DateTimeFormatter SYSTEMD_UTC =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final int ITERATIONS = 120;

  @ParameterizedTest(name = "{0} = {1} in {2}")
  @CsvSource({
    "30 2 * * *, *-*-* 02:30:00, Europe/Berlin",
    "0 2 * * *, *-*-* 02:00:00, America/New_York",
    "15 2 * * *, *-*-* 02:15:00, Australia/Lord_Howe",
    "0 0 * * *, *-*-* 00:00:00, Africa/Cairo",
    "0 0 * * *, *-*-* 00:00:00, America/Havana",
    "0 0 * * *, *-*-* 00:00:00, America/Santiago",
    "0 3 * * 0, Sun *-*-* 03:00:00, Pacific/Chatham",
    "'30 2 * * 6,0', 'Sat,Sun *-*-* 02:30:00', Africa/Casablanca",
    "0 1 * * 1-5, Mon..Fri *-*-* 01:00:00, Europe/London",
    "0 0 * * 5, Fri *-*-* 00:00:00, Pacific/Apia"
  })
  void cron_agreesWithSystemd_outsideGaps(String cron, String calendar, String zoneId)
      throws Exception {
    String systemd = onPath("systemd-analyze");
    assumeTrue(systemd != null, "systemd-analyze is not on PATH");
    ZoneId zone = ZoneId.of(zoneId);
    for (Instant base :
        List.of(Instant.parse("2011-06-01T12:00:00Z"), Instant.parse("2024-06-01T12:00:00Z"))) {
      List<Instant> theirs = systemd(systemd, calendar + " " + zoneId, base);
      Instant last = theirs.get(theirs.size() - 1);
      List<Instant> ours = new ArrayList<>();
      List<Instant> moved = new ArrayList<>();
      for (MaintenanceWindow w :
          RecurringWindow.parse(cron)
              .withDuration(Duration.ofMinutes(1))
              .withCutoffBeforeEnd(Duration.ofMinutes(1))
              .occurrences(zone, base.plusSeconds(1), ITERATIONS * 2)) {
        if (w.start().isAfter(last)) {
          break;
        }
        (movedOutOfAGap(zone, w.start()) ? moved : ours).add(w.start());
      }
      assertEquals(theirs, ours, cron + " in " + zoneId + " from " + base);
      for (Instant m : moved) {
        assertTrue(!theirs.contains(m), "systemd has the moved start " + m);
      }
    }
  }

  /**
   * Whether a start was moved out of a gap: it lies less than the gap's length after a gap
   * transition, so its nominal time, read on the offset before, fell inside the gap.
   */
  private static boolean movedOutOfAGap(ZoneId zone, Instant start) {
    var t = zone.getRules().previousTransition(start.plusNanos(1));
    return t != null && t.isGap() && start.isBefore(t.getInstant().plus(t.getDuration()));
  }

  private static List<Instant> systemd(String systemd, String spec, Instant base) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                systemd,
                "calendar",
                "--iterations=" + ITERATIONS,
                "--base-time=@" + base.getEpochSecond(),
                spec)
            .redirectErrorStream(true);
    builder.environment().put("TZ", "UTC");
    builder.environment().put("LC_ALL", "C");
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "systemd-analyze did not finish");
    String text = new String(output, StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), () -> spec + ": " + text);
    List<Instant> result = new ArrayList<>();
    Matcher matcher = ELAPSE.matcher(text);
    while (matcher.find()) {
      result.add(LocalDateTime.parse(matcher.group(1), SYSTEMD_UTC).toInstant(ZoneOffset.UTC));
    }
    assertEquals(ITERATIONS, result.size(), () -> spec + ": " + text);
    return result;
  }

  private static String onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
