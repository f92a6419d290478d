package org.cloudpatch.core.advisory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.asset.PackageUrl;
import org.jspecify.annotations.Nullable;

/**
 * Maps one CSAF 2.0 document (any profile, including {@code csaf_vex}) into one {@link Advisory}.
 *
 * <p>Every product id the document uses is resolved through the product tree (branches, full
 * product names, relationships) to a package: name and version from its purl when it has one, else
 * from its {@code product_name} and {@code product_version} branches; ecosystem from the platform a
 * relationship names (Red Hat CPEs become OSV's {@code Red Hat:...} ecosystems) or from the purl
 * type. Fixed products become ranges fixed at their version, affected products explicit versions
 * (all versions when the product has none), {@code known_not_affected} products {@link NotAffected}
 * statements with their justification.
 *
 * <p>{@code under_investigation} products become affected packages with neither ranges nor versions
 * (their status and version kept in {@link AffectedPackage#databaseSpecific()}): the vendor does
 * not yet know, so where nothing else in the advisory decides the package, applicability answers
 * "unknown" for it rather than staying silent or guessing. A {@code recommended} product with a
 * version is used as a fixed version, exactly as a {@code fixed} product, but only for a package
 * that the same vulnerability lists as affected and gives no fixed version: it is then the only way
 * out the vendor names, and without it an affected finding would have nothing to upgrade to; where
 * a fixed version exists it is the vendor's statement of where the vulnerability ends, and a later
 * recommended version must not make the versions between them affected. Several recommended
 * versions of one package each become a fix, since the reader cannot order versions: a version
 * counts as fixed only at or above all of them.
 *
 * <p>The document is rejected, naming the rule of CSAF 2.0 section 6.1, when it breaks a rule this
 * mapping depends on: 6.1.1 (a product id used but not defined), 6.1.2 (defined twice), 6.1.3
 * (circular relationship), 6.1.4 and 6.1.5 (product group ids), 6.1.6 (contradicting product
 * status) and, for the VEX profile, 6.1.27.9 (a not-affected product without impact statement).
 */
final class CsafReader {
  private CsafReader() {}

  /** Whether a JSON object is a CSAF document rather than an OSV record. */
  static boolean isCsaf(JsonNode root) {
    return root.isObject() && root.path("document").has("csaf_version");
  }

  /** A document that breaks a rule, with the JSON pointer where it does. */
  static final class Invalid extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String pointer;
    final String reason;

