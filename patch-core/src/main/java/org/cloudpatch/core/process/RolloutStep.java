package org.cloudpatch.core.process;

import static org.cloudpatch.core.process.ProcessState.known;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.process.InFlight.ChangeState;
import org.cloudpatch.core.process.InFlight.PlannedWave;
import org.cloudpatch.core.process.ProcessEvent.ItemRef;
import org.cloudpatch.core.process.TrackingItem.ItemState;
import org.cloudpatch.core.rollout.ChangeRequest;
import org.cloudpatch.core.rollout.RolloutPlan;
import org.cloudpatch.core.rollout.RolloutRequest;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.rollout.Wave;
import org.cloudpatch.core.severity.Priority;
import org.jspecify.annotations.Nullable;

/**
 * Step 7, rollout: affected items planned into waves (one change request per window), and due waves
 * started. A SAME_INSTANT group stays whole: it is planned only when no member is held or waits
 * deferred, and when any member cannot start at its wave the whole group defers to its next common
 * window, saying why.
 */
final class RolloutStep {
  private RolloutStep() {}

  static void planAffectedItems(Driver d, Instant now) {
    for (TimingMode mode : TimingMode.values()) {
      if (d.state.parked(subject(mode), now)) {
        continue;
      }
      Map<AssetId, List<ItemRef>> byAsset = new TreeMap<>();
      for (TrackingRecord r : d.state.records.live()) {
        if (r.status() != TrackingRecord.Status.OPEN || r.timingMode() != mode) {
          continue;
        }
        if (mode == TimingMode.SAME_INSTANT && d.state.unprocessed.contains(r.advisory())) {
          // Its assessment is incomplete (an inventory failed): a member found later would be
          // patched apart from its group, so the group waits until every member is assessed.
          continue;
        }
        for (TrackingItem i : r.items().values()) {
          if (i.state() == ItemState.AFFECTED
              && !d.state.catchUps.containsKey(i.asset())
              && d.assets.containsKey(i.asset())) {
            byAsset
                .computeIfAbsent(i.asset(), a -> new ArrayList<>())
                .add(new ItemRef(r.id(), i.asset()));
          }
        }
      }
      if (mode == TimingMode.SAME_INSTANT) {
        Set<String> blocked = blockedGroups(d);
        byAsset.keySet().removeIf(vm -> blocked.contains(group(d.assets.get(vm), vm)));
      }
      if (!byAsset.isEmpty()) {
        plan(d, now, mode, byAsset);
      }
    }
  }

  private static String subject(TimingMode mode) {
    return "planning " + mode;
  }

  static String group(@Nullable Asset asset, AssetId vm) {
    return asset == null ? vm.value() : asset.patchGroup().orElse(vm.value());
  }

  /** Patch groups with a member that is held or waits deferred: planned only when all can go. */
  private static Set<String> blockedGroups(Driver d) {
    Set<String> out = new TreeSet<>();
    d.state.catchUps.keySet().forEach(vm -> out.add(group(d.assets.get(vm), vm)));
    for (TrackingRecord r : d.state.records.live()) {
      if (r.status() == TrackingRecord.Status.OPEN && r.timingMode() == TimingMode.SAME_INSTANT) {
        for (TrackingItem i : r.items().values()) {
          if (i.state() == ItemState.DEFERRED) {
            out.add(group(d.assets.get(i.asset()), i.asset()));
          }
        }
      }
    }
    return out;
  }

