package org.cloudpatch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.cloudpatch.adapters.rpm.RpmDatabase;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.AdvisoryReaders;
import org.cloudpatch.core.advisory.SeverityScore;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.asset.PackageUrl;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.batch.Printable;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.core.finding.Finding;
import org.cloudpatch.core.finding.FindingStatus;
import org.cloudpatch.core.severity.Cvss3;
import org.cloudpatch.inventory.format.CycloneDxReader;
import org.cloudpatch.inventory.format.InventoryReaders;
import org.cloudpatch.inventory.format.OsRelease;
import org.cloudpatch.inventory.format.RootFilesystem;
import org.cloudpatch.inventory.match.ApplicabilityIndex;
import org.cloudpatch.inventory.match.OsvApplicability;
import org.cloudpatch.inventory.version.VersionScheme;
import org.cloudpatch.inventory.version.VersionSchemes;
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
          + " json an object with a 'findings' array and a 'summary'.",
      "Each package is matched in its own ecosystem: one whose package URL names a registry"
          + " (pkg:maven, pkg:npm, pkg:pypi, pkg:golang, pkg:cargo, ...) against that registry's"
          + " advisories, the others against the operating system release. That release comes"
          + " from --distro, else --os-release, else the inventory itself: an SBOM's"
          + " operating-system component (else its packages' distro purl qualifiers), or the"
          + " etc/os-release of the root filesystem a package database lies in"
          + " (ROOT/var/lib/dpkg/status, ROOT/lib/apk/db/installed, or ROOT given as the"
          + " inventory; an rpm database in ROOT is listed by the rpm command). When an option and the inventory disagree, the option wins with a"
          + " warning.",
      "Each inventory is one asset, named after the SBOM's subject, the root filesystem or the"
          + " file; by its path where names collide. A summary of what was read and decided goes"
          + " to standard error.",
      "Exit 0 when nothing is affected, 1 when something is, 2 on a usage or input error: a"
          + " missing path, an unknown distribution, every advisory unreadable, or no advisory"
          + " speaking about any inventory's ecosystem. Records that cannot be read, and verdicts"
          + " that stay unknown, are reported on standard error."
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
      arity = "1..*",
      paramLabel = "PATH",
      description =
          "Inventory files (dpkg status, apk installed database, rpm -qa output, CycloneDX JSON"
              + " SBOM, told apart by content), or root filesystem directories holding a dpkg, apk"
              + " or rpm database (listed by the rpm command); each is one asset. This or --local"
              + " is required.")
  @Nullable List<Path> inventories;

  @Option(
      names = "--local",
      arity = "0..1",
      fallbackValue = "/",
      paramLabel = "ROOT",
      description =
          "Assess the machine this runs on (or the root filesystem ROOT, a chroot or an unpacked"
              + " image): its dpkg, apk or rpm database (listed by the rpm command) and its"
              + " os-release. One asset, named after"
              + " its etc/hostname. Instead of --inventory.")
  @Nullable Path local;

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

  /** Distributions and registries cloudpatch orders versions for, listed in usage errors. */
  private static final List<String> KNOWN =
      List.of(
          "AlmaLinux",
          "Alpine",
          "Debian",
          "Red Hat",
          "Rocky Linux",
          "SUSE",
          "Ubuntu",
          "openSUSE",
          "Go",
          "Maven",
          "PyPI",
          "crates.io",
          "npm");

  private static final VersionScheme RPM = VersionSchemes.forEcosystem("Red Hat").orElseThrow();

  /** What to assess: the inventories given, or the local machine's root filesystem. */
  private List<Path> inventories() {
    if (local != null && inventories != null) {
      throw usage("give --inventory or --local, not both");
    }
    if (local != null) {
      if (!Files.isDirectory(local)) {
        throw input("--local " + local + ": no such directory");
      }
      return List.of(local);
    }
    if (inventories == null) {
      throw usage("--inventory or --local is required");
    }
    return inventories;
  }

  /** One inventory as read, before it is named: its packages split by the ecosystem they are in. */
  private record Read(
      Path path,
      String preferredName,
      InventoryReaders.Format format,
      Map<Platform, List<InstalledPackage>> parts,
      int quarantined,
      int epochUnknown) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!format.equals("text") && !format.equals("json")) {
      throw usage("--format must be text or json, not '" + format + "'");
    }
    requireExisting("--advisories", advisories);
    List<Path> inventories = inventories();
    requireExisting(local != null ? "--local" : "--inventory", inventories);
    requireDistinct(inventories);
    InventoryPlatforms.Said given = given(err);
    AssessSummary summary = new AssessSummary();

    List<Advisory> read = readAdvisories(err, summary);
    Set<String> advisoryEcosystems = new TreeSet<>();
    read.forEach(a -> a.affected().forEach(p -> advisoryEcosystems.add(p.ecosystem())));
    if (given != null) {
      requireKnown(given.platform(), advisoryEcosystems);
    }

    List<Read> fleet = new ArrayList<>();
    for (Path path : inventories) {
      fleet.add(readInventory(err, path, given));
    }
    List<String> names = assetNames(fleet);

    // Each part of an inventory (its OS packages, its packages of each registry) is put under an
    // asset id of its own, so that every package is matched in its own ecosystem; findings are
    // reported under the inventory's name.
    ApplicabilityIndex index = ApplicabilityIndex.create();
    Map<AssetId, String> assetOf = new HashMap<>();
    boolean anyCovered = false;
    for (int i = 0; i < fleet.size(); i++) {
      Read r = fleet.get(i);
      String name = names.get(i);
      Map<String, Integer> counts = new TreeMap<>();
      for (Map.Entry<Platform, List<InstalledPackage>> part : r.parts().entrySet()) {
        Platform platform = part.getKey();
        counts.put(platform.ecosystem(), part.getValue().size());
        AssetId id = AssetId.of("inventory " + (i + 1) + " " + platform.ecosystem());
        assetOf.put(id, name);
        index.put(
            Inventory.builder()
                .asset(id)
                .platform(platform)
                .observedAt(Instant.EPOCH)
                .source(r.path().toString())
                .addAllPackages(part.getValue())
                .build());
        if (advisoryEcosystems.stream().anyMatch(e -> OsvApplicability.covers(e, platform))) {
          anyCovered = true;
        } else {
          summary.notAssessed(
              new AssessSummary.NotAssessed(name, platform.ecosystem(), part.getValue().size()));
        }
      }
      summary.inventory(
          new AssessSummary.InventoryRead(
              name, r.path().toString(), formatName(r.format()), counts, r.quarantined()));
      summary.packagesWithUnknownEpoch += r.epochUnknown();
    }

    List<Map<String, Object>> findings = new ArrayList<>();
    int unknown = 0;
    for (Advisory advisory : read) {
      index.put(advisory);
      for (Finding f : index.findings(advisory.id())) {
        String asset = assetOf.getOrDefault(f.asset(), f.asset().value());
        if (f.status() == FindingStatus.AFFECTED) {
          findings.add(row(asset, f, advisory));
        } else if (f.status() == FindingStatus.UNKNOWN) {
          unknown++;
          err.println(
              "unknown: "
                  + asset
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
    findings.sort(
        Comparator.comparing((Map<String, Object> m) -> (String) m.get("asset"))
            .thenComparing(m -> (String) m.get("package"))
            .thenComparing(m -> (String) m.get("advisory")));
    summary.findings(findings.size(), unknown);
    summary.print(err);

    // A run that could assess nothing is not a clean result.
    if (read.isEmpty() && summary.advisoriesQuarantined() > 0) {
      throw input(
          "no advisory could be read: all "
              + summary.advisoriesQuarantined()
              + " were quarantined (see above)");
    }
    if (!anyCovered) {
      throw input(
          "no advisory read applies to any inventory: the inventories are in "
              + String.join(", ", summary.packagesByEcosystem().keySet())
              + ", the advisories name "
              + (advisoryEcosystems.isEmpty() ? "nothing" : String.join(", ", advisoryEcosystems)));
    }

    if (format.equals("json")) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("findings", findings);
      doc.put("summary", summary.toJson());
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

  /** Every advisory accepted from every path, reporting what was quarantined. */
  private List<Advisory> readAdvisories(PrintWriter err, AssessSummary summary) {
    AdvisoryReaders readers = AdvisoryReaders.create();
    List<Advisory> read = new ArrayList<>();
    for (Path path : advisories) {
      ReadBatch<Advisory> batch;
      try {
        batch = readers.read(path);
      } catch (PatchException e) {
        throw input(String.valueOf(e.getMessage()));
      }
      report(err, batch.quarantined());
      summary.advisoriesRead(batch.accepted().size(), batch.quarantined());
      read.addAll(batch.accepted());
    }
    return read;
  }

  /**
   * Reads one inventory and splits its packages by ecosystem: a package whose URL names a registry
   * (Maven, npm, PyPI, ...) is matched against that registry's advisories, whatever {@code
   * --distro} says; the others against the operating system release, which the options give or the
   * inventory says.
   */
  private Read readInventory(PrintWriter err, Path path, InventoryPlatforms.@Nullable Said given) {
    try {
      if (InventoryPlatforms.rpmRoot(path)) {
        return readRpmRoot(err, path, given);
      }
      Path database = InventoryPlatforms.database(path);
      InventoryReaders.Format detected = InventoryReaders.detect(database);
      ReadBatch<InstalledPackage> batch = InventoryReaders.read(database);
      report(err, batch.quarantined());
      // Once per inventory, e.g. how many rpm packages had no epoch and how to list them with one.
      batch.warnings().forEach(w -> err.println("warning: " + path + ": " + w));
      int epochUnknown = 0;
      if (detected == InventoryReaders.Format.RPM_QA) {
        for (InstalledPackage p : batch.accepted()) {
          epochUnknown += RPM.epochUnknown(p.version()) ? 1 : 0;
        }
      }
      Map<Platform, List<InstalledPackage>> parts = new LinkedHashMap<>();
      List<InstalledPackage> os = new ArrayList<>();
      for (InstalledPackage p : batch.accepted()) {
        Optional<String> registry = p.purl().flatMap(PackageUrl::registryEcosystem);
        if (registry.isPresent()) {
          parts.computeIfAbsent(new Platform(registry.get(), ""), k -> new ArrayList<>()).add(p);
        } else {
          os.add(p);
        }
      }
      if (!os.isEmpty() || parts.isEmpty()) {
        Platform platform =
            platform(err, path, given, InventoryPlatforms.recorded(database, detected));
        Map<Platform, List<InstalledPackage>> all = new LinkedHashMap<>();
        all.put(platform, os);
        parts.forEach((k, v) -> all.merge(k, v, AssessCommand::concat));
        parts = all;
      }
      String preferred =
          detected == InventoryReaders.Format.CYCLONEDX_JSON
              ? CycloneDxReader.subject(database).orElse(fileName(path))
              : local != null ? localName(path) : rootName(path, database);
      return new Read(path, preferred, detected, parts, batch.quarantined().size(), epochUnknown);
    } catch (IllegalArgumentException | PatchException e) {
      throw usage(String.valueOf(e.getMessage()));
    }
  }

  /** A root filesystem whose packages only rpm can list: its database is not parsed here. */
  private Read readRpmRoot(PrintWriter err, Path root, InventoryPlatforms.@Nullable Said given) {
    ReadBatch<InstalledPackage> batch = RpmDatabase.create().read(root);
    report(err, batch.quarantined());
    batch.warnings().forEach(w -> err.println("warning: " + root + ": " + w));
    Platform platform = platform(err, root, given, InventoryPlatforms.osRelease(root));
    Map<Platform, List<InstalledPackage>> parts = new LinkedHashMap<>();
    parts.put(platform, batch.accepted());
    String preferred = local != null ? localName(root) : fileName(root);
    return new Read(
        root, preferred, InventoryReaders.Format.RPM_QA, parts, batch.quarantined().size(), 0);
  }

  private static List<InstalledPackage> concat(List<InstalledPackage> a, List<InstalledPackage> b) {
    List<InstalledPackage> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /**
   * The name of an asset read from a package database: the root filesystem it lies in (or that was
   * given), else the file's name.
   */
  private static String rootName(Path path, Path database) {
    if (!database.equals(path)) {
      return fileName(path); // a root filesystem given as the inventory
    }
    Path root = InventoryPlatforms.root(database);
    if (root != null && root.getFileName() != null) {
      return root.getFileName().toString();
    }
    return fileName(path);
  }

  /**
   * The name of the machine assessed with {@code --local}: the first line of its {@code
   * etc/hostname}, else its folder's name, else {@code localhost}.
   */
  private static String localName(Path root) {
    Optional<Path> hostname = RootFilesystem.of(root).regularFile("etc/hostname");
    if (hostname.isPresent()) {
      try (BufferedReader in = Files.newBufferedReader(hostname.get(), StandardCharsets.UTF_8)) {
        String line = in.readLine();
        if (line != null && !line.isBlank() && line.length() <= 253) {
          return Printable.escape(line.strip());
        }
      } catch (IOException | UncheckedIOException e) {
        // an unreadable hostname only costs the asset its name
      }
    }
    Path name = root.toAbsolutePath().normalize().getFileName();
    return name == null ? "localhost" : name.toString();
  }

  private static String fileName(Path path) {
    Path name = path.toAbsolutePath().normalize().getFileName();
    return name == null ? path.toString() : name.toString();
  }

  /**
   * One name per inventory, none twice: the preferred name (an SBOM's subject, a root filesystem's
   * folder, the file's name) where it is unique, else the path as given, else the absolute path.
   */
  private static List<String> assetNames(List<Read> fleet) {
    Map<String, Integer> preferred = new HashMap<>();
    fleet.forEach(r -> preferred.merge(r.preferredName(), 1, Integer::sum));
    List<String> names = new ArrayList<>();
    for (Read r : fleet) {
      names.add(
          preferred.getOrDefault(r.preferredName(), 0) == 1
              ? r.preferredName()
              : r.path().toString());
    }
    Map<String, Integer> taken = new HashMap<>();
    names.forEach(n -> taken.merge(n, 1, Integer::sum));
    for (int i = 0; i < names.size(); i++) {
      if (taken.getOrDefault(names.get(i), 0) > 1) {
        names.set(i, fleet.get(i).path().toAbsolutePath().normalize().toString());
      }
    }
    return names;
  }

  private static String formatName(InventoryReaders.Format format) {
    return switch (format) {
      case DPKG_STATUS -> "dpkg status";
      case APK_INSTALLED -> "apk installed database";
      case RPM_QA -> "rpm -qa output";
      case CYCLONEDX_JSON -> "CycloneDX SBOM";
    };
  }

  private void requireExisting(String option, List<Path> paths) {
    for (Path p : paths) {
      if (!Files.exists(p)) {
        throw input(option + " " + p + ": no such file or directory");
      }
    }
  }

  /** The same file given twice would be assessed twice under two names: a mistake, said loudly. */
  private void requireDistinct(List<Path> paths) {
    Map<Path, Path> seen = new HashMap<>();
    for (Path p : paths) {
      Path real;
      try {
        real = p.toRealPath();
      } catch (IOException e) {
        throw input("--inventory " + p + ": " + e.getMessage());
      }
      Path before = seen.putIfAbsent(real, p);
      if (before != null) {
        throw input(
            "--inventory "
                + p
                + " is the same file as "
                + before
                + " ("
                + real
                + "): each inventory is one asset, give it once");
      }
    }
  }

  /**
   * A distribution or registry that no advisory read and no ordering cloudpatch knows names is a
   * typing mistake ({@code Debain:9}), not a machine that nothing affects.
   */
  private void requireKnown(Platform platform, Set<String> advisoryEcosystems) {
    String distribution = platform.distribution();
    boolean known =
        VersionSchemes.forEcosystem(distribution).isPresent()
            || advisoryEcosystems.stream()
                .anyMatch(e -> e.split(":", 2)[0].equalsIgnoreCase(distribution));
    if (!known) {
      throw input(
          "--distro "
              + platform
              + ": no advisory read and no known distribution names '"
              + distribution
              + "'; known: "
              + String.join(", ", KNOWN)
              + (advisoryEcosystems.isEmpty()
                  ? ""
                  : "; the advisories read name: " + String.join(", ", advisoryEcosystems)));
    }
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

  private static Map<String, Object> row(String asset, Finding f, Advisory advisory) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("asset", asset);
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

  /** An input error: exit 2 like a usage error, the reason on standard error. */
  private CommandLine.ParameterException input(String message) {
    return usage(message);
  }
}
