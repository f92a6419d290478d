package org.cloudpatch.core.spi;

import org.cloudpatch.core.host.HostRemediationPlan;
import org.cloudpatch.core.host.HostRemediationRequest;

/**
 * Decides which hosts to drain next and where their VMs go (a port: patch-scheduling's {@code
 * EvacuationRemediationPlanner} is the default). The engine asks again, with the cluster as it is
 * then, after each step has run or a migration failed; the guarantees of a plan are those of {@link
 * HostRemediationPlan}. It must be pure and fast enough to call inside a tick.
 */
public interface HostRemediationPlanner {
  /** Plans the next step of the request; never null. */
  HostRemediationPlan plan(HostRemediationRequest request);
}
