package org.cloudpatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.cloudpatch.cli.internal.HiddenForSurfaceTest;
import org.junit.jupiter.api.Test;

/**
 * Every public or protected member of a public type in an API package exposes only public API: no
 * package-private type, no type of an {@code internal} package, and no third-party type outside a
 * short list (the JDK, {@code javax.net.ssl} included: the e-mail notifier takes an {@code
 * SSLContext}; Jackson, whose {@code ObjectNode} carries journal and evidence data; JUnit, for the
 * contract kits; JSpecify).
 *
 * <p>Value types use Immutables' extending builder, {@code final class Builder extends
 * ImmutableX.Builder}, whose superclass is package-private. Callers cannot name that superclass, so
 * it is allowed; the public methods a type inherits from it are part of its API and are checked
 * like its own. (Javadoc lists them by name only, under "Methods inherited from
 * ImmutableX.Builder"; each setter is named after an accessor of the value type, whose Javadoc
 * documents it.)
 */
class PublicSurfaceTest {
  private static final List<String> FOREIGN_API =
      List.of("java.", "javax.net.ssl.", "com.fasterxml.jackson.", "org.junit.", "org.jspecify.");

  @Test
  void publicApi_exposesOnlyPublicApiTypes() {
    List<String> leaks = new ArrayList<>();
    int types = 0;
    for (PublicApi.Module module : PublicApi.LIBRARY) {
      for (Class<?> type : PublicApi.publicTypes(module)) {
        types++;
        leaks.addAll(leaksOf(type));
      }
    }
    assertTrue(types > 100, "the scan found only " + types + " public types");
    assertEquals(List.of(), leaks);
  }

  @Test
  void surfaceCheck_reportsMethodsExposingHiddenOrInternalTypes() {
    List<String> leaks = leaksOf(LeakyApi.class);
    assertTrue(
        leaks.stream().anyMatch(l -> l.contains("hidden()") && l.contains("not public")),
        "" + leaks);
    assertTrue(
        leaks.stream().anyMatch(l -> l.contains("internal()") && l.contains("internal package")),
        "" + leaks);
    assertTrue(
        leaks.stream().anyMatch(l -> l.contains("guarded(") && l.contains("not public")),
        "protected members of an extensible type are API: " + leaks);
  }

  /** What a vendor would see if an SPI returned a type it cannot name or should not depend on. */
  public abstract static class LeakyApi {
    /** Returns a package-private type. */
    public abstract Hidden hidden();

    /** Returns a public type of an internal package. */
    public abstract List<HiddenForSurfaceTest> internal();

    /** A protected hook taking a package-private type. */
    protected abstract void guarded(Hidden hidden);
  }

  static final class Hidden {}

  static List<String> leaksOf(Class<?> type) {
    Set<String> leaks = new LinkedHashSet<>();
    for (Type supertype : type.getGenericInterfaces()) {
      check(type.getName() + " implements", supertype, leaks);
    }
    Class<?> superclass = type.getSuperclass();
    if (superclass != null && PublicApi.isVisible(superclass)) {
      check(type.getName() + " extends", type.getGenericSuperclass(), leaks);
    }
    boolean extensible = !Modifier.isFinal(type.getModifiers());
    for (Method m : methodsOf(type, extensible)) {
      String where = describe(type, m);
      check(where, m.getGenericReturnType(), leaks);
      checkSignature(where, m, leaks);
    }
    for (Constructor<?> c : type.getDeclaredConstructors()) {
      if (isApi(c, extensible)) {
        checkSignature(describe(type, c), c, leaks);
      }
    }
    for (Field f : type.getFields()) {
      check(type.getName() + "." + f.getName(), f.getGenericType(), leaks);
    }
    for (Class<?> t = type; extensible && t != null; t = t.getSuperclass()) {
      for (Field f : t.getDeclaredFields()) {
        if (Modifier.isProtected(f.getModifiers())) {
          check(type.getName() + "." + f.getName(), f.getGenericType(), leaks);
        }
      }
    }
    return List.copyOf(leaks);
  }

  /** Public methods, inherited ones included, and protected ones when subclasses can see them. */
  private static List<Method> methodsOf(Class<?> type, boolean extensible) {
    List<Method> out = new ArrayList<>(List.of(type.getMethods()));
    for (Class<?> t = type; extensible && t != null; t = t.getSuperclass()) {
      for (Method m : t.getDeclaredMethods()) {
        if (Modifier.isProtected(m.getModifiers())) {
          out.add(m);
        }
      }
    }
    return out;
  }

  private static boolean isApi(Member member, boolean extensible) {
    int mod = member.getModifiers();
    return Modifier.isPublic(mod) || (extensible && Modifier.isProtected(mod));
  }

  private static void checkSignature(String where, Executable e, Set<String> leaks) {
    for (Type p : e.getGenericParameterTypes()) {
      check(where, p, leaks);
    }
    for (Type x : e.getGenericExceptionTypes()) {
      check(where, x, leaks);
    }
    for (TypeVariable<?> v : e.getTypeParameters()) {
      check(where, v, leaks);
    }
  }

  private static String describe(Class<?> type, Executable e) {
    StringBuilder s = new StringBuilder(type.getName()).append('.');
    s.append(e instanceof Constructor<?> ? "<init>" : e.getName()).append('(');
    Class<?>[] params = e.getParameterTypes();
    for (int i = 0; i < params.length; i++) {
      s.append(i == 0 ? "" : ", ").append(params[i].getSimpleName());
    }
    return s.append(')').toString();
  }

  private static void check(String where, Type type, Set<String> leaks) {
    check(where, type, leaks, new HashSet<>());
  }

  private static void check(String where, Type type, Set<String> leaks, Set<Type> seen) {
    if (!seen.add(type)) {
      return;
    }
    if (type instanceof Class<?> c) {
      while (c.isArray()) {
        c = c.getComponentType();
      }
      if (c.isPrimitive()) {
        return;
      }
      String name = c.getName();
      if (name.startsWith("org.cloudpatch.")) {
        if (!PublicApi.isVisible(c)) {
          leaks.add(where + " exposes " + name + ", which is not public");
        } else if (PublicApi.isInternal(c.getPackageName())) {
          leaks.add(where + " exposes " + name + ", of an internal package");
        }
      } else if (FOREIGN_API.stream().noneMatch(name::startsWith)) {
        leaks.add(where + " exposes third-party type " + name);
      }
    } else if (type instanceof ParameterizedType p) {
      check(where, p.getRawType(), leaks, seen);
      for (Type a : p.getActualTypeArguments()) {
        check(where, a, leaks, seen);
      }
    } else if (type instanceof WildcardType w) {
      for (Type b : w.getUpperBounds()) {
        check(where, b, leaks, seen);
      }
      for (Type b : w.getLowerBounds()) {
        check(where, b, leaks, seen);
      }
    } else if (type instanceof TypeVariable<?> v) {
      for (Type b : v.getBounds()) {
        check(where, b, leaks, seen);
      }
    } else if (type instanceof GenericArrayType g) {
      check(where, g.getGenericComponentType(), leaks, seen);
    }
  }
}
