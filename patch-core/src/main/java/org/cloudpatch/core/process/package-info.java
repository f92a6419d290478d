/**
 * The patch process engine: tracking records whose state changes only through journaled events,
 * pure decisions over them, and the driver that runs the resulting work against the SPIs. Waiting
 * (for an approval, a window, a patch job) is state in the journal, never a blocked thread.
 */
@ValueStyle
@NullMarked
package org.cloudpatch.core.process;

import org.cloudpatch.core.ValueStyle;
import org.jspecify.annotations.NullMarked;
