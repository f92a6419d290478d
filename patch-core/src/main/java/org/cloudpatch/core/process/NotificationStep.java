package org.cloudpatch.core.process;

import static org.cloudpatch.core.process.ProcessState.known;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.finding.Finding;
import org.cloudpatch.core.severity.Assessment;
import org.cloudpatch.core.spi.Notifier;

/**
 * Step 6, notification: each tenant is told about its own assets only (queued in the decision that
 * tracks them, delivered under the queued key, retried with backoff until the notifier confirms).
 */
final class NotificationStep {
  private NotificationStep() {}

  /** The notifications of an assessment's tracking events, one per tenant: pure. */
  static List<ProcessEvent> queue(
      ProcessPolicy policy,
      Advisory advisory,
      Assessment assessment,
      List<ProcessEvent> tracking,
      Map<AssetId, Asset> assets) {
    List<ProcessEvent> out = new ArrayList<>();
    if (assessment.priority().compareTo(policy.notifyAtOrAbove()) > 0) {
      return out;
    }
    Map<TenantId, Set<AssetId>> byTenant = new TreeMap<>();
    for (ProcessEvent e : tracking) {
      List<Finding> findings =
          e instanceof ProcessEvent.TrackingOpened o
              ? o.findings()
              : e instanceof ProcessEvent.TrackingExtended x ? x.findings() : List.of();
      for (Finding f : findings) {
        Asset asset = assets.get(f.asset());
        if (asset != null) {
          byTenant.computeIfAbsent(asset.tenant(), t -> new TreeSet<>()).add(asset.id());
        }
      }
    }
    byTenant.forEach(
        (tenant, list) ->
            out.add(
                new ProcessEvent.NotificationQueued(
                    Ids.notification(advisory.id(), tenant, advisory.modified()),
                    tenant,
                    advisory.id(),
                    List.copyOf(list))));
    return out;
  }

  static void deliver(Driver d, Instant now) {
    for (ProcessEvent.NotificationQueued n : List.copyOf(d.state.pendingNotifications.values())) {
      Instant retryAt = d.state.notificationRetryAt.get(n.key());
      if (retryAt != null && now.isBefore(retryAt)) {
        continue;
      }
      Advisory advisory = known(d.state.advisories, n.advisory());
      Assessment assessment = known(d.state.assessments, n.advisory());
      Notifier.Notification message = NotificationText.of(d.state, n, advisory, assessment);
      Driver.Result<Boolean> r =
          d.attemptRun("Notifier", "deliver", () -> d.notifier.deliver(message));
      if (r.ok()) {
        d.emit(now, new ProcessEvent.NotificationSent(n.key(), n.to(), n.advisory(), n.assets()));
      } else if (Notifier.isPermanent(r.thrown())) {
        d.emit(
            now,
            new EffectEvents.NotificationDeadLettered(
                n.key(), n.to(), n.advisory(), "permanent: " + r.failure()));
      } else {
        d.emit(now, new ProcessEvent.NotificationFailed(n.key(), n.to(), r.failure()));
      }
    }
  }
}
