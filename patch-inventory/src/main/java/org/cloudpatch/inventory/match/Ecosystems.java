package org.cloudpatch.inventory.match;

import org.cloudpatch.core.asset.Platform;

/** Which advisory ecosystems speak about which platforms. */
final class Ecosystems {
  private Ecosystems() {}

  /**
   * Whether an advisory's ecosystem covers a platform: the same distribution, and either no release
   * in the advisory (it covers every release) or the same release.
   *
   * <p>Ubuntu writes qualifiers around the release ({@code Ubuntu:22.04:LTS}, {@code
   * Ubuntu:Pro:18.04:LTS}); only the numeric release is compared, so an ESM advisory covers the
   * release it was written for: whether a machine is vulnerable does not depend on its
   * subscription, only whether it can get the fix does.
   *
   * <p>Red Hat names product streams ({@code Red Hat:enterprise_linux:9::appstream}, {@code Red
   * Hat:rhel_eus:9.2::baseos}) where a machine's os-release gives only its release ({@code 9.3},
   * read as {@code Red Hat:9}); a stream covers the releases of its major version. That errs
   * towards "affected" for the extended-support streams of a machine on the main stream, whose
   * fixes are older backports: such a finding shows FIXED or costs a patch, while matching no
   * stream would hide every Red Hat advisory.
   */
  static boolean covers(String advisoryEcosystem, Platform platform) {
    int colon = advisoryEcosystem.indexOf(':');
    String base = colon < 0 ? advisoryEcosystem : advisoryEcosystem.substring(0, colon);
    if (!base.equalsIgnoreCase(platform.distribution())) {
      return false;
    }
    if (colon < 0) {
      return true;
    }
    String release = release(base, advisoryEcosystem.substring(colon + 1));
    return release.equals(release(base, platform.release()));
  }

  private static String release(String base, String qualifiers) {
    if (base.equalsIgnoreCase("Red Hat")) {
      for (String part : qualifiers.split(":")) {
        if (!part.isEmpty() && Character.isDigit(part.charAt(0))) {
          int dot = part.indexOf('.');
          return dot < 0 ? part : part.substring(0, dot);
        }
      }
      return qualifiers;
    }
    if (!base.equalsIgnoreCase("Ubuntu")) {
      return qualifiers;
    }
    for (String part : qualifiers.split(":")) {
      if (!part.isEmpty() && Character.isDigit(part.charAt(0))) {
        return part;
      }
    }
    return qualifiers;
  }
}
