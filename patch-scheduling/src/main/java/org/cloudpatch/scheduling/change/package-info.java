/**
 * Change management for rollouts: {@link org.cloudpatch.scheduling.change.ChangePolicy} turns a
 * priority and the kind of window into a change type (standard, normal, emergency) and the lead
 * time it needs, and {@link org.cloudpatch.scheduling.change.PlannedChange} is the change request a
 * plan asks for, naming the local time of every zone it covers.
 */
@NullMarked
package org.cloudpatch.scheduling.change;

import org.jspecify.annotations.NullMarked;
