package org.cloudpatch.scheduling.rollout;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.cloudpatch.core.rollout.RolloutPlan;
import org.cloudpatch.core.rollout.RolloutRequest;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.rollout.Wave;
import org.cloudpatch.core.spi.RolloutPlanner;
import org.cloudpatch.scheduling.window.WeeklyWindow;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link RolloutPlanner}: places assets into waves inside the occurrences of one {@link
 * WeeklyWindow}, under the request's fleet-wide concurrency limit.
 *
 * <p>Each wave occupies a slot {@code [start, start + slot)}. Every plan guarantees, beyond what
 * {@link RolloutPlan} promises:
 *
 * <ul>
 *   <li><b>Concurrency.</b> At no instant covered by a new wave do the new waves and {@link
 *       RolloutRequest#existing()} together hold more than {@link RolloutRequest#maxConcurrency()}
 *       assets, whichever zones their windows belong to (windows of different zones may overlap
 *       wholly or partly). Existing waves are taken as they are.
 *   <li><b>Completeness.</b> Every requested asset is in exactly one wave or in {@link
 *       RolloutPlan#unplaced()} with a reason.
 *   <li><b>Inside the window.</b> A wave starts on its window's slot grid ({@code window start + k
 *       × slot}), never before {@link RolloutRequest#notBefore()}, never after the window's cutoff,
 *       and its slot ends no later than the window's end. A window already open at {@code
 *       notBefore} is used for its remaining slots.
 *   <li><b>Horizon.</b> Only occurrences that open before {@code notBefore + horizon} are used; an
 *       asset or group that finds no room in any of them is unplaced, never silently dropped.
 *   <li><b>{@link TimingMode#LOCAL_TIME}.</b> Each asset is patched in the window of its own {@link
 *       Asset#zone()}; a wave holds assets of one zone; patch groups play no part.
 *   <li><b>{@link TimingMode#SAME_INSTANT}.</b> Assets with the same {@link Asset#patchGroup()}
 *       form one group, patched whole in one wave of its own ({@link Wave#patchGroup()} set), in
 *       the window of its anchor zone: the zone of its asset with the smallest id. A group larger
 *       than the concurrency limit is unplaced, every asset with a reason naming the group and the
 *       limit. An asset without a patch group is a group of its own; such assets share waves as in
 *       {@code LOCAL_TIME}, with no patch group on the wave.
 *   <li><b>Determinism.</b> The plan depends only on the request's content, not on the order of its
 *       assets or existing waves. Named groups are placed first, larger groups before smaller ones
 *       (a group needs its whole size free in one slot), then single assets; ties go by asset id,
 *       and each takes the earliest slot with room. Within a window, assets sorted by id fill waves
 *       of at most {@code maxConcurrency} assets.
 *   <li><b>Numbering.</b> {@link Wave#index()} counts from 0 in start order within this plan;
 *       existing waves belong to earlier plans and keep their own numbers. Waves that start at the
 *       same instant are ordered by zone id, then first asset id.
 * </ul>
 *
 * <p>Thread-safe and stateless between calls: one planner may serve many requests concurrently.
 * Assets already in an existing wave are not recognised as such; they are planned again.
 */
public final class WavePlanner implements RolloutPlanner {
  /** The slot of a wave unless the builder says otherwise. */
  public static final Duration DEFAULT_SLOT = Duration.ofMinutes(30);

  /** How far ahead the planner looks unless the builder says otherwise: eight weeks. */
  public static final Duration DEFAULT_HORIZON = Duration.ofDays(7 * 8);

  private static final Logger LOG = LoggerFactory.getLogger(WavePlanner.class);

  private final WeeklyWindow window;
  private final Duration slot;
  private final Duration horizon;

  private WavePlanner(WeeklyWindow window, Duration slot, Duration horizon) {
    this.window = window;
    this.slot = slot;
    this.horizon = horizon;
  }

  /** A builder; {@link Builder#window(WeeklyWindow)} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The weekly window every wave runs in. */
  public WeeklyWindow window() {
    return window;
  }

  /** The time one wave's jobs are allowed to take. */
  public Duration slot() {
    return slot;
  }

  /** How far after {@code notBefore} a window may open and still be used. */
  public Duration horizon() {
    return horizon;
  }

  /**
   * Plans the request.
   *
   * @param request the assets and limits, never null
   * @return the plan, never null
   * @throws IllegalArgumentException if two requested assets have the same id
   */
  @Override
  public RolloutPlan plan(RolloutRequest request) {
    Objects.requireNonNull(request, "request");
    RolloutPlan plan = new Planning(request).run();
    LOG.debug(
        "planned {} assets ({}) in {} waves, {} unplaced",
        request.assets().size(),
        request.timingMode(),
        plan.waves().size(),
        plan.unplaced().size());
    return plan;
  }

  @Override
  public String toString() {
    return "WavePlanner{window=" + window + ", slot=" + slot + ", horizon=" + horizon + "}";
  }

  /** Builds a {@link WavePlanner}. */
  public static final class Builder {
    private @Nullable WeeklyWindow window;
    private Duration slot = DEFAULT_SLOT;
    private Duration horizon = DEFAULT_HORIZON;

    private Builder() {}

    /** The weekly window every wave runs in; required. */
    public Builder window(WeeklyWindow window) {
      this.window = Objects.requireNonNull(window, "window");
      return this;
    }

    /**
     * The time one wave's jobs are allowed to take: positive and no longer than the window; {@link
     * #DEFAULT_SLOT} if not set.
     */
    public Builder slot(Duration slot) {
      this.slot = Objects.requireNonNull(slot, "slot");
      return this;
    }

    /**
     * How far after {@code notBefore} a window may open and still be used: positive; {@link
     * #DEFAULT_HORIZON} if not set.
     */
    public Builder horizon(Duration horizon) {
      this.horizon = Objects.requireNonNull(horizon, "horizon");
      return this;
    }

    /**
     * The planner.
     *
     * @throws IllegalStateException if no window was set
     * @throws IllegalArgumentException if the slot or the horizon is out of range
     */
    public WavePlanner build() {
      if (window == null) {
        throw new IllegalStateException("a WavePlanner needs a window");
      }
      if (slot.isNegative() || slot.isZero()) {
        throw new IllegalArgumentException("slot must be positive: " + slot);
      }
      // A slot longer than the window could never be placed: every asset would be unplaced.
      if (slot.compareTo(window.duration()) > 0) {
        throw new IllegalArgumentException(
            "slot " + slot + " is longer than the window's duration " + window.duration());
      }
      if (horizon.isNegative() || horizon.isZero()) {
        throw new IllegalArgumentException("horizon must be positive: " + horizon);
      }
      return new WavePlanner(window, slot, horizon);
    }
  }

  /** What is placed as a whole: one asset, or one patch group under {@code SAME_INSTANT}. */
  private record Unit(List<Asset> assets, ZoneId zone, Optional<String> group) {
    /** Single assets may share a wave; a named group always has a wave of its own. */
    boolean joinable() {
      return group.isEmpty();
    }

    AssetId first() {
      return assets.get(0).id();
    }
  }

  /** A wave being built. */
  private record Draft(
      MaintenanceWindow window, Instant start, Optional<String> group, TreeSet<AssetId> assets) {}

  /** Where single assets share a wave: one zone's window, one slot. */
  private record SlotKey(ZoneId zone, Instant start) {}

  /** The state of planning one request. */
  private final class Planning {
    private final RolloutRequest request;
    private final TimingMode mode;
    private final long limit;
    private final Instant notBefore;
    private final Instant horizonEnd;
    private final Timeline timeline = new Timeline();
    private final Map<ZoneId, List<MaintenanceWindow>> windowsByZone = new HashMap<>();
    private final Map<SlotKey, Draft> shared = new HashMap<>();
    private final List<Draft> drafts = new ArrayList<>();
    private final Map<AssetId, String> unplaced = new TreeMap<>();

    Planning(RolloutRequest request) {
      this.request = request;
      this.mode = request.timingMode();
      this.limit = request.maxConcurrency();
      this.notBefore = request.notBefore();
      this.horizonEnd = notBefore.plus(horizon);
    }

    RolloutPlan run() {
      for (Wave existing : request.existing()) {
        timeline.add(existing.start(), existing.end(), existing.assets().size());
      }
      for (Unit unit : units()) {
        if (unit.assets().size() > limit) {
          reject(
              unit,
              "patch group '"
                  + unit.group().orElseThrow()
                  + "' has "
                  + unit.assets().size()
                  + " assets, more than maxConcurrency "
                  + limit
                  + ": a SAME_INSTANT group is patched whole in one wave or not at all");
        } else if (!place(unit)) {
          reject(unit, noRoom(unit));
        }
      }
      return RolloutPlan.builder().waves(waves()).unplaced(unplaced).build();
    }

    private List<Unit> units() {
      Map<AssetId, Asset> byId = new TreeMap<>();
      for (Asset asset : request.assets()) {
        if (byId.put(asset.id(), asset) != null) {
          throw new IllegalArgumentException("asset " + asset.id() + " is requested twice");
        }
      }
      List<Unit> singles = new ArrayList<>();
      Map<String, List<Asset>> groups = new TreeMap<>();
      for (Asset asset : byId.values()) {
        Optional<String> group =
            mode == TimingMode.SAME_INSTANT ? asset.patchGroup() : Optional.empty();
        if (group.isPresent()) {
          groups.computeIfAbsent(group.get(), g -> new ArrayList<>()).add(asset);
        } else {
          singles.add(new Unit(List.of(asset), asset.zone(), Optional.empty()));
        }
      }
      List<Unit> units = new ArrayList<>();
      groups.forEach(
          (group, members) ->
              // Members are in id order, so the first is the anchor.
              units.add(new Unit(List.copyOf(members), members.get(0).zone(), Optional.of(group))));
      units.sort(
          Comparator.comparingInt((Unit unit) -> unit.assets().size())
              .reversed()
              .thenComparing(Unit::first));
      units.addAll(singles);
      return units;
    }

    /**
     * Puts the unit into the earliest slot with room; false if there is none before the horizon.
     */
    private boolean place(Unit unit) {
      int size = unit.assets().size();
      for (MaintenanceWindow occurrence : windows(unit.zone())) {
        for (Instant start = firstSlot(occurrence);
            !start.isAfter(occurrence.cutoff()) && !start.plus(slot).isAfter(occurrence.end());
            start = start.plus(slot)) {
          Instant end = start.plus(slot);
          if (timeline.maxLoad(start, end) + size > limit) {
            continue;
          }
          Draft draft =
              unit.joinable()
                  ? shared.computeIfAbsent(
                      new SlotKey(unit.zone(), start),
                      key -> newDraft(occurrence, key.start(), unit))
                  : newDraft(occurrence, start, unit);
          unit.assets().forEach(asset -> draft.assets().add(asset.id()));
          timeline.add(start, end, size);
          return true;
        }
      }
      return false;
    }

    private Draft newDraft(MaintenanceWindow occurrence, Instant start, Unit unit) {
      Draft draft = new Draft(occurrence, start, unit.group(), new TreeSet<>());
      drafts.add(draft);
      return draft;
    }

    /** The first slot of the grid that starts at or after {@code notBefore}. */
    private Instant firstSlot(MaintenanceWindow occurrence) {
      if (!occurrence.start().isBefore(notBefore)) {
        return occurrence.start();
      }
      Duration late = Duration.between(occurrence.start(), notBefore);
      long slots = late.dividedBy(slot);
      Instant start = occurrence.start().plus(slot.multipliedBy(slots));
      return start.isBefore(notBefore) ? start.plus(slot) : start;
    }

    /** The zone's occurrences that may still take a job and open before the horizon. */
    private List<MaintenanceWindow> windows(ZoneId zone) {
      return windowsByZone.computeIfAbsent(
          zone,
          z -> {
            List<MaintenanceWindow> result = new ArrayList<>();
            MaintenanceWindow occurrence = window.next(z, notBefore);
            while (occurrence.start().isBefore(horizonEnd)) {
              result.add(occurrence);
              // Cutoffs grow strictly from week to week, so just after this cutoff is next week.
              occurrence = window.next(z, occurrence.cutoff().plusNanos(1));
            }
            return result;
          });
    }

    private void reject(Unit unit, String reason) {
      unit.assets().forEach(asset -> unplaced.put(asset.id(), reason));
    }

    private String noRoom(Unit unit) {
      String what =
          unit.group().isPresent()
              ? "patch group '"
                  + unit.group().get()
                  + "' ("
                  + unit.assets().size()
                  + " assets, anchor zone "
                  + unit.zone()
                  + ")"
              : "asset " + unit.first() + " (zone " + unit.zone() + ")";
      return what
          + ": no "
          + slot
          + " slot with room under maxConcurrency "
          + limit
          + " in the weekly window "
          + describe(window)
          + " between "
          + notBefore
          + " and the horizon "
          + horizonEnd;
    }

    private List<Wave> waves() {
      List<Draft> sorted = new ArrayList<>(drafts);
      sorted.sort(
          Comparator.comparing(Draft::start)
              .thenComparing(draft -> draft.window().zone().getId())
              .thenComparing(draft -> draft.assets().first()));
      List<Wave> waves = new ArrayList<>(sorted.size());
      for (Draft draft : sorted) {
        waves.add(
            Wave.builder()
                .index(waves.size())
                .window(draft.window())
                .start(draft.start())
                .end(draft.start().plus(slot))
                .assets(draft.assets())
                .timingMode(mode)
                .patchGroup(draft.group())
                .build());
      }
      return waves;
    }
  }

  private static String describe(WeeklyWindow window) {
    String text = window.dayOfWeek() + " " + window.startTime() + " for " + window.duration();
    return window.cutoffBeforeEnd().isZero()
        ? text
        : text + ", cutoff " + window.cutoffBeforeEnd() + " before end";
  }
}
