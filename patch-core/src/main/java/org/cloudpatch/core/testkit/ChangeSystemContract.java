package org.cloudpatch.core.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.cloudpatch.core.ChangeId;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.rollout.ChangeRequest;
import org.cloudpatch.core.rollout.ChangeRequest.Approval;
import org.cloudpatch.core.rollout.ChangeRequest.ChangeType;
import org.cloudpatch.core.spi.ChangeSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The contract of a {@link ChangeSystem}: opening and closing are idempotent, because the engine
 * repeats a call after a crash, and an approval, once decided, stays decided.
 *
 * <p>A vendor extends this class and implements {@link #newChangeSystem()} and {@link
 * #letTimePass}; its test system must decide a normal change within 30 days of {@link #letTimePass}
 * (an auto-approving board is enough).
 *
 * @param <C> the change system type under test
 */
public abstract class ChangeSystemContract<C extends ChangeSystem> {
  /** For subclasses. */
  protected ChangeSystemContract() {}

  /**
   * A new change system with no changes; called once per test.
   *
   * @return the change system under test, never null
   */
  protected abstract C newChangeSystem();

  /**
   * Lets time pass for the change board: advance a virtual clock, or wait for the test system.
   *
   * @param system a system from {@link #newChangeSystem()}
   * @param duration how much time passes
   */
  protected abstract void letTimePass(C system, Duration duration);

  /** Opening the same request twice (same key) opens one change. */
  @Test
  public void open_sameKeyTwice_givesTheSameChange() {
    C system = newChangeSystem();
    ChangeRequest request = KitData.change("kit-1", ChangeType.NORMAL);
    assertEquals(system.open(request), system.open(request));
  }

  /** Requests with different keys open different changes. */
  @Test
  public void open_differentKeys_giveDifferentChanges() {
    C system = newChangeSystem();
    assertNotEquals(
        system.open(KitData.change("kit-1", ChangeType.NORMAL)),
        system.open(KitData.change("kit-2", ChangeType.NORMAL)));
  }

  /** The approval of an opened change can be read at once, whatever it is. */
  @Test
  public void approval_ofOpenedChange_canBeRead() {
    C system = newChangeSystem();
    ChangeId id = system.open(KitData.change("kit-1", ChangeType.STANDARD));
    Approval approval = system.approval(id);
    assertTrue(
        approval == Approval.PENDING
            || approval == Approval.APPROVED
            || approval == Approval.REJECTED);
  }

  /** A normal change is decided in time, and a decision never changes afterwards. */
  @Test
  public void approval_onceDecided_neverChanges() {
    C system = newChangeSystem();
    ChangeId id = system.open(KitData.change("kit-1", ChangeType.NORMAL));
    Approval decided = system.approval(id);
    for (int day = 0; day < 30 && decided == Approval.PENDING; day++) {
      letTimePass(system, Duration.ofDays(1));
      decided = system.approval(id);
    }
    assertNotEquals(Approval.PENDING, decided, "still pending after 30 days");
    for (int day = 0; day < 3; day++) {
      letTimePass(system, Duration.ofDays(1));
      assertEquals(decided, system.approval(id), "the decision changed");
    }
  }

  /** Closing a closed change does nothing: a second close neither fails nor reopens it. */
  @Test
  public void close_twice_secondCloseDoesNothing() {
    C system = newChangeSystem();
    ChangeRequest request = KitData.change("kit-1", ChangeType.STANDARD);
    ChangeId id = system.open(request);
    system.recordImplementation(id, "patched 1 VM");
    system.close(id, true, "done");
    system.close(id, true, "done");
    assertEquals(id, system.open(request), "opening the closed request again opened a new change");
  }

  /**
   * Bad input: a change id the system never issued is rejected, with {@link
   * IllegalArgumentException} or {@link PatchException}, by every call that takes one.
   */
  @Test
  public void calls_withChangeTheSystemNeverIssued_areRejected() {
    C system = newChangeSystem();
    system.open(KitData.change("kit-1", ChangeType.NORMAL));
    ChangeId unknown = ChangeId.of("KIT-NO-SUCH-CHANGE");
    assertRejected(() -> system.approval(unknown));
    assertRejected(() -> system.recordImplementation(unknown, "x"));
    assertRejected(() -> system.close(unknown, true, "x"));
  }

  /** Bad input: a null request fails fast with {@link NullPointerException}. */
  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  public void open_null_failsFast() {
    C system = newChangeSystem();
    assertThrows(NullPointerException.class, () -> system.open(null));
  }

  private static void assertRejected(Executable call) {
    RuntimeException e = assertThrows(RuntimeException.class, call);
    assertTrue(
        e instanceof IllegalArgumentException || e instanceof PatchException,
        "rejected with " + e + ", expected IllegalArgumentException or PatchException");
  }
}
