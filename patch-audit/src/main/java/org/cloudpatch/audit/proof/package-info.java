/**
 * The transparency-log side of the audit trail: RFC 9162 Merkle trees with inclusion and
 * consistency proofs ({@link org.cloudpatch.audit.proof.Merkle}), Ed25519 signed notes and
 * checkpoints in the C2SP formats, and proofs exported as C2SP {@code tlog-proof} files. Everything
 * here can be checked with other transparency-log tooling, without this library.
 */
@NullMarked
package org.cloudpatch.audit.proof;

import org.jspecify.annotations.NullMarked;
