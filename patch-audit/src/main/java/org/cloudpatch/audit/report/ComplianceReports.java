package org.cloudpatch.audit.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cloudpatch.audit.report.ComplianceReport.AdvisoryStatus;
import org.cloudpatch.audit.report.ComplianceReport.Answer;
import org.cloudpatch.audit.report.ComplianceReport.AssetAdvisory;
import org.cloudpatch.audit.report.ComplianceReport.AssetStatus;
import org.cloudpatch.audit.report.ComplianceReport.ChangeSummary;
import org.cloudpatch.audit.report.ComplianceReport.ExceptionEntry;
import org.cloudpatch.audit.report.ComplianceReport.HostEvacuation;
import org.cloudpatch.audit.report.ComplianceReport.RecordStatus;
import org.cloudpatch.audit.report.ComplianceReport.TenantSummary;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.process.RiskItem;
import org.cloudpatch.core.process.TrackingItem;
import org.cloudpatch.core.process.TrackingItem.ItemState;
import org.cloudpatch.core.process.TrackingRecord;
import org.cloudpatch.core.severity.Assessment;
import org.cloudpatch.core.severity.Priority;
import org.jspecify.annotations.Nullable;

/**
 * Makes compliance reports from {@link ComplianceInput} and renders them for machines and people.
 *
 * <p>Every method is a pure function of its arguments: the same input gives the same report and the
 * same bytes. A report for one tenant is made from that tenant's facts only, so that nothing of
 * another tenant can reach it.
 */
public final class ComplianceReports {
  private ComplianceReports() {}

  /** The report for the whole fleet. */
  public static ComplianceReport report(ComplianceInput input) {
    Objects.requireNonNull(input, "input");
    return build(input, Optional.empty(), hosts(input, null));
  }

  /**
   * The report for one tenant: its assets, records, exceptions, notifications and changes only.
   * Hosts are shared infrastructure, so every host is listed; but of the VMs migrated off a host or
   * blocking it, only the tenant's are named, the others counted; and a reason for skipping a host
   * that names a VM of another tenant known to the input is withheld.
   */
  public static ComplianceReport report(ComplianceInput input, TenantId tenant) {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(tenant, "tenant");
    return build(onlyTenant(input, tenant), Optional.of(tenant), hosts(input, tenant));
  }

  /**
   * One compliance sample per tenant at an instant, from the engine's views at that instant: an
   * asset is compliant when no tracking record has an unsettled or risk-accepted item for it. A
   * host calls it periodically (e.g. at day boundaries) to build {@link ComplianceInput#history()}.
   */
  public static List<ComplianceSample> sample(
      Instant at, Collection<Asset> assets, Collection<TrackingRecord> records) {
    Objects.requireNonNull(at, "at");
    Set<AssetId> open = new HashSet<>();
    for (TrackingRecord r : records) {
      if (r.status() == TrackingRecord.Status.WITHDRAWN) {
        continue;
      }
      for (TrackingItem item : r.items().values()) {
        if (item.state() != ItemState.VERIFIED && item.state() != ItemState.WITHDRAWN) {
          open.add(item.asset());
        }
      }
    }
    Map<TenantId, int[]> counts = new TreeMap<>();
    for (Asset a : assets) {
      int[] c = counts.computeIfAbsent(a.tenant(), t -> new int[2]);
      c[0]++;
      if (!open.contains(a.id())) {
        c[1]++;
      }
    }
    List<ComplianceSample> samples = new ArrayList<>();
    counts.forEach((t, c) -> samples.add(ComplianceSample.of(at, t, c[0], c[1])));
    return samples;
  }

  /** The report as JSON, for machines; deterministic. */
  public static String json(ComplianceReport report) {
    return ReportJson.write(report);
  }

  /**
   * The full per-asset list as CSV (RFC 4180, header line first): one row per asset and advisory
   * that applies to it, and one row for each asset to which none applies.
   */
  public static String csv(ComplianceReport report) {
    return ReportCsv.write(report);
  }

