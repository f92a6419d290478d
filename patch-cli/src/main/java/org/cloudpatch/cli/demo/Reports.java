package org.cloudpatch.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.process.RiskItem;

/** Writes a demo run's {@code report.json} and {@code report.html}; deterministic. */
final class Reports {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(new Jdk8Module())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private Reports() {}

  static void write(DemoResult r, Path out) throws IOException {
    Files.writeString(out.resolve("report.json"), json(r) + "\n", StandardCharsets.UTF_8);
    Files.writeString(out.resolve("report.html"), html(r), StandardCharsets.UTF_8);
  }

  static String json(DemoResult r) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode run = root.putObject("run");
    run.put("vms", r.options().vms());
    run.put("hosts", r.options().hosts());
    run.put("zones", r.zones());
    run.put("days", r.options().days());
    run.put("seed", r.options().seed());
    ArrayNode steps = root.putArray("steps");
    for (DemoResult.Step s : r.steps()) {
      ObjectNode n = steps.addObject();
      n.put("step", s.number());
      n.put("name", s.name());
      n.set("entries", JSON.valueToTree(s.entries()));
    }
    ArrayNode tenants = root.putArray("tenants");
    for (DemoResult.TenantCompliance t : r.tenants()) {
      ObjectNode n = tenants.addObject();
      n.put("tenant", t.tenant().value());
      n.put("vms", t.vms());
      n.put("compliantBefore", t.compliantBefore());
      n.put("compliantAfter", t.compliantAfter());
      n.put("riskItems", t.riskItems());
      n.put("heldForCatchUp", t.held());
    }
    root.set("trackingRecords", JSON.valueToTree(r.records()));
    root.put("changes", r.changes());
    root.put("patchJobs", r.patchJobs());
    root.put("maxConcurrentJobs", r.maxConcurrentJobs());
    root.set("risks", JSON.valueToTree(r.risks()));
    root.set("quarantined", JSON.valueToTree(r.quarantined()));
    root.set("stories", JSON.valueToTree(r.stories()));
    ObjectNode journal = root.putObject("journal");
    journal.put("file", r.journalFile().getFileName().toString());
    journal.put("verified", r.journal().ok());
    journal.put("entries", r.journal().entries());
    journal.put("headHash", r.journal().headHash());
    return JSON.writeValueAsString(root);
  }

  static String html(DemoResult r) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>cloudpatch demo report</title><style>")
        .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}")
        .append("table{border-collapse:collapse;margin:1em 0}")
        .append("td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}")
        .append("th{background:#f3f3f3}td.n{text-align:right}</style></head><body>\n");
    h.append("<h1>cloudpatch demo report</h1>\n<p>")
        .append(r.options().vms())
        .append(" VMs on ")
        .append(r.options().hosts())
        .append(" hosts in ")
        .append(r.zones())
        .append(" time zones, ")
        .append(r.options().days())
        .append(" simulated days, seed ")
        .append(r.options().seed())
        .append(
            ".</p>\n<h2>The process, step by step</h2>\n<table><tr><th>#</th><th>step</th><th>journal entries</th></tr>\n");
    for (DemoResult.Step s : r.steps()) {
      h.append("<tr><td class=n>")
          .append(s.number())
          .append("</td><td>")
          .append(esc(s.name()))
          .append("</td><td>");
      for (Map.Entry<String, Integer> e : s.entries().entrySet()) {
        h.append(esc(e.getKey())).append(": ").append(e.getValue()).append("<br>");
      }
      h.append("</td></tr>\n");
    }
    h.append("</table>\n<h2>Compliance per tenant</h2>\n<table><tr><th>tenant</th><th>VMs</th>")
        .append(
            "<th>compliant before</th><th>compliant after</th><th>risk items</th><th>held</th></tr>\n");
    for (DemoResult.TenantCompliance t : r.tenants()) {
      h.append("<tr><td>")
          .append(esc(t.tenant().value()))
          .append("</td><td class=n>")
          .append(t.vms())
          .append("</td><td class=n>")
          .append(percent(t.compliantBefore(), t.vms()))
          .append("</td><td class=n>")
          .append(percent(t.compliantAfter(), t.vms()))
          .append("</td><td class=n>")
          .append(t.riskItems())
          .append("</td><td class=n>")
          .append(t.held())
          .append("</td></tr>\n");
    }
    h.append(
        "</table>\n<h2>Risk items</h2>\n<table><tr><th>id</th><th>asset</th><th>owner</th><th>expires</th><th>reason</th></tr>\n");
    for (RiskItem risk : r.risks()) {
      h.append("<tr><td>")
          .append(esc(risk.id()))
          .append("</td><td>")
          .append(esc(risk.asset().value()))
          .append("</td><td>")
          .append(esc(risk.owner()))
          .append("</td><td>")
          .append(risk.expires())
          .append("</td><td>")
          .append(esc(risk.reason()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n<h2>Quarantined input</h2>\n<ul>\n");
    for (Quarantined q : r.quarantined()) {
      h.append("<li>").append(esc(q.describe())).append("</li>\n");
    }
    h.append("</ul>\n<h2>Stories</h2>\n<ul>\n");
    for (String s : r.stories()) {
      h.append("<li>").append(esc(s)).append("</li>\n");
    }
    h.append("</ul>\n<h2>Journal</h2>\n<p>")
        .append(esc(r.journal().describe()))
        .append("</p>\n</body></html>\n");
    return h.toString();
  }

  static String percent(int part, int whole) {
    return whole == 0 ? "-" : String.format("%d (%.1f%%)", part, 100.0 * part / whole);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
