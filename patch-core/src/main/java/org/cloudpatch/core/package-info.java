/**
 * The identifiers, the exception root and the value style shared by every cloudpatch module.
 * Identifiers are small value types so that signatures never take bare strings.
 */
@NullMarked
package org.cloudpatch.core;

import org.jspecify.annotations.NullMarked;
