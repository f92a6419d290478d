/**
 * Findings: the verdict of matching one advisory against one asset's inventory, with the evidence
 * that decided it. A finding that cannot be decided is {@code UNKNOWN}, never "not affected".
 */
@ValueStyle
@NullMarked
package org.cloudpatch.core.finding;

import org.cloudpatch.core.ValueStyle;
import org.jspecify.annotations.NullMarked;
