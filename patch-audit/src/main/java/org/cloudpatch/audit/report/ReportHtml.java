package org.cloudpatch.audit.report;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.cloudpatch.audit.report.ComplianceReport.AdvisoryStatus;
import org.cloudpatch.audit.report.ComplianceReport.AssetAdvisory;
import org.cloudpatch.audit.report.ComplianceReport.AssetStatus;
import org.cloudpatch.audit.report.ComplianceReport.ChangeSummary;
import org.cloudpatch.audit.report.ComplianceReport.ExceptionEntry;
import org.cloudpatch.audit.report.ComplianceReport.RecordStatus;
import org.cloudpatch.audit.report.ComplianceReport.TenantSummary;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.severity.Priority;

/**
 * The report as one self-contained HTML page: inline CSS and SVG, no script, no external asset.
 * Lists are capped (the full lists are in the CSV), so the page stays small at any fleet size.
 */
final class ReportHtml {
  /** At most this many rows in each list of VMs; the rest is counted and left to the CSV. */
  static final int MAX_ROWS = 100;

  /** At most this many VMs named in an advisory's drill-down. */
  static final int MAX_DRILL = 20;

  private static final String[] PALETTE = {
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"
  };

  private ReportHtml() {}

  static String color(ComplianceStatus s) {
    return switch (s) {
      case FAILED -> "#c62828";
      case MISSING -> "#ef6c00";
      case PENDING_REBOOT -> "#f9a825";
      case EXCEPTED -> "#6a1b9a";
      case COMPLIANT -> "#2e7d32";
      case NOT_APPLICABLE -> "#9e9e9e";
    };
  }

