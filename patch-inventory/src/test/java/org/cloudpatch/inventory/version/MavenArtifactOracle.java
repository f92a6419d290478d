package org.cloudpatch.inventory.version;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.jar.JarFile;
import org.jspecify.annotations.Nullable;

/**
 * Maven's own {@code ComparableVersion} from a released maven-artifact ({@value #VERSION} or
 * {@value #NEXT_VERSION}, the releases {@link MavenScheme} follows), loaded at test time from the
 * local repository {@code ~/.m2/repository} (never a build dependency). The two compare alike; 3.10
 * changed only the canonical text.
 */
final class MavenArtifactOracle {
  static final String VERSION = "3.9.6";
  static final String NEXT_VERSION = "3.10.1";

  /** Why the oracle of {@code version} is missing, and how to get it. */
  static String howToGet(String version) {
    return "no maven-artifact "
        + version
        + " in ~/.m2 (get it with: mvn -B dependency:get"
        + " -Dartifact=org.apache.maven:maven-artifact:"
        + version
        + " -Dtransitive=false)";
  }

  private final Constructor<?> parse;
  private final Method compareTo;
  final String source;
  final String version;

  private MavenArtifactOracle(Path jar, String version)
      throws ReflectiveOperationException, IOException {
    URLClassLoader loader =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    Class<?> type = loader.loadClass("org.apache.maven.artifact.versioning.ComparableVersion");
    parse = type.getConstructor(String.class);
    compareTo = type.getMethod("compareTo", type);
    source = jar.toString();
    this.version = version;
  }

  /** The oracle of one release, or null when that maven-artifact is not in the local repository. */
  static @Nullable MavenArtifactOracle find(String version) {
    Path jar =
        Path.of(
            System.getProperty("user.home"),
            ".m2/repository/org/apache/maven/maven-artifact",
            version,
            "maven-artifact-" + version + ".jar");
    try {
      if (Files.isRegularFile(jar) && version.equals(implementationVersion(jar))) {
        return new MavenArtifactOracle(jar, version);
      }
    } catch (IOException | ReflectiveOperationException e) {
      // Not a usable maven-artifact jar: no oracle.
    }
    return null;
  }

  private static @Nullable String implementationVersion(Path jar) throws IOException {
    try (JarFile f = new JarFile(jar.toFile())) {
      return f.getManifest() == null
          ? null
          : f.getManifest().getMainAttributes().getValue("Implementation-Version");
    }
  }

  /** The sign of {@code new ComparableVersion(a).compareTo(new ComparableVersion(b))}. */
  int compare(String a, String b) {
    try {
      return Integer.signum((Integer) compareTo.invoke(parse.newInstance(a), parse.newInstance(b)));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("ComparableVersion failed on " + a + " and " + b, e);
    }
  }

  /**
   * A third version {@code c} proving Maven's answer on {@code a} against {@code b} inconsistent:
   * Maven's answers on {@code a, c} and {@code c, b} together imply an order of {@code a} and
   * {@code b} other than the one Maven gives ({@code a <= c <= b} with one side strict, or both
   * equal, while Maven says otherwise; or the mirror). Candidates: each prefix of either version,
   * alone and followed by a qualifier, and each version with one digit raised. Null when none is
   * found.
   */
  @Nullable String witnessOfInconsistency(String a, String b) {
    int ab = compare(a, b);
    for (String c : candidates(a, b)) {
      int ac = compare(a, c);
      int cb = compare(c, b);
      if (contradicts(ac, cb, ab) || contradicts(-cb, -ac, -ab)) {
        return c;
      }
    }
    return null;
  }

  /** Whether {@code a ? c} is {@code ac} and {@code c ? b} is {@code cb} rule out {@code ab}. */
  private static boolean contradicts(int ac, int cb, int ab) {
    if (ac > 0 || cb > 0) {
      return false;
    }
    return ac < 0 || cb < 0 ? ab >= 0 : ab != 0;
  }

  private static Set<String> candidates(String a, String b) {
    Set<String> out = new LinkedHashSet<>();
    for (String v : new String[] {a, b}) {
      for (int i = 1; i <= v.length(); i++) {
        for (String suffix : new String[] {"", "-sp", "-alpha", "-x", ".x", "-1", ".1"}) {
          out.add(v.substring(0, i) + suffix);
        }
      }
      for (int i = 0; i < v.length(); i++) {
        char ch = v.charAt(i);
        if (ch >= '0' && ch < '9') {
          out.add(v.substring(0, i) + (char) (ch + 1) + v.substring(i + 1));
        }
      }
    }
    return out;
  }
}