    Invalid(String pointer, String message) {
      super(message, null, false, false);
      this.pointer = pointer;
      this.reason = message;
    }
  }

  /** What the product tree says about one product id. */
  private static final class Product {
    final String id;
    final String pointer;
    String name = "";
    Optional<String> purl = Optional.empty();
    Optional<String> cpe = Optional.empty();
    String vendor = "";
    String productName = "";
    String productVersion = "";

    /** The product a relationship relates, or null when this product is not a relationship. */
    @Nullable String component;

    /** The product a relationship relates to; set, with {@link #component}, by a relationship. */
    @Nullable String platform;

    Product(String id, String pointer) {
      this.id = id;
      this.pointer = pointer;
    }
  }

  static Advisory toAdvisory(JsonNode root) {
    JsonNode document = object(root, "", "document");
    String version = text(document, "/document", "csaf_version");
    if (!version.equals("2.0")) {
      throw new Invalid("/document/csaf_version", "unsupported csaf_version '" + version + "'");
    }
    String category = text(document, "/document", "category");
    JsonNode tracking = object(document, "/document", "tracking");
    String id = text(tracking, "/document/tracking", "id");
    Instant published = instant(tracking, "/document/tracking", "initial_release_date");
    Instant modified = instant(tracking, "/document/tracking", "current_release_date");
    if (modified.isBefore(published)) {
      modified = published;
    }
    String publisher = document.path("publisher").path("name").asText("CSAF");

    Map<String, Product> products = new LinkedHashMap<>();
    JsonNode tree = root.path("product_tree");
    readBranches(tree.path("branches"), "/product_tree/branches", new Product("", ""), products);
    JsonNode fullNames = tree.path("full_product_names");
    for (int i = 0; i < fullNames.size(); i++) {
      define(
          fullNames.get(i), "/product_tree/full_product_names/" + i, new Product("", ""), products);
    }
    JsonNode relationships = tree.path("relationships");
    for (int i = 0; i < relationships.size(); i++) {
      JsonNode r = relationships.get(i);
      String at = "/product_tree/relationships/" + i;
      Product p =
          define(
              object(r, at, "full_product_name"),
              at + "/full_product_name",
              new Product("", ""),
              products);
      p.component = text(r, at, "product_reference");
      p.platform = text(r, at, "relates_to_product_reference");
    }
    for (int i = 0; i < relationships.size(); i++) {
      JsonNode r = relationships.get(i);
      String at = "/product_tree/relationships/" + i;
      requireProduct(products, r.path("product_reference").asText(), at + "/product_reference");
      requireProduct(
          products,
          r.path("relates_to_product_reference").asText(),
          at + "/relates_to_product_reference");
    }
    checkCircular(products);
    Map<String, List<String>> groups = new HashMap<>();
    JsonNode groupNodes = tree.path("product_groups");
    for (int i = 0; i < groupNodes.size(); i++) {
      String at = "/product_tree/product_groups/" + i;
      String groupId = text(groupNodes.get(i), at, "group_id");
      List<String> members = new ArrayList<>();
      JsonNode ids = groupNodes.get(i).path("product_ids");
      for (int k = 0; k < ids.size(); k++) {
        members.add(requireProduct(products, ids.get(k).asText(), at + "/product_ids/" + k));
      }
      if (groups.put(groupId, members) != null) {
        throw new Invalid(
            at + "/group_id",
            "rule 6.1.5 (multiple definition of product group id): '"
                + groupId
                + "' is defined more than once");
      }
    }

    Advisory.Builder b =
        Advisory.builder()
            .id(AdvisoryId.of(id))
            .source(publisher)
            .published(published)
            .modified(modified)
            .summary(text(document, "/document", "title"));
    List<String> details = new ArrayList<>();
    notes(document.path("notes"), details);
    references(document.path("references"), b);
    Set<String> aliases = new LinkedHashSet<>();
    Map<String, AffectedPackage> affected = new LinkedHashMap<>();
    Map<String, NotAffected> notAffected = new LinkedHashMap<>();
    Set<String> remediations = new HashSet<>();
    JsonNode vulnerabilities = root.path("vulnerabilities");
    for (int v = 0; v < vulnerabilities.size(); v++) {
      JsonNode vuln = vulnerabilities.get(v);
      String at = "/vulnerabilities/" + v;
      if (vuln.hasNonNull("cve")) {
        aliases.add(vuln.get("cve").asText());
      }
      JsonNode ids = vuln.path("ids");
      for (JsonNode other : ids) {
        if (other.hasNonNull("text")) {
          aliases.add(other.get("text").asText());
        }
      }
      notes(vuln.path("notes"), details);
      references(vuln.path("references"), b);
      Map<String, String> status = productStatus(vuln, at, products);
      Map<String, String> impact = impactStatements(vuln, at, products, groups);
      // Packages (ecosystem and name) this vulnerability affects, and those it names a fix for:
      // a recommended version becomes the fix only of an affected package without one.
      Set<String> affectedPackages = new HashSet<>();
      Set<String> fixedPackages = new HashSet<>();
      List<Pkg> recommended = new ArrayList<>();
      for (Map.Entry<String, String> e : status.entrySet()) {
        String productId = e.getKey();
        Product p =
            Objects.requireNonNull(
                products.get(productId), "productStatus checked that every product id is defined");
        Pkg pkg = packageOf(p, products);
        if (pkg == null) {
          continue;
        }
        switch (e.getValue()) {
          case "fixed", "first_fixed" -> {
            if (pkg.version.isEmpty()) {
              continue; // a fix without a version names no version an inventory can compare
            }
            fixedPackages.add(pkg.key());
            addFixed(pkg, affected);
          }
          case "known_affected", "first_affected", "last_affected" -> {
            affectedPackages.add(pkg.key());
            AffectedPackage.Builder a = pkg.builder();
            if (pkg.version.isEmpty()) {
              a.addRanges(
                  AffectedRange.of(
                      AffectedRange.RangeType.ECOSYSTEM, List.of(RangeEvent.introduced("0"))));
            } else if (e.getValue().equals("first_affected")) {
              a.addRanges(
                  AffectedRange.of(
                      AffectedRange.RangeType.ECOSYSTEM,
                      List.of(RangeEvent.introduced(pkg.version))));
            } else if (e.getValue().equals("last_affected")) {
              a.addRanges(
                  AffectedRange.of(
                      AffectedRange.RangeType.ECOSYSTEM,
                      List.of(
                          RangeEvent.introduced("0"),
                          RangeEvent.of(RangeEvent.Kind.LAST_AFFECTED, pkg.version))));
            } else {
              a.addVersions(pkg.version);
            }
            affected.putIfAbsent(
                pkg.ecosystem
                    + "\u0000"
                    + pkg.name
                    + "\u0000"
                    + e.getValue()
                    + "\u0000"
                    + pkg.version,
                a.build());
          }
          case "known_not_affected" -> {
            String why = impact.get(productId);
            if (why == null) {
              if (category.equals("csaf_vex")) {
                throw new Invalid(
                    at + "/product_status/known_not_affected",
                    "rule 6.1.27.9 (impact statement): product '"
                        + productId
                        + "' is known_not_affected without a flag or an impact threat");
              }
              why = "known_not_affected (no justification given)";
            }
            NotAffected.Builder n =
                NotAffected.builder().ecosystem(pkg.ecosystem).name(pkg.name).justification(why);
            pkg.purl.ifPresent(n::purl);
            if (!pkg.version.isEmpty()) {
              n.addVersions(pkg.version);
            }
            notAffected.putIfAbsent(
                pkg.ecosystem + "\u0000" + pkg.name + "\u0000" + pkg.version, n.build());
          }
          case "under_investigation" -> {
            ObjectNode marker = JsonNodeFactory.instance.objectNode();
            marker.put("csaf_product_status", "under_investigation");
            if (!pkg.version.isEmpty()) {
              marker.put("product_version", pkg.version);
            }
            affected.putIfAbsent(
                pkg.key() + "\u0000under_investigation\u0000" + pkg.version,
                pkg.builder().databaseSpecific(marker).build());
          }
          case "recommended" -> {
            if (!pkg.version.isEmpty()) {
              recommended.add(pkg);
            }
          }
          default -> {
            // productStatus returns only the statuses of STATUS_GROUPS, each handled above.
          }
        }
      }
      for (Pkg pkg : recommended) {
        if (affectedPackages.contains(pkg.key()) && !fixedPackages.contains(pkg.key())) {
          addFixed(pkg, affected);
        }
      }
      JsonNode rems = vuln.path("remediations");
      for (int r = 0; r < rems.size(); r++) {
        JsonNode rem = rems.get(r);
        String rat = at + "/remediations/" + r;
        referencedProducts(rem, rat, products, groups);
        Remediation.Kind kind = remediationKind(text(rem, rat, "category"), rat);
        String d = rem.path("details").asText("");
        if (remediations.add(kind + "\u0000" + d)) {
          b.addRemediations(Remediation.of(kind, d));
        }
      }
      JsonNode scores = vuln.path("scores");
      for (int s = 0; s < scores.size(); s++) {
        JsonNode score = scores.get(s);
        String sat = at + "/scores/" + s;
        JsonNode products0 = score.path("products");
        for (int k = 0; k < products0.size(); k++) {
          requireProduct(products, products0.get(k).asText(), sat + "/products/" + k);
        }
        for (String kind : List.of("cvss_v3", "cvss_v2")) {
          JsonNode vector = score.path(kind).path("vectorString");
          if (vector.isTextual()) {
            b.addSeverities(
                SeverityScore.of(kind.equals("cvss_v3") ? "CVSS_V3" : "CVSS_V2", vector.asText()));
          }
        }
      }
      JsonNode threats = vuln.path("threats");
      for (JsonNode threat : threats) {
        if (threat.hasNonNull("details")) {
          details.add(
              threat.path("category").asText("threat") + ": " + threat.get("details").asText());
        }
      }
    }
    b.addAllAliases(aliases);
    b.addAllAffected(affected.values());
    b.addAllNotAffected(notAffected.values());
    b.details(String.join("\n", details));
    return b.build();
  }

  /**
   * Adds the range of a package fixed at its version: every version below it affected, as the Red
   * Hat CSAF to OSV translation reads a fixed product.
   */
  private static void addFixed(Pkg pkg, Map<String, AffectedPackage> affected) {
    affected.putIfAbsent(
        pkg.key() + "\u0000fixed\u0000" + pkg.version,
        pkg.builder()
            .addRanges(
                AffectedRange.of(
                    AffectedRange.RangeType.ECOSYSTEM,
                    List.of(RangeEvent.introduced("0"), RangeEvent.fixed(pkg.version))))
            .build());
  }

  // ---- product tree ---------------------------------------------------------------------------

  private static void readBranches(
      JsonNode branches, String at, Product context, Map<String, Product> products) {
    if (branches.isMissingNode() || branches.isNull()) {
      return;
    }
    if (!branches.isArray()) {
      throw new Invalid(at, "'branches' must be an array");
    }
    for (int i = 0; i < branches.size(); i++) {
      JsonNode branch = branches.get(i);
      String bat = at + "/" + i;
      String category = text(branch, bat, "category");
      String name = text(branch, bat, "name");
      Product inner = new Product("", "");
      inner.vendor = context.vendor;
      inner.productName = context.productName;
      inner.productVersion = context.productVersion;
      switch (category) {
        case "vendor" -> inner.vendor = name;
        case "product_name", "product_family" -> inner.productName = name;
        case "product_version", "product_version_range" -> inner.productVersion = name;
        default -> {
          // architecture, language, patch_level, service_pack, ...: part of the path only
        }
      }
      if (branch.has("product")) {
        define(branch.get("product"), bat + "/product", inner, products);
      }
      readBranches(branch.path("branches"), bat + "/branches", inner, products);
    }
  }

  private static Product define(
      JsonNode fullName, String at, Product context, Map<String, Product> products) {
    if (!fullName.isObject()) {
      throw new Invalid(at, "a full product name must be an object");
    }
    String id = text(fullName, at, "product_id");
    Product p = new Product(id, at);
    p.name = text(fullName, at, "name");
    p.vendor = context.vendor;
    p.productName = context.productName;
    p.productVersion = context.productVersion;
    JsonNode helper = fullName.path("product_identification_helper");
    if (helper.path("purl").isTextual()) {
      p.purl = Optional.of(helper.get("purl").asText());
    }
    if (helper.path("cpe").isTextual()) {
      p.cpe = Optional.of(helper.get("cpe").asText());
    }
    Product previous = products.put(id, p);
    if (previous != null) {
      throw new Invalid(
          at + "/product_id",
          "rule 6.1.2 (multiple definition of product id): '"
              + id
              + "' is also defined at "
              + previous.pointer);
    }
    return p;
  }

  private static String requireProduct(Map<String, Product> products, String id, String at) {
    if (!products.containsKey(id)) {
      throw new Invalid(
          at, "rule 6.1.1 (missing definition of product id): '" + id + "' is not defined");
    }
    return id;
  }

  private static void checkCircular(Map<String, Product> products) {
    for (Product p : products.values()) {
      Set<String> seen = new HashSet<>();
      List<String> todo = new ArrayList<>(List.of(p.id));
      while (!todo.isEmpty()) {
        Product q = products.get(todo.remove(todo.size() - 1));
        if (q == null || q.component == null) {
          continue;
        }
        for (String ref : List.of(q.component, q.platform)) {
          if (ref.equals(p.id)) {
            throw new Invalid(
                p.pointer + "/product_id",
                "rule 6.1.3 (circular definition of product id): '"
                    + p.id
                    + "' is defined through itself");
          }
          if (seen.add(ref)) {
            todo.add(ref);
          }
        }
      }
    }
  }

  // ---- vulnerabilities ------------------------------------------------------------------------

  private static final List<String> STATUS_GROUPS =
      List.of(
          "first_affected",
          "known_affected",
          "last_affected",
          "known_not_affected",
          "first_fixed",
          "fixed",
          "under_investigation",
          "recommended");

  private static String statusGroup(String status) {
    return switch (status) {
      case "first_affected", "known_affected", "last_affected" -> "affected";
      case "first_fixed", "fixed" -> "fixed";
      case "known_not_affected" -> "not affected";
      case "under_investigation" -> "under investigation";
      default -> "";
    };
  }

  /**
   * Each product's status in one vulnerability; a product in two contradicting groups breaks 6.1.6.
   */
  private static Map<String, String> productStatus(
      JsonNode vuln, String at, Map<String, Product> products) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode status = vuln.path("product_status");
    for (String s : STATUS_GROUPS) {
      JsonNode ids = status.path(s);
      for (int i = 0; i < ids.size(); i++) {
        String p = at + "/product_status/" + s + "/" + i;
        String id = requireProduct(products, ids.get(i).asText(), p);
        String before = out.get(id);
        if (before != null
            && !statusGroup(s).isEmpty()
            && !statusGroup(before).isEmpty()
            && !statusGroup(before).equals(statusGroup(s))) {
          throw new Invalid(
              p,
              "rule 6.1.6 (contradicting product status): '"
                  + id
                  + "' is both "
                  + before
                  + " and "
                  + s);
        }
        if (before == null || before.equals("recommended")) {
          out.put(id, s);
        }
      }
    }
    return out;
  }

  /** The justification of every product a flag or an impact threat covers. */
  private static Map<String, String> impactStatements(
      JsonNode vuln, String at, Map<String, Product> products, Map<String, List<String>> groups) {
    Map<String, String> out = new HashMap<>();
    JsonNode flags = vuln.path("flags");
    for (int i = 0; i < flags.size(); i++) {
      JsonNode flag = flags.get(i);
      String label = flag.path("label").asText("");
      for (String id : referencedProducts(flag, at + "/flags/" + i, products, groups)) {
        out.putIfAbsent(id, label);
      }
    }
    JsonNode threats = vuln.path("threats");
    for (int i = 0; i < threats.size(); i++) {
      JsonNode threat = threats.get(i);
      List<String> ids = referencedProducts(threat, at + "/threats/" + i, products, groups);
      if (threat.path("category").asText("").equals("impact")) {
        for (String id : ids) {
          out.putIfAbsent(id, threat.path("details").asText("impact"));
        }
      }
    }
    return out;
  }

  /** The products an element names directly or through its groups, checked to be defined. */
  private static List<String> referencedProducts(
      JsonNode node, String at, Map<String, Product> products, Map<String, List<String>> groups) {
    List<String> out = new ArrayList<>();
    JsonNode ids = node.path("product_ids");
    for (int i = 0; i < ids.size(); i++) {
      out.add(requireProduct(products, ids.get(i).asText(), at + "/product_ids/" + i));
    }
    JsonNode groupIds = node.path("group_ids");
    for (int i = 0; i < groupIds.size(); i++) {
      List<String> members = groups.get(groupIds.get(i).asText());
      if (members == null) {
        throw new Invalid(
            at + "/group_ids/" + i,
            "rule 6.1.4 (missing definition of product group id): '"
                + groupIds.get(i).asText()
                + "' is not defined");
      }
      out.addAll(members);
    }
    return out;
  }

  private static Remediation.Kind remediationKind(String category, String at) {
    return switch (category) {
      case "vendor_fix" -> Remediation.Kind.VENDOR_FIX;
      case "workaround" -> Remediation.Kind.WORKAROUND;
      case "mitigation" -> Remediation.Kind.MITIGATION;
      case "no_fix_planned" -> Remediation.Kind.NO_FIX_PLANNED;
      case "none_available" -> Remediation.Kind.NONE_AVAILABLE;
      default ->
          throw new Invalid(at + "/category", "unknown remediation category '" + category + "'");
    };
  }

  private static void notes(JsonNode notes, List<String> details) {
    for (JsonNode note : notes) {
      if (note.hasNonNull("text")) {
        String title = note.path("title").asText(note.path("category").asText("note"));
        details.add(title + ": " + note.get("text").asText());
      }
    }
  }

  private static void references(JsonNode refs, Advisory.Builder b) {
    for (JsonNode ref : refs) {
      if (ref.path("url").isTextual()) {
        b.addReferences(ref.get("url").asText());
      }
    }
  }

  // ---- products as packages -------------------------------------------------------------------

  /** A product as a package of an ecosystem. */
  private static final class Pkg {
    final String ecosystem;
    final String name;
    final String version;
    final Optional<String> purl;
    final Optional<String> cpe;

    Pkg(
        String ecosystem,
        String name,
        String version,
        Optional<String> purl,
        Optional<String> cpe) {
      this.ecosystem = ecosystem;
      this.name = name;
      this.version = version;
      this.purl = purl;
      this.cpe = cpe;
    }

    /** The package without its version: ecosystem and name. */
    String key() {
      return ecosystem + "\u0000" + name;
    }

    AffectedPackage.Builder builder() {
      AffectedPackage.Builder b = AffectedPackage.builder().ecosystem(ecosystem).name(name);
      purl.ifPresent(b::purl);
      cpe.ifPresent(b::cpe);
      return b;
    }
  }

  /** The package a product is, or null when it is not an installable package. */
  private static @Nullable Pkg packageOf(Product p, Map<String, Product> products) {
    Product component = p;
    Product platform = null;
    // A relationship may itself relate relationships; the innermost component is the package.
    while (component.component != null) {
      if (platform == null) {
        platform = related(products, component.platform);
        // A platform may itself be a relationship (a module as a component of a product
        // stream); the product at its root carries the CPE.
        int depth = 0;
        while (platform.component != null && depth++ < products.size()) {
          platform = related(products, platform.platform);
        }
      }
      component = related(products, component.component);
    }
    Optional<PackageUrl> purl = component.purl.flatMap(CsafReader::packageUrl);
    if (purl.isPresent() && purl.get().type().equals("rpmmod")) {
      // A module stream is not an installable package: its rpms are listed on their own.
      return null;
    }
    String ecosystem = null;
    Optional<String> cpe = platform != null ? platform.cpe : component.cpe;
    if (cpe.isPresent()) {
      ecosystem = redHatEcosystem(cpe.get());
    }
    if (ecosystem == null && purl.isPresent()) {
      ecosystem = ecosystem(purl.get());
    }
    if (ecosystem == null) {
      Product named = platform != null ? platform : component;
      ecosystem =
          !named.productName.isEmpty()
              ? named.productName
              : !named.vendor.isEmpty() ? named.vendor : named.name;
    }
    if (purl.isPresent()) {
      PackageUrl u = purl.get();
      String v = u.version().orElse("");
      if (!v.isEmpty() && ecosystem.startsWith("Red Hat")) {
        // OSV's Red Hat ecosystems always carry the epoch.
        v = u.qualifiers().getOrDefault("epoch", "0") + ":" + v;
      }
      // Named as the ecosystem's advisories name it: a Maven package is group:artifact.
      return new Pkg(ecosystem, u.osvName(), v, Optional.of(u.withoutVersion().toString()), cpe);
    }
    String name = !component.productName.isEmpty() ? component.productName : component.name;
    return new Pkg(ecosystem, name, component.productVersion, Optional.empty(), cpe);
  }

  /**
   * The product a relationship refers to: toAdvisory set both references of every relationship and
   * checked that they are defined (rule 6.1.1) before any product is mapped to a package.
   */
  private static Product related(Map<String, Product> products, @Nullable String id) {
    return Objects.requireNonNull(
        products.get(Objects.requireNonNull(id, "a relationship sets both of its references")),
        "toAdvisory checked that every relationship reference is defined");
  }

  private static @Nullable String redHatEcosystem(String cpe) {
    for (String prefix : List.of("cpe:/a:redhat:", "cpe:/o:redhat:")) {
      if (cpe.startsWith(prefix)) {
        return "Red Hat:" + cpe.substring(prefix.length());
      }
    }
    return null;
  }

  /** The package URL of a product, or empty when it has none or it is not a valid one. */
  private static Optional<PackageUrl> packageUrl(String purl) {
    try {
      return Optional.of(PackageUrl.parse(purl));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // the product is then named by its product name
    }
  }

  /** The OSV ecosystem of a package URL, or null when its type has none. */
  private static @Nullable String ecosystem(PackageUrl u) {
    String distro = u.qualifiers().getOrDefault("distro", "");
    return switch (u.type()) {
      case "deb" -> {
        String base = u.namespace().orElse("").equalsIgnoreCase("ubuntu") ? "Ubuntu" : "Debian";
        int dash = distro.lastIndexOf('-');
        yield dash > 0 && base.equals("Debian") ? base + ":" + distro.substring(dash + 1) : base;
      }
      case "apk" -> {
        int dash = distro.lastIndexOf('-');
        if (dash < 0) {
          yield "Alpine";
        }
        String[] v = distro.substring(dash + 1).split("\\.");
        yield v.length >= 2 ? "Alpine:v" + v[0] + "." + v[1] : "Alpine";
      }
      default -> u.registryEcosystem().orElse(null);
    };
  }

  // ---- fields -----------------------------------------------------------------------------------

  private static JsonNode object(JsonNode node, String at, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isObject()) {
      throw new Invalid(at + "/" + field, "schema: '" + field + "' must be an object");
    }
    return v;
  }

  private static String text(JsonNode node, String at, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new Invalid(at + "/" + field, "schema: '" + field + "' must be a non-empty string");
    }
    return v.asText();
  }

  private static Instant instant(JsonNode node, String at, String field) {
    String s = text(node, at, field);
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      throw new Invalid(
          at + "/" + field, "schema: '" + field + "' is not a date-time: '" + s + "'");
    }
  }
}