  static String words(ComplianceStatus s) {
    return s.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  static String write(ComplianceReport r) {
    StringBuilder h = new StringBuilder(64 * 1024);
    String scope = r.scope().map(t -> "tenant " + t.value()).orElse("all tenants");
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>")
        .append(esc(r.title()))
        .append(" — ")
        .append(esc(scope))
        .append("</title>\n<style>")
        .append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;")
        .append("color:#1d2330;background:#f5f6f8}")
        .append("main{max-width:1200px;margin:0 auto;padding:1.5em 2em 3em}")
        .append("h1{margin:.2em 0 0;font-size:1.7em}h2{margin:1.6em 0 .5em;font-size:1.25em}")
        .append(".sub{color:#5b6475;margin:.2em 0 1em}")
        .append(".qa{display:grid;grid-template-columns:1fr 1fr;gap:1em}")
        .append(".card{background:#fff;border-radius:8px;padding:1em 1.2em;")
        .append("box-shadow:0 1px 3px rgba(0,0,0,.12)}")
        .append(".q{font-size:.9em;color:#5b6475;margin:0}.card p{overflow-wrap:anywhere}")
        .append(".a{font-size:1.6em;font-weight:700;margin:.15em 0}")
        .append(".yes{color:#2e7d32}.no{color:#c62828}")
        .append(".kpis{display:grid;grid-template-columns:repeat(6,1fr);gap:.8em;margin-top:1em}")
        .append(".kpi b{display:block;font-size:1.5em}.kpi span{color:#5b6475;font-size:.85em}")
        .append(".charts{display:grid;grid-template-columns:1.4fr 1fr 1fr;gap:1em;margin-top:1em}")
        .append("figure{margin:0}figcaption{font-weight:600;margin-bottom:.4em}")
        .append("svg text{font-size:11px;fill:#5b6475}")
        .append("table{border-collapse:collapse;width:100%;background:#fff;font-size:.9em;")
        .append("box-shadow:0 1px 3px rgba(0,0,0,.12)}")
        .append("th,td{padding:.35em .6em;border-bottom:1px solid #e3e6eb;text-align:left;")
        .append("vertical-align:top}th{background:#eef0f4}td.n{text-align:right}")
        .append(".pill{display:inline-block;padding:0 .5em;border-radius:9px;color:#fff;")
        .append("font-size:.85em;white-space:nowrap}")
        .append("details summary{cursor:pointer;color:#1f5fbf}")
        .append(".more{color:#5b6475;font-style:italic}")
        .append(".warn{border-left:5px solid #ef6c00;margin-bottom:1em}")
        .append("details.host{background:#fff;margin:.3em 0;padding:.4em .8em;border-radius:6px;")
        .append("box-shadow:0 1px 2px rgba(0,0,0,.1)}")
        .append("details.host table{margin-top:.4em;width:auto;min-width:60%}")
        .append("footer{color:#5b6475;font-size:.85em;margin-top:2em}")
        .append("</style></head><body><main>\n");
    h.append("<h1>")
        .append(esc(r.title()))
        .append("</h1>\n<p class=\"sub\">")
        .append(esc(scope))
        .append(" · as of ")
        .append(instant(r.asOf()))
        .append(" · ")
        .append(r.answer().assets())
        .append(" VMs · ")
        .append(r.advisories().size())
        .append(" advisories · ")
        .append(r.records().size())
        .append(" tracking records");
    if (!r.hosts().isEmpty()) {
      h.append(" · <a href=\"#hosts\">").append(ReportHosts.counts(r.hosts())).append("</a>");
    }
    h.append("</p>\n");
    answer(h, r.answer(), r.evidence());
    charts(h, r);
    tenants(h, r);
    advisories(h, r);
    exceptions(h, r);
    ReportHosts.write(h, r);
    attention(h, r);
    outstanding(h, r);
    h.append("<footer>Generated by cloudpatch from the engine's tracking records, risk items and")
        .append(" assessments. Full per-VM lists are in the CSV and JSON reports; OSCAL assessment")
        .append(" results and POA&amp;M carry the same facts for compliance tooling.</footer>\n")
        .append("</main></body></html>\n");
    return h.toString();
  }

  private static void answer(StringBuilder h, ComplianceReport.Answer a, List<String> evidence) {
    h.append("<section class=\"qa\">")
        .append("<div class=\"card\" id=\"answer-patched\"><p class=\"q\">Have all VMs that")
        .append(" require the update been patched?</p><p class=\"a ")
        .append(a.allPatched() ? "yes\">Yes" : "no\">No")
        .append("</p><p>")
        .append(esc(a.patchedAnswer()))
        .append("</p></div>")
        .append("<div class=\"card\" id=\"answer-validated\"><p class=\"q\">Can it be")
        .append(" validated?</p><p class=\"a ")
        .append(a.validated() ? "yes\">Yes" : "no\">Not fully")
        .append("</p><p>")
        .append(esc(a.validationAnswer()))
        .append("</p>");
    for (String e : evidence) {
      h.append("<p class=\"more\">").append(esc(e)).append("</p>");
    }
    h.append("</div></section>\n<section class=\"kpis\">");
    kpi(h, a.requiringUpdate(), "require an update", "#1d2330");
    kpi(h, a.patched(), "patched and verified", color(ComplianceStatus.COMPLIANT));
    kpi(h, a.pendingReboot(), "pending reboot", color(ComplianceStatus.PENDING_REBOOT));
    kpi(h, a.excepted(), "excepted", color(ComplianceStatus.EXCEPTED));
    kpi(h, a.outstanding(), "missing or failed", color(ComplianceStatus.MISSING));
    kpi(h, a.overdue(), "overdue", color(ComplianceStatus.FAILED));
    h.append("</section>\n");
  }

  private static void kpi(StringBuilder h, int n, String label, String color) {
    h.append("<div class=\"card kpi\"><b style=\"color:")
        .append(color)
        .append("\">")
        .append(n)
        .append("</b><span>VMs ")
        .append(label)
        .append("</span></div>");
  }

  // ---- charts ------------------------------------------------------------------------------

  private static void charts(StringBuilder h, ComplianceReport r) {
    h.append("<section class=\"charts\">");
    history(h, r);
    overdue(h, r);
    timeToRemediate(h, r);
    h.append("</section>\n");
  }

  private static void history(StringBuilder h, ComplianceReport r) {
    int w = 460;
    int ht = 220;
    int left = 40;
    int right = 10;
    int top = 10;
    int bottom = 40;
    h.append("<figure class=\"card\" id=\"chart-history\"><figcaption>Compliance over time")
        .append(" per tenant</figcaption><svg role=\"img\" aria-label=\"compliance over time\"")
        .append(" viewBox=\"0 0 ")
        .append(w)
        .append(' ')
        .append(ht)
        .append("\" width=\"100%\">");
    axesPercent(h, left, top, w - left - right, ht - top - bottom);
    Map<TenantId, List<ComplianceSample>> byTenant = new TreeMap<>();
    r.history().forEach(s -> byTenant.computeIfAbsent(s.tenant(), t -> new ArrayList<>()).add(s));
    if (byTenant.isEmpty()) {
      h.append("<text x=\"")
          .append(w / 2)
          .append("\" y=\"")
          .append(ht / 2)
          .append("\" text-anchor=\"middle\">no samples taken</text>");
    } else {
      Instant first = r.history().stream().map(ComplianceSample::at).min(Instant::compareTo).get();
      Instant last = r.history().stream().map(ComplianceSample::at).max(Instant::compareTo).get();
      double span = Math.max(1, Duration.between(first, last).toSeconds());
      double pw = w - left - right;
      double ph = ht - top - bottom;
      h.append("<text x=\"")
          .append(left)
          .append("\" y=\"")
          .append(ht - bottom + 14)
          .append("\">")
          .append(first.truncatedTo(ChronoUnit.DAYS).toString(), 0, 10)
          .append("</text><text x=\"")
          .append(w - right)
          .append("\" y=\"")
          .append(ht - bottom + 14)
          .append("\" text-anchor=\"end\">")
          .append(last.toString(), 0, 10)
          .append("</text>");
      int i = 0;
      int legendX = left;
      for (Map.Entry<TenantId, List<ComplianceSample>> e : byTenant.entrySet()) {
        String c = PALETTE[i++ % PALETTE.length];
        List<ComplianceSample> samples = new ArrayList<>(e.getValue());
        samples.sort(Comparator.comparing(ComplianceSample::at));
        h.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"")
            .append(c)
            .append("\" points=\"");
        for (ComplianceSample s : samples) {
          double x = left + pw * Duration.between(first, s.at()).toSeconds() / span;
          double pct = s.assets() == 0 ? 1 : (double) s.compliant() / s.assets();
          double y = top + ph * (1 - pct);
          h.append(fmt(x)).append(',').append(fmt(y)).append(' ');
        }
        h.append("\"><title>").append(esc(e.getKey().value())).append("</title></polyline>");
        if (i <= 6) {
          h.append("<rect x=\"")
              .append(legendX)
              .append("\" y=\"")
              .append(ht - 14)
              .append("\" width=\"10\" height=\"10\" fill=\"")
              .append(c)
              .append("\"/><text x=\"")
              .append(legendX + 14)
              .append("\" y=\"")
              .append(ht - 5)
              .append("\">")
              .append(esc(abbrev(e.getKey().value(), 14)))
              .append("</text>");
          legendX += 24 + 7 * Math.min(14, e.getKey().value().length());
        }
      }
    }
    h.append("</svg></figure>");
  }

