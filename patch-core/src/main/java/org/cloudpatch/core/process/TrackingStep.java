package org.cloudpatch.core.process;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.finding.Finding;
import org.cloudpatch.core.finding.FindingStatus;
import org.cloudpatch.core.process.TrackingItem.ItemState;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.severity.Assessment;
import org.cloudpatch.core.severity.Priority;
import org.jspecify.annotations.Nullable;

/**
 * Step 5, tracking: one record per (tenant, resolver group, priority) and advisory, the priority
 * being each asset's own (its criticality and exposure may move it), with collision-free ids
 * ({@link Ids}); an update's new findings join the open record of their own tenant and group, and a
 * finding that waited without a fix becomes work once the update names one. Pure.
 */
final class TrackingStep {
  private TrackingStep() {}

  /**
   * A tenant and resolver group, the unit a team works and is audited on, and a priority: when
   * assets' criticality or exposure give one advisory different priorities, each priority has its
   * own record (and due date) for the team.
   */
  private record Owner(TenantId tenant, String group, Priority priority, Instant due)
      implements Comparable<Owner> {
    @Override
    public int compareTo(Owner o) {
      int c = tenant.compareTo(o.tenant);
      c = c != 0 ? c : group.compareTo(o.group);
      return c != 0 ? c : priority.compareTo(o.priority);
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Owner other && compareTo(other) == 0;
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(tenant, group, priority);
    }
  }

  static List<ProcessEvent> decide(
      ProcessState state,
      Advisory advisory,
      Assessment assessment,
      TimingMode mode,
      int assessed,
      List<Finding> matched,
      Map<AssetId, Asset> assets,
      Map<AssetId, String> groups,
      Map<AssetId, Assessment> severities) {
    // An update re-runs applicability; only findings not yet tracked become new work (and those
    // that waited for a fix, once the update names one), so an update never doubles a patch.
    Map<String, List<Tracked>> tracked = trackedFindings(state, advisory.id());
    Map<Owner, List<Finding>> byOwner = new TreeMap<>();
    Set<AssetId> affectedAssets = new TreeSet<>();
    Set<String> packages = new TreeSet<>();
    int unknown = 0;
    // Items that waited for a fix on a VM that already has it once the update names it.
    List<Finding> settledByUpdate = new ArrayList<>();
    for (Finding f : matched) {
      Asset asset = assets.get(f.asset());
      if (f.status() == FindingStatus.AFFECTED && asset != null) {
        affectedAssets.add(f.asset());
        packages.add(f.ecosystem() + "/" + f.packageName());
        // Work unless an item already tracks this finding with this fix: a finding that waited
        // without a fix and now has one, or whose fix an update changed (a regression fix, as a
        // DSA-NNNN-2 raises the version), is work again; the item's finding is replaced, so the
        // next job targets the version the advisory names now.
        boolean tracksThisFix =
            tracked.getOrDefault(findingKey(f.asset(), f), List.of()).stream()
                .anyMatch(t -> t.fixed().equals(f.fixedVersion()));
        if (!tracksThisFix) {
          Assessment own = severities.getOrDefault(asset.id(), assessment);
          byOwner
              .computeIfAbsent(
                  new Owner(
                      asset.tenant(),
                      groups.getOrDefault(asset.id(), "ops"),
                      own.priority(),
                      own.due()),
                  o -> new ArrayList<>())
              .add(f);
        }
      } else if (f.status() == FindingStatus.FIXED
          && tracked.getOrDefault(findingKey(f.asset(), f), List.of()).stream()
              .anyMatch(t -> t.state() == ItemState.NO_FIX_AVAILABLE)) {
        settledByUpdate.add(f);
      } else if (f.status() == FindingStatus.UNKNOWN) {
        unknown++;
      }
    }
    List<ProcessEvent> events = new ArrayList<>();
    events.add(new ProcessEvent.SeverityAssessed(assessment));
    events.add(
        new ProcessEvent.ApplicabilityMatched(
            advisory.id(), assessed, affectedAssets.size(), unknown, List.copyOf(packages)));
    for (Finding f : settledByUpdate) {
      for (TrackingRecord r : state.records.live()) {
        TrackingItem i = r.items().get(f.asset());
        if (r.advisory().equals(advisory.id())
            && r.status() == TrackingRecord.Status.OPEN
            && i != null
            && i.state() == ItemState.NO_FIX_AVAILABLE) {
          events.add(
              new ProcessEvent.PatchVerified(
                  Optional.of(r.id()),
                  f.asset(),
                  advisory.id(),
                  f.packageName() + " " + f.installedVersion(),
                  f.evidence()));
        }
      }
    }
    Set<TrackingId> taken = new TreeSet<>(state.records.keySet());
    for (Map.Entry<Owner, List<Finding>> e : byOwner.entrySet()) {
      Owner owner = e.getKey();
      TrackingId base = Ids.record(advisory.id(), owner.tenant(), owner.group());
      List<Finding> fresh = e.getValue();
      TrackingRecord open = openRecord(state, base, owner);
      if (open != null) {
        // New findings join the open record unless their asset's item there is already settled:
        // a verified item keeps its evidence as it was, so that work needs a record of its own.
        List<Finding> join = new ArrayList<>();
        List<Finding> apart = new ArrayList<>();
        for (Finding f : fresh) {
          TrackingItem item = open.items().get(f.asset());
          (item != null && item.state().isSettled() ? apart : join).add(f);
        }
        if (!join.isEmpty()) {
          events.add(new ProcessEvent.TrackingExtended(open.id(), join));
          if (open.timingMode() == TimingMode.SAME_INSTANT) {
            // A planned member whose fix changed goes back to be planned with the group's new
            // work, so the group is patched to the new fix at one instant, not split between its
            // old wave and a new one.
            List<ProcessEvent.ItemRef> replan = new ArrayList<>();
            for (Finding f : join) {
              TrackingItem item = open.items().get(f.asset());
              ProcessEvent.ItemRef ref = new ProcessEvent.ItemRef(open.id(), f.asset());
              if (item != null && item.state() == ItemState.PLANNED && !replan.contains(ref)) {
                replan.add(ref);
              }
            }
            if (!replan.isEmpty()) {
              events.add(
                  new ProcessEvent.ItemsRequeued(
                      replan, "the advisory's fix changed; planned again with its group"));
            }
          }
        }
        fresh = apart;
      }
      if (fresh.isEmpty()) {
        continue;
      }
      TrackingId id = base;
      for (int n = 2; taken.contains(id); n++) {
        id = Ids.record(base, n);
      }
      taken.add(id);
      events.add(
          new ProcessEvent.TrackingOpened(
              id,
              advisory.id(),
              owner.tenant(),
              owner.group(),
              owner.priority(),
              owner.due(),
              mode,
              fresh));
    }
    return events;
  }

