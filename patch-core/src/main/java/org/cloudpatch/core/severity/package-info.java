/**
 * Severity assessment by the receiving enterprise: CVSS scores, and the policy that turns them into
 * a priority and a due date. Every assessment records the rule that decided it.
 */
@ValueStyle
@NullMarked
package org.cloudpatch.core.severity;

import org.cloudpatch.core.ValueStyle;
import org.jspecify.annotations.NullMarked;
