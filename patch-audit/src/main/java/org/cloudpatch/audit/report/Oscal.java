package org.cloudpatch.audit.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.cloudpatch.audit.report.ComplianceReport.AdvisoryStatus;
import org.cloudpatch.audit.report.ComplianceReport.AssetAdvisory;
import org.cloudpatch.audit.report.ComplianceReport.AssetStatus;
import org.cloudpatch.audit.report.ComplianceReport.ExceptionEntry;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.PatchException;

/**
 * The report in OSCAL 1.1 JSON: assessment results (one result, one observation and finding per
 * advisory against control SI-2, flaw remediation) and a POA&amp;M (one item per advisory with
 * outstanding assets and per risk acceptance). Identifiers are name-based (version 5) UUIDs, so the
 * same report gives the same bytes.
 */
final class Oscal {
  static final String OSCAL_VERSION = "1.1.2";
  static final String NS = "https://cloudpatch.example/ns/oscal";
  private static final UUID NAMESPACE = UUID.fromString("6f1d3c36-4a8e-5b7e-9a51-3c0e8d2f7a10");

  private Oscal() {}

  static String assessmentResults(ComplianceReport r) {
    ObjectNode root = ReportJson.MAPPER.createObjectNode();
    ObjectNode ar = root.putObject("assessment-results");
    String scope = scope(r);
    ar.put("uuid", uuid("assessment-results", scope, r.asOf().toString()));
    metadata(ar.putObject("metadata"), r, r.title() + " — assessment results");
    // import-ap names the plan by a back-matter resource ("#" + its uuid), as OSCAL asks of a
    // reference that is no separate file; cloudpatch's plan is its method, described there.
    String plan = uuid("assessment-plan");
    ar.putObject("import-ap")
        .put("href", "#" + plan)
        .put(
            "remarks",
            "Continuous assessment by cloudpatch: applicability of vendor advisories against the"
                + " inventories, and verification by re-inventory after patching.");
    ObjectNode result = ar.putArray("results").addObject();
    result.put("uuid", uuid("result", scope, r.asOf().toString()));
    result.put("title", "Flaw remediation status at " + instant(r.asOf()));
    result.put("description", r.answer().patchedAnswer() + " " + r.answer().validationAnswer());
    result.put("start", instant(start(r)));
    result.put("end", instant(r.asOf()));
    ArrayNode inventory = inventoryItems(r);
    if (!inventory.isEmpty()) {
      result.putObject("local-definitions").set("inventory-items", inventory);
    }
    ArrayNode controls =
        result
            .putObject("reviewed-controls")
            .putArray("control-selections")
            .addObject()
            .putArray("include-controls");
    controls.addObject().put("control-id", "si-2");
    controls.addObject().put("control-id", "ra-5");
    ArrayNode observations = ReportJson.MAPPER.createArrayNode();
    ArrayNode risks = ReportJson.MAPPER.createArrayNode();
    ArrayNode findings = ReportJson.MAPPER.createArrayNode();
    for (AdvisoryStatus a : r.advisories()) {
      String obs = observation(observations, r, a);
      List<String> riskIds = advisoryRisks(risks, r, a);
      ObjectNode f = findings.addObject();
      f.put("uuid", uuid("finding", scope, a.advisory().value()));
      f.put("title", line(a.advisory().value(), "advisory"));
      f.put("description", a.advisory().value() + ": " + a.status() + ".");
      ObjectNode target = f.putObject("target");
      // The SP 800-53 Rev. 5 catalog's assessment objective of SI-2 (flaw remediation); "si-2"
      // alone names the control, which is no objective-id.
      target.put("type", "objective-id");
      target.put("target-id", "si-2_obj");
      boolean satisfied = a.byStatus().keySet().stream().allMatch(s -> s.isCompliant());
      target.putObject("status").put("state", satisfied ? "satisfied" : "not-satisfied");
      f.putArray("related-observations").addObject().put("observation-uuid", obs);
      if (!riskIds.isEmpty()) {
        ArrayNode rel = f.putArray("related-risks");
        riskIds.forEach(id -> rel.addObject().put("risk-uuid", id));
      }
    }
    if (!observations.isEmpty()) {
      result.set("observations", observations);
    }
    if (!risks.isEmpty()) {
      result.set("risks", risks);
    }
    if (!findings.isEmpty()) {
      result.set("findings", findings);
    }
    if (!r.evidence().isEmpty()) {
      result.put("remarks", String.join("\n\n", r.evidence()));
    }
    ObjectNode resource = ar.putObject("back-matter").putArray("resources").addObject();
    resource.put("uuid", plan);
    resource.put("title", "cloudpatch continuous patch assessment");
    resource.put(
        "description",
        "The plan these results follow: every vendor advisory is matched against every VM's"
            + " inventory, each affected VM is tracked per advisory against its remediation due"
            + " date, and a patch counts as applied only when a later inventory shows the fixed"
            + " version (SP 800-53 SI-2, RA-5).");
    return write(root);
  }

