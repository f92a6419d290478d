package org.cloudpatch.core.process;

import static org.cloudpatch.core.process.ProcessState.known;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.asset.LifecycleEvent;
import org.cloudpatch.core.finding.Finding;
import org.cloudpatch.core.process.InFlight.CatchUp;
import org.cloudpatch.core.process.ProcessEvent.ItemRef;
import org.cloudpatch.core.process.TrackingItem.ItemState;
import org.cloudpatch.core.spi.HypervisorAdapter;

/**
 * Catch-up: a VM back from a long suspension, reverted to an old snapshot or created from an image
 * is held from its users (for a revert, the journal first says which active fixes the snapshot's
 * recorded inventory lacks) (a requested hold, journaled as held only when the hypervisor
 * confirms), patched to every active advisory, and released (a requested release) only when
 * re-inventory has verified it compliant.
 */
final class CatchUpStep {
  private CatchUpStep() {}

  static void pollLifecycle(Driver d, Instant now) {
    Optional<String> cursor = d.state.lifecycleCursor;
    Optional<HypervisorAdapter.LifecyclePage> page =
        d.call(
            now,
            "HypervisorAdapter",
            "lifecycleEvents",
            Optional.empty(),
            () -> d.hypervisor.lifecycleEvents(cursor));
    if (page.isEmpty() || page.get().events().isEmpty()) {
      return;
    }
    if (page.get().events().stream().anyMatch(e -> !d.assets.containsKey(e.asset()))) {
      d.refreshAssets(now); // a VM created since the last look: its tenant names its entries
    }
    d.emit(now, decide(d, now, page.get()));
    Effects.run(d, now); // holds are tried at once
  }

  /** The lifecycle entries of a page, with a hold requested for each VM that needs one. */
  private static List<ProcessEvent> decide(
      Driver d, Instant now, HypervisorAdapter.LifecyclePage page) {
    List<ProcessEvent> events = new ArrayList<>();
    Set<AssetId> toHold = new TreeSet<>();
    for (LifecycleEvent e : page.events()) {
      events.add(new CatchUpEvents.VmLifecycle(e, page.nextCursor()));
      AssetId vm = e.asset();
      Optional<String> holdReason = holdReason(d.policy, e);
      if (holdReason.isPresent() && e.kind() == LifecycleEvent.Kind.REVERTED) {
        Optional<CatchUpEvents.SnapshotBehind> behind = snapshotBehind(d, now, e);
        if (behind.isPresent()) {
          events.add(behind.get());
          holdReason = holdReason.map(r -> r + ", " + describe(behind.get()));
        }
      }
      if (holdReason.isPresent()) {
        if (!d.state.catchUps.containsKey(vm) && toHold.add(vm)) {
          events.add(
              Effects.request(
                  d,
                  now,
                  EffectEvents.EffectKind.HOLD,
                  "hold-" + vm + "-" + d.state.nextSeq,
                  Optional.of(vm),
                  vm.value(),
                  holdReason.get(),
                  List.of(),
                  false));
        }
      } else if (e.kind() == LifecycleEvent.Kind.RESUMED) {
        List<ItemRef> deferred = itemsIn(d.state, vm, ItemState.DEFERRED);
        if (!deferred.isEmpty()) {
          events.add(
              new ProcessEvent.ItemsRequeued(deferred, "VM resumed; patched in its next window"));
        }
      }
    }
    return events;
  }

  /**
   * What the snapshot a VM was reverted to lacks: the active advisories whose fix its recorded
   * inventory does not have. Empty when the hypervisor names no snapshot or recorded no inventory
   * with it, or a call failed; catch-up then learns it from the VM's own inventory alone.
   */
  private static Optional<CatchUpEvents.SnapshotBehind> snapshotBehind(
      Driver d, Instant now, LifecycleEvent e) {
    if (e.snapshot().isEmpty()) {
      return Optional.empty();
    }
    String snapshot = e.snapshot().get();
    Optional<Inventory> recorded =
        d.call(
                now,
                "HypervisorAdapter",
                "snapshotInventory",
                Optional.of(e.asset()),
                () -> d.hypervisor.snapshotInventory(e.asset(), snapshot))
            .flatMap(o -> o);
    if (recorded.isEmpty()) {
      return Optional.empty();
    }
    List<AdvisoryId> missing = new ArrayList<>();
    for (AdvisoryId a : RiskStep.activeAdvisories(d.state)) {
      org.cloudpatch.core.advisory.Advisory advisory = known(d.state.advisories, a);
      Driver.Result<List<Finding>> findings =
          d.attempt(
              "Applicability", "assess", () -> d.applicability.assess(advisory, recorded.get()));
      if (!findings.ok()) {
        return Optional.empty(); // no partial answer: the VM's inventory will tell
      }
      if (findings.get().stream()
          .anyMatch(f -> f.status() == org.cloudpatch.core.finding.FindingStatus.AFFECTED)) {
        missing.add(a);
      }
    }
    return Optional.of(
        new CatchUpEvents.SnapshotBehind(
            e.asset(), snapshot, recorded.get().observedAt(), List.copyOf(missing)));
  }

