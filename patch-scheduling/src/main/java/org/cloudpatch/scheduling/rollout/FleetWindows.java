package org.cloudpatch.scheduling.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.cloudpatch.scheduling.window.WindowSchedule;

/**
 * The job starts a request's window schedules allow, per schedule and zone, read once per plan:
 * each occurrence that opens before the horizon as a closed span of starts (from its opening, or
 * {@code notBefore}, to the earlier of its cutoff and its end less one slot), and the intersections
 * a {@code SAME_INSTANT} group needs.
 */
final class FleetWindows {
  /** Closed span of allowed job starts. */
  record Span(Instant from, Instant to) {}

  /** The starts an occurrence allows for a job of one slot. */
  record Allowed(Span span, MaintenanceWindow occurrence) {}

  private final FleetRequest request;
  private final Duration slot;
  private final long slotNanos;
  private final Instant notBefore;
  private final Instant horizonEnd;
  private final Map<FleetUnit.Key, List<Allowed>> allowedByKey = new HashMap<>();
  private final Map<FleetUnit.Key, Boolean> disjointByKey = new HashMap<>();

  FleetWindows(FleetRequest request) {
    this.request = request;
    this.slot = request.policy().slot();
    // Zero when the slot is too long for whole nanoseconds (centuries): then gridStart divides
    // the slow way.
    this.slotNanos = slot.toSeconds() < 1_000_000_000L ? slot.toNanos() : 0;
    this.notBefore = request.notBefore();
    this.horizonEnd = notBefore.plus(request.policy().horizon());
  }

  Instant horizonEnd() {
    return horizonEnd;
  }

  static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  /** The starts each occurrence of the key's schedule allows, from {@code notBefore} on. */
  List<Allowed> allowed(FleetUnit.Key key) {
    return allowedByKey.computeIfAbsent(
        key,
        k -> {
          WindowSchedule schedule = Objects.requireNonNull(request.schedules().get(k.schedule()));
          List<Allowed> result = new ArrayList<>();
          Instant from = notBefore;
          // Occurrences come in batches; a schedule with more than this many in the horizon
          // (every few minutes for months) is cut off here rather than exhausting memory.
          while (result.size() < 20_000) {
            List<MaintenanceWindow> batch = schedule.occurrences(k.zone(), from, 64);
            boolean more = batch.size() == 64;
            for (MaintenanceWindow occ : batch) {
              if (!occ.start().isBefore(horizonEnd)) {
                more = false;
                break;
              }
              Instant a = later(occ.start(), notBefore);
              Instant b = earlier(occ.cutoff(), occ.end().minus(slot));
              if (!a.isAfter(b)) {
                result.add(new Allowed(new Span(a, b), occ));
              }
              from = occ.cutoff().plusNanos(1);
            }
            if (!more) {
              break;
            }
          }
          return result;
        });
  }

  /**
   * Whether no two allowed spans of the key overlap (occurrences longer than the time between them
   * would): only then does a slot's end bound the starts before it.
   */
  boolean disjoint(FleetUnit.Key key) {
    return disjointByKey.computeIfAbsent(
        key,
        k -> {
          List<Allowed> allowed = allowed(k);
          for (int i = 1; i < allowed.size(); i++) {
            if (!allowed.get(i - 1).span().to().isBefore(allowed.get(i).span().from())) {
              return false;
            }
          }
          return true;
        });
  }

  /**
   * The index of the first allowed occurrence whose starts reach {@code from}: occurrences are in
   * start order and their spans do not overlap, so a binary search finds it (a plan asks this once
   * per unit, and a linear skip over every earlier night grew with the horizon).
   */
  static int firstReaching(List<Allowed> allowed, Instant from) {
    int lo = 0;
    int hi = allowed.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (allowed.get(mid).span().to().isBefore(from)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * The first start on the grid {@code origin + k × slot} at or after {@code from}. In whole
   * nanoseconds: {@code Duration.dividedBy(Duration)} goes through {@code BigDecimal}, and this is
   * asked for every occurrence a unit looks at.
   */
  Instant gridStart(Instant origin, Instant from) {
    if (!origin.isBefore(from)) {
      return origin;
    }
    Duration late = Duration.between(origin, from);
    if (slotNanos == 0 || late.toSeconds() >= 4_000_000_000L) {
      long k = late.dividedBy(slot);
      Instant s = origin.plus(slot.multipliedBy(k));
      return s.isBefore(from) ? s.plus(slot) : s;
    }
    long nanos = late.toNanos();
    long k = (nanos + slotNanos - 1) / slotNanos;
    return origin.plusNanos(k * slotNanos);
  }

  /** Allowed starts of the key from {@code earliest}, merged into disjoint sorted spans. */
  List<Span> startsOf(FleetUnit.Key key, Instant earliest) {
    List<Allowed> allowed = allowed(key);
    List<Span> spans = new ArrayList<>();
    for (int i = firstReaching(allowed, earliest); i < allowed.size(); i++) {
      Allowed a = allowed.get(i);
      Instant from = gridStart(a.occurrence().start(), earliest);
      Span s = new Span(later(a.span().from(), from), a.span().to());
      if (s.from().isAfter(s.to())) {
        continue;
      }
      if (!spans.isEmpty() && !s.from().isAfter(spans.get(spans.size() - 1).to())) {
        Span last = spans.remove(spans.size() - 1);
        spans.add(new Span(last.from(), later(last.to(), s.to())));
      } else {
        spans.add(s);
      }
    }
    return spans;
  }

  static List<Span> intersect(List<Span> a, List<Span> b) {
    List<Span> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.size() && j < b.size()) {
      Instant from = later(a.get(i).from(), b.get(j).from());
      Instant to = earlier(a.get(i).to(), b.get(j).to());
      if (!from.isAfter(to)) {
        out.add(new Span(from, to));
      }
      if (a.get(i).to().isBefore(b.get(j).to())) {
        i++;
      } else {
        j++;
      }
    }
    return out;
  }

  /** The starts every member of the unit's windows allow from {@code earliest}. */
  List<Span> commonStarts(FleetUnit unit, Instant earliest) {
    List<Span> common = null;
    for (FleetUnit.Key key : unit.keys()) {
      List<Span> starts = startsOf(key, earliest);
      common = common == null ? starts : intersect(common, starts);
    }
    return common == null ? List.of() : common;
  }

  /** The intersection of the members' occurrences that allow a start at {@code s}. */
  MaintenanceWindow groupWindow(FleetUnit unit, Instant s) {
    Instant start = Instant.MIN;
    Instant end = Instant.MAX;
    Instant cutoff = Instant.MAX;
    for (FleetUnit.Key key : unit.keys()) {
      List<Allowed> allowed = allowed(key);
      for (int i = firstReaching(allowed, s); i < allowed.size(); i++) {
        Allowed a = allowed.get(i);
        if (!s.isBefore(a.span().from()) && !s.isAfter(a.span().to())) {
          MaintenanceWindow o = a.occurrence();
          start = later(start, o.start());
          end = earlier(end, o.end());
          cutoff = earlier(cutoff, o.cutoff());
          break;
        }
      }
    }
    return MaintenanceWindow.builder()
        .start(start)
        .end(end)
        .cutoff(cutoff)
        .zone(unit.members.get(0).zone())
        .build();
  }

  /** The starts a fixed window allows from {@code earliest} on. */
  List<Span> spansOf(MaintenanceWindow w, Instant earliest) {
    Instant from = later(w.start(), later(notBefore, earliest));
    Instant to = earlier(w.cutoff(), w.end().minus(slot));
    return from.isAfter(to) ? List.of() : List.of(new Span(from, to));
  }
}
