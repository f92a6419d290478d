package org.cloudpatch.scheduling.window;

import static java.time.DayOfWeek.SUNDAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An independent oracle: systemd's calendar events ({@code systemd-analyze calendar}) compute the
 * same weekly occurrences from the system's tz database. Skipped when systemd-analyze is absent.
 *
 * <p>systemd agrees with DESIGN §6 in overlaps (it takes the earlier offset) but not in gaps: a
 * wall-clock time that does not exist on a spring-forward night simply does not elapse there, so
 * systemd skips that week, where cloudpatch moves the window forward by the gap. The comparison
 * therefore leaves out the weeks whose start falls in a gap, and checks that those are exactly the
 * weeks systemd skipped; everything else must agree to the second.
 *
 * <p>The JDK and the system may ship different tz database releases; a disagreement here names
 * both, so that a version skew is told apart from a bug.
 */
class SystemdCalendarOracleTest {
  private static final int ITERATIONS = 80;
  private static final Pattern ELAPSE =
      Pattern.compile(
          "(?:Next elapse|Iter\\. #\\d+): \\w{3} (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d) UTC");
  private static final DateTimeFormatter SYSTEMD_UTC =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /**
   * Wednesday noons UTC, five years apart: never a Sunday occurrence, so "after" is unambiguous.
   */
  private static final List<Instant> BASES =
      List.of(Instant.parse("2021-01-06T12:00:00Z"), Instant.parse("2026-01-07T12:00:00Z"));

  private static final List<String> NAMED_ZONES =
      List.of(
          "Europe/Berlin",
          "America/New_York",
          "Australia/Sydney",
          "Asia/Kolkata",
          "Pacific/Chatham",
          "Asia/Tokyo",
          "Etc/UTC",
          "Europe/Dublin",
          "Australia/Lord_Howe",
          "Antarctica/Troll",
          "Africa/Casablanca",
          "America/Santiago",
          "America/St_Johns",
          "Asia/Kathmandu",
          "Pacific/Apia");

  private static final List<LocalTime> TIMES =
      List.of(
          LocalTime.of(0, 0),
          LocalTime.of(1, 30),
          LocalTime.of(2, 0),
          LocalTime.of(2, 30),
          LocalTime.of(3, 0));

  private static String systemd;

  @BeforeAll
  static void findSystemd() {
    systemd = onPath("systemd-analyze");
    assumeTrue(systemd != null, "systemd-analyze is not on PATH");
  }

  static Stream<Arguments> namedZones() {
    return NAMED_ZONES.stream()
        .flatMap(zone -> TIMES.stream().map(time -> Arguments.of(zone, time)));
  }

  @ParameterizedTest(name = "Sun {1} {0}")
  @MethodSource("namedZones")
  void weeklyOccurrences_agreeWithSystemd_outsideGaps(String zone, LocalTime time)
      throws Exception {
    compare(ZoneId.of(zone), time);
  }

  @Test
  void weeklyOccurrences_agreeWithSystemd_inRandomZones() throws Exception {
    assumeTrue(systemd != null);
    List<String> zones = new ArrayList<>();
    for (String id : ZoneId.getAvailableZoneIds()) {
      if (Files.isRegularFile(Path.of("/usr/share/zoneinfo", id))) {
        zones.add(id);
      }
    }
    Collections.sort(zones);
    // A fixed seed: an oracle that disagrees must disagree again on the next run.
    Collections.shuffle(zones, new Random(20250330L));
    for (String zone : zones.subList(0, Math.min(20, zones.size()))) {
      compare(ZoneId.of(zone), LocalTime.of(2, 0));
    }
  }

  @Test
  void systemd_skipsTheGapWeek_whereCloudpatchMovesForward() throws Exception {
    assumeTrue(systemd != null);
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    Instant base = Instant.parse("2025-03-19T12:00:00Z");

    List<Instant> theirs = systemd(berlin, LocalTime.of(2, 30), base, 2);
    List<MaintenanceWindow> ours = window(LocalTime.of(2, 30)).occurrences(berlin, base, 2);

    // systemd: 23 March, then 6 April. cloudpatch: 23 March, then 30 March at 03:30 CEST.
    assertEquals(
        List.of(Instant.parse("2025-03-23T01:30:00Z"), Instant.parse("2025-04-06T00:30:00Z")),
        theirs);
    assertEquals(Instant.parse("2025-03-30T01:30:00Z"), ours.get(1).start());
  }

  private static void compare(ZoneId zone, LocalTime time) throws Exception {
    for (Instant base : BASES) {
      List<Instant> theirs = systemd(zone, time, base, ITERATIONS);
      List<MaintenanceWindow> ours =
          window(time).occurrences(zone, base.plusSeconds(1), ITERATIONS + 10);
      List<Instant> ourOutsideGaps = new ArrayList<>();
      List<Instant> ourInGaps = new ArrayList<>();
      for (MaintenanceWindow occurrence : ours) {
        boolean moved =
            !LocalDateTime.ofInstant(occurrence.start(), zone).toLocalTime().equals(time);
        (moved ? ourInGaps : ourOutsideGaps).add(occurrence.start());
      }
      String context =
          "Sun "
              + time
              + " "
              + zone
              + " from "
              + base
              + " (JDK tzdb "
              + jdkTzdbVersion()
              + ", system tzdata "
              + systemTzdataVersion()
              + ")";
      assertEquals(theirs, ourOutsideGaps.subList(0, theirs.size()), context);
      // Each week moved out of a gap is one systemd skipped: it lies strictly between two of
      // systemd's neighbouring occurrences that are two weeks apart.
      Instant last = theirs.get(theirs.size() - 1);
      for (Instant moved : ourInGaps) {
        if (moved.isAfter(last)) {
          continue;
        }
        assertTrue(!theirs.contains(moved), context + ": systemd has the gap week " + moved);
      }
    }
  }

  /** Sun at {@code time}, one minute long, jobs only at the opening: next() is the next start. */
  private static WeeklyWindow window(LocalTime time) {
    return WeeklyWindow.builder()
        .dayOfWeek(SUNDAY)
        .startTime(time)
        .duration(Duration.ofMinutes(1))
        .cutoffBeforeEnd(Duration.ofMinutes(1))
        .build();
  }

  private static List<Instant> systemd(ZoneId zone, LocalTime time, Instant base, int iterations)
      throws IOException, InterruptedException {
    String spec =
        String.format(
            "Sun *-*-* %02d:%02d:%02d %s",
            time.getHour(), time.getMinute(), time.getSecond(), zone.getId());
    ProcessBuilder builder =
        new ProcessBuilder(
                systemd,
                "calendar",
                "--iterations=" + iterations,
                "--base-time=@" + base.getEpochSecond(),
                spec)
            .redirectErrorStream(true);
    // UTC output and English day names, whatever the machine is set to.
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
    assertEquals(iterations, result.size(), () -> spec + ": " + text);
    return result;
  }

  private static String jdkTzdbVersion() {
    // tzdb.dat starts with a format byte, "TZDB", and the length-prefixed release name.
    Path tzdb = Path.of(System.getProperty("java.home"), "lib", "tzdb.dat");
    try (java.io.DataInputStream in = new java.io.DataInputStream(Files.newInputStream(tzdb))) {
      in.readByte();
      in.readUTF();
      in.readShort();
      return in.readUTF();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String systemTzdataVersion() {
    try (Stream<String> lines = Files.lines(Path.of("/usr/share/zoneinfo/tzdata.zi"))) {
      return lines.findFirst().map(line -> line.replace("# version ", "")).orElse("unknown");
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
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
