package org.cloudpatch.cli.demo;

import java.util.ArrayList;
import java.util.List;
import org.cloudpatch.core.asset.InstalledPackage;
import org.jspecify.annotations.Nullable;

/**
 * The Debian 12 images the demo's VMs are built from: real package names, binary packages that come
 * from differently named source packages, a binNMU, and versions from before the demo's advisories.
 */
final class Images {
  private Images() {}

  /** The image kinds, each with the team that owns its VMs. */
  enum Kind {
    WEB("web"),
    DB("db"),
    APP("app");

    final String team;

    Kind(String team) {
      this.team = team;
    }
  }

  static List<InstalledPackage> packages(Kind kind, boolean driftedOpenssl) {
    List<InstalledPackage> p = new ArrayList<>();
    String openssl = driftedOpenssl ? "3.0.14-1~deb12u1" : "3.0.11-1~deb12u2";
    p.add(pkg("bash", "5.2.15-2+b2", "bash", "5.2.15-2"));
    p.add(pkg("libc-bin", "2.36-9+deb12u1", "glibc", null));
    p.add(pkg("libc6", "2.36-9+deb12u1", "glibc", null));
    p.add(pkg("libssl3", openssl, "openssl", null));
    p.add(pkg("openssh-client", "1:9.2p1-2+deb12u1", "openssh", null));
    p.add(pkg("openssh-server", "1:9.2p1-2+deb12u1", "openssh", null));
    p.add(pkg("openssl", openssl, null, null));
    p.add(pkg("tzdata", "2024a-0+deb12u1", null, null));
    switch (kind) {
      case WEB -> {
        p.add(pkg("curl", "7.88.1-10+deb12u1", null, null));
        p.add(pkg("libcurl4", "7.88.1-10+deb12u1", "curl", null));
        p.add(pkg("nginx", "1.22.1-9", null, null));
        p.add(pkg("nginx-common", "1.22.1-9", "nginx", null));
      }
      case DB -> {
        p.add(pkg("libpq5", "15.5-0+deb12u1", "postgresql-15", null));
        p.add(pkg("postgresql-15", "15.5-0+deb12u1", null, null));
        p.add(pkg("postgresql-client-15", "15.5-0+deb12u1", "postgresql-15", null));
      }
      case APP -> {
        p.add(pkg("curl", "7.88.1-10+deb12u1", null, null));
        p.add(pkg("libcurl4", "7.88.1-10+deb12u1", "curl", null));
        p.add(pkg("libpython3.11-stdlib", "3.11.2-6+deb12u1", "python3.11", null));
        p.add(pkg("python3.11", "3.11.2-6+deb12u1", null, null));
      }
    }
    p.sort((a, b) -> a.name().compareTo(b.name()));
    return p;
  }

  private static InstalledPackage pkg(
      String name, String version, @Nullable String source, @Nullable String sourceVersion) {
    InstalledPackage.Builder b = InstalledPackage.builder().name(name).version(version);
    if (source != null) {
      b.sourceName(source);
    }
    if (sourceVersion != null) {
      b.sourceVersion(sourceVersion);
    }
    return b.build();
  }
}
