/**
 * Evidence bundles of closed tracking records, kept as one pretty-printed JSON file per record
 * ({@link org.cloudpatch.audit.evidence.FileEvidenceStore}). The files are deterministic and
 * written atomically, so they can be diffed, archived and handed to an auditor as they are.
 */
@NullMarked
package org.cloudpatch.audit.evidence;

import org.jspecify.annotations.NullMarked;