  private static void axesPercent(StringBuilder h, int x, int y, int w, int ht) {
    for (int p = 0; p <= 100; p += 25) {
      double gy = y + ht * (1 - p / 100.0);
      h.append("<line x1=\"")
          .append(x)
          .append("\" x2=\"")
          .append(x + w)
          .append("\" y1=\"")
          .append(fmt(gy))
          .append("\" y2=\"")
          .append(fmt(gy))
          .append("\" stroke=\"#e3e6eb\"/><text x=\"")
          .append(x - 4)
          .append("\" y=\"")
          .append(fmt(gy + 4))
          .append("\" text-anchor=\"end\">")
          .append(p)
          .append("%</text>");
    }
  }

  private static void overdue(StringBuilder h, ComplianceReport r) {
    Map<String, Integer> bars = new java.util.LinkedHashMap<>();
    for (Priority p : Priority.values()) {
      bars.put(p.name(), r.overdueByPriority().getOrDefault(p, 0));
    }
    bars(h, "chart-overdue", "Overdue VM-advisory pairs by priority", bars, "#c62828");
  }

  private static void timeToRemediate(StringBuilder h, ComplianceReport r) {
    String[] labels = {"<1d", "1–3d", "3–7d", "7–14d", "14–30d", ">30d", "open"};
    long[] bounds = {1, 3, 7, 14, 30};
    int[] counts = new int[labels.length];
    for (RecordStatus s : r.records()) {
      if (s.timeToRemediate().isEmpty()) {
        if (s.status() == org.cloudpatch.core.process.TrackingRecord.Status.OPEN) {
          counts[labels.length - 1]++;
        }
        continue;
      }
      double days = s.timeToRemediate().get().toSeconds() / 86400.0;
      int b = 0;
      while (b < bounds.length && days >= bounds[b]) {
        b++;
      }
      counts[b]++;
    }
    Map<String, Integer> bars = new java.util.LinkedHashMap<>();
    for (int i = 0; i < labels.length; i++) {
      bars.put(labels[i], counts[i]);
    }
    bars(h, "chart-ttr", "Time to remediate (tracking records)", bars, "#1f77b4");
  }

