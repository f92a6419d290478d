/**
 * In-memory adapters of the audit SPIs: a {@link org.cloudpatch.audit.memory.InMemoryKeyProvider}
 * for tests, demos and hosts that hand the signing key over at start.
 */
@NullMarked
package org.cloudpatch.audit.memory;

import org.jspecify.annotations.NullMarked;