  /**
   * The open record of the owner for this advisory, if one. A record refuses an asset of another
   * tenant, group or priority: only a record whose tenant, group and priority are the owner's is
   * returned.
   */
  private static @Nullable TrackingRecord openRecord(
      ProcessState state, TrackingId base, Owner owner) {
    @Nullable TrackingRecord latest = null;
    for (TrackingRecord r : state.records.live()) {
      boolean same = r.id().equals(base) || r.id().value().startsWith(base.value() + Ids.SEP);
      if (same
          && r.status() == TrackingRecord.Status.OPEN
          && r.tenant().equals(owner.tenant())
          && r.resolverGroup().equals(owner.group())
          && r.priority() == owner.priority()) {
        latest = r;
      }
    }
    return latest;
  }

  /** How a record of the advisory tracks a finding: its item's state and the fix it targets. */
  private record Tracked(ItemState state, Optional<String> fixed) {}

  /** The (asset, package) findings that records of the advisory already cover, and how. */
  private static Map<String, List<Tracked>> trackedFindings(
      ProcessState state, AdvisoryId advisory) {
    Map<String, List<Tracked>> out = new TreeMap<>();
    for (TrackingRecord r : state.records.live()) {
      if (r.advisory().equals(advisory) && r.status() != TrackingRecord.Status.WITHDRAWN) {
        for (TrackingItem i : r.items().values()) {
          for (Finding f : i.findings()) {
            out.computeIfAbsent(findingKey(i.asset(), f), k -> new ArrayList<>())
                .add(new Tracked(i.state(), f.fixedVersion()));
          }
        }
      }
    }
    return out;
  }

  private static String findingKey(AssetId asset, Finding f) {
    return asset.value() + "\u0000" + f.ecosystem() + "\u0000" + f.packageName();
  }
}
