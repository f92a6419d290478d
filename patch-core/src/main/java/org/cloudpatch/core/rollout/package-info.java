/**
 * The vocabulary of getting a patch onto assets: maintenance windows, timing modes, rollout
 * requests and plans made of waves, patch jobs and their outcomes, and change requests.
 */
@ValueStyle
@NullMarked
package org.cloudpatch.core.rollout;

import org.cloudpatch.core.ValueStyle;
import org.jspecify.annotations.NullMarked;