  /**
   * A self-contained HTML page (no external asset): the answer, charts as inline SVG, per-advisory
   * and per-tenant tables, the exceptions, the hosts' remediation (skipped hosts first, each host's
   * evacuation collapsed) and the assets that are not running, held or reverted. Full per-asset
   * lists are left to {@link #csv}, so the page stays small for large fleets.
   */
  public static String html(ComplianceReport report) {
    return ReportHtml.write(report);
  }

  /**
   * The report as OSCAL 1.1.2 assessment results (JSON), for FedRAMP and NIST tooling; valid
   * against NIST's OSCAL 1.1.2 JSON schema.
   */
  public static String oscalAssessmentResults(ComplianceReport report) {
    return Oscal.assessmentResults(report);
  }

  /**
   * The outstanding work as an OSCAL 1.1.2 plan of action and milestones (JSON); valid against
   * NIST's OSCAL 1.1.2 JSON schema.
   */
  public static String oscalPoam(ComplianceReport report) {
    return Oscal.poam(report);
  }

  // ---- scoping ---------------------------------------------------------------------------

  private static ComplianceInput onlyTenant(ComplianceInput in, TenantId tenant) {
    Set<AssetId> own = new HashSet<>();
    List<AssetFacts> assets = new ArrayList<>();
    for (AssetFacts a : in.assets()) {
      if (a.asset().tenant().equals(tenant)) {
        own.add(a.asset().id());
        assets.add(a);
      }
    }
    List<TrackingRecord> records =
        in.records().stream().filter(r -> r.tenant().equals(tenant)).toList();
    Set<AdvisoryId> advisories = new HashSet<>();
    records.forEach(r -> advisories.add(r.advisory()));
    Map<AssetId, Set<AdvisoryId>> stillAffected = new TreeMap<>();
    in.stillAffected()
        .forEach(
            (asset, ids) -> {
              if (own.contains(asset)) {
                stillAffected.put(asset, ids);
                advisories.addAll(ids);
              }
            });
    List<ChangeFact> changes = new ArrayList<>();
    for (ChangeFact c : in.changes()) {
      List<AssetId> scope = c.scope().stream().filter(own::contains).toList();
      if (!scope.isEmpty()) {
        changes.add(ChangeFact.builder().from(c).scope(scope).build());
      }
    }
    return ComplianceInput.builder()
        .from(in)
        .assets(assets)
        .records(records)
        .risks(in.risks().stream().filter(r -> own.contains(r.asset())).toList())
        .assessments(
            in.assessments().stream().filter(a -> advisories.contains(a.advisory())).toList())
        .notifications(
            in.notifications().stream()
                .filter(n -> n.tenant().equals(tenant))
                .map(
                    n ->
                        NotificationFact.builder()
                            .from(n)
                            .assets(n.assets().stream().filter(own::contains).toList())
                            .build())
                .toList())
        .changes(changes)
        .history(in.history().stream().filter(s -> s.tenant().equals(tenant)).toList())
        .stillAffected(stillAffected)
        .hosts(List.of()) // scoped apart, from the whole input: see hosts(in, tenant)
        .build();
  }

