package org.cloudpatch.core.process;

import static org.cloudpatch.core.process.ProcessState.known;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.ChangeId;
import org.cloudpatch.core.process.InFlight.ChangeState;
import org.cloudpatch.core.process.InFlight.PlannedWave;
import org.cloudpatch.core.process.ProcessEvent.ItemRef;
import org.cloudpatch.core.process.TrackingItem.ItemState;
import org.cloudpatch.core.rollout.ChangeRequest;
import org.cloudpatch.core.rollout.Wave;

/**
 * Step 7, change: one change request per window, opened under its key until the change system gives
 * an id, its approval polled, and — when its waves are over — closed as a requested effect that is
 * retried until the change system confirms it.
 */
final class ChangeStep {
  private ChangeStep() {}

  static ChangeRequest request(
      String key,
      ChangeRequest.ChangeType type,
      List<Wave> windowWaves,
      Set<AssetId> scope,
      Set<AdvisoryId> advisories) {
    Wave first = windowWaves.get(0);
    return ChangeRequest.builder()
        .key(key)
        .type(type)
        .window(first.window())
        .scope(scope)
        .advisories(advisories)
        .summary(
            "Patch "
                + scope.size()
                + " assets for "
                + advisories
                + " in the "
                + first.window().zone()
                + " window at "
                + first.window().start())
        .build();
  }

  static void openChange(Driver d, Instant now, ChangeRequest request) {
    d.call(now, "ChangeSystem", "open", Optional.empty(), () -> d.changeSystem.open(request))
        .ifPresent(id -> d.emit(now, new ProcessEvent.ChangeOpened(request.key(), id)));
  }

  static void pollApprovals(Driver d, Instant now) {
    for (ChangeState c : List.copyOf(d.state.changes.values())) {
      if (c.closed || c.approval != ChangeRequest.Approval.PENDING) {
        continue;
      }
      if (c.id.isEmpty()) {
        openChange(d, now, c.request); // open is idempotent by key
        continue;
      }
      ChangeId id = c.id.get();
      d.call(now, "ChangeSystem", "approval", Optional.empty(), () -> d.changeSystem.approval(id))
          .filter(a -> a != ChangeRequest.Approval.PENDING)
          .ifPresent(a -> d.emit(now, new ProcessEvent.ChangeDecided(c.request.key(), id, a)));
    }
  }

  static void closeChanges(Driver d, Instant now) {
    List<ProcessEvent> events = new ArrayList<>();
    for (ChangeState c : d.state.changes.values()) {
      if (c.closed
          || c.closeRequested
          || c.id.isEmpty()
          || c.approval == ChangeRequest.Approval.PENDING) {
        continue;
      }
      String key = c.request.key();
      List<PlannedWave> waves =
          d.state.waves.values().stream().filter(w -> w.changeKey.equals(key)).toList();
      Set<String> waveIds = new TreeSet<>();
      waves.forEach(w -> waveIds.add(w.id));
      boolean running =
          d.state.jobs.values().stream()
              .anyMatch(
                  j ->
                      j.request.waveId().isPresent() && waveIds.contains(j.request.waveId().get()));
      if (running || !waves.stream().allMatch(PlannedWave::done)) {
        continue;
      }
      int verified = 0;
      int risky = 0;
      int other = 0;
      for (PlannedWave w : waves) {
        for (List<ItemRef> refs : w.itemsByAsset.values()) {
          for (ItemRef ref : refs) {
            ItemState s = PatchStep.item(d.state, ref).state();
            if (s == ItemState.VERIFIED) {
              verified++;
            } else if (s == ItemState.RISK_ACCEPTED) {
              risky++;
            } else {
              other++;
            }
          }
        }
      }
      boolean successful = c.approval == ChangeRequest.Approval.APPROVED && risky == 0;
      String summary =
          c.approval == ChangeRequest.Approval.REJECTED
              ? "rejected; " + risky + " items covered by risk items"
              : verified
                  + " items verified, "
                  + risky
                  + " rolled back under risk items, "
                  + other
                  + " moved to a later window";
      events.add(
          Effects.request(
              d,
              now,
              EffectEvents.EffectKind.CLOSE_CHANGE,
              "close-" + key,
              Optional.empty(),
              key,
              summary,
              List.of(),
              successful));
    }
    d.emit(now, events);
  }

  /** Records and closes a change in the change system; true once it confirmed both. */
  static Driver.Result<Boolean> close(Driver d, EffectEvents.EffectRequested e) {
    ChangeState c = known(d.state.changes, e.subject());
    ChangeId id = c.id.orElseThrow();
    return d.attemptRun(
        "ChangeSystem",
        "close",
        () -> {
          d.changeSystem.recordImplementation(id, e.detail());
          d.changeSystem.close(id, e.successful(), e.detail());
        });
  }
}
