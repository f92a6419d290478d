package org.cloudpatch.audit.report;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cloudpatch.audit.report.ComplianceReport.HostEvacuation;

/**
 * The host-remediation section of the HTML report: a summary, the hosts not patched first with the
 * VMs that blocked them, then one collapsed entry per host with its maintenance stay and its
 * migrations.
 */
final class ReportHosts {
  private ReportHosts() {}

  static String color(HostEvacuationFact.Outcome o) {
    return switch (o) {
      case PATCHED -> ReportHtml.color(ComplianceStatus.COMPLIANT);
      case SKIPPED -> ReportHtml.color(ComplianceStatus.MISSING);
      case UNVERIFIED -> ReportHtml.color(ComplianceStatus.FAILED);
      case NOT_PATCHED -> ReportHtml.color(ComplianceStatus.NOT_APPLICABLE);
    };
  }

  static String words(HostEvacuationFact.Outcome o) {
    return o.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  /** "6 hosts: 5 patched, 1 skipped", naming only the outcomes that occur. */
  static String counts(List<HostEvacuation> hosts) {
    Map<HostEvacuationFact.Outcome, Integer> by = new EnumMap<>(HostEvacuationFact.Outcome.class);
    hosts.forEach(x -> by.merge(x.outcome(), 1, Integer::sum));
    List<String> parts = new ArrayList<>();
    by.forEach((o, n) -> parts.add(n + " " + words(o)));
    return hosts.size() + (hosts.size() == 1 ? " host: " : " hosts: ") + String.join(", ", parts);
  }

  /**
   * The hosts' remediation: a summary line, the hosts not patched first (each with the VMs that
   * blocked it), then one collapsed entry per host with its maintenance stay and its migrations, so
   * that a cluster of many hosts with many migrations stays readable.
   */
  static void write(StringBuilder h, ComplianceReport r) {
    h.append("<h2 id=\"hosts\">Host remediation</h2>\n");
    List<HostEvacuation> hosts = r.hosts();
    if (hosts.isEmpty()) {
      h.append("<p>No host remediation in this period.</p>\n");
      return;
    }
    int moved = hosts.stream().mapToInt(HostEvacuation::totalMigrations).sum();
    h.append("<p id=\"hosts-summary\"><b>")
        .append(counts(hosts))
        .append("</b> · ")
        .append(moved)
        .append(moved == 1 ? " VM" : " VMs")
        .append(" live-migrated off hosts in maintenance mode.</p>\n");
    List<HostEvacuation> notPatched =
        hosts.stream()
            .filter(
                x ->
                    x.outcome() == HostEvacuationFact.Outcome.SKIPPED
                        || x.outcome() == HostEvacuationFact.Outcome.UNVERIFIED)
            .toList();
    if (!notPatched.isEmpty()) {
      h.append("<div class=\"card warn\" id=\"hosts-skipped\"><p class=\"q\">Hosts not")
          .append(" patched, with the VMs that blocked them</p><table><tr><th>host</th>")
          .append("<th>outcome</th><th>blocked by</th><th>reason</th></tr>\n");
      int shown = 0;
      for (HostEvacuation x : notPatched) {
        if (shown++ == ReportHtml.MAX_ROWS) {
          break;
        }
        h.append("<tr><td><b>").append(ReportHtml.esc(x.host().value())).append("</b></td><td>");
        hostPill(h, x.outcome());
        h.append("</td><td>");
        blockers(h, x);
        h.append("</td><td>");
        if (x.reason().isPresent()) {
          h.append(ReportHtml.esc(ReportHtml.abbrev(x.reason().get(), 300)));
        } else {
          h.append("<span class=\"more\">")
              .append(
                  r.scope().isPresent()
                      ? "withheld: it names a VM of another tenant"
                      : "none given")
              .append("</span>");
        }
        h.append("</td></tr>\n");
      }
      h.append("</table>");
      ReportHtml.more(h, notPatched.size());
      h.append("</div>\n");
    }
    List<HostEvacuation> ordered = new ArrayList<>(notPatched);
    hosts.stream().filter(x -> !notPatched.contains(x)).forEach(ordered::add);
    h.append("<div id=\"host-list\">");
    int shown = 0;
    for (HostEvacuation x : ordered) {
      if (shown++ == ReportHtml.MAX_ROWS) {
        break;
      }
      hostEntry(h, x, r.scope().isPresent());
    }
    h.append("</div>\n");
    if (ordered.size() > ReportHtml.MAX_ROWS) {
      h.append("<p class=\"more\">Showing ")
          .append(ReportHtml.MAX_ROWS)
          .append(" of ")
          .append(ordered.size())
          .append(" hosts; the full list is in the JSON report.</p>\n");
    }
  }

  private static void blockers(StringBuilder h, HostEvacuation x) {
    List<String> parts = new ArrayList<>();
    x.blockingVms().forEach(v -> parts.add("<b>" + ReportHtml.esc(v.value()) + "</b>"));
    if (x.otherBlockingVms() > 0) {
      parts.add(
          x.otherBlockingVms()
              + (x.otherBlockingVms() == 1 ? " VM of another tenant" : " VMs of other tenants"));
    }
    h.append(parts.isEmpty() ? "–" : String.join(", ", parts));
  }

  private static void hostEntry(StringBuilder h, HostEvacuation x, boolean scoped) {
    h.append("<details class=\"host\" id=\"host-")
        .append(ReportHtml.esc(x.host().value()))
        .append("\"><summary><b>")
        .append(ReportHtml.esc(x.host().value()))
        .append("</b> ");
    hostPill(h, x.outcome());
    x.enteredMaintenance()
        .ifPresent(
            at ->
                h.append(" · maintenance ")
                    .append(time(at))
                    .append(" → ")
                    .append(x.exitedMaintenance().map(ReportHosts::time).orElse("still in")));
    x.patched().ifPresent(at -> h.append(" · patched ").append(time(at)));
    int n = x.totalMigrations();
    h.append(" · ").append(n).append(n == 1 ? " VM moved" : " VMs moved").append("</summary>");
    if (!x.blockingVms().isEmpty() || x.otherBlockingVms() > 0) {
      h.append("<p>Blocked by ");
      blockers(h, x);
      h.append(".</p>");
    }
    if (!x.migrations().isEmpty()) {
      h.append("<table><tr><th>migrated at</th><th>VM</th><th>from</th><th>to</th></tr>");
      int shown = 0;
      for (HostEvacuationFact.Migration m : x.migrations()) {
        if (shown++ == ReportHtml.MAX_ROWS) {
          break;
        }
        h.append("<tr><td>")
            .append(time(m.at()))
            .append("</td><td>")
            .append(ReportHtml.esc(m.vm().value()))
            .append("</td><td>")
            .append(ReportHtml.esc(x.host().value()))
            .append("</td><td>")
            .append(ReportHtml.esc(m.to().value()))
            .append("</td></tr>");
      }
      h.append("</table>");
      if (x.migrations().size() > ReportHtml.MAX_ROWS) {
        h.append("<p class=\"more\">and ")
            .append(x.migrations().size() - ReportHtml.MAX_ROWS)
            .append(" more; the full list is in the JSON report.</p>");
      }
    } else if (x.otherMigrations() == 0) {
      h.append("<p class=\"more\">No VM was migrated off it.</p>");
    }
    if (x.otherMigrations() > 0) {
      h.append("<p class=\"more\">")
          .append(x.migrations().isEmpty() ? "" : "and ")
          .append(x.otherMigrations())
          .append(x.otherMigrations() == 1 ? " VM" : " VMs")
          .append(scoped ? " of other tenants" : "")
          .append(" migrated off it, not named in this report.</p>");
    }
    h.append("</details>\n");
  }

  private static void hostPill(StringBuilder h, HostEvacuationFact.Outcome o) {
    h.append("<span class=\"pill\" style=\"background:")
        .append(color(o))
        .append("\">")
        .append(words(o))
        .append("</span>");
  }

  /** An instant to the second, e.g. {@code 2026-03-05 10:20:13Z}. */
  private static String time(Instant i) {
    return i.truncatedTo(ChronoUnit.SECONDS).toString().replace("T", " ");
  }
}
