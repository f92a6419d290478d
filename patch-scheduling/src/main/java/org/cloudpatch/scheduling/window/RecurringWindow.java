package org.cloudpatch.scheduling.window;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.regex.Pattern;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.jspecify.annotations.Nullable;

/**
 * A maintenance window on a schedule written in one of the grammars users already have, with a
 * duration, a cutoff, a day offset and start and end bounds. {@link #parse(String, LocalDateTime)}
 * tells the grammars apart by form:
 *
 * <ul>
 *   <li><b>RFC 5545 RRULE</b>, e.g. {@code DTSTART:20250105T020000 RRULE:FREQ=MONTHLY;BYDAY=2TU}
 *       (recognised by {@code FREQ=}): DAILY, WEEKLY, MONTHLY, YEARLY with INTERVAL, COUNT, UNTIL,
 *       BYMONTH, BYMONTHDAY, BYDAY (with ordinals), BYHOUR, BYMINUTE, BYSETPOS and WKST;
 *   <li><b>AWS</b> Systems Manager / EventBridge {@code cron(min hour dom month dow year)} with
 *       {@code ?}, {@code L}, {@code W} and {@code #} (its schedule offset of 1-6 days is {@link
 *       #withDayOffset(int)});
 *   <li><b>Unix cron</b>, five fields or an {@code @daily}-style macro, with Vixie cron's rule that
 *       a day matches either restricted day field;
 *   <li><b>Azure</b> maintenance configurations' {@code recurEvery} ({@code Month Second Tuesday
 *       Offset2}, {@code Week Saturday,Sunday}, {@code Day}, {@code 3Weeks}, {@code Month
 *       day23,day24}), bare or as a {@code maintenanceWindow} JSON object;
 *   <li><b>GCP</b> OS Config patch deployments' {@code recurringSchedule} JSON (DAILY, WEEKLY,
 *       MONTHLY with {@code monthDay} or {@code weekDayOfMonth} and its {@code dayOffset}).
 * </ul>
 *
 * <p>The schedule has no zone of its own; in every zone it guarantees what {@link WindowSchedule}
 * states: a nominal start in a DST gap moves forward by the gap, one in an overlap takes the
 * earlier offset, duration and cutoff are elapsed time, and starts are strictly increasing — two
 * nominal times that land on the same instant (02:30 moved to 03:30 on a night that also has a
 * 03:30) open one window, and a fall-back night never opens a window twice. Instances are
 * immutable.
 */
public final class RecurringWindow implements WindowSchedule {
  /** The longest day offset, as GCP's {@code dayOffset} allows. */
  public static final int MAX_DAY_OFFSET = 30;

  private static final Duration DEFAULT_DURATION = Duration.ofHours(1);
  private static final Pattern CRON_FIELDS = Pattern.compile("\\s*(\\S+\\s+){4}\\S+\\s*");
  private static final Pattern AZURE_FORM =
      Pattern.compile("(?i)\\s*\\d*(days?|weeks?|months?)(\\s.*)?");

  private final String expression;
  private final @Nullable LocalDateTime anchor;
  private final Recurrence recurrence;
  private final Duration duration;
  private final Duration cutoffBeforeEnd;
  private final int dayOffset;
  private final @Nullable LocalDateTime notBefore;
  private final @Nullable LocalDateTime notAfter;