  private static String describe(CatchUpEvents.SnapshotBehind b) {
    return b.missing().isEmpty()
        ? "its snapshot " + b.snapshot() + " holds every active fix"
        : "its snapshot "
            + b.snapshot()
            + " lacks the fixes of "
            + b.missing().stream().map(AdvisoryId::value).reduce((x, y) -> x + ", " + y).orElse("");
  }

  private static Optional<String> holdReason(ProcessPolicy policy, LifecycleEvent e) {
    return switch (e.kind()) {
      case RESUMED -> {
        if (e.suspendedSince().isPresent()) {
          Duration away = Duration.between(e.suspendedSince().get(), e.at());
          if (away.compareTo(policy.catchUpAfterSuspension()) >= 0) {
            yield Optional.of("resumed after " + away.toHours() + " hours suspended");
          }
        }
        yield Optional.empty();
      }
      case REVERTED ->
          Optional.of(
              "reverted to a snapshot" + e.snapshotTakenAt().map(t -> " taken at " + t).orElse(""));
      case CREATED_FROM_IMAGE -> Optional.of("created from an image");
      default -> Optional.empty();
    };
  }

  static List<ItemRef> itemsIn(ProcessState state, AssetId vm, ItemState... states) {
    Set<ItemState> wanted = Set.of(states);
    List<ItemRef> out = new ArrayList<>();
    for (TrackingRecord r : state.records.live()) {
      TrackingItem i = r.items().get(vm);
      if (r.status() == TrackingRecord.Status.OPEN && i != null && wanted.contains(i.state())) {
        out.add(new ItemRef(r.id(), vm));
      }
    }
    return out;
  }

  static void runCatchUps(Driver d, Instant now) {
    for (CatchUp c : List.copyOf(d.state.catchUps.values())) {
      if (c.givenUp || d.state.busy(c.asset) || releasing(d.state, c.asset)) {
        continue;
      }
      AssetId vm = c.asset;
      Optional<Inventory> observed =
          d.call(
                  now,
                  "InventorySource",
                  "inventory",
                  Optional.of(vm),
                  () -> d.inventory.inventory(vm))
              .flatMap(o -> o);
      if (observed.isEmpty()) {
        continue;
      }
      d.observed(vm, observed.get());
      List<ProcessEvent> verified = new ArrayList<>();
      List<AdvisoryId> behind = new ArrayList<>();
      List<Finding> behindFindings = new ArrayList<>();
      List<AdvisoryId> active = RiskStep.activeAdvisories(d.state);
      List<ItemRef> open =
          itemsIn(
              d.state,
              vm,
              ItemState.AFFECTED,
              ItemState.PLANNED,
              ItemState.DEFERRED,
              ItemState.PATCHING);
      boolean cannotTell = false;
      for (AdvisoryId a : active) {
        VerificationStep.Check check = VerificationStep.check(d, a, observed.get(), vm, open);
        if (check instanceof VerificationStep.Verified v) {
          verified.addAll(v.events());
        } else if (check instanceof VerificationStep.Behind b) {
          behind.add(a);
          behindFindings.addAll(b.findings());
        } else if (check instanceof VerificationStep.CannotTell) {
          cannotTell = true;
        } // NoFixAvailable: nothing to install; its record tracks the exposure until a fix comes
      }
      if (cannotTell) {
        continue; // tried again next tick; never released on a guess
      }
      // A compliant VM is released only after its hold is confirmed; until then it waits.
      if (behind.isEmpty() && c.held) {
        release(d, now, vm, active).ifPresent(verified::add);
        d.emit(now, verified);
      } else if (!behind.isEmpty()
          && c.attempts <= d.policy.retries()
          && d.state.inFlight() < d.policy.maxConcurrency()) {
        List<ItemRef> items =
            open.stream()
                .filter(ref -> behind.contains(d.state.records.advisory(ref.record())))
                .toList();
        // The targets come from the advisories as they are now, matched against the VM as it
        // is now: a reverted VM may lack a package no item names, and an update may have raised
        // a fix since the items were opened.
        PatchStep.request(
            d,
            now,
            vm,
            Optional.empty(),
            items,
            behind,
            PatchStep.updatesFor(behindFindings),
            c.attempts + 1,
            c.snapshot);
      }
    }
  }

  private static boolean releasing(ProcessState state, AssetId vm) {
    return state.effects.values().stream()
        .anyMatch(
            p ->
                p.request.effect() == EffectEvents.EffectKind.RELEASE
                    && p.request.vm().equals(Optional.of(vm)));
  }

  /**
   * The release of a held VM whose inventory was just verified compliant: requested only once its
   * hold is confirmed (a hold still pending keeps being retried) and not already requested.
   */
  static Optional<ProcessEvent> release(
      Driver d, Instant now, AssetId vm, List<AdvisoryId> verified) {
    CatchUp c = d.state.catchUps.get(vm);
    if (c == null || !c.held || releasing(d.state, vm)) {
      return Optional.empty();
    }
    return Optional.of(
        Effects.request(
            d,
            now,
            EffectEvents.EffectKind.RELEASE,
            "release-" + vm + "-" + d.state.nextSeq,
            Optional.of(vm),
            vm.value(),
            "verified compliant",
            verified,
            false));
  }
}
