package org.cloudpatch.inventory.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.PackageUrl;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.core.batch.ReadLimits;
import org.cloudpatch.inventory.version.VersionScheme;
import org.cloudpatch.inventory.version.VersionSchemes;
import org.jspecify.annotations.Nullable;

/**
 * Reads a CycloneDX JSON SBOM (specification 1.4 to 1.6; earlier versions spell the fields read
 * here the same way) into {@link InstalledPackage} values, one per component whose package URL has
 * the type {@code deb}, {@code rpm}, {@code apk}, {@code maven}, {@code pypi}, {@code npm}, {@code
 * golang} or {@code cargo}, each carrying its package URL ({@link InstalledPackage#purl()}) so that
 * it can be matched in its own ecosystem.
 *
 * <p>Names are spelled as the ecosystem's advisories spell them: Maven {@code group:artifact}, Go
 * the module path, npm {@code @scope/name}, the others the bare name. The version is the package
 * URL's, else the component's; an rpm {@code epoch} qualifier other than {@code 0} becomes the
 * {@code epoch:} prefix. For deb, rpm and apk the source package comes from the {@code upstream},
 * {@code source} or (apk) {@code origin} qualifier, or from Trivy's {@code aquasecurity:trivy:Src*}
 * component properties; other qualifiers such as {@code distro} and {@code arch} are informative
 * only and ignored.
 *
 * <p>Components without a package URL, or whose package URL has another type (a file, a library
 * without a purl, {@code pkg:github}, {@code pkg:composer}, …), are not packages cloudpatch can
 * match and are skipped silently; so is the document's own subject, {@code metadata.component}.
 * Nested {@code components} are walked without recursion, and nesting depth, string and document
 * length are bounded while parsing, so a hostile document cannot exhaust the stack or memory.
 *
 * <p>A component whose package URL is malformed, or whose version the ecosystem's scheme rejects,
 * is quarantined with the source and the JSON pointer of the offending field (e.g. {@code
 * /components/3/purl}); the rest is read. Stateless and thread-safe.
 */
public final class CycloneDxReader {
  /** Bounds that keep a hostile document from exhausting memory or the stack while it is parsed. */
  private static final StreamReadConstraints LIMITS =
      StreamReadConstraints.builder()
          .maxNestingDepth(256)
          .maxStringLength(1 << 20)
          .maxNumberLength(64)
          .maxDocumentLength(ReadLimits.defaults().maxDocumentBytes())
          .maxTokenCount(ReadLimits.defaults().maxJsonTokens())
          .build();

  private static final ObjectMapper MAPPER = limitedMapper();

  /** purl type → the OSV ecosystem whose version scheme orders that type's versions. */
  private static final Map<String, VersionScheme> SCHEMES =
      Map.of(
          "deb", scheme("Debian"),
          "rpm", scheme("Red Hat"),
          "apk", scheme("Alpine"),
          "maven", scheme("Maven"),
          "pypi", scheme("PyPI"),
          "npm", scheme("npm"),
          "golang", scheme("Go"),
          "cargo", scheme("crates.io"));

  private static final String TRIVY = "aquasecurity:trivy:";

  private CycloneDxReader() {}

  /** A reader. */
  public static CycloneDxReader create() {
    return new CycloneDxReader();
  }

  /**
   * Reads a CycloneDX JSON file.
   *
   * @throws IllegalArgumentException naming the file when it is not a CycloneDX JSON document
   * @throws PatchException if it cannot be read or is not well-formed JSON within the parse limits
   */
  public ReadBatch<InstalledPackage> read(Path path) {
    Objects.requireNonNull(path, "path");
    return readPackages(tree(path), path.toString());
  }

  /**
   * Reads CycloneDX JSON text.
   *
   * @param source what to call the input in quarantine records and errors; never null
   * @throws IllegalArgumentException naming the source when it is not a CycloneDX JSON document
   * @throws PatchException if it is not well-formed JSON within the parse limits
   * @throws UncheckedIOException if reading fails
   */
  public ReadBatch<InstalledPackage> read(Reader in, String source) {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(source, "source");
    return readPackages(tree(in, source), source);
  }

