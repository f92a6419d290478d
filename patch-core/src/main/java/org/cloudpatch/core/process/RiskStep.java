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
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.process.InFlight.PlannedWave;
import org.cloudpatch.core.process.ProcessEvent.ItemRef;
import org.cloudpatch.core.process.TrackingItem.ItemState;
import org.cloudpatch.core.rollout.TimingMode;

/**
 * Step 9, risk: a failed attempt is retried inside its window (a same-instant member only inside
 * its group's window), the last one rolled back (a requested revert) and covered by a risk item
 * with an owner and an expiry. What records promise is enforced here too: an item past its due date
 * escalates to the tenant, and an expired risk acceptance re-opens its item.
 */
final class RiskStep {
  private RiskStep() {}

  static void failJob(
      Driver d,
      Instant now,
      EffectEvents.PatchRequested r,
      Optional<String> snapshot,
      List<ProcessEvent> decided,
      List<ItemRef> items,
      String reason) {
    List<ProcessEvent> events = new ArrayList<>(decided);
    events.add(
        new ProcessEvent.PatchFailed(r.job(), r.vm(), r.waveId(), items, r.attempt(), reason));
    boolean lastAttempt = r.attempt() > d.policy.retries();
    Optional<PlannedWave> wave = r.waveId().map(d.state.waves::get);
    boolean sameInstant =
        wave.map(w -> w.wave.timingMode() == TimingMode.SAME_INSTANT).orElse(false);
    // A retry starts at once while its window lets it: until the cutoff, or for a member of a
    // same-instant group until the window ends, because the group must not leave its window.
    // The failing job still counts in flight until this decision commits.
    boolean retryNow =
        !lastAttempt
            && !items.isEmpty()
            && wave.isPresent()
            && now.isBefore(
                sameInstant ? wave.get().wave.window().end() : wave.get().wave.window().cutoff())
            && d.state.inFlight() - 1 < d.policy.maxConcurrency();
    if (!lastAttempt && (retryNow || !sameInstant)) {
      // Otherwise the items go back to be planned into a later window; a catch-up retries later.
      d.emit(now, events);
      if (retryNow) {
        PatchStep.request(d, now, r.vm(), r.waveId(), items, r.attempt() + 1, snapshot);
      }
      return;
    }
    snapshot.ifPresent(
        s ->
            events.add(
                Effects.request(
                    d,
                    now,
                    EffectEvents.EffectKind.REVERT,
                    "rollback-" + s,
                    Optional.of(r.vm()),
                    s,
                    r.job(),
                    List.of(),
                    false)));
    String why =
        (lastAttempt
                ? "patch failed " + r.attempt() + " times, rolled back: "
                : "patch failed and its same-instant group's window is over, rolled back: ")
            + reason;
    if (items.isEmpty()) {
      events.add(catchUpRisk(d, now, r.vm(), why));
    }
    for (ItemRef ref : items) {
      events.add(risk(d, now, ref, why));
    }
    if (r.waveId().isEmpty() && !items.isEmpty()) {
      events.add(catchUpRisk(d, now, r.vm(), why));
    }
    d.emit(now, events);
  }

  static ProcessEvent.RiskOpened risk(Driver d, Instant now, ItemRef ref, String reason) {
    TrackingRecord r = d.state.records.fields(ref.record());
    return new ProcessEvent.RiskOpened(
        RiskItem.builder()
            .id(d.nextRiskId())
            .record(ref.record())
            .asset(ref.asset())
            .addAdvisories(r.advisory())
            .owner(r.resolverGroup())
            .reason(reason)
            .opened(now)
            .expires(now.plus(d.policy.riskAcceptance()))
            .build());
  }

  /** A risk for a held VM that could not be caught up: it stays held. */
  static ProcessEvent.RiskOpened catchUpRisk(Driver d, Instant now, AssetId vm, String reason) {
    return assetRisk(d, now, vm, "catch-up: " + reason + "; the VM stays held from its users");
  }

  /** A risk for an effect not confirmed by its deadline. */
  static ProcessEvent.RiskOpened effectRisk(Driver d, Instant now, AssetId vm, String reason) {
    return assetRisk(d, now, vm, reason);
  }

  private static ProcessEvent.RiskOpened assetRisk(
      Driver d, Instant now, AssetId vm, String reason) {
    return new ProcessEvent.RiskOpened(
        RiskItem.builder()
            .id(d.nextRiskId())
            .asset(vm)
            .advisories(activeAdvisories(d.state))
            .owner(owner(d, vm))
            .reason(reason)
            .opened(now)
            .expires(now.plus(d.policy.riskAcceptance()))
            .build());
  }

  /** The VM's resolver group; host code, so a throwing function falls back to {@code ops}. */
  private static String owner(Driver d, AssetId vm) {
    Asset asset = d.assets.get(vm);
    if (asset == null) {
      // Not read since a restart (or gone from the inventory): the group its tracking items were
      // assigned to, as journaled, before the catch-all.
      return d.state.anyRecordOf(vm).map(TrackingRecord::resolverGroup).orElse("ops");
    }
    try {
      String group = d.policy.resolverGroup().apply(asset);
      return group == null || group.isBlank() ? "ops" : group;
    } catch (RuntimeException e) {
      return "ops";
    }
  }

  static List<AdvisoryId> activeAdvisories(ProcessState state) {
    List<AdvisoryId> out = new ArrayList<>();
    for (Advisory a : state.advisories.values()) {
      if (a.withdrawn().isEmpty() && state.assessments.containsKey(a.id())) {
        out.add(a.id());
      }
    }
    return out;
  }

  /** Escalates records past due and re-opens items whose risk acceptance expired. */
  static void review(Driver d, Instant now) {
    List<ProcessEvent> events = new ArrayList<>();
    for (TrackingRecord r : d.state.records.live()) {
      if (r.status() != TrackingRecord.Status.OPEN
          || now.isBefore(r.due())
          || d.state.overdueNotified.contains(r.id().value())) {
        continue;
      }
      List<AssetId> late =
          r.items().values().stream()
              .filter(i -> !i.state().isSettled())
              .map(TrackingItem::asset)
              .sorted()
              .toList();
      if (!late.isEmpty() && d.state.assessments.containsKey(r.advisory())) {
        events.add(new EffectEvents.ItemsOverdue(r.id(), late, r.due()));
        events.add(
            new ProcessEvent.NotificationQueued(
                Ids.overdue(r.id()), r.tenant(), r.advisory(), late));
      }
    }
    Set<String> due = new TreeSet<>(); // in id order, as the journal always had them
    d.state.risksByExpiry.headMap(now, true).values().forEach(due::addAll);
    for (String riskId : due) {
      RiskItem risk = known(d.state.risks, riskId);
      if (!d.state.expiredRisks.contains(risk.id()) && !now.isBefore(risk.expires())) {
        Optional<TrackingItem> item =
            risk.record().map(id -> d.state.records.itemOrNull(id, risk.asset()));
        if (risk.record().isEmpty()
            || item.map(i -> i.state() == ItemState.RISK_ACCEPTED).orElse(false)) {
          events.add(new EffectEvents.RiskExpired(risk.id(), risk.record(), risk.asset()));
        }
      }
    }
    d.emit(now, events);
  }
}
