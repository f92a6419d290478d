package org.cloudpatch.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cloudpatch.cli.demo.Demo;
import org.cloudpatch.cli.demo.DemoResult;
import org.cloudpatch.cli.demo.OutputFolder;
import org.cloudpatch.core.batch.Quarantined;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cloudpatch demo}: the whole process on a simulated cloud. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole patch process on a simulated cloud and writes journal.log, evidence/,"
          + " cloud-truth.jsonl (what really happened in the cloud) and the compliance reports"
          + " (report.json, report.html, compliance.csv, oscal-assessment-results.json,"
          + " oscal-poam.json) into the output directory.",
      "Refuses a non-empty output directory unless --force.",
      "The same seed gives the same journal, byte for byte."
    })
final class DemoCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--vms", defaultValue = "1000", description = "VMs (default: ${DEFAULT-VALUE}).")
  int vms;

  @Option(
      names = "--hosts",
      defaultValue = "40",
      description = "Hosts (default: ${DEFAULT-VALUE}).")
  int hosts;

  @Option(
      names = "--days",
      defaultValue = "30",
      description = "Simulated days (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--faults",
      defaultValue = "0",
      description =
          "Rate of injected adapter faults, 0 to 1: exceptions, lost replies, slow calls (cut off at 30 s), jobs"
              + " that never report, duplicate events, failed migrations, hosts stuck entering"
              + " maintenance, offline agents, early resumes (default: ${DEFAULT-VALUE}).")
  double faults;

  @Option(
      names = "--restarts",
      defaultValue = "0",
      description =
          "Rebuild the engine from its journal this many times, after crashes at seeded moments,"
              + " inside journal batches too (default: ${DEFAULT-VALUE}).")
  int restarts;

  @Option(
      names = "--out",
      defaultValue = "demo-out",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--force",
      description =
          "Write into a non-empty output directory, replacing the demo's own files there"
              + " (other files stay).")
  boolean force;

  @Override
  public Integer call() throws IOException {
    Demo.Options options;
    try {
      options = new Demo.Options(vms, hosts, days, seed, out, faults, restarts);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    String refusal = OutputFolder.refusal(out);
    if (!refusal.isEmpty()) {
      if (!force) {
        spec.commandLine().getErr().println("cloudpatch: " + refusal);
        return Main.USAGE;
      }
      OutputFolder.removeOwnFiles(out);
    }
    DemoResult r = Demo.run(options);
    print(r, spec.commandLine().getOut());
    return r.journal().ok() ? 0 : Main.CHECK_FAILED;
  }

  static void print(DemoResult r, PrintWriter out) {
    out.printf(
        "cloudpatch demo: %d VMs on %d hosts in %d time zones, %d tenants, %d days (seed %d)%n%n",
        r.options().vms(),
        r.options().hosts(),
        r.zones(),
        r.tenants().size(),
        r.options().days(),
        r.options().seed());
    out.printf("%-3s %-32s %8s  %s%n", "#", "step", "entries", "by type");
    for (DemoResult.Step s : r.steps()) {
      StringBuilder types = new StringBuilder();
      for (Map.Entry<String, Integer> e : s.entries().entrySet()) {
        types
            .append(types.length() == 0 ? "" : ", ")
            .append(e.getKey())
            .append(' ')
            .append(e.getValue());
      }
      out.printf("%-3d %-32s %8d  %s%n", s.number(), s.name(), s.total(), types);
    }
    out.printf(
        "%n%-10s %6s %20s %20s %6s %6s%n",
        "tenant", "VMs", "compliant before", "compliant after", "risks", "held");
    for (DemoResult.TenantCompliance t : r.tenants()) {
      out.printf(
          "%-10s %6d %20s %20s %6d %6d%n",
          t.tenant(),
          t.vms(),
          percent(t.compliantBefore(), t.vms()),
          percent(t.compliantAfter(), t.vms()),
          t.riskItems(),
          t.held());
    }
    out.printf(
        "%ntracking records %s; %d changes; %d patch jobs, at most %d at once%n",
        r.records(), r.changes(), r.patchJobs(), r.maxConcurrentJobs());
    out.printf(
        Locale.ROOT,
        "engine time %.1f s in %d ticks (wall clock, this machine; not part of the journal)%n",
        r.engineTime().toMillis() / 1000.0,
        r.ticks());
    // The rollout plans' forecast, shown only when the demo's windows and concurrency could not
    // bring every VM in by its due date.
    r.forecast().forEach(out::println);
    for (String story : r.stories()) {
      out.println("  " + story);
    }
    printHosts(r, out);
    for (Quarantined q : r.quarantined()) {
      out.println("quarantined: " + q.describe());
    }
    out.printf(
        "%njournal %s: %s%nreports: %s, %s, %s, %s, %s, %s%n",
        r.journalFile(),
        r.journal().describe(),
        r.options().out().resolve("report.json"),
        r.options().out().resolve("report.html"),
        r.options().out().resolve("compliance.csv"),
        r.options().out().resolve("oscal-assessment-results.json"),
        r.options().out().resolve("oscal-poam.json"),
        r.options().out().resolve("evidence"));
    out.printf(
        "%n%s%n%s%n",
        r.compliance().answer().patchedAnswer(), r.compliance().answer().validationAnswer());
  }

  /** The hosts' outcomes in one line, then each host skipped with the reason (the blocking VM). */
  private static void printHosts(DemoResult r, PrintWriter out) {
    Map<DemoResult.HostOutcome, Integer> outcomes =
        new java.util.EnumMap<>(DemoResult.HostOutcome.class);
    int moves = 0;
    for (DemoResult.HostEvacuation h : r.hosts()) {
      outcomes.merge(h.outcome(), 1, Integer::sum);
      moves += h.evacuated().size();
    }
    out.printf(
        "hosts %s; %d VMs live-migrated off hosts in maintenance mode"
            + " (report.html: Host remediation; report.json: hosts)%n",
        outcomes, moves);
    for (DemoResult.HostEvacuation h : r.hosts()) {
      if (h.outcome() != DemoResult.HostOutcome.PATCHED) {
        out.printf("  %s %s: %s%n", h.host(), h.outcome(), h.reason().orElse("not remediated"));
      }
    }
  }

  private static String percent(int part, int whole) {
    return String.format("%d (%.1f%%)", part, whole == 0 ? 0.0 : 100.0 * part / whole);
  }
}