  /**
   * The operating system the SBOM describes, when it says: {@code metadata.component} of type
   * {@code operating-system}, else the first top-level component of that type. Debian becomes
   * {@code Debian:} with the major release ({@code 12.5} → {@code Debian:12}), Alpine {@code
   * Alpine:v} with major and minor ({@code 3.20.3} → {@code Alpine:v3.20}), Ubuntu keeps its
   * release; another distribution keeps its name and version as they are, which names no OSV
   * ecosystem and so matches no advisory rather than the wrong ones.
   *
   * <p>Without such a component, the {@code distro} qualifiers of the distribution packages' purls
   * decide when they agree (see {@code platformFromDistroQualifiers}).
   *
   * @return empty when the SBOM names no operating system with a name
   * @throws IllegalArgumentException naming the file when it is not a CycloneDX JSON document
   * @throws PatchException if it cannot be read or is not well-formed JSON within the parse limits
   */
  public static Optional<Platform> platform(Path path) {
    Objects.requireNonNull(path, "path");
    JsonNode root = tree(path);
    requireCycloneDx(root, path.toString());
    return platform(root);
  }

  /**
   * The name of what the SBOM describes, {@code metadata.component.name} (an application, an
   * image), so that an SBOM can be named after its subject rather than its file.
   *
   * @return empty when the SBOM does not name its subject, or its subject is an operating system
   * @throws IllegalArgumentException naming the file when it is not a CycloneDX JSON document
   * @throws PatchException if it cannot be read or is not well-formed JSON within the parse limits
   */
  public static Optional<String> subject(Path path) {
    Objects.requireNonNull(path, "path");
    JsonNode root = tree(path);
    requireCycloneDx(root, path.toString());
    JsonNode subject = root.path("metadata").path("component");
    String name = subject.path("name").asText("").strip();
    // An operating system as the subject names the distribution, not the machine or image.
    return name.isEmpty() || isOperatingSystem(subject) ? Optional.empty() : Optional.of(name);
  }