  static String poam(ComplianceReport r) {
    ObjectNode root = ReportJson.MAPPER.createObjectNode();
    ObjectNode p = root.putObject("plan-of-action-and-milestones");
    String scope = scope(r);
    p.put("uuid", uuid("poam", scope, r.asOf().toString()));
    metadata(p.putObject("metadata"), r, r.title() + " — plan of action and milestones");
    p.putObject("system-id").put("identifier-type", NS).put("id", line(scope, "fleet"));
    ArrayNode inventory = inventoryItems(r);
    if (!inventory.isEmpty()) {
      p.putObject("local-definitions").set("inventory-items", inventory);
    }
    ArrayNode observations = ReportJson.MAPPER.createArrayNode();
    ArrayNode risks = ReportJson.MAPPER.createArrayNode();
    ArrayNode items = ReportJson.MAPPER.createArrayNode();
    for (AdvisoryStatus a : r.advisories()) {
      boolean open = a.byStatus().keySet().stream().anyMatch(s -> !s.isCompliant());
      if (!open) {
        continue;
      }
      String obs = observation(observations, r, a);
      List<String> riskIds = advisoryRisks(risks, r, a);
      ObjectNode item = items.addObject();
      item.put("uuid", uuid("poam-item", scope, a.advisory().value()));
      item.put("title", line("Remediate " + a.advisory().value(), "Remediate"));
      item.put(
          "description",
          a.advisory().value()
              + ": "
              + a.status()
              + a.due().map(d -> "; due " + instant(d)).orElse("")
              + (a.resolverGroups().isEmpty()
                  ? ""
                  : "; resolver groups " + String.join(", ", a.resolverGroups()))
              + ".");
      props(item, a);
      item.putArray("related-observations").addObject().put("observation-uuid", obs);
      if (!riskIds.isEmpty()) {
        ArrayNode rel = item.putArray("related-risks");
        riskIds.forEach(id -> rel.addObject().put("risk-uuid", id));
      }
    }
    if (items.isEmpty()) {
      // The schema asks for at least one item; an empty plan says so in words.
      ObjectNode item = items.addObject();
      item.put("uuid", uuid("poam-item", scope, "none"));
      item.put("title", "No outstanding flaw remediation");
      item.put("description", r.answer().patchedAnswer());
    }
    if (!observations.isEmpty()) {
      p.set("observations", observations);
    }
    if (!risks.isEmpty()) {
      p.set("risks", risks);
    }
    p.set("poam-items", items);
    return write(root);
  }

  private static void metadata(ObjectNode m, ComplianceReport r, String title) {
    m.put("title", line(title, "cloudpatch report"));
    m.put("last-modified", instant(r.asOf()));
    m.put("version", instant(r.asOf()));
    m.put("oscal-version", OSCAL_VERSION);
    ArrayNode props = m.putArray("props");
    prop(props, "scope", scope(r));
    prop(props, "generator", "cloudpatch");
  }

