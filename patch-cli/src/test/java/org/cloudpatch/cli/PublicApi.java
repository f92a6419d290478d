package org.cloudpatch.cli;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.cloudpatch.adapters.osv.OsvFeed;
import org.cloudpatch.audit.journal.FileJournal;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.inventory.match.OsvApplicability;
import org.cloudpatch.scheduling.rollout.WavePlanner;

/** The public types of each published library module, read from its classes. */
final class PublicApi {
  /** A published module: its artifact, its module name and a class that locates its classes. */
  record Module(String artifact, String name, Class<?> anchor) {}

  static final List<Module> LIBRARY =
      List.of(
          new Module("patch-core", "org.cloudpatch.core", PatchException.class),
          new Module("patch-inventory", "org.cloudpatch.inventory", OsvApplicability.class),
          new Module("patch-scheduling", "org.cloudpatch.scheduling", WavePlanner.class),
          new Module("patch-audit", "org.cloudpatch.audit", FileJournal.class),
          new Module("patch-adapters", "org.cloudpatch.adapters", OsvFeed.class));

  static final Module CLI = new Module("patch-cli", "org.cloudpatch.cli", Main.class);

  private PublicApi() {}

  /** Whether a package is outside the compatibility promise. */
  static boolean isInternal(String packageName) {
    return packageName.endsWith(".internal") || packageName.contains(".internal.");
  }

  /**
   * The public types of the module's API packages (internal packages left out), nested ones
   * included when every enclosing type is public too, sorted by name.
   */
  static List<Class<?>> publicTypes(Module module) {
    List<Class<?>> out = new ArrayList<>();
    for (String name : classNames(module)) {
      Class<?> c;
      try {
        c = Class.forName(name, false, module.anchor().getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
      if (isVisible(c) && !isInternal(c.getPackageName()) && !c.isSynthetic()) {
        out.add(c);
      }
    }
    out.sort(Comparator.comparing(Class::getName));
    return out;
  }

  /** Public, and so is every type it is nested in: a caller can name it. */
  static boolean isVisible(Class<?> c) {
    for (Class<?> t = c; t != null; t = t.getEnclosingClass()) {
      if (!Modifier.isPublic(t.getModifiers())) {
        return false;
      }
    }
    return !c.isAnonymousClass() && !c.isLocalClass();
  }

  /** Every class of the module, by binary name, sorted. */
  static List<String> classNames(Module module) {
    Path location;
    try {
      location =
          Path.of(module.anchor().getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    String prefix = module.name().replace('.', '/') + "/";
    List<String> entries = new ArrayList<>();
    try {
      // The reactor hands tests a module's classes directory, or its jar after package.
      if (Files.isDirectory(location)) {
        try (Stream<Path> files = Files.walk(location)) {
          files
              .map(p -> location.relativize(p).toString().replace('\\', '/'))
              .forEach(entries::add);
        }
      } else {
        try (JarFile jar = new JarFile(location.toFile())) {
          jar.stream().map(e -> e.getName()).forEach(entries::add);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + location, e);
    }
    return entries.stream()
        .filter(e -> e.startsWith(prefix) && e.endsWith(".class"))
        .filter(e -> !e.endsWith("package-info.class") && !e.endsWith("module-info.class"))
        .map(e -> e.substring(0, e.length() - ".class".length()).replace('/', '.'))
        .sorted()
        .toList();
  }
}
