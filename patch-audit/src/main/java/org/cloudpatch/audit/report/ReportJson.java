package org.cloudpatch.audit.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import org.cloudpatch.audit.report.ComplianceReport.AdvisoryStatus;
import org.cloudpatch.audit.report.ComplianceReport.AssetAdvisory;
import org.cloudpatch.audit.report.ComplianceReport.AssetStatus;
import org.cloudpatch.audit.report.ComplianceReport.ChangeSummary;
import org.cloudpatch.audit.report.ComplianceReport.ExceptionEntry;
import org.cloudpatch.audit.report.ComplianceReport.HostEvacuation;
import org.cloudpatch.audit.report.ComplianceReport.RecordStatus;
import org.cloudpatch.audit.report.ComplianceReport.TenantSummary;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.severity.Priority;

/** The report as JSON: instants as ISO-8601 strings, statuses as their names, stable key order. */
final class ReportJson {
  static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private ReportJson() {}

  static String write(ComplianceReport r) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("title", r.title());
    root.put("asOf", r.asOf().toString());
    root.put("scope", r.scope().map(t -> t.value()).orElse(null));
    root.put("inventoryCheckedAt", r.inventoryCheckedAt().map(Instant::toString).orElse(null));
    ObjectNode answer = root.putObject("answer");
    ComplianceReport.Answer a = r.answer();
    answer.put("allPatched", a.allPatched());
    answer.put("patchedAnswer", a.patchedAnswer());
    answer.put("validated", a.validated());
    answer.put("validationAnswer", a.validationAnswer());
    ArrayNode suspended = answer.putArray("suspended");
    a.suspended().forEach(id -> suspended.add(id.value()));
    ArrayNode poweredOff = answer.putArray("poweredOff");
    a.poweredOff().forEach(id -> poweredOff.add(id.value()));
    ArrayNode reverted = answer.putArray("reverted");
    a.reverted().forEach(id -> reverted.add(id.value()));
    answer.put("assets", a.assets());
    answer.put("requiringUpdate", a.requiringUpdate());
    answer.put("patched", a.patched());
    answer.put("pendingReboot", a.pendingReboot());
    answer.put("excepted", a.excepted());
    answer.put("outstanding", a.outstanding());
    answer.put("overdue", a.overdue());
    answer.put("patchedPairs", a.patchedPairs());
    answer.put("verifiedPairs", a.verifiedPairs());
    answer.put("discrepancies", a.discrepancies());
    ArrayNode evidence = answer.putArray("evidence");
    r.evidence().forEach(evidence::add);
    ArrayNode tenants = root.putArray("tenants");
    for (TenantSummary t : r.tenants()) {
      ObjectNode n = tenants.addObject();
      n.put("tenant", t.tenant().value());
      n.put("assets", t.assets());
      n.put("compliant", t.compliant());
      statuses(n.putObject("byStatus"), t.byStatus());
      n.put("notRunning", t.notRunning());
      n.put("held", t.held());
      n.put("reverted", t.reverted());
      n.put("overdue", t.overdue());
    }
    ObjectNode overdue = root.putObject("overdueByPriority");
    for (Priority p : Priority.values()) {
      overdue.put(p.name(), r.overdueByPriority().getOrDefault(p, 0));
    }
    ArrayNode advisories = root.putArray("advisories");
    for (AdvisoryStatus s : r.advisories()) {
      ObjectNode n = advisories.addObject();
      n.put("advisory", s.advisory().value());
      s.cvss().ifPresentOrElse(v -> n.put("cvss", v), () -> n.putNull("cvss"));
      n.put("vector", s.vector().orElse(null));
      n.put("priority", s.priority().map(Enum::name).orElse(null));
      n.put("due", s.due().map(Instant::toString).orElse(null));
      n.put("rule", s.rule().orElse(null));
      ArrayNode recs = n.putArray("records");
      s.records().forEach(id -> recs.add(id.value()));
      ArrayNode groups = n.putArray("resolverGroups");
      s.resolverGroups().forEach(groups::add);
      n.put("notifications", s.notifications());
      ArrayNode notified = n.putArray("notifiedTenants");
      s.notifiedTenants().forEach(t -> notified.add(t.value()));
      ArrayNode changes = n.putArray("changes");
      for (ChangeSummary c : s.changes()) {
        ObjectNode cn = changes.addObject();
        cn.put("id", c.id());
        cn.put("type", c.type().name());
        cn.put("approval", c.approval().name());
        cn.put("windowStart", c.windowStart().toString());
        cn.put("windowEnd", c.windowEnd().toString());
        cn.put("closed", c.closed());
        cn.put("assetsInScope", c.assetsInScope());
      }
      statuses(n.putObject("byStatus"), s.byStatus());
      n.put("overdue", s.overdue());
      n.put("status", s.status());
    }
    ArrayNode records = root.putArray("records");
    for (RecordStatus s : r.records()) {
      ObjectNode n = records.addObject();
      n.put("id", s.id().value());
      n.put("advisory", s.advisory().value());
      n.put("tenant", s.tenant().value());
      n.put("resolverGroup", s.resolverGroup());
      n.put("priority", s.priority().name());
      n.put("opened", s.opened().toString());
      n.put("due", s.due().toString());
      n.put("closed", s.closed().map(Instant::toString).orElse(null));
      n.put("status", s.status().name());
      n.put("items", s.items());
      n.put("timeToRemediate", s.timeToRemediate().map(Object::toString).orElse(null));
      n.put("late", s.late());
    }
    ArrayNode exceptions = root.putArray("exceptions");
    for (ExceptionEntry e : r.exceptions()) {
      ObjectNode n = exceptions.addObject();
      n.put("id", e.id());
      n.put("asset", e.asset().value());
      n.put("tenant", e.tenant().value());
      ArrayNode ids = n.putArray("advisories");
      e.advisories().forEach(id -> ids.add(id.value()));
      n.put("owner", e.owner());
      n.put("opened", e.opened().toString());
      n.put("expires", e.expires().toString());
      n.put("expired", e.expired());
      n.put("reason", e.reason());
    }
    ArrayNode history = root.putArray("history");
    for (ComplianceSample s : r.history()) {
      ObjectNode n = history.addObject();
      n.put("at", s.at().toString());
      n.put("tenant", s.tenant().value());
      n.put("assets", s.assets());
      n.put("compliant", s.compliant());
    }
    ArrayNode hosts = root.putArray("hosts");
    for (HostEvacuation h : r.hosts()) {
      ObjectNode n = hosts.addObject();
      n.put("host", h.host().value());
      n.put("outcome", h.outcome().name());
      n.put("reason", h.reason().orElse(null));
      ArrayNode blockers = n.putArray("blockingVms");
      h.blockingVms().forEach(v -> blockers.add(v.value()));
      n.put("otherBlockingVms", h.otherBlockingVms());
      n.put("enteredMaintenance", h.enteredMaintenance().map(Instant::toString).orElse(null));
      ArrayNode moves = n.putArray("evacuated");
      for (HostEvacuationFact.Migration m : h.migrations()) {
        ObjectNode mn = moves.addObject();
        mn.put("at", m.at().toString());
        mn.put("vm", m.vm().value());
        mn.put("to", m.to().value());
      }
      n.put("otherMigrations", h.otherMigrations());
      n.put("patched", h.patched().map(Instant::toString).orElse(null));
      n.put("exitedMaintenance", h.exitedMaintenance().map(Instant::toString).orElse(null));
    }
    ArrayNode assets = root.putArray("assets");
    for (AssetStatus s : r.assets()) {
      ObjectNode n = assets.addObject();
      n.put("asset", s.asset().value());
      n.put("tenant", s.tenant().value());
      n.put("powerState", s.powerState().name());
      n.put("held", s.held());
      n.put("reverted", s.reverted());
      n.put("status", s.overall().name());
      ArrayNode list = n.putArray("advisories");
      for (AssetAdvisory p : s.advisories()) {
        ObjectNode pn = list.addObject();
        pn.put("advisory", p.advisory().value());
        pn.put("status", p.status().name());
        pn.put("record", p.record().map(id -> id.value()).orElse(null));
        pn.put("resolverGroup", p.resolverGroup());
        pn.put("priority", p.priority().map(Enum::name).orElse(null));
        pn.put("due", p.due().map(Instant::toString).orElse(null));
        pn.put("overdue", p.overdue());
        pn.put("verifiedVersion", p.verifiedVersion().orElse(null));
        pn.put("exception", p.exception().orElse(null));
        pn.put("note", p.note());
      }
    }
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new PatchException("cannot write the report as JSON", e);
    }
  }

  private static void statuses(ObjectNode n, Map<ComplianceStatus, Integer> counts) {
    for (ComplianceStatus s : ComplianceStatus.values()) {
      n.put(s.name(), counts.getOrDefault(s, 0));
    }
  }
}
