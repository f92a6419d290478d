/**
 * Vendor advisories as cloudpatch understands them, independent of any one wire format, and the
 * readers that map OSV documents into them. A reader never lets one bad document take its batch
 * down: the document is quarantined with a reason that names the file and the JSON pointer.
 */
@ValueStyle
@NullMarked
package org.cloudpatch.core.advisory;

import org.cloudpatch.core.ValueStyle;
import org.jspecify.annotations.NullMarked;
