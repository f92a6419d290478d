/**
 * What a host implements for the audit trail: the {@link org.cloudpatch.audit.spi.KeyProvider} that
 * signs checkpoints. Keeping the key behind an interface lets it live in a KMS or an HSM.
 */
@NullMarked
package org.cloudpatch.audit.spi;

import org.jspecify.annotations.NullMarked;