  /**
   * The hosts' remediation as the scope may see it. For a tenant, a VM is its own when the input
   * lists it as that tenant's asset; every other VM (another tenant's, or one the input does not
   * know) is counted, not named, and a reason that names another tenant's VM is withheld.
   */
  private static List<HostEvacuation> hosts(ComplianceInput in, @Nullable TenantId tenant) {
    Set<AssetId> own = new HashSet<>();
    Set<String> foreign = new TreeSet<>();
    for (AssetFacts a : in.assets()) {
      if (tenant == null || a.asset().tenant().equals(tenant)) {
        own.add(a.asset().id());
      } else {
        foreign.add(a.asset().id().value());
      }
    }
    for (HostEvacuationFact h : in.hosts()) {
      h.migrations().stream()
          .map(m -> m.vm())
          .filter(v -> !own.contains(v))
          .forEach(v -> foreign.add(v.value()));
      h.blockingVms().stream().filter(v -> !own.contains(v)).forEach(v -> foreign.add(v.value()));
    }
    List<HostEvacuation> out = new ArrayList<>();
    List<HostEvacuationFact> sorted = new ArrayList<>(in.hosts());
    sorted.sort((x, y) -> x.host().compareTo(y.host()));
    for (HostEvacuationFact h : sorted) {
      if (tenant == null) {
        out.add(
            new HostEvacuation(
                h.host(),
                h.outcome(),
                h.reason(),
                h.blockingVms(),
                0,
                h.enteredMaintenance(),
                h.migrations(),
                0,
                h.patched(),
                h.exitedMaintenance()));
        continue;
      }
      List<AssetId> blockers = h.blockingVms().stream().filter(own::contains).toList();
      List<HostEvacuationFact.Migration> moves =
          h.migrations().stream().filter(m -> own.contains(m.vm())).toList();
      Optional<String> reason = h.reason().filter(r -> foreign.stream().noneMatch(r::contains));
      out.add(
          new HostEvacuation(
              h.host(),
              h.outcome(),
              reason,
              blockers,
              h.blockingVms().size() - blockers.size(),
              h.enteredMaintenance(),
              moves,
              h.migrations().size() - moves.size(),
              h.patched(),
              h.exitedMaintenance()));
    }
    return out;
  }

  // ---- the report ------------------------------------------------------------------------

  private static ComplianceReport build(
      ComplianceInput in, Optional<TenantId> scope, List<HostEvacuation> hosts) {
    Instant asOf = in.asOf();
    Map<AssetId, AssetFacts> facts = new TreeMap<>();
    in.assets().forEach(a -> facts.put(a.asset().id(), a));
    Map<AdvisoryId, Assessment> assessments = new TreeMap<>();
    in.assessments().forEach(a -> assessments.put(a.advisory(), a));

    // Risk items by asset and advisory; the latest opened wins when several cover one pair.
    Map<AssetId, Map<AdvisoryId, RiskItem>> risks = new HashMap<>();
    for (RiskItem r : in.risks()) {
      for (AdvisoryId a : r.advisories()) {
        risks
            .computeIfAbsent(r.asset(), x -> new HashMap<>())
            .merge(a, r, (x, y) -> y.opened().isAfter(x.opened()) ? y : x);
      }
    }

    // Per asset and advisory, the item of the latest record that covers it.
    Map<AssetId, Map<AdvisoryId, AssetAdvisory>> pairs = new TreeMap<>();
    List<TrackingRecord> records = new ArrayList<>(in.records());
    records.sort((x, y) -> x.opened().compareTo(y.opened()));
    for (TrackingRecord r : records) {
      for (TrackingItem item : r.items().values()) {
        if (!facts.containsKey(item.asset())) {
          continue; // an asset the host no longer has; the record's own counts still show it
        }
        RiskItem risk = risks.getOrDefault(item.asset(), Map.of()).get(r.advisory());
        pairs
            .computeIfAbsent(item.asset(), x -> new TreeMap<>())
            .put(r.advisory(), pair(r, item, facts.get(item.asset()), risk, asOf));
      }
    }

    // The independent check: what the current inventories say against what the records claim.
    int discrepancies = 0;
    if (in.inventoryCheckedAt().isPresent()) {
      for (AssetId asset : facts.keySet()) {
        Set<AdvisoryId> affected = in.stillAffected().getOrDefault(asset, Set.of());
        Map<AdvisoryId, AssetAdvisory> own = pairs.computeIfAbsent(asset, x -> new TreeMap<>());
        for (AdvisoryId advisory : new TreeSet<>(affected)) {
          AssetAdvisory claimed = own.get(advisory);
          RiskItem risk = risks.getOrDefault(asset, Map.of()).get(advisory);
          if (claimed == null) {
            own.put(advisory, untracked(advisory, risk, assessments.get(advisory), asOf));
            if (risk == null || !risk.expires().isAfter(asOf)) {
              discrepancies++;
            }
          } else if (claimed.status() == ComplianceStatus.COMPLIANT
              || claimed.status() == ComplianceStatus.PENDING_REBOOT
              || claimed.status() == ComplianceStatus.NOT_APPLICABLE) {
            discrepancies++;
            own.put(advisory, contradicted(claimed, asOf, facts.get(asset)));
          }
        }
      }
    }

    List<AssetStatus> assets = new ArrayList<>();
    for (AssetFacts f : facts.values()) {
      List<AssetAdvisory> list =
          new ArrayList<>(pairs.getOrDefault(f.asset().id(), Map.of()).values());
      ComplianceStatus overall = ComplianceStatus.NOT_APPLICABLE;
      for (AssetAdvisory p : list) {
        if (p.status().compareTo(overall) < 0) {
          overall = p.status();
        }
      }
      assets.add(
          new AssetStatus(
              f.asset().id(),
              f.asset().tenant(),
              f.asset().powerState(),
              f.heldForCatchUp(),
              f.reverted(),
              overall,
              list));
    }

    return new ComplianceReport(
        in.title(),
        asOf,
        scope,
        answer(assets, in.inventoryCheckedAt(), discrepancies),
        tenants(assets),
        advisories(in, assets, assessments),
        assets,
        recordStatuses(in.records(), asOf),
        exceptions(in.risks(), facts, asOf),
        overdueByPriority(assets),
        in.history(),
        in.inventoryCheckedAt(),
        in.evidence(),
        hosts);
  }

