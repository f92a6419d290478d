package org.cloudpatch.core.asset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A package URL ({@code pkg:type/namespace/name@version?qualifiers#subpath}) as the purl
 * specification (github.com/package-url/purl-spec) defines it: parsed, percent-decoded, normalised
 * and written back in canonical form. The one parser of package URLs in cloudpatch, used by the
 * CycloneDX inventory reader and the CSAF advisory reader alike.
 *
 * <p>Guarantees: {@link #parse} accepts what the specification's test suite calls valid and rejects
 * what it calls invalid, with a reason; the parts are decoded; the type and qualifier keys are
 * lower case; the type's own rules are applied (GitHub and Bitbucket names lower case, PyPI names
 * normalised, a Conan namespace only with a channel, Swift and CRAN versions required); {@link
 * #toString()} is the canonical form, and parsing it gives an equal value.
 *
 * <p>Deviation, for the SBOMs written in the wild: the version is the text after the first
 * {@code @} following the last {@code /}, so an npm scope written without percent-encoding ({@code
 * pkg:npm/@angular/core@1.0.0}) reads as the scope it is, where the specification's right-to-left
 * split would read {@code angular/core} as a version when no version is given.
 *
 * <p>Immutable and thread-safe; equal when every part is equal.
 */
public final class PackageUrl {
  private final String type;
  private final @Nullable String namespace;
  private final String name;
  private final @Nullable String version;
  private final Map<String, String> qualifiers;
  private final @Nullable String subpath;

  private PackageUrl(
      String type,
      @Nullable String namespace,
      String name,
      @Nullable String version,
      Map<String, String> qualifiers,
      @Nullable String subpath) {
    this.type = type;
    this.namespace = namespace;
    this.name = name;
    this.version = version;
    this.qualifiers = Collections.unmodifiableMap(new TreeMap<>(qualifiers));
    this.subpath = subpath;
  }

  /**
   * Parses a package URL.
   *
   * @param text the package URL; never null
   * @throws IllegalArgumentException naming what is wrong when the text is not a valid package URL
   */
  @JsonCreator
  public static PackageUrl parse(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.strip();
    String subpath = null;
    int hash = s.indexOf('#');
    if (hash >= 0) {
      subpath = subpath(s.substring(hash + 1), text);
      s = s.substring(0, hash);
    }
    Map<String, String> qualifiers = new TreeMap<>();
    int question = s.indexOf('?');
    if (question >= 0) {
      qualifiers = qualifiers(s.substring(question + 1), text);
      s = s.substring(0, question);
    }
    int colon = s.indexOf(':');
    if (colon < 0 || !s.substring(0, colon).equalsIgnoreCase("pkg")) {
      throw bad(text, "no pkg: scheme");
    }
    s = s.substring(colon + 1);
    // The specification tolerates slashes after the scheme (pkg://npm/...).
    int start = 0;
    while (start < s.length() && s.charAt(start) == '/') {
      start++;
    }
    s = s.substring(start);
    int slash = s.indexOf('/');
    if (slash <= 0) {
      throw bad(text, "no type and name");
    }
    String type = s.substring(0, slash).toLowerCase(Locale.ROOT);
    if (!validType(type)) {
      throw bad(text, "bad type '" + type + "'");
    }
    String path = s.substring(slash + 1);
    String version = null;
    int at = path.indexOf('@', path.lastIndexOf('/') + 1);
    if (at >= 0) {
      version = decode(path.substring(at + 1), text);
      path = path.substring(0, at);
      if (version.isEmpty()) {
        version = null;
      }
    }
    int end = path.length();
    // Trailing slashes are insignificant, but not between the namespace and a version: there they
    // leave the name out (pkg:swift/github.com/Alamofire/@5.4.3).
    while (at < 0 && end > 0 && path.charAt(end - 1) == '/') {
      end--;
    }
    path = path.substring(0, end);
    int last = path.lastIndexOf('/');
    String name = decode(path.substring(last + 1), text);
    if (name.isEmpty()) {
      throw bad(text, "no name");
    }
    StringJoiner ns = new StringJoiner("/");
    if (last > 0) {
      for (String segment : path.substring(0, last).split("/")) {
        if (!segment.isEmpty()) {
          ns.add(decode(segment, text));
        }
      }
    }
    String namespace = ns.length() == 0 ? null : ns.toString();
    switch (type) {
      case "bitbucket", "github" -> {
        name = name.toLowerCase(Locale.ROOT);
        namespace = namespace == null ? null : namespace.toLowerCase(Locale.ROOT);
      }
      case "pypi" -> name = name.toLowerCase(Locale.ROOT).replace('_', '-');
      case "composer" -> {
        name = name.toLowerCase(Locale.ROOT);
        namespace = namespace == null ? null : namespace.toLowerCase(Locale.ROOT);
      }
      case "huggingface" -> version = version == null ? null : version.toLowerCase(Locale.ROOT);
      case "mlflow" -> {
        if (qualifiers.getOrDefault("repository_url", "").contains("azuredatabricks.net")) {
          name = name.toLowerCase(Locale.ROOT);
        }
      }
      case "cpan" -> {
        // A distribution (Perl-Version) has its author as namespace; a module (URI::PackageURL)
        // has none.
        if (namespace == null ? name.contains("-") : name.contains("::")) {
          throw bad(text, "a cpan distribution needs its author as namespace, a module none");
        }
      }
      case "conan" -> {
        if ((namespace == null) != !qualifiers.containsKey("channel")) {
          throw bad(text, "a conan namespace goes with a channel qualifier, and only with one");
        }
      }
      case "swift" -> {
        if (namespace == null || version == null) {
          throw bad(text, "a swift package URL needs a namespace and a version");
        }
      }
      case "cran" -> {
        if (version == null) {
          throw bad(text, "a cran package URL needs a version");
        }
      }
      default -> {}
    }
    return new PackageUrl(type, namespace, name, version, qualifiers, subpath);
  }

  /** The package type, lower case: {@code deb}, {@code maven}, {@code npm}, … */
  public String type() {
    return type;
  }

  /** The namespace, decoded, segments joined by {@code /}: a Maven group id, an npm scope, … */
  public Optional<String> namespace() {
    return Optional.ofNullable(namespace);
  }

  /** The name, decoded. */
  public String name() {
    return name;
  }

  /** The version, decoded. */
  public Optional<String> version() {
    return Optional.ofNullable(version);
  }

  /** The qualifiers by lower-case key, decoded, sorted by key; none has an empty value. */
  public Map<String, String> qualifiers() {
    return qualifiers;
  }

  /** The subpath, decoded, without leading or trailing slashes or {@code .} and {@code ..}. */
  public Optional<String> subpath() {
    return Optional.ofNullable(subpath);
  }

  /**
   * The OSV ecosystem of a language package registry this type names: {@code Maven}, {@code npm},
   * {@code PyPI}, {@code Go}, {@code crates.io}, {@code RubyGems}, {@code NuGet}, {@code
   * Packagist}, {@code Hex}, {@code Pub}; empty for a distribution's packages ({@code deb}, {@code
   * rpm}, {@code apk}), whose ecosystem is the operating system release, and for other types.
   */
  public Optional<String> registryEcosystem() {
    return Optional.ofNullable(
        switch (type) {
          case "maven" -> "Maven";
          case "npm" -> "npm";
          case "pypi" -> "PyPI";
          case "golang" -> "Go";
          case "cargo" -> "crates.io";
          case "gem" -> "RubyGems";
          case "nuget" -> "NuGet";
          case "composer" -> "Packagist";
          case "hex" -> "Hex";
          case "pub" -> "Pub";
          default -> null;
        });
  }

  /**
   * The package name as OSV advisories spell it: Maven {@code group:artifact}, npm {@code
   * @scope/name}, Go and Packagist {@code namespace/name}, the others the bare name (for {@code
   * deb}, {@code rpm} and {@code apk} the namespace is the vendor, not part of the name).
   */
  public String osvName() {
    if (namespace == null) {
      return name;
    }
    return switch (type) {
      case "maven" -> namespace + ":" + name;
      case "npm" -> (namespace.startsWith("@") ? namespace : "@" + namespace) + "/" + name;
      case "golang", "composer" -> namespace + "/" + name;
      default -> name;
    };
  }

  /** This package URL without version, qualifiers and subpath: the package, not a release of it. */
  public PackageUrl withoutVersion() {
    return new PackageUrl(type, namespace, name, null, Map.of(), null);
  }

  /** The canonical form. */
  @JsonValue
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("pkg:").append(type).append('/');
    if (namespace != null) {
      for (String segment : namespace.split("/")) {
        b.append(encode(segment, ":")).append('/');
      }
    }
    b.append(encode(name, ":"));
    if (version != null) {
      b.append('@').append(encode(version, ":"));
    }
    if (!qualifiers.isEmpty()) {
      StringJoiner q = new StringJoiner("&", "?", "");
      qualifiers.forEach((k, v) -> q.add(k + "=" + encode(v, ":/")));
      b.append(q);
    }
    if (subpath != null) {
      StringJoiner p = new StringJoiner("/", "#", "");
      for (String segment : subpath.split("/")) {
        p.add(encode(segment, ":"));
      }
      b.append(p);
    }
    return b.toString();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof PackageUrl p
        && type.equals(p.type)
        && Objects.equals(namespace, p.namespace)
        && name.equals(p.name)
        && Objects.equals(version, p.version)
        && qualifiers.equals(p.qualifiers)
        && Objects.equals(subpath, p.subpath);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, namespace, name, version, qualifiers, subpath);
  }

  private static @Nullable String subpath(String raw, String text) {
    StringJoiner p = new StringJoiner("/");
    for (String segment : raw.split("/")) {
      if (!segment.isEmpty() && !segment.equals(".") && !segment.equals("..")) {
        p.add(decode(segment, text));
      }
    }
    return p.length() == 0 ? null : p.toString();
  }

  private static Map<String, String> qualifiers(String raw, String text) {
    Map<String, String> qualifiers = new TreeMap<>();
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw bad(text, "qualifier '" + abbreviate(pair) + "' is not key=value");
      }
      String key = pair.substring(0, eq).toLowerCase(Locale.ROOT);
      if (!validKey(key)) {
        throw bad(text, "bad qualifier key '" + abbreviate(key) + "'");
      }
      String value = decode(pair.substring(eq + 1), text);
      if (value.isEmpty()) {
        continue; // an empty value is the same as no qualifier
      }
      if (qualifiers.put(key, value) != null) {
        throw bad(text, "qualifier '" + key + "' given twice");
      }
    }
    return qualifiers;
  }

  /** Letters, digits, {@code .+-}, not starting with a digit. */
  private static boolean validType(String type) {
    if (type.isEmpty() || Character.isDigit(type.charAt(0))) {
      return false;
    }
    for (int i = 0; i < type.length(); i++) {
      char c = type.charAt(i);
      if (!(isLowerOrDigit(c) || c == '.' || c == '+' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** Letters, digits, {@code ._-}, not starting with a digit. */
  private static boolean validKey(String key) {
    if (key.isEmpty() || Character.isDigit(key.charAt(0))) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!(isLowerOrDigit(c) || c == '.' || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLowerOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  /** Percent-decoding as UTF-8; {@code +} is a plus (Debian and rpm versions carry it). */
  private static String decode(String part, String text) {
    if (part.indexOf('%') < 0) {
      return part;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(part.length());
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c == '%') {
        if (i + 2 >= part.length()
            || Character.digit(part.charAt(i + 1), 16) < 0
            || Character.digit(part.charAt(i + 2), 16) < 0) {
          throw bad(text, "bad percent-encoding");
        }
        bytes.write(
            Character.digit(part.charAt(i + 1), 16) * 16 + Character.digit(part.charAt(i + 2), 16));
        i += 2;
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < part.length()) {
          utf8 = part.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.write(utf8, 0, utf8.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** Percent-encodes all but unreserved characters and those in {@code safe}. */
  private static String encode(String part, String safe) {
    StringBuilder b = new StringBuilder(part.length());
    for (byte x : part.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (x & 0xff);
      if (isLowerOrDigit(c)
          || (c >= 'A' && c <= 'Z')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~'
          || safe.indexOf(c) >= 0) {
        b.append(c);
      } else {
        b.append('%').append(String.format(Locale.ROOT, "%02X", x & 0xff));
      }
    }
    return b.toString();
  }

  private static IllegalArgumentException bad(String text, String reason) {
    return new IllegalArgumentException(
        "not a valid package URL: " + reason + ": '" + abbreviate(text) + "'");
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }
}
