package org.cloudpatch.core;

/**
 * The root of cloudpatch's unchecked exceptions: an adapter failed, or I/O did.
 *
 * <p>Misuse (null, a bad argument, a wrong state) throws the standard exceptions instead, and
 * expected outcomes (a rejected change, a failed patch, an unparsable advisory) are result values,
 * never exceptions.
 */
public class PatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that names what failed. */
  public PatchException(String message) {
    super(message);
  }

  /** Creates an exception with a message that names what failed, and its cause. */
  public PatchException(String message, Throwable cause) {
    super(message, cause);
  }
}