  private RecurringWindow(
      String expression,
      @Nullable LocalDateTime anchor,
      Recurrence recurrence,
      Duration duration,
      Duration cutoffBeforeEnd,
      int dayOffset,
      @Nullable LocalDateTime notBefore,
      @Nullable LocalDateTime notAfter) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive: " + duration);
    }
    if (cutoffBeforeEnd.isNegative() || cutoffBeforeEnd.compareTo(duration) > 0) {
      throw new IllegalArgumentException(
          "cutoffBeforeEnd "
              + cutoffBeforeEnd
              + " must be between zero and the duration "
              + duration);
    }
    if (Math.abs(dayOffset) > MAX_DAY_OFFSET) {
      throw new IllegalArgumentException(
          "dayOffset " + dayOffset + " is outside -" + MAX_DAY_OFFSET + ".." + MAX_DAY_OFFSET);
    }
    if (notBefore != null && notAfter != null && notAfter.isBefore(notBefore)) {
      throw new IllegalArgumentException(
          "notAfter " + notAfter + " is before notBefore " + notBefore);
    }
    this.expression = expression;
    this.anchor = anchor;
    this.recurrence = recurrence;
    this.duration = duration;
    this.cutoffBeforeEnd = cutoffBeforeEnd;
    this.dayOffset = dayOffset;
    this.notBefore = notBefore;
    this.notAfter = notAfter;
  }

  /**
   * Reads a schedule that carries its own start: an RRULE with {@code DTSTART}, a cron expression,
   * or a JSON schedule. Same as {@link #parse(String, LocalDateTime)} without an anchor.
   *
   * @throws InvalidScheduleException naming the field and column when the expression is invalid or
   *     needs an anchor (an RRULE without DTSTART, a bare Azure recurEvery)
   */
  public static RecurringWindow parse(String expression) {
    return parse(expression, null);
  }

  /**
   * Reads a schedule in any of the grammars above, detected by form; the duration is the
   * expression's own (Azure's {@code duration}, a GCP patch deployment's {@code duration}) or one
   * hour, with no cutoff and no day offset until set.
   *
   * @param expression the schedule, never null
   * @param anchor the wall-clock start for forms that need one and lack it: DTSTART of an RRULE
   *     without one, the {@code startDateTime} of a bare Azure {@code recurEvery} (whose time of
   *     day is the anchor's); null to require the expression to carry its own
   * @throws InvalidScheduleException naming the grammar, the field and the column (or JSON pointer)
   */
  public static RecurringWindow parse(String expression, @Nullable LocalDateTime anchor) {
    Objects.requireNonNull(expression, "expression");
    String trimmed = expression.strip();
    String lower = trimmed.toLowerCase(Locale.ROOT);
    Recurrence recurrence;
    Duration duration = DEFAULT_DURATION;
    LocalDateTime notBefore = null;
    LocalDateTime notAfter = null;
    if (trimmed.startsWith("{")) {
      CloudSchedules.Parsed parsed = CloudSchedules.json(trimmed);
      recurrence = parsed.recurrence();
      notBefore = parsed.notBefore();
      notAfter = parsed.notAfter();
      if (parsed.duration() != null) {
        duration = parsed.duration();
      }
    } else if (lower.startsWith("cron(")) {
      recurrence = CronRecurrence.aws(expression);
    } else if (lower.startsWith("rate(") || lower.startsWith("at(")) {
      throw new InvalidScheduleException(
          "aws schedule",
          "expression",
          1,
          trimmed,
          "rate() and at() have no wall-clock time of day; write a cron(...) expression");
    } else if (lower.contains("freq=")) {
      recurrence = RruleRecurrence.parse(expression, anchor);
    } else if (trimmed.startsWith("@") || CRON_FIELDS.matcher(trimmed).matches()) {
      recurrence = CronRecurrence.unix(expression);
    } else if (AZURE_FORM.matcher(trimmed).matches()) {
      if (anchor == null) {
        throw new InvalidScheduleException(
            "azure recurEvery", "startDateTime", 0, "", "missing (give an anchor)");
      }
      recurrence = CloudSchedules.azure(trimmed, anchor);
      notBefore = anchor;
    } else {
      throw new InvalidScheduleException(
          "schedule",
          "expression",
          1,
          trimmed,
          "not an RRULE (FREQ=...), a cron expression (5 fields or cron(...)), an Azure recurEvery"
              + " or a JSON schedule");
    }
    return new RecurringWindow(
        expression, anchor, recurrence, duration, Duration.ZERO, 0, notBefore, notAfter);
  }

  /** The expression this schedule was read from. */
  public String expression() {
    return expression;
  }

  /** How long each occurrence stays open, in elapsed time. */
  public Duration duration() {
    return duration;
  }

  /** How long before the end no new job starts, in elapsed time. */
  public Duration cutoffBeforeEnd() {
    return cutoffBeforeEnd;
  }

  /** Calendar days each nominal start is moved by (e.g. 3: "three days after Patch Tuesday"). */
  public int dayOffset() {
    return dayOffset;
  }

  /** The earliest local wall-clock start (after the day offset), if bounded. */
  public java.util.Optional<LocalDateTime> notBefore() {
    return java.util.Optional.ofNullable(notBefore);
  }

  /** The latest local wall-clock start (after the day offset), if bounded. */
  public java.util.Optional<LocalDateTime> notAfter() {
    return java.util.Optional.ofNullable(notAfter);
  }

  /** This schedule with another duration: positive, and at least the cutoff. */
  public RecurringWindow withDuration(Duration duration) {
    return new RecurringWindow(
        expression,
        anchor,
        recurrence,
        Objects.requireNonNull(duration, "duration"),
        cutoffBeforeEnd,
        dayOffset,
        notBefore,
        notAfter);
  }

  /** This schedule with a cutoff: from zero up to the duration. */
  public RecurringWindow withCutoffBeforeEnd(Duration cutoffBeforeEnd) {
    return new RecurringWindow(
        expression,
        anchor,
        recurrence,
        duration,
        Objects.requireNonNull(cutoffBeforeEnd, "cutoffBeforeEnd"),
        dayOffset,
        notBefore,
        notAfter);
  }

  /** This schedule with each nominal start moved by {@code days} (-30 to 30) calendar days. */
  public RecurringWindow withDayOffset(int days) {
    return new RecurringWindow(
        expression, anchor, recurrence, duration, cutoffBeforeEnd, days, notBefore, notAfter);
  }

  /** This schedule with no occurrence whose local start is before {@code start}. */
  public RecurringWindow withNotBefore(LocalDateTime start) {
    return new RecurringWindow(
        expression,
        anchor,
        recurrence,
        duration,
        cutoffBeforeEnd,
        dayOffset,
        Objects.requireNonNull(start, "start"),
        notAfter);
  }

  /** This schedule with no occurrence whose local start is after {@code end}. */
  public RecurringWindow withNotAfter(LocalDateTime end) {
    return new RecurringWindow(
        expression,
        anchor,
        recurrence,
        duration,
        cutoffBeforeEnd,
        dayOffset,
        notBefore,
        Objects.requireNonNull(end, "end"));
  }

  @Override
  public List<MaintenanceWindow> occurrences(ZoneId zone, Instant from, int count) {
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(from, "from");
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative: " + count);
    }
    List<MaintenanceWindow> result = new ArrayList<>(Math.min(count, 1024));
    // An occurrence qualifies when its cutoff is not before `from`, i.e. it starts no earlier.
    Instant earliestStart = from.minus(duration.minus(cutoffBeforeEnd));
    // Two days of slack: no zone's offset has changed by more than a day at once.
    LocalDateTime cursor = LocalDateTime.ofInstant(earliestStart, zone).minusDays(2L + dayOffset);
    if (notBefore != null && cursor.isBefore(notBefore.minusDays(dayOffset))) {
      cursor = notBefore.minusDays(dayOffset);
    }
    // Resolved starts are ordered like their nominal times except around a gap (02:30 moves past
    // 03:00), so starts wait here until no later nominal time can resolve before them.
    PriorityQueue<Instant> pending = new PriorityQueue<>();
    Instant last = null;
    while (result.size() < count) {
      LocalDateTime nominal = recurrence.next(cursor);
      LocalDateTime local = nominal == null ? null : nominal.plusDays(dayOffset);
      if (local != null && notAfter != null && local.isAfter(notAfter)) {
        local = null;
      }
      // No offset exceeds +18:00, so no local time at or after `local` resolves before this.
      Instant bound = local == null ? null : local.toInstant(ZoneOffset.MAX);
      while (!pending.isEmpty()
          && result.size() < count
          && (bound == null || pending.peek().isBefore(bound))) {
        Instant start = pending.poll();
        if (!start.equals(last)) {
          last = start;
          result.add(window(start, zone));
        }
      }
      if (local == null || nominal == null) {
        break;
      }
      Instant start = resolve(local, zone);
      if (!start.isBefore(earliestStart)) {
        pending.add(start);
      }
      cursor = nominal.plusNanos(1);
    }
    return Collections.unmodifiableList(result);
  }

  private MaintenanceWindow window(Instant start, ZoneId zone) {
    Instant end = start.plus(duration);
    return MaintenanceWindow.builder()
        .start(start)
        .end(end)
        .cutoff(end.minus(cutoffBeforeEnd))
        .zone(zone)
        .build();
  }

  /**
   * DESIGN §6 in one rule: read the wall-clock time on the offset in force before a transition it
   * falls into. In a gap that is the time moved forward by the gap; in an overlap, the earlier
   * offset.
   */
  static Instant resolve(LocalDateTime local, ZoneId zone) {
    ZoneRules rules = zone.getRules();
    ZoneOffsetTransition transition = rules.getTransition(local);
    return transition == null
        ? local.toInstant(rules.getOffset(local))
        : local.toInstant(transition.getOffsetBefore());
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RecurringWindow w
        && expression.equals(w.expression)
        && Objects.equals(anchor, w.anchor)
        && duration.equals(w.duration)
        && cutoffBeforeEnd.equals(w.cutoffBeforeEnd)
        && dayOffset == w.dayOffset
        && Objects.equals(notBefore, w.notBefore)
        && Objects.equals(notAfter, w.notAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        expression, anchor, duration, cutoffBeforeEnd, dayOffset, notBefore, notAfter);
  }

  @Override
  public String toString() {
    return "RecurringWindow{"
        + expression
        + ", duration="
        + duration
        + (cutoffBeforeEnd.isZero() ? "" : ", cutoffBeforeEnd=" + cutoffBeforeEnd)
        + (dayOffset == 0 ? "" : ", dayOffset=" + dayOffset)
        + (notBefore == null ? "" : ", notBefore=" + notBefore)
        + (notAfter == null ? "" : ", notAfter=" + notAfter)
        + "}";
  }
}