  private static void bars(
      StringBuilder h, String id, String caption, Map<String, Integer> bars, String color) {
    int w = 300;
    int ht = 220;
    int left = 30;
    int top = 16;
    int bottom = 30;
    int max = Math.max(1, bars.values().stream().mapToInt(Integer::intValue).max().orElse(1));
    h.append("<figure class=\"card\" id=\"")
        .append(id)
        .append("\"><figcaption>")
        .append(esc(caption))
        .append("</figcaption><svg role=\"img\" aria-label=\"")
        .append(esc(caption))
        .append("\" viewBox=\"0 0 ")
        .append(w)
        .append(' ')
        .append(ht)
        .append("\" width=\"100%\">");
    double slot = (double) (w - left) / bars.size();
    double ph = ht - top - bottom;
    int i = 0;
    h.append("<line x1=\"")
        .append(left)
        .append("\" x2=\"")
        .append(w)
        .append("\" y1=\"")
        .append(ht - bottom)
        .append("\" y2=\"")
        .append(ht - bottom)
        .append("\" stroke=\"#9aa3b2\"/>");
    for (Map.Entry<String, Integer> e : bars.entrySet()) {
      double bh = ph * e.getValue() / max;
      double x = left + slot * i + slot * 0.15;
      double bw = slot * 0.7;
      double y = ht - bottom - bh;
      h.append("<rect x=\"")
          .append(fmt(x))
          .append("\" y=\"")
          .append(fmt(y))
          .append("\" width=\"")
          .append(fmt(bw))
          .append("\" height=\"")
          .append(fmt(bh))
          .append("\" fill=\"")
          .append(color)
          .append("\"><title>")
          .append(esc(e.getKey()))
          .append(": ")
          .append(e.getValue())
          .append("</title></rect><text x=\"")
          .append(fmt(x + bw / 2))
          .append("\" y=\"")
          .append(fmt(y - 3))
          .append("\" text-anchor=\"middle\">")
          .append(e.getValue())
          .append("</text><text x=\"")
          .append(fmt(x + bw / 2))
          .append("\" y=\"")
          .append(ht - bottom + 14)
          .append("\" text-anchor=\"middle\">")
          .append(esc(e.getKey()))
          .append("</text>");
      i++;
    }
    if (bars.values().stream().allMatch(v -> v == 0)) {
      h.append("<text x=\"")
          .append((w + left) / 2)
          .append("\" y=\"")
          .append(ht / 2)
          .append("\" text-anchor=\"middle\">none</text>");
    }
    h.append("</svg></figure>");
  }

  // ---- tables ------------------------------------------------------------------------------