  private static AssetAdvisory pair(
      TrackingRecord r,
      TrackingItem item,
      AssetFacts facts,
      @Nullable RiskItem risk,
      Instant asOf) {
    ComplianceStatus status;
    String note = item.note();
    ItemState state = item.state();
    if (r.status() == TrackingRecord.Status.WITHDRAWN || state == ItemState.WITHDRAWN) {
      status = ComplianceStatus.NOT_APPLICABLE;
      note = "advisory withdrawn";
    } else if (state == ItemState.VERIFIED) {
      status = facts.pendingReboot() ? ComplianceStatus.PENDING_REBOOT : ComplianceStatus.COMPLIANT;
    } else if (state == ItemState.RISK_ACCEPTED) {
      if (risk != null && risk.expires().isAfter(asOf)) {
        status = ComplianceStatus.EXCEPTED;
      } else {
        status = ComplianceStatus.FAILED;
        note =
            risk == null
                ? "risk accepted on the record, but no risk item covers it"
                : "exception " + risk.id() + " expired " + risk.expires();
      }
    } else if (item.attempts() > 0 && state != ItemState.PATCHING) {
      status = ComplianceStatus.FAILED;
    } else {
      status = ComplianceStatus.MISSING;
    }
    if (status == ComplianceStatus.MISSING || status == ComplianceStatus.FAILED) {
      note = lifecycleNote(facts, note);
    }
    boolean overdue = status.isOutstanding() && r.due().isBefore(asOf);
    return new AssetAdvisory(
        r.advisory(),
        status,
        Optional.of(r.id()),
        r.resolverGroup(),
        Optional.of(r.priority()),
        Optional.of(r.due()),
        overdue,
        item.verifiedVersion(),
        risk == null || status == ComplianceStatus.NOT_APPLICABLE
            ? Optional.empty()
            : Optional.of(risk.id()),
        note);
  }

  private static String lifecycleNote(AssetFacts facts, String note) {
    List<String> parts = new ArrayList<>();
    if (facts.asset().powerState() != Asset.PowerState.RUNNING) {
      parts.add(facts.asset().powerState().name().toLowerCase(java.util.Locale.ROOT));
    }
    if (facts.heldForCatchUp()) {
      parts.add("held for catch-up");
    }
    if (facts.reverted()) {
      parts.add("reverted to a snapshot");
    }
    if (!note.isEmpty()) {
      parts.add(note);
    }
    return String.join("; ", parts);
  }

