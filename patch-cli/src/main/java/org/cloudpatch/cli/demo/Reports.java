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
import java.util.List;
import org.cloudpatch.audit.report.ComplianceReport;
import org.cloudpatch.audit.report.ComplianceReports;

/** Writes a demo run's reports from the library's compliance report; deterministic. */
final class Reports {
  /** The files a demo run writes, beside the journal and the evidence. */
  static final List<String> FILES =
      List.of(
          "report.json",
          "report.html",
          "compliance.csv",
          "oscal-assessment-results.json",
          "oscal-poam.json");

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(new Jdk8Module())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private Reports() {}

  /**
   * Writes the library's compliance report (JSON with the run's own facts added, HTML, CSV, OSCAL
   * assessment results and POA&amp;M).
   */
  static void write(DemoResult r, Path out) throws IOException {
    ComplianceReport c = r.compliance();
    Files.writeString(out.resolve("report.json"), json(r), StandardCharsets.UTF_8);
    Files.writeString(
        out.resolve("report.html"), ComplianceReports.html(c), StandardCharsets.UTF_8);
    Files.writeString(
        out.resolve("compliance.csv"), ComplianceReports.csv(c), StandardCharsets.UTF_8);
    Files.writeString(
        out.resolve("oscal-assessment-results.json"),
        ComplianceReports.oscalAssessmentResults(c),
        StandardCharsets.UTF_8);
    Files.writeString(
        out.resolve("oscal-poam.json"), ComplianceReports.oscalPoam(c), StandardCharsets.UTF_8);
  }

  /**
   * The library's report as JSON, with the run, its steps, stories and journal added; its {@code
   * hosts} are the library's, made from the same facts as the HTML page.
   */
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
    root.put("changes", r.changes());
    root.put("patchJobs", r.patchJobs());
    root.put("maxConcurrentJobs", r.maxConcurrentJobs());
    root.set("quarantined", JSON.valueToTree(r.quarantined()));
    root.set("stories", JSON.valueToTree(r.stories()));
    ObjectNode journal = root.putObject("journal");
    journal.put("file", r.journalFile().getFileName().toString());
    journal.put("verified", r.journal().ok());
    journal.put("entries", r.journal().entries());
    journal.put("headHash", r.journal().headHash());
    root.setAll((ObjectNode) JSON.readTree(ComplianceReports.json(r.compliance())));
    return JSON.writeValueAsString(root) + "\n";
  }
}