  private static void plan(
      Driver d, Instant now, TimingMode mode, Map<AssetId, List<ItemRef>> byAsset) {
    RolloutRequest request =
        RolloutRequest.builder()
            .assets(byAsset.keySet().stream().map(d.assets::get).toList())
            .timingMode(mode)
            .notBefore(now)
            .maxConcurrency(d.policy.maxConcurrency())
            .existing(d.state.activeWaves())
            .priorities(urgency(d, byAsset, TrackingRecord::priority))
            .dueDates(urgency(d, byAsset, TrackingRecord::due))
            .build();
    Optional<RolloutPlan> planned =
        d.call(now, "RolloutPlanner", "plan", Optional.empty(), () -> d.planner.plan(request));
    if (planned.isEmpty()) {
      return;
    }
    RolloutPlan plan = planned.get();
    List<ProcessEvent> events = new ArrayList<>();
    Map<String, List<Wave>> byWindow = new TreeMap<>();
    for (Wave w : plan.waves()) {
      byWindow
          .computeIfAbsent(w.window().start() + " " + w.window().zone(), k -> new ArrayList<>())
          .add(w);
    }
    int changeNo = d.state.changes.size();
    int waveNo = d.state.waves.size();
    for (List<Wave> windowWaves : byWindow.values()) {
      String changeKey = String.format("CHG-%05d", ++changeNo);
      Set<AssetId> scope = new TreeSet<>();
      Set<AdvisoryId> advisories = new TreeSet<>();
      Priority mostUrgent = Priority.P4;
      List<ProcessEvent> waveEvents = new ArrayList<>();
      for (Wave w : windowWaves) {
        List<ItemRef> items = new ArrayList<>();
        for (AssetId a : w.assets()) {
          List<ItemRef> refs = byAsset.get(a);
          if (refs == null) {
            continue; // the planner may only place what it was asked to
          }
          items.addAll(refs);
          scope.add(a);
          for (ItemRef ref : refs) {
            TrackingRecord r = d.state.records.fields(ref.record());
            advisories.add(r.advisory());
            if (r.priority().compareTo(mostUrgent) < 0) {
              mostUrgent = r.priority();
            }
          }
        }
        waveEvents.add(
            new ProcessEvent.RolloutPlanned(
                String.format("W-%05d", ++waveNo), w, changeKey, items));
      }
      Priority urgency = mostUrgent;
      Optional<ChangeRequest.ChangeType> type =
          d.host(
              now,
              subject(mode),
              "change type of " + urgency,
              () -> d.policy.changeType().apply(urgency));
      if (type.isEmpty()) {
        return; // parked: this mode is planned again later; jobs and other modes go on
      }
      events.add(
          new ProcessEvent.ChangeRequested(
              ChangeStep.request(changeKey, type.get(), windowWaves, scope, advisories)));
      events.addAll(waveEvents);
    }
    for (Map.Entry<AssetId, String> u : plan.unplaced().entrySet()) {
      for (ItemRef ref : byAsset.getOrDefault(u.getKey(), List.of())) {
        events.add(new ProcessEvent.RolloutUnplaced(ref.record(), ref.asset(), u.getValue()));
        events.add(RiskStep.risk(d, now, ref, "could not be placed in a window: " + u.getValue()));
      }
    }
    d.emit(now, events);
    for (ProcessEvent e : events) {
      if (e instanceof ProcessEvent.ChangeRequested c) {
        ChangeStep.openChange(d, now, c.request());
      }
    }
  }

  /**
   * Per asset, the most urgent value of {@code of} (the least priority, the earliest due date) over
   * the records of its items: what a planner needs to place urgent work first.
   */
  private static <T extends Comparable<? super T>> Map<AssetId, T> urgency(
      Driver d, Map<AssetId, List<ItemRef>> byAsset, Function<TrackingRecord, T> of) {
    Map<AssetId, T> out = new TreeMap<>();
    byAsset.forEach(
        (vm, refs) -> {
          for (ItemRef ref : refs) {
            T value = of.apply(known(d.state.records, ref.record()));
            out.merge(vm, value, (a, b) -> a.compareTo(b) <= 0 ? a : b);
          }
        });
    return out;
  }

  static void startDueWaves(Driver d, Instant now) {
    List<PlannedWave> due = new ArrayList<>();
    for (PlannedWave w : d.state.waves.values()) {
      if (!w.done() && !w.wave.start().isAfter(now)) {
        due.add(w);
      }
    }
    due.sort((a, b) -> a.wave.start().compareTo(b.wave.start()));
    for (PlannedWave w : due) {
      ChangeState change = known(d.state.changes, w.changeKey);
      List<ItemRef> pendingItems = pendingItems(w);
      if (change.approval == ChangeRequest.Approval.REJECTED) {
        List<ProcessEvent> events = new ArrayList<>();
        events.add(
            new ProcessEvent.RolloutMissed(
                w.id, pendingItems, "change " + w.changeKey + " was rejected"));
        for (ItemRef ref : pendingItems) {
          events.add(RiskStep.risk(d, now, ref, "change " + w.changeKey + " was rejected"));
        }
        d.emit(now, events);
      } else if (now.isAfter(w.wave.window().cutoff())) {
        d.emit(
            now,
            new ProcessEvent.RolloutMissed(
                w.id,
                pendingItems,
                "window passed before wave "
                    + w.id
                    + " could run (change "
                    + w.changeKey
                    + " "
                    + change.approval
                    + ")"));
      } else if (change.approval == ChangeRequest.Approval.APPROVED) {
        startWave(d, now, w);
      }
    }
  }