  private static AssetAdvisory untracked(
      AdvisoryId advisory, @Nullable RiskItem risk, @Nullable Assessment assessment, Instant asOf) {
    boolean excepted = risk != null && risk.expires().isAfter(asOf);
    Optional<Instant> due = Optional.ofNullable(assessment).map(Assessment::due);
    return new AssetAdvisory(
        advisory,
        excepted ? ComplianceStatus.EXCEPTED : ComplianceStatus.MISSING,
        Optional.empty(),
        risk == null ? "" : risk.owner(),
        Optional.ofNullable(assessment).map(Assessment::priority),
        due,
        !excepted && due.map(d -> d.isBefore(asOf)).orElse(false),
        Optional.empty(),
        Optional.ofNullable(risk).map(RiskItem::id),
        excepted
            ? "affected per the inventory check; no tracking record"
            : "affected per the inventory check, but no tracking record covers it");
  }

  private static AssetAdvisory contradicted(AssetAdvisory claimed, Instant asOf, AssetFacts f) {
    boolean overdue = claimed.due().map(d -> d.isBefore(asOf)).orElse(false);
    return new AssetAdvisory(
        claimed.advisory(),
        ComplianceStatus.MISSING,
        claimed.record(),
        claimed.resolverGroup(),
        claimed.priority(),
        claimed.due(),
        overdue,
        claimed.verifiedVersion(),
        claimed.exception(),
        lifecycleNote(
            f,
            "the record says "
                + claimed.status().name().toLowerCase(java.util.Locale.ROOT)
                + ", but the inventory check finds it affected"));
  }

  private static Answer answer(
      List<AssetStatus> assets, Optional<Instant> checkedAt, int discrepancies) {
    int requiring = 0;
    int patched = 0;
    int reboot = 0;
    int excepted = 0;
    int outstanding = 0;
    int overdue = 0;
    int patchedPairs = 0;
    int verifiedPairs = 0;
    for (AssetStatus a : assets) {
      boolean applies =
          a.advisories().stream().anyMatch(p -> p.status() != ComplianceStatus.NOT_APPLICABLE);
      if (!applies) {
        continue;
      }
      requiring++;
      switch (a.overall()) {
        case COMPLIANT -> patched++;
        case PENDING_REBOOT -> reboot++;
        case EXCEPTED -> excepted++;
        default -> outstanding++;
      }
      if (a.advisories().stream().anyMatch(AssetAdvisory::overdue)) {
        overdue++;
      }
      for (AssetAdvisory p : a.advisories()) {
        if (p.status() == ComplianceStatus.COMPLIANT
            || p.status() == ComplianceStatus.PENDING_REBOOT) {
          patchedPairs++;
          if (p.verifiedVersion().isPresent()) {
            verifiedPairs++;
          }
        }
      }
    }
    boolean all = patched == requiring;
    // Named, not only counted: a VM that does not run, or runs an old snapshot, is where a fleet's
    // compliance is most often wrong, and the answer must not pass over it.
    List<AssetId> suspended = new ArrayList<>();
    List<AssetId> poweredOff = new ArrayList<>();
    List<AssetId> reverted = new ArrayList<>();
    for (AssetStatus a : assets) {
      if (a.powerState() == Asset.PowerState.SUSPENDED) {
        suspended.add(a.asset());
      } else if (a.powerState() == Asset.PowerState.STOPPED) {
        poweredOff.add(a.asset());
      }
      if (a.reverted()) {
        reverted.add(a.asset());
      }
    }
    Collections.sort(suspended);
    Collections.sort(poweredOff);
    Collections.sort(reverted);
    String first =
        (all ? "Yes: all " : "No: ")
            + (all
                ? requiring + " VMs that require an update are patched"
                : patched
                    + " of "
                    + requiring
                    + " VMs that require an update are patched; "
                    + outstanding
                    + " outstanding ("
                    + overdue
                    + " overdue), "
                    + reboot
                    + " pending reboot, "
                    + excepted
                    + " under an unexpired exception")
            + " ("
            + assets.size()
            + " VMs in scope"
            + named("suspended", suspended)
            + named("powered off", poweredOff)
            + named("reverted to a snapshot", reverted)
            + ").";
    boolean validated =
        verifiedPairs == patchedPairs && checkedAt.isPresent() && discrepancies == 0;
    String second =
        (validated ? "Yes: " : "Not fully: ")
            + verifiedPairs
            + " of "
            + patchedPairs
            + " patched VM-advisory pairs carry the fixed version that re-inventory observed"
            + checkedAt
                .map(
                    t ->
                        "; an independent inventory check at "
                            + t
                            + (discrepancies == 0
                                ? " agrees with every record"
                                : " contradicts the records " + discrepancies + " times"))
                .orElse("; no independent inventory check was made")
            + ".";
    return new Answer(
        assets.size(),
        requiring,
        patched,
        reboot,
        excepted,
        outstanding,
        overdue,
        all,
        patchedPairs,
        verifiedPairs,
        discrepancies,
        validated,
        first,
        second,
        suspended,
        poweredOff,
        reverted);
  }

