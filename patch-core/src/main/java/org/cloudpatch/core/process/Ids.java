package org.cloudpatch.core.process;

import java.time.Instant;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.TrackingId;

/**
 * Ids built from names that hosts choose (advisory, tenant, resolver group), collision-free by
 * construction: each part is escaped ({@code %} and {@code .} percent-encoded) and the parts are
 * joined by {@code .}, so two different tuples never give one id — tenant {@code acme} with group
 * {@code ops-db} and tenant {@code acme-ops} with group {@code db} get {@code TR-X.acme.ops-db} and
 * {@code TR-X.acme-ops.db}. The separator is a file-name character, so that evidence files keep
 * plain names.
 */
final class Ids {
  /** Joins the escaped parts of an id. */
  static final String SEP = ".";

  private Ids() {}

  static String part(String s) {
    return s.replace("%", "%25").replace(".", "%2E");
  }

  /** The first record of an advisory for a tenant's resolver group. */
  static TrackingId record(AdvisoryId advisory, TenantId tenant, String group) {
    return TrackingId.of(
        "TR-" + part(advisory.value()) + SEP + part(tenant.value()) + SEP + part(group));
  }

  /** The n-th record (n ≥ 2) for the same tuple: a suffix no escaped group can end with. */
  static TrackingId record(TrackingId base, int n) {
    return TrackingId.of(base.value() + SEP + n);
  }

  /** A notification's key: one per advisory version and tenant. */
  static String notification(AdvisoryId advisory, TenantId tenant, Instant modified) {
    return "N-" + part(advisory.value()) + SEP + part(tenant.value()) + SEP + modified;
  }

  /** An escalation notification's key: one per record. */
  static String overdue(TrackingId record) {
    return "O-" + part(record.value());
  }
}
