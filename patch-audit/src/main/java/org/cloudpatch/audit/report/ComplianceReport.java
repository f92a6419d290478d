package org.cloudpatch.audit.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.process.TrackingRecord;
import org.cloudpatch.core.rollout.ChangeRequest;
import org.cloudpatch.core.severity.Priority;

/**
 * The compliance answer at one instant, per tenant, per advisory and per asset; made by {@link
 * ComplianceReports#report}. A report scoped to one tenant holds nothing of any other tenant.
 *
 * @param title the report's title
 * @param asOf the instant it speaks for
 * @param scope the tenant it is limited to, or empty for the whole fleet
 * @param answer the direct answer to "have all VMs that require the update been patched, and can it
 *     be validated?"
 * @param tenants per tenant, how many assets stand where
 * @param advisories per advisory, its severity, records, notifications, changes and status
 * @param assets every asset with where it stands against each advisory that applies to it
 * @param records per tracking record, its SLA and time to remediate
 * @param exceptions the risk acceptances, with owner and expiry
 * @param overdueByPriority outstanding asset-advisory pairs past their due date, by priority
 * @param history compliance samples over time, per tenant
 * @param inventoryCheckedAt when the current inventories were checked independently, if they were
 * @param evidence statements about the evidence behind the report, from the input
 * @param hosts each host's remediation (evacuation, patch, or why it was skipped), in host order;
 *     empty when the input has none. Hosts are shared: a tenant's report lists every host, but
 *     names only that tenant's VMs in migrations and blockers and counts the others
 */
