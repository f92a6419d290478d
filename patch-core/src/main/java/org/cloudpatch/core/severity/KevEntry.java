package org.cloudpatch.core.severity;

import java.time.LocalDate;
import org.immutables.value.Value;

/** One entry of the CISA Known Exploited Vulnerabilities catalog. Immutable. */
@Value.Immutable
public interface KevEntry {
  /** The CVE id, e.g. {@code CVE-2021-44228}. */
  String cve();

  /** The vendor or project. */
  String vendorProject();

  /** The product. */
  String product();

  /** When CISA added it to the catalog. */
  LocalDate dateAdded();

  /** When US federal agencies must have remediated it. */
  LocalDate dueDate();

  /** Whether it is known to be used in ransomware campaigns. */
  boolean knownRansomwareUse();

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link KevEntry}. */
  final class Builder extends ImmutableKevEntry.Builder {}
}
