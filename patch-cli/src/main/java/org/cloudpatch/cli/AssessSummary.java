package org.cloudpatch.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cloudpatch.core.batch.Quarantined;

/**
 * What one {@code assess} run read and decided, so that a clean result can be told from a run that
 * did nothing: written as text on standard error and as the {@code summary} object of the JSON
 * output. Mutable, filled in by {@link AssessCommand} as it goes; one per run.
 */
final class AssessSummary {
  /** One inventory as read: its asset name, where it came from, its packages per ecosystem. */
  record InventoryRead(
      String asset,
      String source,
      String format,
      Map<String, Integer> packagesByEcosystem,
      int quarantined) {}

  /** Packages of one asset in one ecosystem that no advisory read speaks about. */
  record NotAssessed(String asset, String ecosystem, int packages) {}

  private int advisoriesRead;
  private final List<Quarantined> advisoriesQuarantined = new ArrayList<>();
  private final List<InventoryRead> inventories = new ArrayList<>();
  private final List<NotAssessed> notAssessed = new ArrayList<>();

  /**
   * Packages whose installed version was written without the epoch it may have (default {@code rpm
   * -qa} output). The inventory model reads a missing epoch as {@code 0} today and records no such
   * package, so this stays 0 until the readers report them; it is a field of its own so that the
   * count has one place in both outputs.
   */
  int packagesWithUnknownEpoch;

  private int affected;
  private int unknown;

  void advisoriesRead(int accepted, List<Quarantined> quarantined) {
    advisoriesRead += accepted;
    advisoriesQuarantined.addAll(quarantined);
  }

  int advisoriesRead() {
    return advisoriesRead;
  }

  int advisoriesQuarantined() {
    return advisoriesQuarantined.size();
  }

  void inventory(InventoryRead read) {
    inventories.add(read);
  }

  void notAssessed(NotAssessed n) {
    notAssessed.add(n);
  }

  void findings(int affected, int unknown) {
    this.affected = affected;
    this.unknown = unknown;
  }

  /** Packages read per ecosystem over every inventory, by ecosystem name. */
  Map<String, Integer> packagesByEcosystem() {
    Map<String, Integer> total = new TreeMap<>();
    for (InventoryRead i : inventories) {
      i.packagesByEcosystem().forEach((e, n) -> total.merge(e, n, Integer::sum));
    }
    return total;
  }

  /** The {@code summary} object of the JSON output. */
  Map<String, Object> toJson() {
    Map<String, Object> advisories = new LinkedHashMap<>();
    advisories.put("read", advisoriesRead);
    advisories.put("quarantined", advisoriesQuarantined.size());
    List<Map<String, String>> reasons = new ArrayList<>();
    for (Quarantined q : advisoriesQuarantined) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("source", q.source());
      m.put("position", q.position());
      m.put("reason", q.reason());
      reasons.add(m);
    }
    advisories.put("quarantine", reasons);

    List<Map<String, Object>> read = new ArrayList<>();
    for (InventoryRead i : inventories) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("asset", i.asset());
      m.put("source", i.source());
      m.put("format", i.format());
      m.put("packages", i.packagesByEcosystem().values().stream().mapToInt(n -> n).sum());
      m.put("packagesByEcosystem", i.packagesByEcosystem());
      m.put("quarantined", i.quarantined());
      read.add(m);
    }
    List<Map<String, Object>> skipped = new ArrayList<>();
    for (NotAssessed n : notAssessed) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("asset", n.asset());
      m.put("ecosystem", n.ecosystem());
      m.put("packages", n.packages());
      skipped.add(m);
    }
    Map<String, Object> findings = new LinkedHashMap<>();
    findings.put("affected", affected);
    findings.put("unknown", unknown);

    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("advisories", advisories);
    doc.put("inventories", read);
    doc.put("packagesByEcosystem", packagesByEcosystem());
    doc.put("packagesWithUnknownEpoch", packagesWithUnknownEpoch);
    doc.put("notAssessed", skipped);
    doc.put("findings", findings);
    return doc;
  }

  /** The same as text, one {@code summary:} line per fact, for standard error. */
  void print(PrintWriter err) {
    err.println(
        "summary: advisories: "
            + advisoriesRead
            + " read, "
            + advisoriesQuarantined.size()
            + " quarantined");
    for (Quarantined q : advisoriesQuarantined) {
      err.println("summary:   quarantined " + q.describe());
    }
    for (InventoryRead i : inventories) {
      err.println(
          "summary: inventory "
              + i.asset()
              + " ("
              + i.format()
              + ", "
              + i.source()
              + "): "
              + byEcosystem(i.packagesByEcosystem())
              + (i.quarantined() == 0 ? "" : ", " + i.quarantined() + " records quarantined"));
    }
    err.println("summary: packages: " + byEcosystem(packagesByEcosystem()));
    err.println("summary: packages with unknown epochs: " + packagesWithUnknownEpoch);
    for (NotAssessed n : notAssessed) {
      err.println(
          "summary: not assessed: "
              + n.asset()
              + " "
              + n.ecosystem()
              + ", "
              + n.packages()
              + " packages: no advisory read speaks about "
              + n.ecosystem());
    }
    err.println("summary: findings: " + affected + " affected, " + unknown + " unknown");
  }

  private static String byEcosystem(Map<String, Integer> counts) {
    if (counts.isEmpty()) {
      return "no packages";
    }
    StringBuilder b = new StringBuilder();
    counts.forEach(
        (e, n) -> b.append(b.length() == 0 ? "" : ", ").append(n).append(" packages ").append(e));
    return b.toString();
  }
}