public record ComplianceReport(
    String title,
    Instant asOf,
    Optional<TenantId> scope,
    Answer answer,
    List<TenantSummary> tenants,
    List<AdvisoryStatus> advisories,
    List<AssetStatus> assets,
    List<RecordStatus> records,
    List<ExceptionEntry> exceptions,
    Map<Priority, Integer> overdueByPriority,
    List<ComplianceSample> history,
    Optional<Instant> inventoryCheckedAt,
    List<String> evidence,
    List<HostEvacuation> hosts) {

  /** Copies the lists, so that a report never changes. */
  public ComplianceReport {
    tenants = List.copyOf(tenants);
    advisories = List.copyOf(advisories);
    assets = List.copyOf(assets);
    records = List.copyOf(records);
    exceptions = List.copyOf(exceptions);
    overdueByPriority = Map.copyOf(overdueByPriority);
    history = List.copyOf(history);
    evidence = List.copyOf(evidence);
    hosts = List.copyOf(hosts);
  }

  /**
   * The seed's two questions answered: have all VMs that require the update been patched, and can
   * that be validated.
   *
   * @param assets all assets in scope
   * @param requiringUpdate assets to which at least one advisory applies
   * @param patched of those, the assets with every applicable advisory verified as patched
   * @param pendingReboot assets patched but waiting for a reboot
   * @param excepted assets with an unpatched advisory covered by an unexpired exception (and
   *     nothing outstanding)
   * @param outstanding assets with a missing or failed update
   * @param overdue assets with an outstanding update past its due date
   * @param allPatched whether every asset that requires an update is patched
   * @param patchedPairs asset-advisory pairs claimed patched
   * @param verifiedPairs of those, the pairs whose fixed version re-inventory recorded
   * @param discrepancies pairs where the independent inventory check contradicts the records
   * @param validated whether every patched pair is verified and the independent check agrees
   * @param patchedAnswer the first answer in a sentence; it names the VMs of the three lists below
   * @param validationAnswer the second answer in a sentence
   * @param suspended the assets in scope that are suspended, by id: counted in the answer like any
   *     other, and named so that none is silently skipped
   * @param poweredOff the assets in scope that are powered off, by id
   * @param reverted the assets in scope reverted to a snapshot during the period, by id
   */
  public record Answer(
      int assets,
      int requiringUpdate,
      int patched,
      int pendingReboot,
      int excepted,
      int outstanding,
      int overdue,
      boolean allPatched,
      int patchedPairs,
      int verifiedPairs,
      int discrepancies,
      boolean validated,
      String patchedAnswer,
      String validationAnswer,
      List<AssetId> suspended,
      List<AssetId> poweredOff,
      List<AssetId> reverted) {
    /** Copies the lists. */
    public Answer {
      suspended = List.copyOf(suspended);
      poweredOff = List.copyOf(poweredOff);
      reverted = List.copyOf(reverted);
    }
  }

  /**
   * One tenant's assets by their overall status.
   *
   * @param tenant the tenant
   * @param assets its assets
   * @param byStatus how many assets have each overall status
   * @param notRunning assets suspended or powered off
   * @param held assets held for catch-up
   * @param reverted assets reverted to a snapshot
   * @param overdue assets with an outstanding update past its due date
   */
  public record TenantSummary(
      TenantId tenant,
      int assets,
      Map<ComplianceStatus, Integer> byStatus,
      int notRunning,
      int held,
      int reverted,
      int overdue) {
    /** Copies the map. */
    public TenantSummary {
      byStatus = Map.copyOf(byStatus);
    }

    /** How many assets have nothing left to do. */
    public int compliant() {
      return byStatus.getOrDefault(ComplianceStatus.COMPLIANT, 0)
          + byStatus.getOrDefault(ComplianceStatus.NOT_APPLICABLE, 0);
    }
  }

  /**
   * One advisory across the scope.
   *
   * @param advisory the advisory
   * @param cvss its CVSS base score, if assessed with one
   * @param vector its CVSS vector, if any
   * @param priority its priority under the enterprise's policy, if assessed
   * @param due when it must be remediated, if assessed
   * @param rule the policy rule that decided its priority, if assessed
   * @param records its tracking records
   * @param resolverGroups the resolver groups of those records
   * @param notifications how many notifications were delivered about it
   * @param notifiedTenants the tenants notified
   * @param changes the change records that remediate it
   * @param byStatus how many asset-advisory pairs have each status
   * @param overdue outstanding pairs past their due date
   * @param status its status in words, e.g. {@code closed} or {@code open: 3 missing}
   */
  public record AdvisoryStatus(
      AdvisoryId advisory,
      Optional<Double> cvss,
      Optional<String> vector,
      Optional<Priority> priority,
      Optional<Instant> due,
      Optional<String> rule,
      List<TrackingId> records,
      List<String> resolverGroups,
      int notifications,
      List<TenantId> notifiedTenants,
      List<ChangeSummary> changes,
      Map<ComplianceStatus, Integer> byStatus,
      int overdue,
      String status) {
    /** Copies the collections. */
    public AdvisoryStatus {
      records = List.copyOf(records);
      resolverGroups = List.copyOf(resolverGroups);
      notifiedTenants = List.copyOf(notifiedTenants);
      changes = List.copyOf(changes);
      byStatus = Map.copyOf(byStatus);
    }
  }

  /**
   * A change record, as far as the scope may see it.
   *
   * @param id its identifier
   * @param type the kind of change
   * @param approval where its approval stands
   * @param windowStart when its maintenance window opens
   * @param windowEnd when it closes
   * @param closed whether it is closed
   * @param assetsInScope how many of the scope's assets it touches
   */
  public record ChangeSummary(
      String id,
      ChangeRequest.ChangeType type,
      ChangeRequest.Approval approval,
      Instant windowStart,
      Instant windowEnd,
      boolean closed,
      int assetsInScope) {}

  /**
   * One asset and where it stands against each advisory that applies to it.
   *
   * @param asset the asset
   * @param tenant its tenant
   * @param powerState whether it runs, is suspended or is off
   * @param held whether it is held for catch-up
   * @param reverted whether it was reverted to a snapshot
   * @param overall the worst of its advisories' statuses; {@code NOT_APPLICABLE} when none applies
   * @param advisories one entry per advisory that applies (or applied) to it
   */
  public record AssetStatus(
      AssetId asset,
      TenantId tenant,
      Asset.PowerState powerState,
      boolean held,
      boolean reverted,
      ComplianceStatus overall,
      List<AssetAdvisory> advisories) {
    /** Copies the list. */
    public AssetStatus {
      advisories = List.copyOf(advisories);
    }

    /** Whether it is suspended or off, or held, or was reverted: listed apart in reports. */
    public boolean needsAttention() {
      return powerState != Asset.PowerState.RUNNING || held || reverted;
    }
  }

  /**
   * One asset against one advisory.
   *
   * @param advisory the advisory
   * @param status where the asset stands
   * @param record the tracking record, if one covers it
   * @param resolverGroup who resolves it (empty when no record covers it)
   * @param priority the record's priority, if any
   * @param due the record's due date, if any
   * @param overdue whether it is outstanding past its due date
   * @param verifiedVersion the fixed version re-inventory observed, once verified
   * @param exception the risk item that excepts it, if any
   * @param note why it stands where it does, in words
   */
  public record AssetAdvisory(
      AdvisoryId advisory,
      ComplianceStatus status,
      Optional<TrackingId> record,
      String resolverGroup,
      Optional<Priority> priority,
      Optional<Instant> due,
      boolean overdue,
      Optional<String> verifiedVersion,
      Optional<String> exception,
      String note) {}

  /**
   * One tracking record and its SLA.
   *
   * @param id the record
   * @param advisory its advisory
   * @param tenant its tenant
   * @param resolverGroup who resolves it
   * @param priority its priority
   * @param opened when it was opened
   * @param due when it must be remediated
   * @param closed when it was closed, if it is
   * @param status where it stands
   * @param items how many assets it covers
   * @param timeToRemediate from opened to closed, once closed
   * @param late whether it was closed after its due date, or is still open past it
   */
  public record RecordStatus(
      TrackingId id,
      AdvisoryId advisory,
      TenantId tenant,
      String resolverGroup,
      Priority priority,
      Instant opened,
      Instant due,
      Optional<Instant> closed,
      TrackingRecord.Status status,
      int items,
      Optional<Duration> timeToRemediate,
      boolean late) {}

  /**
   * A risk acceptance: an asset left exposed on purpose, by whom, until when.
   *
   * @param id the risk item
   * @param asset the asset left exposed
   * @param tenant its tenant
   * @param advisories the advisories it is exposed to
   * @param owner who owns the risk
   * @param opened when it was accepted
   * @param expires when the acceptance expires
   * @param expired whether it had expired at the report's instant
   * @param reason why the patch could not be applied
   */
  public record ExceptionEntry(
      String id,
      AssetId asset,
      TenantId tenant,
      List<AdvisoryId> advisories,
      String owner,
      Instant opened,
      Instant expires,
      boolean expired,
      String reason) {
    /** Copies the list. */
    public ExceptionEntry {
      advisories = List.copyOf(advisories);
    }
  }

  /**
   * One host's remediation, as far as the scope may see it.
   *
   * @param host the host
   * @param outcome how it ended the period
   * @param reason why it was skipped or left unverified; in a tenant's report withheld (empty) when
   *     it names a VM of another tenant
   * @param blockingVms the VMs in scope that blocked it
   * @param otherBlockingVms how many VMs of other tenants blocked it (counted, not named; always 0
   *     in a fleet report)
   * @param enteredMaintenance when it entered maintenance mode, if it did
   * @param migrations the live migrations of VMs in scope off it, in order
   * @param otherMigrations how many VMs of other tenants were migrated off it (always 0 in a fleet
   *     report)
   * @param patched when it was patched, if it was
   * @param exitedMaintenance when it left maintenance mode, if it did
   */
  public record HostEvacuation(
      HostId host,
      HostEvacuationFact.Outcome outcome,
      Optional<String> reason,
      List<AssetId> blockingVms,
      int otherBlockingVms,
      Optional<Instant> enteredMaintenance,
      List<HostEvacuationFact.Migration> migrations,
      int otherMigrations,
      Optional<Instant> patched,
      Optional<Instant> exitedMaintenance) {
    /** Copies the lists. */
    public HostEvacuation {
      blockingVms = List.copyOf(blockingVms);
      migrations = List.copyOf(migrations);
    }

    /** How many VMs were migrated off it, in scope or not. */
    public int totalMigrations() {
      return migrations.size() + otherMigrations;
    }
  }
}
