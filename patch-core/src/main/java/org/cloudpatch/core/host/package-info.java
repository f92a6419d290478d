/**
 * Host remediation as the engine asks for it: a {@link
 * org.cloudpatch.core.host.HostRemediationRequest} is the cluster seen through the hypervisor and
 * the hosts to patch, a {@link org.cloudpatch.core.host.HostRemediationPlan} the hosts to drain now
 * and the live migrations that drain them, or why a host cannot be drained.
 */
@ValueStyle
@NullMarked
package org.cloudpatch.core.host;

import org.cloudpatch.core.ValueStyle;
import org.jspecify.annotations.NullMarked;
