/**
 * What a host implements to connect cloudpatch to its world: advisory feeds, inventory, the change
 * system, the hypervisor, the patch executor and the notifier; and the ports that the sibling
 * modules implement (applicability, rollout planning, the journal, evidence). Every call the engine
 * makes into one of these is guarded: an exception becomes a failed result and a journal entry,
 * never a crashed pipeline.
 */
@ValueStyle
@NullMarked
package org.cloudpatch.core.spi;

import org.cloudpatch.core.ValueStyle;
import org.jspecify.annotations.NullMarked;
