package org.cloudpatch.audit.report;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.process.RiskItem;
import org.cloudpatch.core.process.TrackingRecord;
import org.cloudpatch.core.severity.Assessment;
import org.immutables.value.Value;

/**
 * The facts a compliance report is made of, all from public views a host already has: its assets
 * (with power state and lifecycle flags), the engine's tracking records, risk items and
 * assessments, the notifications and change records, the history of compliance samples, and
 * optionally an independent check of the current inventories and each host's remediation.
 *
 * <p>Every asset of the fleet belongs in {@link #assets()}, including suspended, powered-off and
 * reverted ones: the report lists them, it never skips them.
 */
@Value.Immutable
public interface ComplianceInput {
  /** The instant the report speaks for; SLA ageing and exception expiry are measured at it. */
  Instant asOf();

  /** A title for the report, e.g. the system's name. */
  @Value.Default
  default String title() {
    return "Patch compliance report";
  }

  /** Every asset of the fleet. */
  List<AssetFacts> assets();

  /** The engine's tracking records ({@code PatchEngine.trackingRecords()}). */
  List<TrackingRecord> records();

  /** The engine's risk items ({@code PatchEngine.riskItems()}). */
  List<RiskItem> risks();

  /** The advisories' assessments ({@code PatchEngine.assessment(id)}), one per advisory. */
  List<Assessment> assessments();

  /** The notifications delivered. */
  List<NotificationFact> notifications();

  /** The change records. */
  List<ChangeFact> changes();

  /** Compliance samples over time, per tenant, for the history chart. */
  List<ComplianceSample> history();

  /**
   * When the current inventories were checked independently of the engine, if they were; then
   * {@link #stillAffected()} says what that check found.
   */
  Optional<Instant> inventoryCheckedAt();

  /**
   * Per asset, the advisories its current inventory is still affected by, according to an
   * applicability check made at {@link #inventoryCheckedAt()}; assets without an entry were found
   * unaffected. This is the validation: the report compares it with what the records claim.
   */
  Map<AssetId, Set<AdvisoryId>> stillAffected();

  /**
   * Statements about the evidence behind the report that a reader can check independently of it,
   * e.g. the journal's verification ({@code journal.log: OK 5120 <head hash>}); shown beside the
   * validation answer.
   */
  List<String> evidence();

  /**
   * Each host's remediation in the period, for hosts that patch their hypervisors with the
   * library's host remediation; empty when there was none.
   */
  List<HostEvacuationFact> hosts();

  /** Rejects inputs that contradict themselves. */
  @Value.Check
  default void check() {
    Set<AssetId> ids = new HashSet<>();
    for (AssetFacts a : assets()) {
      if (!ids.add(a.asset().id())) {
        throw new IllegalStateException("asset " + a.asset().id() + " is listed twice");
      }
    }
    Set<org.cloudpatch.core.HostId> hosts = new HashSet<>();
    for (HostEvacuationFact h : hosts()) {
      if (!hosts.add(h.host())) {
        throw new IllegalStateException("host " + h.host() + " is listed twice");
      }
    }
    if (inventoryCheckedAt().isEmpty() && !stillAffected().isEmpty()) {
      throw new IllegalStateException("stillAffected is given without inventoryCheckedAt");
    }
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ComplianceInput}. */
  final class Builder extends ImmutableComplianceInput.Builder {}
}
