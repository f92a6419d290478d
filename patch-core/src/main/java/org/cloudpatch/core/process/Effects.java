package org.cloudpatch.core.process;

import static org.cloudpatch.core.process.ProcessState.known;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.process.EffectEvents.EffectKind;
import org.cloudpatch.core.process.EffectEvents.EffectRequested;
import org.cloudpatch.core.process.InFlight.PendingEffect;

/**
 * The lifecycle of an effect: requested (journaled with its key and deadline, in the decision that
 * wants it), then the adapter call under that key, then confirmed (the entry that says it happened:
 * {@code catchup.held}, {@code catchup.released}, {@code patch.rolledback}, {@code change.closed})
 * or failed (retried with backoff under the same key). At its deadline an unconfirmed effect is
 * escalated with a risk item, and still retried: a hold that never comes is reported, a VM whose
 * release never comes stays held, and nothing is journaled as done that was not confirmed.
 */
final class Effects {
  private Effects() {}

  static EffectRequested request(
      Driver d,
      Instant now,
      EffectKind kind,
      String key,
      Optional<AssetId> vm,
      String subject,
      String detail,
      List<AdvisoryId> advisories,
      boolean successful) {
    return new EffectRequested(
        kind,
        key,
        vm,
        subject,
        detail,
        advisories,
        successful,
        now.plus(d.policy.effectDeadline()));
  }

  /** Tries every pending effect that is due, in key order. */
  static void run(Driver d, Instant now) {
    for (PendingEffect p : List.copyOf(d.state.effects.values())) {
      if (!d.state.effects.containsKey(p.request.key())) {
        continue; // confirmed meanwhile
      }
      if (!p.overdue && !now.isBefore(p.request.deadline())) {
        d.emit(now, escalate(d, now, p.request));
      }
      if (now.isBefore(p.retryAt)) {
        continue;
      }
      EffectRequested e = p.request;
      Driver.Result<Boolean> r = attempt(d, e);
      if (r.ok()) {
        d.emit(now, confirmation(d, e));
      } else {
        d.emit(now, new EffectEvents.EffectFailed(e.effect(), e.key(), e.vm(), r.failure()));
      }
    }
  }

  private static Driver.Result<Boolean> attempt(Driver d, EffectRequested e) {
    return switch (e.effect()) {
      case HOLD ->
          d.attemptRun(
              "HypervisorAdapter",
              "holdForCatchUp",
              () -> d.hypervisor.holdForCatchUp(e.vm().orElseThrow(), e.key()));
      case RELEASE ->
          d.attemptRun(
              "HypervisorAdapter",
              "release",
              () -> d.hypervisor.release(e.vm().orElseThrow(), e.key()));
      case REVERT ->
          d.attemptRun(
              "HypervisorAdapter",
              "revert",
              () -> d.hypervisor.revert(e.vm().orElseThrow(), e.subject(), e.key()));
      case CLOSE_CHANGE -> ChangeStep.close(d, e);
    };
  }

  /** The entry that says the effect happened, journaled only after the adapter confirmed it. */
  private static ProcessEvent confirmation(Driver d, EffectRequested e) {
    return switch (e.effect()) {
      case HOLD -> new CatchUpEvents.CatchUpHeld(e.vm().orElseThrow(), e.detail());
      case RELEASE -> new CatchUpEvents.CatchUpReleased(e.vm().orElseThrow(), e.advisories());
      case REVERT ->
          new ProcessEvent.PatchRolledBack(e.detail(), e.vm().orElseThrow(), e.subject());
      case CLOSE_CHANGE -> {
        var c = known(d.state.changes, e.subject());
        yield new ProcessEvent.ChangeClosed(
            e.subject(), c.id.orElseThrow(), e.successful(), e.detail());
      }
    };
  }

  /** The overdue entry and a risk item naming what was not confirmed. */
  private static List<ProcessEvent> escalate(Driver d, Instant now, EffectRequested e) {
    String what =
        switch (e.effect()) {
          case HOLD -> "should be held for catch-up, but the hold is not confirmed";
          case RELEASE -> "is compliant, but its release is not confirmed; it stays held";
          case REVERT ->
              "failed its patch, but the rollback to " + e.subject() + " is not confirmed";
          case CLOSE_CHANGE -> "change " + e.subject() + " is not confirmed closed";
        };
    String reason =
        e.vm().map(v -> v + " ").orElse("")
            + what
            + " by its deadline "
            + e.deadline()
            + " (key "
            + e.key()
            + "); still retried";
    List<ProcessEvent> events = new ArrayList<>();
    events.add(new EffectEvents.EffectOverdue(e.effect(), e.key(), e.vm(), reason));
    Optional<AssetId> vm =
        e.vm().isPresent()
            ? e.vm()
            : Optional.ofNullable(d.state.changes.get(e.subject()))
                .flatMap(c -> c.request.scope().stream().findFirst());
    vm.ifPresent(v -> events.add(RiskStep.effectRisk(d, now, v, reason)));
    return events;
  }
}
