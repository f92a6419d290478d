/**
 * Results of reading a batch of external records: what was accepted, and what was quarantined with
 * the reason and the position (file, line, JSON pointer). One bad record never takes its batch
 * down.
 */
@ValueStyle
@NullMarked
package org.cloudpatch.core.batch;

import org.cloudpatch.core.ValueStyle;
import org.jspecify.annotations.NullMarked;
