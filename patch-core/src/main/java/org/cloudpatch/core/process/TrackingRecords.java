package org.cloudpatch.core.process;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.finding.Finding;
import org.cloudpatch.core.process.ProcessEvent.ItemRef;
import org.cloudpatch.core.process.TrackingItem.ItemState;
import org.jspecify.annotations.Nullable;

/**
 * How events change tracking records: pure functions, no I/O, no clock but the event's instant.
 * Replaying the same events gives the same records.
 */
final class TrackingRecords {
  private TrackingRecords() {}

  /** The records an event changes. */
  static List<TrackingId> affectedRecords(ProcessEvent event) {
    if (event instanceof ProcessEvent.RolloutPlanned e) {
      return recordsOf(e.items());
    } else if (event instanceof ProcessEvent.RolloutMissed e) {
      return recordsOf(e.items());
    } else if (event instanceof ProcessEvent.ItemsRequeued e) {
      return recordsOf(e.items());
    } else if (event instanceof ProcessEvent.PatchDeferred e) {
      return recordsOf(e.items());
    } else if (event instanceof ProcessEvent.PatchStarted e) {
      return recordsOf(e.items());
    } else if (event instanceof EffectEvents.PatchRequested e) {
      return recordsOf(e.items());
    } else if (event instanceof ProcessEvent.PatchFailed e) {
      return recordsOf(e.items());
    }
    return event.record().map(List::of).orElse(List.of());
  }

  private static List<TrackingId> recordsOf(List<ItemRef> refs) {
    return refs.stream().map(ItemRef::record).distinct().sorted().toList();
  }

  /**
   * The record after the event; {@code record} is null only before {@code tracking.opened}. Items
   * that have settled never change again; an event that changes nothing gives the same instance.
   */
  static @Nullable TrackingRecord evolve(
      @Nullable TrackingRecord record, ProcessEvent event, Instant at) {
    if (event instanceof ProcessEvent.TrackingOpened e) {
      return open(e, at).record();
    }
    if (record == null) {
      throw new IllegalStateException(
          "event " + event.type() + " for a tracking record that was never opened");
    }
    RecordBook.Page page = new RecordBook.Page(record);
    return apply(page, event, at) ? page.record() : record;
  }

  /**
   * Changes the page in place as the event says; {@code page} is null only before {@code
   * tracking.opened}, which gives a new page. Returns whether anything changed.
   */
  static boolean apply(RecordBook.Page page, ProcessEvent event, Instant at) {
    boolean changed = change(page, event, at);
    if (changed) {
      page.changed();
    }
    return changed;
  }

  private static boolean change(RecordBook.Page page, ProcessEvent event, Instant at) {
    Map<AssetId, TrackingItem> items = page.items;
    if (event instanceof ProcessEvent.TrackingExtended e) {
      // New assets become items; an unsettled item takes the new findings, so that its next
      // patch job brings the newly named packages too.
      Map<AssetId, TrackingItem> added = newItems(e.findings());
      added.forEach(
          (asset, fresh) ->
              items.merge(asset, fresh, (old, f) -> old.state().isSettled() ? old : merge(old, f)));
      return !added.isEmpty();
    } else if (event instanceof ProcessEvent.RolloutPlanned e) {
      return items(
          page, e.items(), i -> i.state(ItemState.PLANNED).wave(e.waveId()).note("planned"));
    } else if (event instanceof ProcessEvent.RolloutMissed e) {
      return items(page, e.items(), i -> requeue(i, e.reason()));
    } else if (event instanceof ProcessEvent.ItemsRequeued e) {
      return items(page, e.items(), i -> requeue(i, e.reason()));
    } else if (event instanceof ProcessEvent.PatchDeferred e) {
      return items(
          page,
          e.items(),
          i -> i.state(ItemState.DEFERRED).wave(Optional.empty()).note(e.reason()));
    } else if (event instanceof EffectEvents.PatchRequested e) {
      return items(
          page,
          e.items(),
          i -> i.state(ItemState.PATCHING).wave(e.waveId()).note("patch job " + e.job()));
    } else if (event instanceof EffectEvents.RiskExpired e) {
      TrackingItem item = items.get(e.vm());
      if (item == null || item.state() != ItemState.RISK_ACCEPTED) {
        return false;
      }
      items.put(
          e.vm(),
          TrackingItem.builder()
              .from(item)
              .state(ItemState.AFFECTED)
              .note(e.riskId() + " expired; open again")
              .build());
      if (page.fields.status() != TrackingRecord.Status.WITHDRAWN) {
        page.fields =
            page.fields.withStatus(TrackingRecord.Status.OPEN).withClosed(Optional.empty());
      }
      return true;
    } else if (event instanceof ProcessEvent.PatchStarted e) {
      return items(
          page,
          e.items(),
          i ->
              i.state(ItemState.PATCHING)
                  .attempts(e.attempt())
                  .wave(e.waveId())
                  .note("patch job " + e.job()));
    } else if (event instanceof ProcessEvent.PatchFailed e) {
      return items(page, e.items(), i -> requeue(i, e.reason()));
    } else if (event instanceof ProcessEvent.PatchVerified e) {
      return item(
          page,
          e.vm(),
          i ->
              i.state(ItemState.VERIFIED)
                  .verifiedVersion(e.installed())
                  .wave(Optional.empty())
                  .note(e.evidence()));
    } else if (event instanceof ProcessEvent.RiskOpened e) {
      return item(
          page,
          e.risk().asset(),
          i ->
              i.state(ItemState.RISK_ACCEPTED)
                  .wave(Optional.empty())
                  .note(e.risk().id() + ": " + e.risk().reason()));
    } else if (event instanceof ProcessEvent.RolloutUnplaced e) {
      return item(page, e.vm(), i -> i.note("unplaced: " + e.reason()));
    } else if (event instanceof ProcessEvent.TrackingClosed e) {
      page.fields = page.fields.withStatus(e.outcome()).withClosed(at);
      return true;
    } else if (event instanceof ProcessEvent.TrackingWithdrawn) {
      // Withdrawn items are listed in asset order, as they always were.
      Map<AssetId, TrackingItem> sorted = new TreeMap<>(items);
      sorted.replaceAll(
          (a, i) ->
              i.state().isSettled()
                  ? i
                  : TrackingItem.builder().from(i).state(ItemState.WITHDRAWN).build());
      items.clear();
      items.putAll(sorted);
      page.fields =
          page.fields.withStatus(TrackingRecord.Status.WITHDRAWN).withClosed(Optional.of(at));
      return true;
    }
    return false;
  }

