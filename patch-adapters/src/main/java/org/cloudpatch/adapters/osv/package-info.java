/**
 * An {@link org.cloudpatch.core.spi.AdvisoryFeed} that reads osv.dev's per-ecosystem export over
 * HTTP with the JDK's own client: conditional downloads, bounded retries, bounded reads and cursors
 * that a new process resumes from without losing or repeating a record. Records are parsed by
 * core's {@link org.cloudpatch.core.advisory.OsvReader}; what it cannot read is quarantined.
 */
@NullMarked
package org.cloudpatch.adapters.osv;

import org.jspecify.annotations.NullMarked;