  private static Optional<Platform> platform(JsonNode root) {
    JsonNode subject = root.path("metadata").path("component");
    JsonNode os = isOperatingSystem(subject) ? subject : null;
    if (os == null) {
      for (JsonNode c : root.path("components")) {
        if (isOperatingSystem(c)) {
          os = c;
          break;
        }
      }
    }
    if (os == null) {
      return platformFromDistroQualifiers(root);
    }
    String name = os.path("name").asText("").strip().toLowerCase(Locale.ROOT);
    String version = os.path("version").asText("").strip();
    if (name.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(platformOf(name, version));
  }

  /**
   * Without an operating-system component, the {@code distro} qualifier of the distribution
   * packages' purls, as osv-scanner and Trivy write it ({@code pkg:apk/alpine/zlib@1.3.1-r2?distro=
   * 3.22.0}, {@code pkg:deb/debian/libc6@2.28-10?distro=debian-10.2}): the purl's namespace names
   * the distribution, the qualifier its release, with or without the distribution's name before it.
   * Only when every such qualifier implies the same platform; a codename ({@code bookworm}) or
   * qualifiers that disagree imply none, rather than a guess.
   */
  private static Optional<Platform> platformFromDistroQualifiers(JsonNode root) {
    Set<Platform> found = new HashSet<>();
    for (JsonNode c : root.path("components")) {
      JsonNode purlNode = c.get("purl");
      if (purlNode == null || !purlNode.isTextual()) {
        continue;
      }
      PackageUrl purl;
      try {
        purl = PackageUrl.parse(purlNode.asText());
      } catch (IllegalArgumentException e) {
        continue; // reported where the packages are read
      }
      String distro = purl.qualifiers().get("distro");
      String type = purl.type();
      if (distro == null
          || !(type.equals("deb") || type.equals("apk") || type.equals("rpm"))
          || purl.namespace().isEmpty()) {
        continue;
      }
      String name = purl.namespace().get().toLowerCase(Locale.ROOT);
      String release = distro.startsWith(name + "-") ? distro.substring(name.length() + 1) : distro;
      if (release.isEmpty() || !Character.isDigit(release.charAt(0))) {
        return Optional.empty();
      }
      found.add(platformOf(name, release));
    }
    return found.size() == 1 ? Optional.of(found.iterator().next()) : Optional.empty();
  }

  private static Platform platformOf(String name, String version) {
    String[] parts = version.split("\\.");
    return switch (name) {
      case "debian" -> new Platform("Debian", parts[0]);
      case "ubuntu" -> new Platform("Ubuntu", version);
      case "alpine" -> new Platform("Alpine", alpineRelease(version, parts));
      // A colon would split the ecosystem name in the wrong place.
      default -> new Platform(name.replace(':', '-'), version);
    };
  }

  /** {@code 3.20.3} → {@code v3.20}; anything not numbered (edge) is kept as it is. */
  private static String alpineRelease(String version, String[] parts) {
    if (!version.matches("\\d+(\\.\\d+)*")) {
      return version;
    }
    return "v" + parts[0] + (parts.length > 1 ? "." + parts[1] : "");
  }

  private static boolean isOperatingSystem(JsonNode component) {
    return component.path("type").asText("").equals("operating-system");
  }

  private static ReadBatch<InstalledPackage> readPackages(JsonNode root, String source) {
    requireCycloneDx(root, source);
    ReadBatch.Collector<InstalledPackage> batch = ReadBatch.collector();
    // An explicit stack instead of recursion: the walk's depth costs heap, not Java stack. Children
    // are pushed in reverse so that packages come out in document order.
    Deque<Located> pending = new ArrayDeque<>();
    pushChildren(root.path("components"), "/components", pending);
    while (!pending.isEmpty()) {
      Located next = pending.pop();
      JsonNode component = next.node();
      if (!component.isObject()) {
        batch.quarantine(Quarantined.of(source, next.pointer(), "a component must be an object"));
        continue;
      }
      try {
        InstalledPackage pkg = toPackage(component, next.pointer());
        if (pkg != null) {
          batch.accept(pkg);
        }
      } catch (Malformed e) {
        batch.quarantine(Quarantined.of(source, e.pointer, String.valueOf(e.getMessage())));
      }
      pushChildren(component.path("components"), next.pointer() + "/components", pending);
    }
    return batch.build();
  }

  private static void pushChildren(JsonNode array, String pointer, Deque<Located> pending) {
    for (int i = array.size() - 1; i >= 0; i--) {
      pending.push(new Located(array.get(i), pointer + "/" + i));
    }
  }

  private static void requireCycloneDx(JsonNode root, String source) {
    if (!root.isObject() || !root.path("bomFormat").asText("").equals("CycloneDX")) {
      throw new IllegalArgumentException(
          source + " is not a CycloneDX JSON document: it has no \"bomFormat\": \"CycloneDX\"");
    }
  }

  /** The package a component stands for, or null when it has no purl of a type cloudpatch reads. */
  private static @Nullable InstalledPackage toPackage(JsonNode component, String pointer)
      throws Malformed {
    JsonNode purlNode = component.get("purl");
    if (purlNode == null || purlNode.isNull()) {
      return null;
    }
    String at = pointer + "/purl";
    if (!purlNode.isTextual()) {
      throw new Malformed(at, "the purl must be a string");
    }
    PackageUrl purl;
    try {
      purl = PackageUrl.parse(purlNode.asText());
    } catch (IllegalArgumentException e) {
      throw new Malformed(at, String.valueOf(e.getMessage()));
    }
    VersionScheme scheme = SCHEMES.get(purl.type());
    if (scheme == null) {
      return null;
    }
    if (purl.type().equals("maven") && purl.namespace().isEmpty()) {
      throw new Malformed(at, "a maven purl needs the group id as its namespace");
    }
    String name = purl.osvName();
    String version = purl.version().map(String::strip).orElse(null);
    if (version == null || version.isEmpty()) {
      JsonNode v = component.get("version");
      version = v != null && v.isTextual() ? v.asText().strip() : "";
      at = pointer + "/version";
    }
    if (version.isEmpty()) {
      throw new Malformed(at, "no version in the purl nor in the component");
    }
    if (purl.type().equals("rpm")) {
      version = withEpoch(purl.qualifiers().get("epoch"), version);
    }
    validate(scheme, version, at);
    InstalledPackage.Builder b = InstalledPackage.builder();
    b.name(name).version(version).purl(purl);
    String type = purl.type();
    if (type.equals("deb") || type.equals("rpm") || type.equals("apk")) {
      addSource(b, purl, component, name, version, scheme, pointer);
    }
    return b.build();
  }

  /**
   * Records the source package when the SBOM names one that differs from the binary package:
   * qualifiers first (they travel with the purl), then Trivy's properties.
   */
  private static void addSource(
      InstalledPackage.Builder b,
      PackageUrl purl,
      JsonNode component,
      String name,
      String version,
      VersionScheme scheme,
      String pointer)
      throws Malformed {
    String sourceName = null;
    String sourceVersion = null;
    String upstream = firstNonBlank(purl.qualifiers(), "upstream", "source", "origin");
    if (upstream != null) {
      if (purl.type().equals("rpm") && upstream.endsWith(".src.rpm")) {
        // Syft writes the source rpm's file name: name-version-release.src.rpm.
        InstalledPackage src = RpmQaReader.parseLine(upstream.substring(0, upstream.length() - 8));
        if (src != null) {
          sourceName = src.name();
          sourceVersion = withEpoch(purl.qualifiers().get("epoch"), src.version());
        } else {
          sourceName = upstream;
        }
      } else {
        int atSign = upstream.indexOf('@');
        sourceName = atSign < 0 ? upstream : upstream.substring(0, atSign);
        sourceVersion = atSign < 0 ? null : upstream.substring(atSign + 1);
      }
    } else {
      Map<String, String> props = trivyProperties(component);
      sourceName = props.get("SrcName");
      String srcVersion = props.get("SrcVersion");
      if (srcVersion != null && !srcVersion.isBlank()) {
        String release = props.get("SrcRelease");
        String epoch = props.get("SrcEpoch");
        sourceVersion =
            (epoch == null || epoch.isBlank() || epoch.equals("0") ? "" : epoch + ":")
                + srcVersion
                + (release == null || release.isBlank() ? "" : "-" + release);
      }
    }
    if (sourceName != null && !sourceName.isBlank() && !sourceName.equals(name)) {
      b.sourceName(sourceName.strip());
    }
    if (sourceVersion != null && !sourceVersion.isBlank() && !sourceVersion.equals(version)) {
      validate(scheme, sourceVersion, pointer);
      b.sourceVersion(sourceVersion);
    }
  }

  private static Map<String, String> trivyProperties(JsonNode component) {
    Map<String, String> props = new HashMap<>();
    for (JsonNode p : component.path("properties")) {
      String key = p.path("name").asText("");
      if (key.startsWith(TRIVY) && p.path("value").isTextual()) {
        props.put(key.substring(TRIVY.length()), p.path("value").asText());
      }
    }
    return props;
  }

  private static @Nullable String firstNonBlank(Map<String, String> map, String... keys) {
    for (String key : keys) {
      String value = map.get(key);
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    return null;
  }

  private static String withEpoch(@Nullable String epoch, String version) {
    // Epoch 0 is what rpm assumes without one; rpm -qa leaves it out, and so does this reader.
    if (epoch == null || epoch.isBlank() || epoch.equals("0") || version.contains(":")) {
      return version;
    }
    return epoch.strip() + ":" + version;
  }

  private static void validate(VersionScheme scheme, String version, String at) throws Malformed {
    try {
      scheme.validate(version);
    } catch (IllegalArgumentException e) {
      throw new Malformed(at, String.valueOf(e.getMessage()));
    }
  }

  private static VersionScheme scheme(String ecosystem) {
    return VersionSchemes.forEcosystem(ecosystem).orElseThrow();
  }

  private static ObjectMapper limitedMapper() {
    JsonMapper m = JsonMapper.builder().build();
    m.getFactory().setStreamReadConstraints(LIMITS);
    return m;
  }

  private static JsonNode tree(Path path) {
    try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      return tree(in, path.toString());
    } catch (IOException | UncheckedIOException e) {
      throw new PatchException("cannot read CycloneDX SBOM " + path + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode tree(Reader in, String source) {
    try {
      JsonNode root = MAPPER.readTree(in);
      // An empty input reads as a missing node; it is no more CycloneDX than any other text.
      return root == null ? MAPPER.missingNode() : root;
    } catch (JsonProcessingException e) {
      throw new PatchException(source + " is not well-formed JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Located(JsonNode node, String pointer) {}

  /** A component that cannot be read, with the JSON pointer of the field at fault. */
  private static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;
    final String pointer;

    Malformed(String pointer, String reason) {
      super(reason, null, false, false);
      this.pointer = pointer;
    }
  }
}