  /** The assets that at least one advisory applies to, as inventory items the subjects name. */
  private static ArrayNode inventoryItems(ComplianceReport r) {
    ArrayNode items = ReportJson.MAPPER.createArrayNode();
    for (AssetStatus a : r.assets()) {
      if (a.advisories().isEmpty()) {
        continue;
      }
      ObjectNode i = items.addObject();
      i.put("uuid", assetUuid(a.asset()));
      i.put("description", "VM " + a.asset().value() + " of tenant " + a.tenant().value());
      ArrayNode props = i.putArray("props");
      prop(props, "asset-id", a.asset().value());
      prop(props, "tenant", a.tenant().value());
      prop(props, "power-state", a.powerState().name());
      prop(props, "compliance-status", a.overall().name());
    }
    return items;
  }

  private static String observation(ArrayNode out, ComplianceReport r, AdvisoryStatus a) {
    String id = uuid("observation", scope(r), a.advisory().value());
    ObjectNode o = out.addObject();
    o.put("uuid", id);
    o.put("title", line(a.advisory().value(), "advisory"));
    StringBuilder d = new StringBuilder(a.advisory().value()).append(':');
    for (ComplianceStatus s : ComplianceStatus.values()) {
      int n = a.byStatus().getOrDefault(s, 0);
      if (n > 0) {
        d.append(' ').append(s.name().toLowerCase(java.util.Locale.ROOT)).append(' ').append(n);
      }
    }
    o.put("description", d.append('.').toString());
    props(o, a);
    o.putArray("methods").add("TEST");
    ArrayNode subjects = ReportJson.MAPPER.createArrayNode();
    for (AssetStatus asset : r.assets()) {
      for (AssetAdvisory p : asset.advisories()) {
        if (p.advisory().equals(a.advisory())) {
          ObjectNode s = subjects.addObject();
          s.put("subject-uuid", assetUuid(asset.asset()));
          s.put("type", "inventory-item");
          prop(s.putArray("props"), "compliance-status", p.status().name());
        }
      }
    }
    if (!subjects.isEmpty()) {
      o.set("subjects", subjects);
    }
    o.put("collected", instant(r.inventoryCheckedAt().orElse(r.asOf())));
    return id;
  }

  /** One open risk for an advisory's outstanding assets, and one per exception that covers it. */
  private static List<String> advisoryRisks(ArrayNode out, ComplianceReport r, AdvisoryStatus a) {
    List<String> ids = new ArrayList<>();
    int outstanding = 0;
    for (ComplianceStatus s : ComplianceStatus.values()) {
      if (s.isOutstanding()) {
        outstanding += a.byStatus().getOrDefault(s, 0);
      }
    }
    String scope = scope(r);
    if (outstanding > 0) {
      String id = uuid("risk", scope, a.advisory().value());
      ObjectNode risk = out.addObject();
      risk.put("uuid", id);
      risk.put("title", line(a.advisory().value() + " on " + outstanding + " asset(s)", "risk"));
      risk.put("description", a.advisory().value() + ": " + a.status() + ".");
      risk.put(
          "statement",
          outstanding
              + " asset(s) still carry the vulnerability of "
              + a.advisory().value()
              + (a.overdue() > 0 ? ", " + a.overdue() + " past the due date" : "")
              + ".");
      props(risk, a);
      risk.put("status", "open");
      a.due().ifPresent(d -> risk.put("deadline", instant(d)));
      ids.add(id);
    }
    Set<String> seen = new LinkedHashSet<>();
    for (ExceptionEntry e : r.exceptions()) {
      if (!e.advisories().contains(a.advisory()) || !seen.add(e.id())) {
        continue;
      }
      String id = uuid("exception", scope, e.id(), a.advisory().value());
      ObjectNode risk = out.addObject();
      risk.put("uuid", id);
      risk.put(
          "title", line(e.id() + ": " + a.advisory().value() + " on " + e.asset().value(), "risk"));
      risk.put(
          "description",
          e.reason().isBlank() ? line(e.id(), "Risk accepted.") : e.reason().strip());
      risk.put(
          "statement",
          "Accepted by "
              + e.owner()
              + " until "
              + instant(e.expires())
              + (e.expired() ? " (expired)." : "."));
      ArrayNode props = risk.putArray("props");
      prop(props, "risk-owner", e.owner());
      prop(props, "asset-id", e.asset().value());
      risk.put("status", e.expired() ? "open" : "deviation-approved");
      risk.put("deadline", instant(e.expires()));
      ids.add(id);
    }
    return ids;
  }

