package org.cloudpatch.core.advisory;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import org.immutables.value.Value;

/** What a vendor offers against an advisory, as CSAF classifies it. */
@Value.Immutable
@JsonSerialize(as = ImmutableRemediation.class)
@JsonDeserialize(as = ImmutableRemediation.class)
public interface Remediation {
  /** The kind of remediation. */
  @Value.Parameter
  Kind kind();

  /** The vendor's words about it. */
  @Value.Parameter
  String details();

  /** A remediation of the given kind. */
  static Remediation of(Kind kind, String details) {
    return ImmutableRemediation.of(kind, details);
  }

  /** The CSAF remediation categories. */
  enum Kind {
    /** A fixed version exists. */
    VENDOR_FIX,
    /** A configuration change avoids the vulnerability. */
    WORKAROUND,
    /** A measure reduces the risk without removing it. */
    MITIGATION,
    /** The vendor will not fix it. */
    NO_FIX_PLANNED,
    /** No remediation exists yet. */
    NONE_AVAILABLE
  }
}