  private static void tenants(StringBuilder h, ComplianceReport r) {
    h.append("<h2>Tenants</h2>\n<table id=\"tenants\"><tr><th>tenant</th><th>VMs</th>")
        .append("<th>compliant</th><th style=\"width:28%\">status</th>");
    for (ComplianceStatus s : ComplianceStatus.values()) {
      h.append("<th>").append(words(s)).append("</th>");
    }
    h.append("<th>not running</th><th>held</th><th>reverted</th><th>overdue</th></tr>\n");
    for (TenantSummary t : r.tenants()) {
      h.append("<tr><td>")
          .append(esc(t.tenant().value()))
          .append("</td><td class=\"n\">")
          .append(t.assets())
          .append("</td><td class=\"n\">")
          .append(percent(t.compliant(), t.assets()))
          .append("</td><td>");
      stackedBar(h, t.byStatus(), t.assets());
      h.append("</td>");
      for (ComplianceStatus s : ComplianceStatus.values()) {
        h.append("<td class=\"n\">").append(t.byStatus().getOrDefault(s, 0)).append("</td>");
      }
      h.append("<td class=\"n\">")
          .append(t.notRunning())
          .append("</td><td class=\"n\">")
          .append(t.held())
          .append("</td><td class=\"n\">")
          .append(t.reverted())
          .append("</td><td class=\"n\">")
          .append(t.overdue())
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  private static void stackedBar(StringBuilder h, Map<ComplianceStatus, Integer> by, int total) {
    h.append("<svg viewBox=\"0 0 200 12\" width=\"100%\" height=\"12\" role=\"img\">");
    double x = 0;
    for (ComplianceStatus s : ComplianceStatus.values()) {
      int n = by.getOrDefault(s, 0);
      if (n == 0 || total == 0) {
        continue;
      }
      double w = 200.0 * n / total;
      h.append("<rect x=\"")
          .append(fmt(x))
          .append("\" y=\"0\" height=\"12\" width=\"")
          .append(fmt(w))
          .append("\" fill=\"")
          .append(color(s))
          .append("\"><title>")
          .append(words(s))
          .append(": ")
          .append(n)
          .append("</title></rect>");
      x += w;
    }
    h.append("</svg>");
  }

  private static void advisories(StringBuilder h, ComplianceReport r) {
    h.append("<h2>Advisories</h2>\n<table id=\"advisories\"><tr><th>advisory</th><th>CVSS</th>")
        .append("<th>priority</th><th>due</th><th>records and resolver groups</th>")
        .append("<th>notified</th><th>changes and windows</th><th>status</th></tr>\n");
    for (AdvisoryStatus a : r.advisories()) {
      boolean open = a.byStatus().keySet().stream().anyMatch(s -> !s.isCompliant());
      h.append("<tr><td><b>")
          .append(esc(a.advisory().value()))
          .append("</b></td><td class=\"n\">")
          .append(a.cvss().map(s -> String.format(Locale.ROOT, "%.1f", s)).orElse("–"))
          .append("</td><td>")
          .append(a.priority().map(Enum::name).orElse("–"))
          .append("</td><td>")
          .append(a.due().map(ReportHtml::day).orElse("–"))
          .append("</td><td>")
          .append(a.records().size())
          .append(a.records().size() == 1 ? " record" : " records");
      if (!a.resolverGroups().isEmpty()) {
        h.append("<br>").append(esc(String.join(", ", a.resolverGroups())));
      }
      h.append("</td><td>")
          .append(a.notifications())
          .append(a.notifiedTenants().isEmpty() ? "" : " to ")
          .append(
              esc(String.join(", ", a.notifiedTenants().stream().map(TenantId::value).toList())))
          .append("</td><td>");
      changes(h, a.changes());
      h.append("</td><td>");
      pill(h, open ? worst(a.byStatus()) : ComplianceStatus.COMPLIANT, a.status());
      h.append("</td></tr>\n");
      drill(h, r, a);
    }
    h.append("</table>\n");
  }

  /** Changes condensed: how many of each type and approval, their ids, and distinct windows. */
  private static void changes(StringBuilder h, List<ChangeSummary> changes) {
    if (changes.isEmpty()) {
      h.append("–");
      return;
    }
    Map<String, Integer> kinds = new TreeMap<>();
    Map<String, Integer> windows = new TreeMap<>();
    int closed = 0;
    for (ChangeSummary c : changes) {
      kinds.merge(
          c.type().name().toLowerCase(Locale.ROOT)
              + " "
              + c.approval().name().toLowerCase(Locale.ROOT),
          1,
          Integer::sum);
      windows.merge(instant(c.windowStart()) + " – " + instant(c.windowEnd()), 1, Integer::sum);
      closed += c.closed() ? 1 : 0;
    }
    List<String> k = new ArrayList<>();
    kinds.forEach((name, n) -> k.add(n + " " + name));
    h.append(changes.size())
        .append(changes.size() == 1 ? " change: " : " changes: ")
        .append(esc(String.join(", ", k)))
        .append("; ")
        .append(closed)
        .append(" closed<br><small>")
        .append(esc(changes.get(0).id()));
    if (changes.size() > 1) {
      h.append(changes.size() > 2 ? " … " : ", ").append(esc(changes.get(changes.size() - 1).id()));
    }
    int shown = 0;
    for (Map.Entry<String, Integer> w : windows.entrySet()) {
      if (shown++ == 3) {
        h.append("<br>and ").append(windows.size() - 3).append(" more windows");
        break;
      }
      h.append("<br>").append(esc(w.getKey()));
    }
    h.append("</small>");
  }

  private static ComplianceStatus worst(Map<ComplianceStatus, Integer> by) {
    for (ComplianceStatus s : ComplianceStatus.values()) {
      if (by.getOrDefault(s, 0) > 0) {
        return s;
      }
    }
    return ComplianceStatus.NOT_APPLICABLE;
  }

  private static void drill(StringBuilder h, ComplianceReport r, AdvisoryStatus a) {
    h.append("<tr><td colspan=\"8\"><details><summary>VMs: ");
    List<String> parts = new ArrayList<>();
    for (ComplianceStatus s : ComplianceStatus.values()) {
      int n = a.byStatus().getOrDefault(s, 0);
      if (n > 0) {
        parts.add(n + " " + words(s));
      }
    }
    h.append(parts.isEmpty() ? "none" : esc(String.join(", ", parts)));
    h.append("</summary>");
    List<String[]> rows = new ArrayList<>();
    int total = 0;
    for (AssetStatus asset : r.assets()) {
      for (AssetAdvisory p : asset.advisories()) {
        if (p.advisory().equals(a.advisory()) && !p.status().isCompliant()) {
          total++;
          if (rows.size() < MAX_DRILL) {
            rows.add(
                new String[] {
                  asset.asset().value(),
                  asset.tenant().value(),
                  p.status().name(),
                  p.overdue() ? "overdue" : "",
                  p.exception().orElse(""),
                  p.note()
                });
          }
        }
      }
    }
    if (total == 0) {
      h.append("<p>Every VM it applies to is patched and verified.</p>");
    } else {
      h.append("<table><tr><th>VM</th><th>tenant</th><th>status</th><th>SLA</th>")
          .append("<th>exception</th><th>note</th></tr>");
      for (String[] row : rows) {
        h.append("<tr><td>")
            .append(esc(row[0]))
            .append("</td><td>")
            .append(esc(row[1]))
            .append("</td><td>");
        pill(h, ComplianceStatus.valueOf(row[2]), words(ComplianceStatus.valueOf(row[2])));
        h.append("</td><td>")
            .append(row[3])
            .append("</td><td>")
            .append(esc(row[4]))
            .append("</td><td>")
            .append(esc(row[5]))
            .append("</td></tr>");
      }
      h.append("</table>");
      if (total > rows.size()) {
        h.append("<p class=\"more\">and ")
            .append(total - rows.size())
            .append(" more not compliant; the full list is in the CSV report.</p>");
      }
    }
    h.append("</details></td></tr>\n");
  }

  private static void exceptions(StringBuilder h, ComplianceReport r) {
    h.append("<h2>Exceptions (risk acceptances)</h2>\n");
    if (r.exceptions().isEmpty()) {
      h.append("<p>None.</p>\n");
      return;
    }
    h.append("<table id=\"exceptions\"><tr><th>risk</th><th>VM</th><th>tenant</th>")
        .append("<th>advisories</th><th>owner</th><th>expires</th><th>reason</th></tr>\n");
    int shown = 0;
    for (ExceptionEntry e : r.exceptions()) {
      if (shown++ == MAX_ROWS) {
        break;
      }
      h.append("<tr><td>")
          .append(esc(e.id()))
          .append("</td><td>")
          .append(esc(e.asset().value()))
          .append("</td><td>")
          .append(esc(e.tenant().value()))
          .append("</td><td>")
          .append(esc(String.join(", ", e.advisories().stream().map(x -> x.value()).toList())))
          .append("</td><td>")
          .append(esc(e.owner()))
          .append("</td><td>")
          .append(day(e.expires()));
      if (e.expired()) {
        h.append(" ");
        pill(h, ComplianceStatus.FAILED, "expired");
      }
      h.append("</td><td>").append(esc(abbrev(e.reason(), 160))).append("</td></tr>\n");
    }
    h.append("</table>\n");
    more(h, r.exceptions().size());
  }

  private static void attention(StringBuilder h, ComplianceReport r) {
    List<AssetStatus> list = r.assets().stream().filter(AssetStatus::needsAttention).toList();
    h.append("<h2>VMs suspended, powered off, held or reverted</h2>\n");
    if (list.isEmpty()) {
      h.append("<p>None: every VM runs, none is held for catch-up, none was reverted.</p>\n");
      return;
    }
    h.append("<p>Listed explicitly, never skipped: a VM that does not run is not patched in its")
        .append(" window, and one that resumes or is reverted is held until it is caught up.</p>")
        .append("<table id=\"attention\"><tr><th>VM</th><th>tenant</th><th>power</th>")
        .append("<th>held</th><th>reverted</th><th>status</th><th>advisories</th></tr>\n");
    assetRows(h, list);
  }

  private static void outstanding(StringBuilder h, ComplianceReport r) {
    List<AssetStatus> list =
        r.assets().stream()
            .filter(a -> a.overall().isOutstanding() || a.overall() == ComplianceStatus.EXCEPTED)
            .sorted(
                Comparator.comparing(
                        (AssetStatus a) ->
                            a.advisories().stream().noneMatch(AssetAdvisory::overdue))
                    .thenComparing(AssetStatus::overall)
                    .thenComparing(AssetStatus::asset))
            .toList();
    h.append("<h2>VMs not compliant</h2>\n");
    if (list.isEmpty()) {
      h.append("<p>None.</p>\n");
      return;
    }
    h.append("<p>Overdue first.</p><table id=\"not-compliant\"><tr><th>VM</th><th>tenant</th>")
        .append("<th>power</th><th>held</th><th>reverted</th><th>status</th>")
        .append("<th>advisories</th></tr>\n");
    assetRows(h, list);
  }

  private static void assetRows(StringBuilder h, List<AssetStatus> list) {
    int shown = 0;
    for (AssetStatus a : list) {
      if (shown++ == MAX_ROWS) {
        break;
      }
      h.append("<tr><td>")
          .append(esc(a.asset().value()))
          .append("</td><td>")
          .append(esc(a.tenant().value()))
          .append("</td><td>")
          .append(a.powerState().name().toLowerCase(Locale.ROOT))
          .append("</td><td>")
          .append(a.held() ? "held" : "")
          .append("</td><td>")
          .append(a.reverted() ? "reverted" : "")
          .append("</td><td>");
      pill(h, a.overall(), words(a.overall()));
      h.append("</td><td>");
      for (AssetAdvisory p : a.advisories()) {
        if (!p.status().isCompliant()) {
          h.append(esc(p.advisory().value()))
              .append(": ")
              .append(words(p.status()))
              .append(p.overdue() ? " (overdue)" : "")
              .append(p.note().isEmpty() ? "" : " — " + esc(abbrev(p.note(), 120)))
              .append("<br>");
        }
      }
      h.append("</td></tr>\n");
    }
    h.append("</table>\n");
    more(h, list.size());
  }

  static void more(StringBuilder h, int total) {
    if (total > MAX_ROWS) {
      h.append("<p class=\"more\">Showing ")
          .append(MAX_ROWS)
          .append(" of ")
          .append(total)
          .append("; the full list is in the CSV report.</p>\n");
    }
  }

  static void pill(StringBuilder h, ComplianceStatus s, String text) {
    h.append("<span class=\"pill\" style=\"background:")
        .append(color(s))
        .append("\">")
        .append(esc(text))
        .append("</span>");
  }

  private static String percent(int part, int whole) {
    return whole == 0 ? "–" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
  }

  private static String fmt(double d) {
    return String.format(Locale.ROOT, "%.1f", d);
  }

  static String instant(Instant i) {
    return i.truncatedTo(ChronoUnit.MINUTES).toString().replace("T", " ").replace(":00Z", "Z");
  }

  private static String day(Instant i) {
    return i.toString().substring(0, 10);
  }

  static String abbrev(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
