package org.cloudpatch.inventory.match;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.advisory.AffectedPackage;
import org.cloudpatch.core.advisory.NotAffected;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.finding.Finding;
import org.cloudpatch.core.spi.Applicability;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches OSV advisories against inventories by the OSV evaluation rules
 * (https://ossf.github.io/osv-schema/#evaluation), in each ecosystem's own version order.
 *
 * <p>Guarantees, beyond the {@link Applicability} contract:
 *
 * <ul>
 *   <li>An affected entry applies to an inventory when its ecosystem covers the platform: {@code
 *       Debian:12} covers {@code Debian:12}; {@code Debian} covers every Debian release; Ubuntu's
 *       {@code :LTS} and {@code Pro:} qualifiers are ignored.
 *   <li>Advisories name source packages (Debian does); an installed package matches by its source
 *       name, or by its own name when it records no source, and its source version is compared. All
 *       binaries built from one source version become one finding, their names sorted in {@link
 *       Finding#binaryPackages()}. Binaries of one source at different versions (a partial upgrade)
 *       give one finding per version, since each needs its own verdict.
 *   <li>AFFECTED when the version is listed or in any range, with the smallest fix above it; FIXED
 *       when a fix at or below it ended the range; NOT_AFFECTED when it is outside every range;
 *       UNKNOWN when a range cannot be evaluated (GIT, an ecosystem without a scheme, a version the
 *       scheme rejects) and nothing proves it affected.
 *   <li>{@link Finding#evidence()} names the range and the events that decided, e.g. {@code range 0
 *       (ECOSYSTEM): introduced 0, installed 2.36-9 < fixed 2.36-9+deb12u4}.
 *   <li>The vendor's explicit "not affected" ({@link Advisory#notAffected()}) counts as a package
 *       of the advisory, matched by the same ecosystem and source rules: a statement about every
 *       version, or one listing the installed version, gives NOT_AFFECTED with the vendor's
 *       justification as evidence, e.g. {@code vendor states not affected:
 *       vulnerable_code_not_present (installed 1.1.1w-0+deb12u1 is listed)}. It outweighs an
 *       affected range only by listing the very version; where it truly conflicts with the affected
 *       entries (the same version listed as affected, or a statement about every version) AFFECTED
 *       wins. A version that only statements name, and none covers, is UNKNOWN.
 *   <li>An installed RPM version without an epoch (default {@code rpm -qa} output) has an unknown
 *       epoch, not 0: it is compared with the advisory's versions by version-release alone, the
 *       installed package taken to have the advisory's epoch, and where the advisory writes an
 *       epoch other than 0 the evidence says so ({@code installed epoch unknown …}); see {@link
 *       org.cloudpatch.inventory.version.VersionScheme#compareInstalled} for why. Such a version
 *       never matches a not-affected statement's listed version by that rule.
 *   <li>The fleet form decides each distinct (platform, package, version) once, so a fleet cloned
 *       from a few images costs little more than those images.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class OsvApplicability implements Applicability {
  private static final Logger LOG = LoggerFactory.getLogger(OsvApplicability.class);

  private OsvApplicability() {}

  /** An applicability that knows the version schemes of {@code VersionSchemes}. */
  public static OsvApplicability create() {
    return new OsvApplicability();
  }

  /**
   * Whether an advisory's ecosystem speaks about a platform: the same distribution (or registry),
   * and no release in the advisory or the same one ({@code Debian} and {@code Debian:12} cover
   * {@code Debian:12}; {@code Maven} covers {@code Maven}). The rule every finding is decided
   * under, so that a caller can tell an inventory no advisory speaks about from one that is not
   * affected.
   *
   * @param advisoryEcosystem an {@link org.cloudpatch.core.advisory.AffectedPackage#ecosystem()};
   *     never null
   * @param platform the platform of an inventory; never null
   */
  public static boolean covers(String advisoryEcosystem, Platform platform) {
    Objects.requireNonNull(advisoryEcosystem, "advisoryEcosystem");
    Objects.requireNonNull(platform, "platform");
    return Ecosystems.covers(advisoryEcosystem, platform);
  }

  @Override
  public List<Finding> assess(Advisory advisory, Inventory inventory) {
    Objects.requireNonNull(advisory, "advisory");
    Objects.requireNonNull(inventory, "inventory");
    if (advisory.withdrawn().isPresent()) {
      return List.of();
    }
    return new Session(advisory).assess(inventory);
  }

  @Override
  public List<Finding> assess(Advisory advisory, Collection<Inventory> fleet) {
    Objects.requireNonNull(advisory, "advisory");
    Objects.requireNonNull(fleet, "fleet");
    if (advisory.withdrawn().isPresent()) {
      return List.of();
    }
    Session session = new Session(advisory);
    List<Finding> out = new ArrayList<>();
    for (Inventory inventory : fleet) {
      out.addAll(session.assess(Objects.requireNonNull(inventory, "inventory")));
    }
    LOG.debug(
        "{}: {} inventories, {} distinct verdicts, {} findings",
        advisory.id(),
        fleet.size(),
        session.verdicts.size(),
        out.size());
    return out;
  }

  /** One advisory prepared for many inventories, with the verdicts decided so far. */
  static final class Session {
    private final Advisory advisory;
    private final List<AffectedRule> rules = new ArrayList<>();
    private final List<NotAffectedRule> statements = new ArrayList<>();

    /** Per platform: the advisory's entries and statements that cover it, by package name. */
    private final Map<Platform, Map<String, Entries>> byPlatform = new HashMap<>();

    private final Map<VerdictKey, Verdict> verdicts = new HashMap<>();

    Session(Advisory advisory) {
      this.advisory = advisory;
      for (AffectedPackage affected : advisory.affected()) {
        rules.add(AffectedRule.compile(affected));
      }
      for (NotAffected statement : advisory.notAffected()) {
        statements.add(NotAffectedRule.compile(statement));
      }
    }

    /** How many distinct verdicts were decided; the cost of the session, for tests. */
    int verdictCount() {
      return verdicts.size();
    }

    // NullAway cannot see that only package names with entries in byName are grouped.
    @SuppressWarnings("NullAway")
    List<Finding> assess(Inventory inventory) {
      Platform platform = inventory.platform();
      Map<String, Entries> byName = byPlatform.computeIfAbsent(platform, this::entriesCovering);
      if (byName.isEmpty()) {
        return List.of();
      }
      // Group the binaries by (source, source version), in the order the inventory lists them.
      Map<SourceKey, TreeSet<String>> groups = new LinkedHashMap<>();
      for (InstalledPackage pkg : inventory.packages()) {
        String source = pkg.effectiveSourceName();
        if (byName.containsKey(source)) {
          groups
              .computeIfAbsent(
                  new SourceKey(source, pkg.effectiveSourceVersion()), k -> new TreeSet<>())
              .add(pkg.name());
        }
      }
      List<Finding> findings = new ArrayList<>(groups.size());
      for (Map.Entry<SourceKey, TreeSet<String>> group : groups.entrySet()) {
        SourceKey key = group.getKey();
        Verdict verdict =
            verdicts.computeIfAbsent(
                new VerdictKey(platform, key.name(), key.version()),
                k -> {
                  Entries e = byName.get(k.name());
                  return Verdict.decide(e.rules(), e.statements(), k.version());
                });
        findings.add(
            verdict.finding(
                inventory.asset(), advisory.id(), key.name(), group.getValue(), key.version()));
      }
      return findings;
    }

    /** The advisory assessed here. */
    Advisory advisory() {
      return advisory;
    }

    /** Every package name the advisory's entries and statements name, on any platform. */
    Set<String> names() {
      Set<String> names = new TreeSet<>();
      rules.forEach(r -> names.add(r.affected.name()));
      statements.forEach(s -> names.add(s.statement.name()));
      return names;
    }

    /**
     * The verdict on one installed (source) package version, or null when the advisory says nothing
     * about that package on that platform. Not cached: callers keep what they need.
     */
    @Nullable Verdict decide(Platform platform, String name, String version) {
      // An index decides one platform's tuples in runs; remembering the last platform spares a
      // lookup in this session's own map for each of them.
      Map<String, Entries> byName = lastByName;
      if (byName == null || !platform.equals(lastPlatform)) {
        byName = byPlatform.computeIfAbsent(platform, this::entriesCovering);
        lastPlatform = platform;
        lastByName = byName;
      }
      Entries e = byName.get(name);
      return e == null ? null : Verdict.decide(e.rules(), e.statements(), version);
    }

    private @Nullable Platform lastPlatform;
    private @Nullable Map<String, Entries> lastByName;

    private Map<String, Entries> entriesCovering(Platform platform) {
      Map<String, Entries> byName = new HashMap<>();
      for (AffectedRule rule : rules) {
        if (Ecosystems.covers(rule.affected.ecosystem(), platform)) {
          byName.computeIfAbsent(rule.affected.name(), n -> new Entries()).rules().add(rule);
        }
      }
      for (NotAffectedRule statement : statements) {
        if (Ecosystems.covers(statement.statement.ecosystem(), platform)) {
          byName
              .computeIfAbsent(statement.statement.name(), n -> new Entries())
              .statements()
              .add(statement);
        }
      }
      return byName;
    }
  }

  /** The affected entries and not-affected statements of one package name on one platform. */
  private record Entries(List<AffectedRule> rules, List<NotAffectedRule> statements) {
    Entries() {
      this(new ArrayList<>(), new ArrayList<>());
    }
  }

  private record SourceKey(String name, String version) {}

  private record VerdictKey(Platform platform, String name, String version) {}
}