  private static List<ItemRef> pendingItems(PlannedWave w) {
    List<ItemRef> out = new ArrayList<>();
    for (AssetId a : w.pending) {
      out.addAll(w.itemsByAsset.get(a));
    }
    return out;
  }

  private static void startWave(Driver d, Instant now, PlannedWave w) {
    boolean canPatchSuspended =
        d.call(
                now,
                "HypervisorAdapter",
                "capabilities",
                Optional.empty(),
                d.hypervisor::capabilities)
            .map(c -> c.canPatchSuspended())
            .orElse(false);
    boolean sameInstant = w.wave.timingMode() == TimingMode.SAME_INSTANT;
    List<AssetId> ready = new ArrayList<>();
    Map<AssetId, String> cannot = new TreeMap<>();
    boolean allReady = true;
    for (AssetId vm : List.copyOf(w.pending)) {
      if (d.state.catchUps.containsKey(vm)) {
        cannot.put(vm, "held for catch-up");
        continue;
      }
      Optional<org.cloudpatch.core.asset.Asset.PowerState> power =
          d.call(
                  now,
                  "HypervisorAdapter",
                  "powerState",
                  Optional.of(vm),
                  () -> d.hypervisor.powerState(vm))
              .flatMap(p -> p);
      if (power.isEmpty()) {
        allReady = false; // unknown now; tried again next tick until the cutoff
        continue;
      }
      boolean patchable =
          power.get() == org.cloudpatch.core.asset.Asset.PowerState.RUNNING
              || (power.get() == org.cloudpatch.core.asset.Asset.PowerState.SUSPENDED
                  && canPatchSuspended);
      if (!patchable) {
        cannot.put(vm, "VM is " + power.get() + " when its wave came");
      } else if (d.state.busy(vm)) {
        allReady = false;
      } else {
        ready.add(vm);
      }
    }
    if (sameInstant && !cannot.isEmpty()) {
      d.emit(now, deferWholeGroup(w, cannot));
      return;
    }
    for (Map.Entry<AssetId, String> c : cannot.entrySet()) {
      d.emit(
          now,
          new ProcessEvent.PatchDeferred(
              Optional.of(w.id), c.getKey(), known(w.itemsByAsset, c.getKey()), c.getValue()));
    }
    int free = d.policy.maxConcurrency() - d.state.inFlight();
    if (sameInstant && (!allReady || ready.size() > free)) {
      // A group starts whole, at one instant: it waits for every member and for room, until its
      // cutoff, after which it is planned whole into a later window.
      return;
    }
    for (AssetId vm : ready) {
      if (d.state.inFlight() >= d.policy.maxConcurrency()) {
        break;
      }
      List<ItemRef> items = known(w.itemsByAsset, vm);
      int attempt =
          1
              + items.stream()
                  .mapToInt(ref -> PatchStep.item(d.state, ref).attempts())
                  .max()
                  .orElse(0);
      PatchStep.request(d, now, vm, Optional.of(w.id), items, attempt, Optional.empty());
    }
  }

  /**
   * A SAME_INSTANT wave with a member that cannot start: no member starts; the members that cannot
   * are deferred (a held or suspended VM is requeued when it comes back), the others go back to be
   * planned, and planning waits until the whole group can go into one window.
   */
  private static List<ProcessEvent> deferWholeGroup(PlannedWave w, Map<AssetId, String> cannot) {
    List<ProcessEvent> events = new ArrayList<>();
    String why =
        "same-instant group deferred whole to its next common window: "
            + cannot.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList();
    List<ItemRef> others = new ArrayList<>();
    for (AssetId vm : w.pending) {
      if (!cannot.containsKey(vm)) {
        others.addAll(known(w.itemsByAsset, vm));
      }
    }
    events.add(new ProcessEvent.RolloutMissed(w.id, others, why));
    for (Map.Entry<AssetId, String> c : cannot.entrySet()) {
      events.add(
          new ProcessEvent.PatchDeferred(
              Optional.of(w.id), c.getKey(), known(w.itemsByAsset, c.getKey()), why));
    }
    return events;
  }
}
