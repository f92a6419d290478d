/**
 * Assets (VMs and the hosts they run on) and what is installed on them. An inventory is a snapshot
 * of one asset's packages at an instant, from a named source.
 */
@ValueStyle
@NullMarked
package org.cloudpatch.core.asset;

import org.cloudpatch.core.ValueStyle;
import org.jspecify.annotations.NullMarked;
