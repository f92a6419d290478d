package org.cloudpatch.core.spi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cloudpatch.core.PatchException;
import org.junit.jupiter.api.Test;

/** {@link Notifier#isPermanent}: a failure class is read from the first classified cause. */
class NotifierFailureTest {
  /** A failure that says whether it is permanent. */
  private static final class Classified extends PatchException implements Notifier.Failure {
    private static final long serialVersionUID = 1L;
    private final boolean permanent;

    Classified(boolean permanent, Throwable cause) {
      super("classified " + permanent, cause);
      this.permanent = permanent;
    }

    Classified(boolean permanent) {
      super("classified " + permanent);
      this.permanent = permanent;
    }

    @Override
    public boolean permanent() {
      return permanent;
    }
  }

  @Test
  void isPermanent_unclassifiedFailure_isTransient() {
    assertFalse(Notifier.isPermanent(new PatchException("relay down")));
    assertFalse(Notifier.isPermanent(null));
  }

  @Test
  void isPermanent_classifiedFailure_isWhatItSays() {
    assertTrue(Notifier.isPermanent(new Classified(true)));
    assertFalse(Notifier.isPermanent(new Classified(false)));
  }

  @Test
  void isPermanent_wrappedByAHost_isReadFromTheCause() {
    assertTrue(Notifier.isPermanent(new IllegalStateException("wrapped", new Classified(true))));
  }

  @Test
  void isPermanent_outerClassificationDecides() {
    assertFalse(Notifier.isPermanent(new Classified(false, new Classified(true))));
  }

  @Test
  void isPermanent_causeCycle_ends() {
    PatchException a = new PatchException("a");
    PatchException b = new PatchException("b", a);
    a.initCause(b);
    assertFalse(Notifier.isPermanent(a));
  }
}
