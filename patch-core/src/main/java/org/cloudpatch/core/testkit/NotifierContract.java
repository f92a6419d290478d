package org.cloudpatch.core.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.spi.Notifier;
import org.cloudpatch.core.spi.Notifier.Notification;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link Notifier}: at-least-once delivery to the accounts of the notification's
 * tenant, and never to another tenant's.
 *
 * <p>A vendor extends this class and implements {@link #newNotifier} (with accounts for the two kit
 * tenants, and none for any other) and {@link #received}, which reads what a tenant's accounts got
 * (a test mailbox, a recorded webhook).
 *
 * <p>A notifier that classifies its failures ({@link Notifier.Failure}) also overrides {@link
 * #refuseNextDelivery} and {@link #failNextDeliveryTransiently}, which make its real receiver
 * refuse or fail the next delivery; the kit then checks that each failure carries the right class.
 * Without them those clauses are skipped, so a notifier written before failure classes still
 * passes.
 *
 * @param <N> the notifier type under test
 */
public abstract class NotifierContract<N extends Notifier> {
  /** The first tenant with accounts. */
  protected static final TenantId FIRST = TenantId.of("kit-tenant-1");

  /** The second tenant with accounts. */
  protected static final TenantId SECOND = TenantId.of("kit-tenant-2");

  /** A tenant without accounts. */
  protected static final TenantId UNREGISTERED = TenantId.of("kit-tenant-unregistered");

  /** For subclasses. */
  protected NotifierContract() {}

  /**
   * A new notifier with accounts registered for {@link #FIRST} and {@link #SECOND} only; called
   * once per test.
   *
   * @return the notifier under test, never null
   */
  protected abstract N newNotifier();

  /**
   * What the accounts of one tenant received, in any order, duplicates included.
   *
   * @param notifier a notifier from {@link #newNotifier()}
   * @param tenant the tenant
   * @return the notifications the tenant's accounts received
   */
  protected abstract List<Notification> received(N notifier, TenantId tenant);

  /**
   * Makes the receiver of {@link #FIRST} refuse the next delivery for good: an SMTP server rejects
   * the recipient with a 5xx reply, a webhook endpoint answers 400. The default cannot and returns
   * false, which skips the clauses on failure classes.
   *
   * @param notifier a notifier from {@link #newNotifier()}
   * @return whether the next delivery to {@link #FIRST} will be refused
   */
  protected boolean refuseNextDelivery(N notifier) {
    return false;
  }

  /**
   * Makes the receiver of {@link #FIRST} fail the next delivery in a way that passes (an SMTP 4xx
   * reply, HTTP 503 to every attempt the notifier makes itself), and then accept again. The default
   * cannot and returns false, which skips the clause.
   *
   * @param notifier a notifier from {@link #newNotifier()}
   * @return whether the next delivery to {@link #FIRST} will fail transiently
   */
  protected boolean failNextDeliveryTransiently(N notifier) {
    return false;
  }

  /** A delivered notification reaches the accounts of its tenant. */
  @Test
  public void deliver_reachesTheAccountsOfItsTenant() {
    N notifier = newNotifier();
    Notification n = notification("kit-1", FIRST);
    notifier.deliver(n);
    assertTrue(received(notifier, FIRST).contains(n), "not received: " + n.key());
  }

  /** Tenant isolation: a notification never reaches another tenant's accounts. */
  @Test
  public void deliver_neverReachesAnotherTenant() {
    N notifier = newNotifier();
    notifier.deliver(notification("kit-1", FIRST));
    notifier.deliver(notification("kit-2", SECOND));
    assertFalse(
        received(notifier, SECOND).stream().anyMatch(n -> n.tenant().equals(FIRST)),
        "the second tenant received the first tenant's notification");
    assertFalse(
        received(notifier, FIRST).stream().anyMatch(n -> n.tenant().equals(SECOND)),
        "the first tenant received the second tenant's notification");
  }

  /**
   * At-least-once: the engine delivers a key again when it is unsure the first attempt arrived, so
   * a repeated key is accepted and the notification arrives at least once.
   */
  @Test
  public void deliver_sameKeyTwice_isAcceptedAndArrivesAtLeastOnce() {
    N notifier = newNotifier();
    Notification n = notification("kit-1", FIRST);
    notifier.deliver(n);
    notifier.deliver(n);
    assertTrue(received(notifier, FIRST).contains(n), "not received: " + n.key());
  }

  /** Every delivered notification arrives, not only the last. */
  @Test
  public void deliver_several_eachArrives() {
    N notifier = newNotifier();
    List<Notification> sent =
        List.of(
            notification("kit-1", FIRST),
            notification("kit-2", FIRST),
            notification("kit-3", FIRST));
    sent.forEach(notifier::deliver);
    assertTrue(received(notifier, FIRST).containsAll(sent), "not all of " + sent + " arrived");
  }

  /**
   * A tenant without accounts cannot be notified: delivery throws {@link PatchException}, so that
   * the engine retries later instead of believing it delivered.
   */
  @Test
  public void deliver_toTenantWithoutAccounts_throwsPatchException() {
    N notifier = newNotifier();
    assertThrows(PatchException.class, () -> notifier.deliver(notification("kit-1", UNREGISTERED)));
  }

  /**
   * A refusal is permanent ({@link Notifier#isPermanent}), and so is a tenant without accounts:
   * repeating either cannot succeed, so the engine may dead-letter it at once.
   */
  @Test
  public void deliver_refusedByTheReceiver_failsPermanently() {
    N notifier = newNotifier();
    assumeTrue(refuseNextDelivery(notifier), "the notifier's receiver cannot be made to refuse");
    Notification n = notification("kit-1", FIRST);
    PatchException refused = assertThrows(PatchException.class, () -> notifier.deliver(n));
    assertTrue(Notifier.isPermanent(refused), "a refusal is not permanent: " + refused);
    PatchException nowhere =
        assertThrows(
            PatchException.class, () -> notifier.deliver(notification("kit-2", UNREGISTERED)));
    assertTrue(
        Notifier.isPermanent(nowhere), "a tenant without accounts is not permanent: " + nowhere);
  }

  /** A failure that passes is transient, and the same key delivered again then arrives. */
  @Test
  public void deliver_receiverFailingForAWhile_failsTransiently_andARetryArrives() {
    N notifier = newNotifier();
    assumeTrue(
        failNextDeliveryTransiently(notifier),
        "the notifier's receiver cannot be made to fail for a while");
    Notification n = notification("kit-1", FIRST);
    PatchException failed = assertThrows(PatchException.class, () -> notifier.deliver(n));
    assertFalse(Notifier.isPermanent(failed), "a passing failure is permanent: " + failed);
    notifier.deliver(n);
    assertTrue(received(notifier, FIRST).contains(n), "not received after the retry: " + n.key());
  }

  /** Bad input: a null notification fails fast with {@link NullPointerException}. */
  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  public void deliver_null_failsFast() {
    N notifier = newNotifier();
    assertThrows(NullPointerException.class, () -> notifier.deliver(null));
  }

  private static Notification notification(String key, TenantId tenant) {
    return Notification.builder()
        .key(key)
        .tenant(tenant)
        .advisory(AdvisoryId.of("KIT-1"))
        .assets(List.of(AssetId.of(tenant.value() + "-vm-1")))
        .subject("[P1] KIT-1 affects 1 of your VMs")
        .body("contract kit notification " + key)
        .build();
  }
}
