package org.cloudpatch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.AdvisoryReaders;
import org.cloudpatch.core.advisory.SeverityScore;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.core.finding.Finding;
import org.cloudpatch.core.finding.FindingStatus;
import org.cloudpatch.core.severity.Cvss3;
import org.cloudpatch.inventory.format.InventoryReaders;
import org.cloudpatch.inventory.format.OsRelease;
import org.cloudpatch.inventory.match.ApplicabilityIndex;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cloudpatch assess}: matches advisories (OSV, CSAF 2.0, Debian tracker lists) against
 * inventories and prints what is affected.
 */
@Command(
    name = "assess",
    mixinStandardHelpOptions = true,
    description = {
      "Matches advisories (OSV or CSAF 2.0 JSON, Debian security tracker DSA/DLA lists; files,"
          + " directories, zip archives; the format is told from the content) against inventories"
          + " (dpkg status, rpm -qa output, an apk installed database or a CycloneDX JSON SBOM,"
          + " told apart by content) and prints one line per affected package, or with --format"
          + " json an object with a 'findings' array.",
      "Each inventory's distribution and release come from --distro, else --os-release, else"
          + " the inventory itself: an SBOM's operating-system component (else its packages' distro"
          + " purl qualifiers), or the etc/os-release"
          + " of the root filesystem a package database lies in (ROOT/var/lib/dpkg/status,"
          + " ROOT/lib/apk/db/installed, or ROOT given as the inventory). When an option and the"
          + " inventory disagree, the option wins with a warning.",
      "Exit 0 when nothing is affected, 1 when something is, 2 on a usage error. Records that"
          + " cannot be read, and verdicts that stay unknown, are reported on standard error."
    })
