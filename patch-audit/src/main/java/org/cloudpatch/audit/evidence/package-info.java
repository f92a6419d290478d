/**
 * Evidence of closed tracking records: one deterministic JSON file per record ({@link
 * org.cloudpatch.audit.evidence.FileEvidenceStore}), and self-contained evidence bundles exported
 * from the signed journal ({@link org.cloudpatch.audit.evidence.EvidenceExport}) whose entries
 * carry inclusion proofs an auditor checks without this library ({@code docs/evidence.md}).
 */
@NullMarked
package org.cloudpatch.audit.evidence;

import org.jspecify.annotations.NullMarked;
