package org.cloudpatch.audit.report;

import java.time.Instant;
import java.util.List;
import org.cloudpatch.audit.report.ComplianceReport.AssetAdvisory;
import org.cloudpatch.audit.report.ComplianceReport.AssetStatus;

/** The full per-asset list as RFC 4180 CSV, one row per asset and applicable advisory. */
final class ReportCsv {
  static final List<String> HEADER =
      List.of(
          "tenant",
          "asset",
          "power_state",
          "held_for_catch_up",
          "reverted",
          "advisory",
          "status",
          "priority",
          "due",
          "overdue",
          "record",
          "resolver_group",
          "verified_version",
          "exception",
          "note");

  private ReportCsv() {}

  static String write(ComplianceReport r) {
    StringBuilder out = new StringBuilder();
    row(out, HEADER);
    for (AssetStatus a : r.assets()) {
      if (a.advisories().isEmpty()) {
        row(
            out,
            List.of(
                a.tenant().value(),
                a.asset().value(),
                a.powerState().name(),
                Boolean.toString(a.held()),
                Boolean.toString(a.reverted()),
                "",
                ComplianceStatus.NOT_APPLICABLE.name(),
                "",
                "",
                "false",
                "",
                "",
                "",
                "",
                "no advisory applies"));
      }
      for (AssetAdvisory p : a.advisories()) {
        row(
            out,
            List.of(
                a.tenant().value(),
                a.asset().value(),
                a.powerState().name(),
                Boolean.toString(a.held()),
                Boolean.toString(a.reverted()),
                p.advisory().value(),
                p.status().name(),
                p.priority().map(Enum::name).orElse(""),
                p.due().map(Instant::toString).orElse(""),
                Boolean.toString(p.overdue()),
                p.record().map(id -> id.value()).orElse(""),
                p.resolverGroup(),
                p.verifiedVersion().orElse(""),
                p.exception().orElse(""),
                p.note()));
      }
    }
    return out.toString();
  }

  private static void row(StringBuilder out, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      String c = cells.get(i);
      if (c.indexOf(',') >= 0
          || c.indexOf('"') >= 0
          || c.indexOf('\n') >= 0
          || c.indexOf('\r') >= 0) {
        out.append('"').append(c.replace("\"", "\"\"")).append('"');
      } else {
        out.append(c);
      }
    }
    out.append("\r\n");
  }
}