  /**
   * An unsettled item with an update's findings: a package's new finding replaces its old one, and
   * an item that waited for a fix becomes affected (to be planned) once one is named.
   */
  private static TrackingItem merge(TrackingItem old, TrackingItem fresh) {
    List<Finding> findings = new ArrayList<>();
    for (Finding f : old.findings()) {
      boolean replaced =
          fresh.findings().stream()
              .anyMatch(
                  n ->
                      n.ecosystem().equals(f.ecosystem())
                          && n.packageName().equals(f.packageName()));
      if (!replaced) {
        findings.add(f);
      }
    }
    findings.addAll(fresh.findings());
    boolean fixNamed = findings.stream().anyMatch(f -> f.fixedVersion().isPresent());
    TrackingItem.Builder b = TrackingItem.builder().from(old).findings(findings);
    if (old.state() == ItemState.NO_FIX_AVAILABLE && fixNamed) {
      b.state(ItemState.AFFECTED).note("an updated advisory names a fix");
    }
    return b.build();
  }

  /** One affected item per asset of the findings, by asset. */
  private static Map<AssetId, TrackingItem> newItems(List<Finding> findings) {
    Map<AssetId, List<Finding>> byAsset = new TreeMap<>();
    for (Finding f : findings) {
      byAsset.computeIfAbsent(f.asset(), a -> new ArrayList<>()).add(f);
    }
    Map<AssetId, TrackingItem> items = new LinkedHashMap<>();
    byAsset.forEach(
        (asset, assetFindings) ->
            items.put(
                asset,
                TrackingItem.builder()
                    .asset(asset)
                    .findings(assetFindings)
                    .state(noFix(assetFindings) ? ItemState.NO_FIX_AVAILABLE : ItemState.AFFECTED)
                    .note(
                        noFix(assetFindings)
                            ? "no fix available: waits for an advisory that names a fixed version"
                            : "affected")
                    .build()));
    return items;
  }

  private static boolean noFix(List<Finding> findings) {
    return findings.stream().allMatch(f -> f.fixedVersion().isEmpty());
  }

  /** The page of a record that {@code tracking.opened} opens. */
  static RecordBook.Page open(ProcessEvent.TrackingOpened e, Instant at) {
    Map<AssetId, TrackingItem> items = newItems(e.findings());
    return new RecordBook.Page(
        TrackingRecord.builder()
            .id(e.id())
            .advisory(e.advisory())
            .tenant(e.owner())
            .resolverGroup(e.resolverGroup())
            .priority(e.priority())
            .due(e.due())
            .timingMode(e.timingMode())
            .opened(at)
            .status(TrackingRecord.Status.OPEN)
            .items(items)
            .build());
  }

  private static TrackingItem.Builder requeue(TrackingItem.Builder item, String reason) {
    return item.state(ItemState.AFFECTED).wave(Optional.empty()).note(reason);
  }

  /**
   * Applies {@code change} to each unsettled item of the page that {@code refs} name, in place: a
   * wave of 500 items of a 100,000-item record costs 500 writes, not 500 copies of the record.
   */
  private static boolean items(
      RecordBook.Page page, List<ItemRef> refs, UnaryOperator<TrackingItem.Builder> change) {
    boolean changed = false;
    for (ItemRef ref : refs) {
      if (ref.record().equals(page.fields.id())) {
        changed |= item(page, ref.asset(), change);
      }
    }
    return changed;
  }

  private static boolean item(
      RecordBook.Page page, AssetId asset, UnaryOperator<TrackingItem.Builder> change) {
    TrackingItem item = page.items.get(asset);
    if (item == null || item.state().isSettled()) {
      return false;
    }
    TrackingItem.Builder b = TrackingItem.builder();
    b.from(item);
    page.items.put(asset, change.apply(b).build());
    return true;
  }
}
