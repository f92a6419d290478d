package org.cloudpatch.core.process;

import static org.cloudpatch.core.process.ProcessState.known;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.process.TrackingItem.ItemState;
import org.cloudpatch.core.spi.EvidenceStore;
import org.jspecify.annotations.Nullable;

/**
 * Step 10, closure: a record closes when every item is settled — verified, or under an accepted,
 * unexpired risk item. All verified: {@code CLOSED}; some under exceptions: {@code
 * CLOSED_WITH_EXCEPTIONS}, naming the risk items; none verified: {@code RISK_ACCEPTED}. One broken
 * VM changes only how its own item is reported. The evidence bundle is stored until the store
 * confirms it.
 */
final class ClosureStep {
  private ClosureStep() {}

  static void settleRecords(Driver d, Instant now) {
    d.emit(now, decide(d.state));
    d.state.touched.clear();
  }

  /** The closings due among the records changed since the last look: pure. */
  static List<ProcessEvent> decide(ProcessState state) {
    List<ProcessEvent> events = new ArrayList<>();
    @Nullable Map<String, String> risksByItem =
        null; // built once, only when a record closes with risks
    for (TrackingId id : List.copyOf(state.touched)) {
      TrackingRecord r = known(state.records, id);
      if (r.status() != TrackingRecord.Status.OPEN || !r.allItemsSettled()) {
        continue;
      }
      int verified = 0;
      List<String> exceptions = new ArrayList<>();
      for (TrackingItem i : r.items().values()) {
        if (i.state() == ItemState.VERIFIED) {
          verified++;
        } else if (i.state() == ItemState.RISK_ACCEPTED) {
          if (risksByItem == null) {
            risksByItem = risksByItem(state);
          }
          exceptions.add(
              risksByItem.getOrDefault(id.value() + " " + i.asset().value(), i.asset().value()));
        }
      }
      TrackingRecord.Status outcome =
          exceptions.isEmpty()
              ? TrackingRecord.Status.CLOSED
              : verified == 0
                  ? TrackingRecord.Status.RISK_ACCEPTED
                  : TrackingRecord.Status.CLOSED_WITH_EXCEPTIONS;
      events.add(
          new ProcessEvent.TrackingClosed(id, outcome, verified, exceptions.size(), exceptions));
    }
    return events;
  }

  /**
   * The unexpired risk item of each (record, asset), as the closing names it; the latest by id
   * where there are several. One pass over the risks, not one per item: 180,000 risk items at
   * 100,000 VMs made a pass per item the engine's whole time.
   */
  private static Map<String, String> risksByItem(ProcessState state) {
    Map<String, String> out = new HashMap<>();
    for (RiskItem risk : state.risks.values()) {
      if (risk.record().isPresent() && !state.expiredRisks.contains(risk.id())) {
        out.put(
            risk.record().get().value() + " " + risk.asset().value(),
            risk.id() + " (" + risk.asset() + ", owner " + risk.owner() + ")");
      }
    }
    return out;
  }

  static void storeEvidence(Driver d, Instant now) {
    for (TrackingId id : List.copyOf(d.state.evidencePending)) {
      EvidenceStore.EvidenceBundle bundle = EvidenceContent.bundle(d.state, id);
      if (d.attemptRun("EvidenceStore", "store", () -> d.evidence.store(bundle)).ok()) {
        d.emit(now, new ProcessEvent.EvidenceStored(id));
      }
    }
  }
}