  /** {@code "; 2 suspended: vm-1, vm-7"}, or nothing for an empty list; long lists are cut. */
  private static String named(String what, List<AssetId> ids) {
    if (ids.isEmpty()) {
      return "";
    }
    int shown = Math.min(ids.size(), 20);
    StringBuilder b = new StringBuilder("; ").append(ids.size()).append(' ').append(what);
    for (int i = 0; i < shown; i++) {
      b.append(i == 0 ? ": " : ", ").append(ids.get(i).value());
    }
    if (shown < ids.size()) {
      b.append(" and ").append(ids.size() - shown).append(" more (listed in the JSON report)");
    }
    return b.toString();
  }

  private static List<TenantSummary> tenants(List<AssetStatus> assets) {
    Map<TenantId, List<AssetStatus>> byTenant = new TreeMap<>();
    assets.forEach(a -> byTenant.computeIfAbsent(a.tenant(), t -> new ArrayList<>()).add(a));
    List<TenantSummary> out = new ArrayList<>();
    byTenant.forEach(
        (tenant, list) -> {
          Map<ComplianceStatus, Integer> by = new EnumMap<>(ComplianceStatus.class);
          int notRunning = 0;
          int held = 0;
          int reverted = 0;
          int overdue = 0;
          for (AssetStatus a : list) {
            by.merge(a.overall(), 1, Integer::sum);
            notRunning += a.powerState() == Asset.PowerState.RUNNING ? 0 : 1;
            held += a.held() ? 1 : 0;
            reverted += a.reverted() ? 1 : 0;
            overdue += a.advisories().stream().anyMatch(AssetAdvisory::overdue) ? 1 : 0;
          }
          out.add(new TenantSummary(tenant, list.size(), by, notRunning, held, reverted, overdue));
        });
    return out;
  }

  private static List<AdvisoryStatus> advisories(
      ComplianceInput in, List<AssetStatus> assets, Map<AdvisoryId, Assessment> assessments) {
    Map<AdvisoryId, Map<ComplianceStatus, Integer>> byStatus = new TreeMap<>();
    Map<AdvisoryId, Integer> overdue = new HashMap<>();
    for (AssetStatus a : assets) {
      for (AssetAdvisory p : a.advisories()) {
        byStatus
            .computeIfAbsent(p.advisory(), x -> new EnumMap<>(ComplianceStatus.class))
            .merge(p.status(), 1, Integer::sum);
        if (p.overdue()) {
          overdue.merge(p.advisory(), 1, Integer::sum);
        }
      }
    }
    Map<AdvisoryId, List<TrackingRecord>> records = new TreeMap<>();
    in.records().forEach(r -> records.computeIfAbsent(r.advisory(), x -> new ArrayList<>()).add(r));
    Set<AdvisoryId> ids = new TreeSet<>(byStatus.keySet());
    ids.addAll(records.keySet());
    List<AdvisoryStatus> out = new ArrayList<>();
    for (AdvisoryId id : ids) {
      List<TrackingRecord> rs = records.getOrDefault(id, List.of());
      Optional<Assessment> assessment = Optional.ofNullable(assessments.get(id));
      List<NotificationFact> notes =
          in.notifications().stream().filter(n -> n.advisory().equals(id)).toList();
      List<ChangeSummary> changes = new ArrayList<>();
      for (ChangeFact c : in.changes()) {
        if (c.advisories().contains(id)) {
          changes.add(
              new ChangeSummary(
                  c.id(),
                  c.type(),
                  c.approval(),
                  c.window().start(),
                  c.window().end(),
                  c.closed(),
                  c.scope().size()));
        }
      }
      Map<ComplianceStatus, Integer> counts = byStatus.getOrDefault(id, Map.of());
      out.add(
          new AdvisoryStatus(
              id,
              assessment.flatMap(Assessment::score),
              assessment.flatMap(Assessment::vector),
              assessment
                  .map(Assessment::priority)
                  .or(() -> rs.stream().map(r -> r.priority()).findFirst()),
              assessment
                  .map(Assessment::due)
                  .or(() -> rs.stream().map(r -> r.due()).min(Instant::compareTo)),
              assessment.map(Assessment::rule),
              rs.stream().map(TrackingRecord::id).sorted().toList(),
              rs.stream().map(TrackingRecord::resolverGroup).distinct().sorted().toList(),
              notes.size(),
              notes.stream().map(NotificationFact::tenant).distinct().sorted().toList(),
              changes,
              counts,
              overdue.getOrDefault(id, 0),
              statusWords(rs, counts)));
    }
    return out;
  }

