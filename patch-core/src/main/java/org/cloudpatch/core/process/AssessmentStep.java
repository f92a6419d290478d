package org.cloudpatch.core.process;

import static org.cloudpatch.core.process.ProcessState.known;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.finding.Finding;
import org.cloudpatch.core.finding.FindingStatus;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.severity.Assessment;

/**
 * Steps 3 and 4, assessment: the enterprise's severity and the advisory's applicability to the
 * fleet, for every advisory the subscription published. Host code (severity policy with its threat
 * intel, the same-instant rule, resolver groups) runs guarded: when it throws, the advisory is
 * parked with a journaled reason and tried again later, and other work goes on.
 */
final class AssessmentStep {
  private AssessmentStep() {}

  static void processAdvisories(Driver d, Instant now) {
    // One fleet read per pass, shared by every advisory assessed in it: N advisories cost one read
    // per asset, not N, and an asset whose read failed is unread for all of them alike.
    Map<AssetId, Optional<Optional<Inventory>>> reads = new HashMap<>();
    boolean assetsRefreshed = false;
    for (AdvisoryId id : List.copyOf(d.state.unprocessed)) {
      Advisory advisory = known(d.state.advisories, id);
      if (advisory.withdrawn().isPresent()) {
        d.emit(now, withdraw(d.state, advisory));
      } else if (!d.state.parked(subject(id), now)) {
        if (!assetsRefreshed) {
          // The fleet an advisory is matched against is the inventory's list as it is now. An
          // engine just rebuilt from its journal knows no asset until a read succeeds: matching
          // against that empty list journaled "0 assessed, 0 affected", a wrong "nothing is
          // affected" (found by demo --faults 0.05 --restarts 20). Without a fresh read, the
          // advisory waits for the next tick.
          if (!d.refreshAssets(now)) {
            return;
          }
          assetsRefreshed = true;
          if (d.held != null) {
            // Once per pass, after the asset list: what the feed names is read again below.
            d.held.sync(d);
          }
        }
        assess(d, now, advisory, reads);
      }
    }
  }

  static String subject(AdvisoryId id) {
    return "advisory " + id;
  }

  /** The withdrawal of an advisory and of its open records: pure. */
  static List<ProcessEvent> withdraw(ProcessState state, Advisory advisory) {
    List<ProcessEvent> events = new ArrayList<>();
    Instant withdrawn = advisory.withdrawn().orElseThrow();
    events.add(new ProcessEvent.AdvisoryWithdrawn(advisory.id(), withdrawn));
    for (TrackingRecord r : state.records.live()) {
      if (r.advisory().equals(advisory.id()) && r.status() == TrackingRecord.Status.OPEN) {
        events.add(
            new ProcessEvent.TrackingWithdrawn(
                r.id(), "the vendor withdrew " + advisory.id() + " at " + withdrawn));
      }
    }
    return events;
  }

