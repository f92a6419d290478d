package org.cloudpatch.core.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.spi.Notifier;

/**
 * Keeps every delivered notification, with the accounts of its tenant it went to. A tenant without
 * registered accounts cannot be notified: delivery fails, as a real notifier would. Thread-safe.
 */
public final class InMemoryNotifier implements Notifier {
  private final Map<TenantId, List<String>> accounts = new TreeMap<>();
  private final List<Delivery> deliveries = new ArrayList<>();

  /** A notification and the accounts it reached. */
  public record Delivery(Notification notification, List<String> accounts) {}

  private InMemoryNotifier() {}

  /** A notifier without accounts. */
  public static InMemoryNotifier create() {
    return new InMemoryNotifier();
  }

  /** Registers the accounts that receive a tenant's notifications. */
  public synchronized InMemoryNotifier register(TenantId tenant, List<String> tenantAccounts) {
    if (tenantAccounts.isEmpty()) {
      throw new IllegalArgumentException("tenant " + tenant + " needs at least one account");
    }
    accounts.put(Objects.requireNonNull(tenant, "tenant"), List.copyOf(tenantAccounts));
    return this;
  }

  @Override
  public synchronized void deliver(Notification notification) {
    List<String> to = accounts.get(notification.tenant());
    if (to == null) {
      throw new PatchException("tenant " + notification.tenant() + " has no accounts to notify");
    }
    deliveries.add(new Delivery(notification, to));
  }

  /** Every delivery, in order. */
  public synchronized List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }
}