final class AssessCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--advisories",
      required = true,
      arity = "1..*",
      paramLabel = "PATH",
      description = "OSV or CSAF JSON, or Debian tracker lists: files, directories or zips.")
  List<Path> advisories;

  @Option(
      names = "--inventory",
      required = true,
      arity = "1..*",
      paramLabel = "PATH",
      description =
          "Inventory files (dpkg status, apk installed database, rpm -qa output, CycloneDX JSON"
              + " SBOM, told apart by content), or root filesystem directories holding a dpkg or"
              + " apk database; each is one asset, named after the file.")
  List<Path> inventories;

  @Option(
      names = "--distro",
      paramLabel = "ID:RELEASE",
      description =
          "The distribution and release of the inventories, as OSV names it (Debian:12,"
              + " Alpine:v3.20, Rocky Linux:9). Needed only when an inventory does not say;"
              + " wins over what it says.")
  @Nullable String distro;

  @Option(
      names = "--os-release",
      paramLabel = "FILE",
      description =
          "An os-release file telling the inventories' distribution and release, for inventories"
              + " that do not lie beside their own (etc/os-release in their root filesystem).")
  @Nullable Path osRelease;

  @Option(names = "--format", paramLabel = "FORMAT", description = "text (default) or json.")
  String format = "text";

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!format.equals("text") && !format.equals("json")) {
      throw usage("--format must be text or json, not '" + format + "'");
    }
    InventoryPlatforms.Said given = given(err);

    List<Inventory> fleet = new ArrayList<>();
    for (Path path : inventories) {
      ReadBatch<InstalledPackage> batch;
      Platform platform;
      try {
        Path database = InventoryPlatforms.database(path);
        InventoryReaders.Format format = InventoryReaders.detect(database);
        platform = platform(err, path, given, InventoryPlatforms.recorded(database, format));
        batch = InventoryReaders.read(database);
      } catch (IllegalArgumentException | PatchException e) {
        throw usage(String.valueOf(e.getMessage()));
      }
      report(err, batch.quarantined());
      // Once per inventory, e.g. how many rpm packages had no epoch and how to list them with one.
      batch.warnings().forEach(w -> err.println("warning: " + path + ": " + w));
      fleet.add(
          Inventory.builder()
              .asset(AssetId.of(path.getFileName().toString()))
              .platform(platform)
              .observedAt(Instant.EPOCH)
              .source(path.toString())
              .addAllPackages(batch.accepted())
              .build());
    }

    // The index decides each distinct package version once per advisory naming it, however many
    // of the inventories hold it.
    ApplicabilityIndex index = ApplicabilityIndex.create();
    fleet.forEach(index::put);
    AdvisoryReaders readers = AdvisoryReaders.create();
    List<Map<String, Object>> findings = new ArrayList<>();
    int unknown = 0;
    for (Path path : advisories) {
      ReadBatch<Advisory> batch = readers.read(path);
      report(err, batch.quarantined());
      for (Advisory advisory : batch.accepted()) {
        index.put(advisory);
        for (Finding f : index.findings(advisory.id())) {
          if (f.status() == FindingStatus.AFFECTED) {
            findings.add(row(f, advisory));
          } else if (f.status() == FindingStatus.UNKNOWN) {
            unknown++;
            err.println(
                "unknown: "
                    + f.asset().value()
                    + " "
                    + f.packageName()
                    + " "
                    + f.installedVersion()
                    + " "
                    + advisory.id().value()
                    + ": "
                    + f.evidence());
          }
        }
      }
    }
    findings.sort(
        Comparator.comparing((Map<String, Object> m) -> (String) m.get("asset"))
            .thenComparing(m -> (String) m.get("package"))
            .thenComparing(m -> (String) m.get("advisory")));

    if (format.equals("json")) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("findings", findings);
      try {
        out.println(
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write the findings as JSON", e);
      }
    } else {
      for (Map<String, Object> m : findings) {
        out.println(
            String.join(
                " ",
                (String) m.get("asset"),
                (String) m.get("package"),
                (String) m.get("installed"),
                "fixed:" + (m.get("fixed") == null ? "none" : m.get("fixed")),
                (String) m.get("advisory"),
                m.get("severity") == null ? "-" : (String) m.get("severity")));
      }
    }
    if (unknown > 0) {
      err.println(unknown + " verdicts are unknown (see above); they are not counted as affected");
    }
    return findings.isEmpty() ? 0 : Main.CHECK_FAILED;
  }

  /**
   * The platform the options give, or null: {@code --distro}, else {@code --os-release}; a warning
   * when both are given and disagree.
   */
  private InventoryPlatforms.@Nullable Said given(PrintWriter err) {
    InventoryPlatforms.Said fromDistro = null;
    if (distro != null) {
      try {
        fromDistro = new InventoryPlatforms.Said(Platform.parse(distro.strip()), "--distro");
      } catch (IllegalArgumentException e) {
        throw usage("--distro: " + e.getMessage());
      }
    }
    InventoryPlatforms.Said fromFile = null;
    if (osRelease != null) {
      try {
        fromFile =
            new InventoryPlatforms.Said(OsRelease.read(osRelease), "--os-release " + osRelease);
      } catch (PatchException e) {
        throw usage("--os-release: " + e.getMessage());
      }
    }
    if (fromDistro == null) {
      return fromFile;
    }
    if (fromFile != null) {
      warnIfDiffers(err, fromDistro, fromFile, "every inventory");
    }
    return fromDistro;
  }

  /** The platform of one inventory: what the options give, else what it says, else an error. */
  private Platform platform(
      PrintWriter err,
      Path inventory,
      InventoryPlatforms.@Nullable Said given,
      Optional<InventoryPlatforms.Said> recorded) {
    if (given != null) {
      recorded.ifPresent(r -> warnIfDiffers(err, given, r, "inventory " + inventory));
      return given.platform();
    }
    return recorded
        .map(InventoryPlatforms.Said::platform)
        .orElseThrow(
            () ->
                usage(
                    "inventory "
                        + inventory
                        + " does not say its distribution and release (no operating-system"
                        + " component in an SBOM, no etc/os-release in the root filesystem of a"
                        + " package database): give --distro ID:RELEASE (e.g. Debian:12) or"
                        + " --os-release FILE"));
  }

  private static void warnIfDiffers(
      PrintWriter err, InventoryPlatforms.Said wins, InventoryPlatforms.Said loses, String what) {
    if (!wins.platform().equals(loses.platform())) {
      err.println(
          "warning: "
              + wins.source()
              + " says "
              + wins.platform()
              + " but "
              + loses.source()
              + " says "
              + loses.platform()
              + "; using "
              + wins.platform()
              + " for "
              + what);
    }
  }

  private static Map<String, Object> row(Finding f, Advisory advisory) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("asset", f.asset().value());
    m.put("package", f.packageName());
    m.put("installed", f.installedVersion());
    m.put("fixed", f.fixedVersion().orElse(null));
    m.put("advisory", advisory.id().value());
    m.put("aliases", advisory.aliases());
    m.put("severity", severity(advisory));
    return m;
  }

  /** The first CVSS 3 score as {@code 9.8 CRITICAL}, else the first vector as given, else null. */
  private static @Nullable String severity(Advisory advisory) {
    for (SeverityScore s : advisory.severities()) {
      if (s.type().toUpperCase(Locale.ROOT).startsWith("CVSS_V3")) {
        try {
          double score = Cvss3.baseScore(s.vector());
          return score + " " + Cvss3.rating(score);
        } catch (IllegalArgumentException e) {
          return s.vector();
        }
      }
    }
    return advisory.severities().isEmpty() ? null : advisory.severities().get(0).vector();
  }

  private static void report(PrintWriter err, List<Quarantined> quarantined) {
    for (Quarantined q : quarantined) {
      err.println("skipped " + q.describe());
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
