package org.cloudpatch.core.process;

import java.util.List;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.Remediation;
import org.cloudpatch.core.severity.Assessment;
import org.cloudpatch.core.spi.Notifier;

/**
 * The words of a notification: subject, due date, the tenant's own assets, and — when a finding has
 * no fixed version yet — the vendor's workarounds and mitigations.
 */
final class NotificationText {
  private NotificationText() {}

  static Notifier.Notification of(
      ProcessState state,
      ProcessEvent.NotificationQueued n,
      Advisory advisory,
      Assessment assessment) {
    boolean overdue = n.key().startsWith("O-");
    StringBuilder body = new StringBuilder(advisory.summary());
    body.append("\nDue: ").append(assessment.due());
    body.append("\nAffected assets: ").append(n.assets());
    List<AssetId> noFix = noFixAssets(state, n);
    if (!noFix.isEmpty()) {
      body.append("\nNo fixed version is available yet for: ").append(noFix);
    }
    List<String> workarounds = workarounds(advisory);
    if (!workarounds.isEmpty()) {
      body.append("\nWorkarounds and mitigations:");
      workarounds.forEach(w -> body.append("\n- ").append(w));
    }
    String subject =
        (overdue ? "[OVERDUE] " : "")
            + "["
            + assessment.priority()
            + "] "
            + advisory.id()
            + " affects "
            + n.assets().size()
            + " of your assets";
    return Notifier.Notification.builder()
        .key(n.key())
        .tenant(n.to())
        .advisory(n.advisory())
        .assets(n.assets())
        .subject(subject)
        .body(body.toString())
        .build();
  }

  /** The advisory's workarounds and mitigations, as "KIND: details". */
  static List<String> workarounds(Advisory advisory) {
    return advisory.remediations().stream()
        .filter(
            r ->
                r.kind() == Remediation.Kind.WORKAROUND
                    || r.kind() == Remediation.Kind.MITIGATION
                    || r.kind() == Remediation.Kind.NO_FIX_PLANNED
                    || r.kind() == Remediation.Kind.NONE_AVAILABLE)
        .map(r -> r.kind() + ": " + r.details())
        .toList();
  }

  private static List<AssetId> noFixAssets(ProcessState state, ProcessEvent.NotificationQueued n) {
    return state.records.live().stream()
        .filter(r -> r.advisory().equals(n.advisory()) && r.tenant().equals(n.to()))
        .flatMap(r -> r.items().values().stream())
        .filter(
            i ->
                i.state() == TrackingItem.ItemState.NO_FIX_AVAILABLE
                    && n.assets().contains(i.asset()))
        .map(TrackingItem::asset)
        .distinct()
        .sorted()
        .toList();
  }
}