  private static void assess(
      Driver d, Instant now, Advisory advisory, Map<AssetId, Optional<Optional<Inventory>>> reads) {
    // After an incomplete pass only the assets it could not read are read again: the findings of
    // the others are tracked already. A VM created since is caught up by CatchUpStep.
    Set<AssetId> earlierUnread = d.state.unreadInventory.get(advisory.id());
    List<Inventory> fleet = new ArrayList<>();
    // With an index, the assets matched: those whose copy is current, or read in this pass.
    Set<AssetId> indexed = new TreeSet<>();
    HeldInventories held = d.held;
    List<AssetId> unread = new ArrayList<>();
    for (AssetId id : d.assets.keySet()) {
      if (earlierUnread != null && !earlierUnread.contains(id)) {
        continue;
      }
      if (held != null && held.isCurrent(id)) {
        if (held.holds(id)) {
          indexed.add(id);
        }
        continue;
      }
      Optional<Optional<Inventory>> read =
          reads.computeIfAbsent(
              id,
              a -> {
                Optional<Optional<Inventory>> r =
                    d.call(
                        now,
                        "InventorySource",
                        "inventory",
                        Optional.of(a),
                        () -> d.inventory.inventory(a));
                if (held != null) {
                  r.ifPresent(inventory -> held.observed(a, inventory));
                }
                return r;
              });
      if (read.isEmpty()) {
        unread.add(id);
      } else if (read.get().isPresent()) {
        fleet.add(read.get().get());
        indexed.add(id);
      }
    }
    int assessed = held != null ? indexed.size() : fleet.size();
    Optional<List<Finding>> matched =
        d.call(
            now,
            "Applicability",
            "assess",
            Optional.empty(),
            () ->
                held != null
                    ? held.assess(advisory, indexed)
                    : d.applicability.assess(advisory, fleet));
    if (matched.isEmpty()) {
      return; // stays unprocessed; tried again on the next tick
    }
    String subject = subject(advisory.id());
    Optional<Assessment> assessment =
        d.host(now, subject, "severity policy", () -> d.policy.severity().assess(advisory, now));
    if (assessment.isEmpty()) {
      return;
    }
    Optional<Boolean> sameInstant =
        d.host(now, subject, "same-instant rule", () -> d.policy.sameInstant().test(advisory));
    if (sameInstant.isEmpty()) {
      return;
    }
    Map<AssetId, String> groups = new TreeMap<>();
    for (Finding f : matched.get()) {
      Asset asset = d.assets.get(f.asset());
      if (f.status() == FindingStatus.AFFECTED
          && asset != null
          && !groups.containsKey(asset.id())) {
        Optional<String> group =
            d.host(
                now,
                subject,
                "resolver group of " + asset.id(),
                () -> d.policy.resolverGroup().apply(asset));
        if (group.isEmpty()) {
          return;
        }
        groups.put(asset.id(), group.get());
      }
    }
    // Each affected asset's own priority: its criticality and exposure may move the advisory's
    // (P1 on an exposed, critical VM, P3 elsewhere). Assessed once per kind of asset.
    Map<AssetId, Assessment> severities = new TreeMap<>();
    Map<String, Assessment> byKind = new HashMap<>();
    for (AssetId id : groups.keySet()) {
      Asset asset = d.assets.get(id);
      if (asset == null) {
        continue;
      }
      String kind = asset.criticality() + "/" + asset.exposure();
      Assessment forKind = byKind.get(kind);
      if (forKind == null) {
        Optional<Assessment> a =
            d.host(
                now,
                subject,
                "severity policy for " + kind + " assets",
                () -> d.policy.severity().assess(advisory, asset, now));
        if (a.isEmpty()) {
          return;
        }
        forKind = a.get();
        byKind.put(kind, forKind);
      }
      severities.put(id, forKind);
    }
    TimingMode mode = sameInstant.get() ? TimingMode.SAME_INSTANT : TimingMode.LOCAL_TIME;
    List<ProcessEvent> events =
        TrackingStep.decide(
            d.state,
            advisory,
            assessment.get(),
            mode,
            assessed,
            matched.get(),
            d.assets,
            groups,
            severities);
    events.addAll(NotificationStep.queue(d.policy, advisory, assessment.get(), events, d.assets));
    if (!unread.isEmpty()) {
      // Assets whose inventory failed are not dropped: the advisory stays work, parked with
      // backoff, and its next pass reads only them (as for an update, it only adds findings not
      // yet tracked).
      events.add(new EffectEvents.AssessmentIncomplete(advisory.id(), unread));
      events.add(
          new EffectEvents.WorkParked(
              subject,
              "inventory of "
                  + unread.size()
                  + " asset(s) failed, "
                  + abbreviated(unread)
                  + "; assessed again for them"));
    }
    d.emit(now, events);
  }

  private static String abbreviated(List<AssetId> ids) {
    return ids.size() <= 10 ? ids.toString() : ids.subList(0, 10).toString().replace("]", ", …]");
  }
}
