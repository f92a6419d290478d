package org.cloudpatch.audit.proof;

import org.cloudpatch.core.PatchException;

/**
 * A Merkle proof, checkpoint or signed note does not verify, or is not well formed; the message
 * says which check failed.
 */
public final class ProofException extends PatchException {
  private static final long serialVersionUID = 1L;

  public ProofException(String message) {
    super(message);
  }

  public ProofException(String message, Throwable cause) {
    super(message, cause);
  }
}
