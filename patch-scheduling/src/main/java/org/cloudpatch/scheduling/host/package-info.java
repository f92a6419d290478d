/**
 * Host remediation: {@link org.cloudpatch.scheduling.host.EvacuationPlanner} orders the hosts of a
 * cluster for maintenance mode and plans every live migration that drains them, proving before the
 * first host is touched that capacity, anti-affinity and headroom hold at every step, or naming the
 * VMs and constraints that make it impossible.
 */
@ValueStyle
@NullMarked
package org.cloudpatch.scheduling.host;

import org.cloudpatch.core.ValueStyle;
import org.jspecify.annotations.NullMarked;