  private static void props(ObjectNode node, AdvisoryStatus a) {
    ArrayNode props = node.putArray("props");
    prop(props, "advisory-id", a.advisory().value());
    a.priority().ifPresent(p -> prop(props, "priority", p.name()));
    a.cvss().ifPresent(s -> prop(props, "cvss-base-score", String.valueOf(s)));
    a.vector().ifPresent(v -> prop(props, "cvss-vector", v));
  }

  private static void prop(ArrayNode props, String name, String value) {
    String v = line(value);
    if (!v.isEmpty()) {
      props.addObject().put("name", name).put("ns", NS).put("value", v);
    }
  }

  /**
   * Text for OSCAL's one-line types (markup-line, string): each run of white space, line breaks and
   * invisible spaces becomes one space, none is left at either end. Hosts name tenants, assets,
   * risks and owners freely, but markup-line forbids line breaks and string (pattern {@code
   * ^\S(.*\S)?$}) white space at its ends; JSON Schema regexes are ECMA-262, whose {@code \s} also
   * holds the Unicode spaces, so those go too.
   */
  static String line(String text) {
    StringBuilder b = new StringBuilder(text.length());
    boolean gap = false;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (isBlank(c)) {
        gap = b.length() > 0;
      } else {
        if (gap) {
          b.append(' ');
          gap = false;
        }
        b.appendCodePoint(c);
      }
    }
    return b.toString();
  }

  /** {@link #line(String)}, or the fallback where nothing visible is left. */
  private static String line(String text, String fallback) {
    String l = line(text);
    return l.isEmpty() ? fallback : l;
  }

  private static boolean isBlank(int c) {
    return Character.isWhitespace(c)
        || Character.isSpaceChar(c)
        || Character.isISOControl(c)
        || c == 0x200B // zero width space
        || c == 0xFEFF; // byte order mark, white space to ECMA-262
  }

  private static Instant start(ComplianceReport r) {
    Instant start = r.asOf();
    for (ComplianceReport.RecordStatus s : r.records()) {
      if (s.opened().isBefore(start)) {
        start = s.opened();
      }
    }
    return start;
  }

  private static String scope(ComplianceReport r) {
    return r.scope().map(t -> "tenant:" + t.value()).orElse("fleet");
  }

  /** OSCAL's date-time pattern allows fractions but not every offset; UTC seconds always pass. */
  private static String instant(Instant i) {
    return i.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static String assetUuid(AssetId asset) {
    return uuid("asset", asset.value());
  }

  /** A version 5 (SHA-1, name-based) UUID, RFC 4122 §4.3, under cloudpatch's namespace. */
  static String uuid(String... names) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      ByteBuffer ns = ByteBuffer.allocate(16);
      ns.putLong(NAMESPACE.getMostSignificantBits()).putLong(NAMESPACE.getLeastSignificantBits());
      sha1.update(ns.array());
      sha1.update(String.join("\u0000", names).getBytes(StandardCharsets.UTF_8));
      byte[] h = sha1.digest();
      h[6] = (byte) ((h[6] & 0x0f) | 0x50);
      h[8] = (byte) ((h[8] & 0x3f) | 0x80);
      ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
      return new UUID(b.getLong(), b.getLong()).toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JDK", e);
    }
  }

  private static String write(ObjectNode root) {
    try {
      return ReportJson.MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new PatchException("cannot write OSCAL JSON", e);
    }
  }
}