  private static String statusWords(
      List<TrackingRecord> records, Map<ComplianceStatus, Integer> counts) {
    List<String> parts = new ArrayList<>();
    for (ComplianceStatus s : ComplianceStatus.values()) {
      if (!s.isCompliant() && counts.getOrDefault(s, 0) > 0) {
        parts.add(
            counts.get(s) + " " + s.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
      }
    }
    Map<TrackingRecord.Status, Integer> byRecord =
        new java.util.EnumMap<>(TrackingRecord.Status.class);
    records.forEach(r -> byRecord.merge(r.status(), 1, Integer::sum));
    List<String> recordParts = new ArrayList<>();
    byRecord.forEach(
        (status, n) ->
            recordParts.add(
                n + " " + status.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')));
    String recordWords = records.isEmpty() ? "no record" : String.join(", ", recordParts);
    return parts.isEmpty() ? recordWords : recordWords + " · " + String.join(", ", parts);
  }

  private static List<RecordStatus> recordStatuses(List<TrackingRecord> records, Instant asOf) {
    List<RecordStatus> out = new ArrayList<>();
    for (TrackingRecord r : records) {
      Optional<Duration> ttr = r.closed().map(c -> Duration.between(r.opened(), c));
      boolean late =
          r.closed()
              .map(c -> c.isAfter(r.due()))
              .orElse(r.status() == TrackingRecord.Status.OPEN && r.due().isBefore(asOf));
      out.add(
          new RecordStatus(
              r.id(),
              r.advisory(),
              r.tenant(),
              r.resolverGroup(),
              r.priority(),
              r.opened(),
              r.due(),
              r.closed(),
              r.status(),
              r.items().size(),
              ttr,
              late));
    }
    out.sort((x, y) -> x.id().compareTo(y.id()));
    return out;
  }

  private static List<ExceptionEntry> exceptions(
      List<RiskItem> risks, Map<AssetId, AssetFacts> facts, Instant asOf) {
    List<ExceptionEntry> out = new ArrayList<>();
    for (RiskItem r : risks) {
      AssetFacts f = facts.get(r.asset());
      if (f == null) {
        continue;
      }
      out.add(
          new ExceptionEntry(
              r.id(),
              r.asset(),
              f.asset().tenant(),
              r.advisories(),
              r.owner(),
              r.opened(),
              r.expires(),
              !r.expires().isAfter(asOf),
              r.reason()));
    }
    out.sort((x, y) -> x.id().compareTo(y.id()));
    return out;
  }

  private static Map<Priority, Integer> overdueByPriority(List<AssetStatus> assets) {
    Map<Priority, Integer> out = new EnumMap<>(Priority.class);
    for (Priority p : Priority.values()) {
      out.put(p, 0);
    }
    for (AssetStatus a : assets) {
      for (AssetAdvisory p : a.advisories()) {
        if (p.overdue()) {
          p.priority().ifPresent(pr -> out.merge(pr, 1, Integer::sum));
        }
      }
    }
    return out;
  }
}
